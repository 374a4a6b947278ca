"""`retarus-connector solution`: the connector and flow solutions for Dataverse, and the
deployment settings `pac solution import --settings-file` reads."""

from __future__ import annotations

from pathlib import Path

import click

from retarus_connector.cli.options import dist_dir_option, usage_error
from retarus_connector.paths import repository_root

EXIT_STALE_OR_LINT = 1


@click.command("solution")
@dist_dir_option
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; exit 1 and name each file that is missing or differs.",
)
def command(out_dir: Path | None, check_only: bool) -> None:
    """Write <UniqueName>_<a>_<b>_<c>_<d>.zip for the connector solution (RetarusSMSConnector)
    and the flow solution (RetarusSMSFlows: the connector, its connection reference and the
    test flows), plus deployment-settings.json, all generated from the models.

    Both zips are linted first under the certified profile (the solution and flow rules,
    and the connector inside under the package rules); an error stops writing.
    Exit status: 0 written, up to date or current; 1 lint error, or with --check a file is
    missing or stale; 2 the models cannot make the solutions or the files cannot be written."""
    from retarus_connector.emitters.flow import FlowError
    from retarus_connector.files.atomic import WriteError
    from retarus_connector.lint.formats import render
    from retarus_connector.packaging.solutions import check_solutions, write_solutions

    target = out_dir if out_dir is not None else repository_root() / "dist"
    try:
        if check_only:
            found = check_solutions(target)
        else:
            result = write_solutions(target)
    except (FlowError, ValueError, WriteError) as error:
        usage_error(str(error))
    if check_only:
        for difference in found:
            click.echo(f"{target / difference.name}: {difference.reason}", err=True)
        if found:
            rebuild = "retarus-connector solution" + (
                "" if out_dir is None else f" --out {out_dir}"
            )
            click.echo(f"Run `{rebuild}` to regenerate them.", err=True)
            raise SystemExit(EXIT_STALE_OR_LINT)
        click.echo(f"The solutions in {target} match the models.")
        return
    preflight = result.preflight
    if preflight.report.findings:
        click.echo(render("text", preflight.report, preflight.rules), nl=False, err=True)
    if not result.written:
        click.echo("Error: nothing was written: the connector has lint errors (above).", err=True)
        raise SystemExit(EXIT_STALE_OR_LINT)
    for name in result.changed:
        click.echo(f"wrote {target / name}")
    if not result.changed:
        click.echo(f"The solutions in {target} are already up to date.")
