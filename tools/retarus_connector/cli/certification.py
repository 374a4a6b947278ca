"""`retarus-connector certification`: the certification package for the portal."""

from __future__ import annotations

from pathlib import Path

import click

from retarus_connector.cli.options import dist_dir_option, usage_error
from retarus_connector.paths import repository_root

EXIT_LINT_ERROR = 1


@click.command("certification")
@dist_dir_option
def command(out_dir: Path | None) -> None:
    """Write <Name>_certification_<a>_<b>_<c>_<d>.zip: intro.md and a package zip whose one
    folder, PkgAssets, holds the connector solution and the flow solution, the structure
    Microsoft's ConnectorPackageValidator.ps1 checks.

    The package is linted first under the certified profile (the certification, solution
    and flow rules, and the connector inside under the package rules); an error stops
    writing.
    Exit status: 0 written or up to date, 1 lint error, 2 the package cannot be made or
    written."""
    from retarus_connector.emitters.flow import FlowError
    from retarus_connector.files.atomic import WriteError
    from retarus_connector.lint.formats import render
    from retarus_connector.packaging.certification import write_certification

    target = out_dir if out_dir is not None else repository_root() / "dist"
    try:
        result = write_certification(target)
    except (FlowError, ValueError, WriteError) as error:
        usage_error(str(error))
    preflight = result.preflight
    if preflight.report.findings:
        click.echo(render("text", preflight.report, preflight.rules), nl=False, err=True)
    if result.path is None:
        click.echo(f"Error: {result.name} was not written: lint found errors (above).", err=True)
        raise SystemExit(EXIT_LINT_ERROR)
    if result.changed:
        click.echo(f"wrote {result.path}")
    else:
        click.echo(f"{result.path} is already up to date.")
