"""`retarus-connector publish`: create or update the connector in an environment with paconn."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from retarus_connector.packaging import publish
from retarus_connector.paths import repository_root


@click.command("publish")
@click.option("--environment", "-e", required=True, help="Power Platform environment name or id.")
@click.option(
    "--connector-id", default=None, help="Update this existing connector instead of creating one."
)
@click.option(
    "--package",
    "package_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Connector folder to publish (default: the repository root).",
)
@click.option("--dry-run", is_flag=True, help="Stage the files and print the paconn command only.")
def command(
    environment: str, connector_id: str | None, package_dir: Path | None, dry_run: bool
) -> None:
    """Create or update the connector through paconn (sign in first with `paconn login`)."""
    try:
        paconn = publish.find_paconn()
    except publish.PaconnMissingError as error:
        if not dry_run:
            click.echo(f"error: {error}", err=True)
            raise SystemExit(2) from None
        paconn = "paconn"
        click.echo(f"note: {error}", err=True)
    try:
        plan = publish.stage(
            package_dir or repository_root(), environment, connector_id, paconn=paconn
        )
    except publish.PublishError as error:
        click.echo(f"error: {error}", err=True)
        raise SystemExit(2) from None
    if dry_run:
        click.echo(publish.shell_command(("paconn", *plan.command[1:])))
        click.echo(f"staged in {plan.staging_dir} (remove it when done)", err=True)
        return
    try:
        result = publish.run(plan)
    finally:
        shutil.rmtree(plan.staging_dir, ignore_errors=True)
    if result.returncode != 0:
        click.echo(f"error: paconn {plan.action} failed (exit {result.returncode})", err=True)
        raise SystemExit(1)
    if result.connector_id:
        click.echo(f"connector id: {result.connector_id}")
