"""`retarus-connector diff`: breaking changes between two versions of a connector's swagger."""

from __future__ import annotations

import json
from pathlib import Path

import click

from retarus_connector.diff.compare import compare
from retarus_connector.diff.io import (
    DEFAULT_SWAGGER,
    DiffInputError,
    LoadedSwagger,
    load_file,
    load_from_git,
)
from retarus_connector.diff.model import Change, Side
from retarus_connector.paths import repository_root


@click.command("diff")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path), metavar="OLD NEW")
@click.option(
    "--git",
    "revision",
    metavar="REV",
    help="Compare the file committed at git revision REV (OLD) with the working file, or with"
    " NEW when given.",
)
@click.option(
    "--path",
    "swagger_path",
    type=click.Path(path_type=Path),
    default=None,
    help=f"With --git: the swagger, relative to the repository root [default: {DEFAULT_SWAGGER}].",
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
@click.pass_context
def command(
    ctx: click.Context,
    files: tuple[Path, ...],
    revision: str | None,
    swagger_path: Path | None,
    output_format: str,
    show_all: bool,
) -> None:
    """Report the changes from OLD to NEW that break existing flows, as Microsoft's change
    validator does: deleted operations, changed operationIds, paths or methods, removed, moved
    or newly required parameters, changed types and formats, removed enum values, response
    schemas and response headers, and changed authentication. A changed host, basePath or
    schemes is listed as non-breaking (--all shows it).

    With `--git REV [NEW]`, OLD is the swagger committed at git revision REV and NEW defaults
    to the working file.

    Exit status: 1 when a breaking change exists, 0 otherwise, 2 for bad input.
    """
    if revision is None:
        if swagger_path is not None:
            raise click.UsageError("--path applies only with --git.")
        if len(files) != 2:
            raise click.UsageError("Give OLD and NEW, or --git REV [NEW].")
    elif len(files) > 1:
        raise click.UsageError("With --git REV give at most one file: NEW.")
    try:
        if revision is None:
            old, new = load_file(files[0]), load_file(files[1])
        else:
            relative = swagger_path or Path(DEFAULT_SWAGGER)
            working = relative if relative.is_absolute() else repository_root() / relative
            old = load_from_git(revision, working, str(relative))
            new = load_file(files[0]) if files else load_file(working, str(relative))
    except DiffInputError as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(2)
    for warning in (*old.warnings, *new.warnings):
        click.echo(f"warning: {warning}", err=True)
    changes = list(compare(old.data, new.data))
    if output_format == "json":
        click.echo(_as_json(old, new, changes))
    else:
        click.echo(_as_text(old, new, changes, show_all), nl=False)
    ctx.exit(1 if any(change.breaking for change in changes) else 0)


def _as_json(old: LoadedSwagger, new: LoadedSwagger, changes: list[Change]) -> str:
    breaking = sum(change.breaking for change in changes)
    document = {
        "old": old.label,
        "new": new.label,
        "changes": [change.as_dict() for change in changes],
        "summary": {"breaking": breaking, "nonBreaking": len(changes) - breaking},
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _as_text(old: LoadedSwagger, new: LoadedSwagger, changes: list[Change], show_all: bool) -> str:
    lines = []
    for change in changes:
        if change.breaking or show_all:
            location = (old if change.side is Side.OLD else new).label
            # a change of the whole connector (host, authentication) names no operation
            operation = f" {change.operation_id}:" if change.operation_id is not None else ""
            lines.append(
                f"{change.severity.value}:{operation} {change.kind.value}:"
                f" {change.message} ({location}#{change.pointer})"
            )
    breaking = sum(change.breaking for change in changes)
    other = len(changes) - breaking
    hint = " (--all lists them)" if other and not show_all else ""
    if breaking:
        lines.append(
            f"{_count(breaking, 'breaking change')} and {_count(other, 'non-breaking change')}"
            f"{hint} from {old.label} to {new.label}."
        )
    else:
        lines.append(
            f"No breaking changes from {old.label} to {new.label};"
            f" {_count(other, 'non-breaking change')}{hint}."
        )
    return "\n".join(lines) + "\n"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
