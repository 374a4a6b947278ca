"""`retarus-connector package`: the release zip, generated from the models and linted first."""

from __future__ import annotations

from pathlib import Path

import click

from retarus_connector.cli.options import out_dir_option, usage_error
from retarus_connector.paths import repository_root

EXIT_LINT_ERROR = 1


@click.command("package")
@out_dir_option(
    "Folder to write the zip to (default: dist/ under the repository root, or under the "
    "working folder outside a checkout)."
)
def command(out_dir: Path | None) -> None:
    """Write <connector>-<version>.zip: one connector folder with apiDefinition.swagger.json,
    apiProperties.json, apiProperties.deploy.json (without stackOwner, for paconn and pac),
    icon.png, readme.md and settings.json, generated from the models.

    The folder is linted under the certified profile first; an error stops packaging.
    Exit status: 0 written or already up to date, 1 lint found an error, 2 the zip could not
    be written."""
    from retarus_connector.files.atomic import WriteError
    from retarus_connector.lint.formats import render
    from retarus_connector.packaging.archive import build_archive
    from retarus_connector.packaging.versioning import NamingError

    target = out_dir if out_dir is not None else repository_root() / "dist"
    try:
        result = build_archive(target)
    except (NamingError, WriteError) as error:
        usage_error(str(error))
    preflight = result.preflight
    if preflight.report.findings:
        click.echo(render("text", preflight.report, preflight.rules), nl=False, err=True)
    if result.path is None:
        click.echo(
            f"Error: {result.name} was not written: the package has lint errors (above).",
            err=True,
        )
        raise SystemExit(EXIT_LINT_ERROR)
    if result.changed:
        click.echo(f"wrote {result.path}")
    else:
        click.echo(f"{result.path} is already up to date.")
