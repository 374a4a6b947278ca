"""`retarus-connector build`: generate the connector package from the models."""

from __future__ import annotations

from pathlib import Path

import click

from retarus_connector.cli.options import out_dir_option
from retarus_connector.files.atomic import WriteError
from retarus_connector.files.package import (
    OtherConnectorError,
    PackageError,
    build,
    check,
    is_repository,
)
from retarus_connector.models import CONNECTOR
from retarus_connector.models.package import Connector
from retarus_connector.packaging.doc_blocks import repository_doc_blocks
from retarus_connector.paths import repository_root

EXIT_DIFFERENT = 1
EXIT_ERROR = 2


@click.command("build")
@out_dir_option()
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; exit 1 and name each file that differs from what the models produce.",
)
@click.option(
    "--host",
    default=None,
    metavar="HOST[:PORT]",
    help="Development build: point the package at this host, e.g. a tunnel to "
    "`retarus-connector mock`. Needs --out.",
)
@click.option(
    "--base-path",
    default=None,
    metavar="PATH",
    help="With --host: the API's path on that host [default: /rest/v1].",
)
@click.option(
    "--scheme",
    type=click.Choice(["https", "http"]),
    default=None,
    help="With --host: the scheme the host speaks [default: https].",
)
@click.option(
    "--force",
    is_flag=True,
    help="With --out: write even over a folder that holds another connector (a swagger with "
    "another title).",
)
def command(
    out_dir: Path | None,
    check_only: bool,
    host: str | None,
    base_path: str | None,
    scheme: str | None,
    force: bool,
) -> None:
    """Generate apiDefinition.swagger.json, apiProperties.json, icon.png, settings.json and
    the connector readme from the source models.

    In the repository the readme goes into README.md's generated block; with --out DIR it is
    written as DIR/readme.md, so DIR is a complete connector folder.

    With --host, DIR gets a development variant titled "... Dev" whose requests, the
    data-center reads included, go to HOST: the eu facade at BASE-PATH, the data centers at
    /de1 and /de2 before it, as the simulator serves them."""
    connector = _connector(out_dir, host, base_path, scheme)
    target = out_dir if out_dir is not None else _checkout_root()
    blocks = repository_doc_blocks() if is_repository(target) else None
    try:
        if check_only:
            found = check(target, connector, blocks)
        else:
            changed = build(target, connector, blocks, force=force)
    except OtherConnectorError as error:
        click.echo(f"Error: {error}. Give --force to replace it.", err=True)
        raise SystemExit(EXIT_ERROR) from None
    except (PackageError, WriteError) as error:
        click.echo(f"Error: {error}", err=True)
        raise SystemExit(EXIT_ERROR) from None
    if check_only:
        for difference in found:
            click.echo(f"{target / difference.name}: {difference.reason}", err=True)
        if any(not difference.unreadable for difference in found):
            rebuild = _rebuild_command(out_dir, host, base_path, scheme)
            click.echo(f"Run `{rebuild}` to regenerate them.", err=True)
        if any(difference.unreadable for difference in found):
            click.echo(
                "Fix the permissions of the files that cannot be read, then check again.", err=True
            )
        if found:
            raise SystemExit(EXIT_DIFFERENT)
        click.echo(f"The package in {target} matches the models.")
        return
    for name in changed:
        click.echo(f"wrote {target / name}")
    if not changed:
        click.echo(f"The package in {target} is already up to date.")


def _rebuild_command(
    out_dir: Path | None, host: str | None, base_path: str | None, scheme: str | None
) -> str:
    """The build command that regenerates what `--check` checked, with the same options."""
    import shlex

    words = ["retarus-connector", "build"]
    for option, value in (
        ("--out", out_dir),
        ("--host", host),
        ("--base-path", base_path),
        ("--scheme", scheme),
    ):
        if value is not None:
            words += [option, str(value)]
    return shlex.join(words)


def _checkout_root() -> Path:
    """The checkout the build refreshes when no --out is given. Outside one, the working
    folder may be another connector's (the toolkit is installed there to lint it), whose files
    the Retarus package must not replace."""
    root = repository_root()
    if not is_repository(root):
        raise click.UsageError(
            f"no checkout of retarus-connector in {root} or above it; without --out, build "
            "writes the package into the checkout. Give --out DIR to write it elsewhere."
        )
    return root


def _connector(
    out_dir: Path | None, host: str | None, base_path: str | None, scheme: str | None
) -> Connector:
    """The development variant the options ask for, or the release connector without --host."""
    if host is None:
        for option, value in (("--base-path", base_path), ("--scheme", scheme)):
            if value is not None:
                raise click.UsageError(f"{option} needs --host (a development build)")
        return CONNECTOR
    if out_dir is None:
        raise click.UsageError(
            "--host needs --out DIR: a development build never replaces the repository's package"
        )
    from retarus_connector.packaging import development
    from retarus_connector.packaging.versioning import current_connector

    try:
        development.check_development_folder(out_dir)
        target = development.DevTarget(
            host=host,
            base_path=base_path or development.DEFAULT_BASE_PATH,
            scheme=scheme or "https",
        )
        return development.development_connector(current_connector(), target)
    except development.DevTargetError as error:
        raise click.UsageError(str(error)) from None
