"""`retarus-connector build`: generate the connector package from the models."""

from __future__ import annotations

from pathlib import Path

import click

from retarus_connector.cli.options import out_dir_option
from retarus_connector.files.atomic import WriteError
from retarus_connector.files.package import PackageError, build, check
from retarus_connector.paths import repository_root

EXIT_DIFFERENT = 1
EXIT_ERROR = 2


@click.command("build")
@out_dir_option
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; exit 1 and name each file that differs from what the models produce.",
)
def command(out_dir: Path | None, check_only: bool) -> None:
    """Generate apiDefinition.swagger.json, apiProperties.json, icon.png, settings.json and
    the connector readme from the source models.

    In the repository the readme goes into README.md's generated block; with --out DIR it is
    written as DIR/readme.md, so DIR is a complete connector folder."""
    target = out_dir if out_dir is not None else repository_root()
    try:
        if check_only:
            found = check(target)
        else:
            changed = build(target)
    except (PackageError, WriteError) as error:
        click.echo(f"Error: {error}", err=True)
        raise SystemExit(EXIT_ERROR) from None
    if check_only:
        for difference in found:
            click.echo(f"{target / difference.name}: {difference.reason}", err=True)
        if found:
            click.echo("Run `retarus-connector build` to regenerate them.", err=True)
            raise SystemExit(EXIT_DIFFERENT)
        click.echo(f"The package in {target} matches the models.")
        return
    for name in changed:
        click.echo(f"wrote {target / name}")
    if not changed:
        click.echo(f"The package in {target} is already up to date.")
