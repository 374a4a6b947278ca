"""`retarus-connector diff`: breaking changes between two versions of a connector: its swagger
and the apiProperties.json next to it."""

from __future__ import annotations

from pathlib import Path

import click

from retarus_connector.diff.compare import compare
from retarus_connector.diff.io import (
    DEFAULT_SWAGGER,
    PROPERTIES,
    DiffInputError,
    load_git_pair,
    load_version,
)
from retarus_connector.diff.report import as_json, as_text, unpaired_properties
from retarus_connector.paths import repository_root


def _echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    # a JSON escape such as "\ud800" in a document gives a lone surrogate, which no output
    # encoding can write; it is shown escaped (and stays a valid escape in the json output)
    click.echo(text.encode("utf-8", "backslashreplace"), err=err, nl=nl)


@click.command("diff")
@click.argument(
    "files", nargs=-1, type=click.Path(path_type=Path), metavar="OLD NEW | --git REV [NEW]"
)
@click.option(
    "--git",
    "revision",
    metavar="REV",
    help="Compare the files committed at git revision REV (OLD) with the working files, or with"
    " NEW when given.",
)
@click.option(
    "--path",
    "swagger_path",
    type=click.Path(path_type=Path),
    default=None,
    help="With --git: the swagger, or the package folder holding it, relative to the repository"
    f" root [default: {DEFAULT_SWAGGER}].",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format; json lists every change, with `breaking` true or false.",
)
@click.option(
    "--all", "show_all", is_flag=True, help="Also list non-breaking changes in text output."
)
@click.option(
    "--no-properties",
    "skip_properties",
    is_flag=True,
    help=f"Compare only the swaggers, not the {PROPERTIES} files next to them.",
)
@click.pass_context
def command(
    ctx: click.Context,
    files: tuple[Path, ...],
    revision: str | None,
    swagger_path: Path | None,
    output_format: str,
    show_all: bool,
    skip_properties: bool,
) -> None:
    """Report the changes from OLD to NEW that break existing flows or connections, as
    Microsoft's change validator does: deleted operations, changed operationIds, paths or
    methods, removed, moved or newly required parameters, changed types and formats, removed
    enum values, response schemas and response headers, tightened input constraints
    (lengths, ranges, patterns), and changed authentication. A changed host, basePath or
    schemes is listed as non-breaking (--all shows it).

    OLD and NEW are swagger files or package folders (a folder stands for its
    apiDefinition.swagger.json). When both swaggers have an apiProperties.json next to them,
    those are compared too: connection parameters, parameter sets and OAuth settings
    (breaking where existing connections must be edited or re-created), policy templates,
    capabilities, scriptOperations, the custom code (script.csx), the icon (icon.png),
    publisher, stackOwner and brand color (non-breaking).

    With `--git REV [NEW]`, OLD is the swagger (and the apiProperties.json, script.csx and
    icon.png next to it) committed at git revision REV, and NEW defaults to the working files.

    Exit status: 1 when a breaking change exists, 0 otherwise, 2 for bad input.
    """
    if revision is None:
        if swagger_path is not None:
            raise click.UsageError("--path applies only with --git.")
        if len(files) != 2:
            raise click.UsageError("Give OLD and NEW, or --git REV [NEW].")
    elif len(files) > 1:
        raise click.UsageError("With --git REV give at most one file or folder: NEW.")
    with_properties = not skip_properties
    try:
        if revision is None:
            old = load_version(files[0], with_properties=with_properties)
            new = load_version(files[1], with_properties=with_properties)
        else:
            old, new = load_git_pair(
                revision,
                repository_root(),
                swagger_path,
                files[0] if files else None,
                with_properties=with_properties,
            )
    except DiffInputError as error:
        _echo(f"error: {error}", err=True)
        ctx.exit(2)
    for warning in (*old.warnings, *new.warnings):
        _echo(f"warning: {warning}", err=True)
    unpaired = unpaired_properties(old, new)
    if unpaired is not None:
        _echo(f"warning: {unpaired}", err=True)
    pair = scripts = icons = None
    if old.properties is not None and new.properties is not None:
        pair = (old.properties.data, new.properties.data)
        scripts = (old.script_bytes, new.script_bytes)
        icons = (old.icon_bytes, new.icon_bytes)
    changes = list(
        compare(old.swagger.data, new.swagger.data, properties=pair, scripts=scripts, icons=icons)
    )
    if output_format == "json":
        _echo(as_json(old, new, changes))
    else:
        _echo(as_text(old, new, changes, show_all=show_all), nl=False)
    ctx.exit(1 if any(change.breaking for change in changes) else 0)
