"""`retarus-connector diff`: breaking changes between two versions of a connector: its swagger
and the apiProperties.json next to it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from retarus_connector.diff.compare import compare
from retarus_connector.diff.io import (
    DEFAULT_SWAGGER,
    PROPERTIES,
    DiffInputError,
    LoadedVersion,
    load_version,
    load_version_from_git,
)
from retarus_connector.diff.model import Change, Document, Side
from retarus_connector.paths import repository_root


@click.command("diff")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path), metavar="OLD NEW")
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
    enum values, response schemas and response headers, and changed authentication. A changed
    host, basePath or schemes is listed as non-breaking (--all shows it).

    OLD and NEW are swagger files or package folders (a folder stands for its
    apiDefinition.swagger.json). When both swaggers have an apiProperties.json next to them,
    those are compared too: connection parameters, parameter sets and OAuth settings
    (breaking where existing connections must be edited or re-created), policy templates and
    capabilities (non-breaking).

    With `--git REV [NEW]`, OLD is the swagger (and apiProperties.json) committed at git
    revision REV and NEW defaults to the working files.

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
            relative = swagger_path or Path(DEFAULT_SWAGGER)
            working = relative if relative.is_absolute() else repository_root() / relative
            if working.is_dir():
                working, relative = working / DEFAULT_SWAGGER, relative / DEFAULT_SWAGGER
            old = load_version_from_git(
                revision, working, str(relative), with_properties=with_properties
            )
            new = load_version(
                files[0] if files else working,
                None if files else str(relative),
                with_properties=with_properties,
            )
    except DiffInputError as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(2)
    for warning in (*old.warnings, *new.warnings):
        click.echo(f"warning: {warning}", err=True)
    if (old.properties is None) != (new.properties is None):
        present, absent = (old, new) if old.properties is not None else (new, old)
        click.echo(
            f"warning: {PROPERTIES} not compared: {_properties_label(present)} has no"
            f" counterpart next to {absent.swagger.label}",
            err=True,
        )
    pair = None
    if old.properties is not None and new.properties is not None:
        pair = (old.properties.data, new.properties.data)
    changes = list(compare(old.swagger.data, new.swagger.data, properties=pair))
    if output_format == "json":
        click.echo(_as_json(old, new, pair is not None, changes))
    else:
        click.echo(_as_text(old, new, pair is not None, changes, show_all), nl=False)
    ctx.exit(1 if any(change.breaking for change in changes) else 0)


def _properties_label(version: LoadedVersion) -> str | None:
    return version.properties.label if version.properties is not None else None


def _location(old: LoadedVersion, new: LoadedVersion, change: Change) -> str:
    version = old if change.side is Side.OLD else new
    if change.document is Document.PROPERTIES and version.properties is not None:
        return version.properties.label
    return version.swagger.label


def _as_json(old: LoadedVersion, new: LoadedVersion, compared: bool, changes: list[Change]) -> str:
    breaking = sum(change.breaking for change in changes)
    document = {
        "old": old.swagger.label,
        "new": new.swagger.label,
        "oldProperties": _properties_label(old) if compared else None,
        "newProperties": _properties_label(new) if compared else None,
        "changes": [change.as_dict() for change in changes],
        "summary": {"breaking": breaking, "nonBreaking": len(changes) - breaking},
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _as_text(
    old: LoadedVersion,
    new: LoadedVersion,
    compared: bool,
    changes: list[Change],
    show_all: bool,
) -> str:
    lines = []
    for change in changes:
        if change.breaking or show_all:
            # a change of the whole connector (host, authentication) names no operation
            operation = f" {change.operation_id}:" if change.operation_id is not None else ""
            lines.append(
                f"{change.severity.value}:{operation} {change.kind.value}:"
                f" {change.message} ({_location(old, new, change)}#{change.pointer})"
            )
    span = f"from {old.swagger.label} to {new.swagger.label}"
    if compared:
        span += f" and from {_properties_label(old)} to {_properties_label(new)}"
    breaking = sum(change.breaking for change in changes)
    other = len(changes) - breaking
    hint = " (--all lists them)" if other and not show_all else ""
    if breaking:
        lines.append(
            f"{_count(breaking, 'breaking change')} and {_count(other, 'non-breaking change')}"
            f"{hint} {span}."
        )
    else:
        lines.append(f"No breaking changes {span}; {_count(other, 'non-breaking change')}{hint}.")
    return "\n".join(lines) + "\n"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
