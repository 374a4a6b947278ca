"""`retarus-connector publish`: create or update the connector in an environment with paconn."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from retarus_connector.cli.options import package_option, usage_error
from retarus_connector.packaging import publish

EXIT_LINT_ERROR = 1


@click.command("publish")
@click.option("--environment", "-e", required=True, help="Power Platform environment name or id.")
@click.option(
    "--connector-id", default=None, help="Update this existing connector instead of creating one."
)
@package_option(
    "Connector folder to publish, e.g. a development build "
    "(default: the package generated from the models).",
    exists=True,
)
@click.option("--dry-run", is_flag=True, help="Stage the files and print the paconn command only.")
def command(
    environment: str, connector_id: str | None, package_dir: Path | None, dry_run: bool
) -> None:
    """Create or update the connector through paconn (sign in first with `paconn login`).

    The package is linted under the certified profile first; an error stops publishing. paconn
    runs in a temporary folder holding the package with apiProperties without stackOwner and a
    settings file naming the environment (and the connector id, for an update).

    Exit status: 0 published (or, with --dry-run, staged), 1 lint found an error or paconn
    failed, 2 bad input or paconn is not installed or cannot start."""
    from retarus_connector.lint.formats import render

    missing: publish.PaconnMissingError | None = None
    try:
        paconn = publish.find_paconn()
    except publish.PaconnMissingError as error:
        if not dry_run:
            usage_error(str(error))
        paconn, missing = "paconn", error
    try:
        prepared = publish.prepare(package_dir, environment, connector_id, paconn=paconn)
    except publish.PublishError as error:
        usage_error(str(error))
    if missing is not None:  # after the input errors, which matter first
        click.echo(f"note: {missing}", err=True)
    preflight = prepared.preflight
    if preflight.report.findings:
        click.echo(render("text", preflight.report, preflight.rules), nl=False, err=True)
    plan = prepared.plan
    if plan is None:
        click.echo("error: nothing was published: the package has lint errors (above).", err=True)
        raise SystemExit(EXIT_LINT_ERROR)
    if dry_run:
        click.echo(publish.dry_run_command(plan))
        click.echo(f"staged in {plan.staging_dir} (remove it when done)", err=True)
        return
    try:
        result = publish.run(plan)
    except publish.PublishError as error:
        usage_error(str(error))
    finally:
        shutil.rmtree(plan.staging_dir, ignore_errors=True)
    if result.returncode != 0:
        click.echo(f"error: paconn {plan.action} failed (exit {result.returncode})", err=True)
        raise SystemExit(EXIT_LINT_ERROR)
    if result.connector_id:
        click.echo(f"connector id: {result.connector_id}")
