"""`retarus-connector diff`: breaking changes between two versions of a connector: its swagger
and the apiProperties.json next to it."""

from __future__ import annotations

from pathlib import Path

import click

from retarus_connector.cli.options import format_option, output_option, usage_error
from retarus_connector.diff.io import (
    DEFAULT_SWAGGER,
    PROPERTIES,
    DiffInputError,
    git_root,
    load_git_pair,
    load_version,
)
from retarus_connector.diff.report import as_json, as_text
from retarus_connector.diff.versions import compare_versions


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
    help="With --git: the swagger, or the package folder holding it, relative to the top of"
    f" the git repository, wherever the command runs [default: {DEFAULT_SWAGGER}].",
)
@format_option(
    "text",
    "json",
    "sarif",
    "github",
    help="Output format; json lists every change, with `breaking` true or false; sarif and"
    " github report breaking changes (every change with --all) for code scanning and pull"
    " request annotations.",
)
@output_option
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
    output_file: Path | None,
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
    apiDefinition.swagger.json), or Dataverse solutions: a solution zip, an unpacked solution
    folder or a certification package, whose one custom connector is compared (its
    openapidefinition, connection parameters, policies, brand color, custom code and icon). When both swaggers have an apiProperties.json next to them,
    those are compared too: connection parameters, parameter sets and OAuth settings
    (breaking where existing connections must be edited or re-created), policy templates,
    capabilities, scriptOperations, the custom code (script.csx), the icon (icon.png),
    publisher, stackOwner and brand color (non-breaking).

    With `--git REV [NEW]`, OLD is the swagger (and the apiProperties.json, script.csx and
    icon.png next to it) committed at git revision REV, and NEW defaults to the working files.

    Exit status: 1 when a breaking change exists, 0 otherwise, 2 for a usage error or a file
    that cannot be read.
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
                git_root(Path.cwd()),
                swagger_path,
                files[0] if files else None,
                with_properties=with_properties,
            )
    except DiffInputError as error:
        usage_error(_printable(str(error)))
    comparison = compare_versions(old, new)
    for warning in comparison.warnings:
        _echo(f"warning: {warning}", err=True)
    if output_format == "json":
        text = as_json(old, new, comparison.changes) + "\n"
    elif output_format in ("sarif", "github"):
        from retarus_connector.diff import formats

        render = formats.sarif if output_format == "sarif" else formats.github
        text = render(comparison, show_all=show_all, revision=revision)
    else:
        text = as_text(old, new, comparison.changes, show_all=show_all)
    if output_file is not None:
        from retarus_connector.lint.writing import WriteFailed, write_atomically

        try:
            write_atomically(output_file, text.encode("utf-8", "backslashreplace"))
        except WriteFailed as error:
            usage_error(f"--output {error}")
    else:
        _echo(text, nl=False)
    ctx.exit(1 if comparison.breaking else 0)


def _printable(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
