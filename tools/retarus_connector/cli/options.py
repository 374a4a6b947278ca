"""Options shared by several commands, defined once so they read the same everywhere, and the
one way a command reports a usage error: `click.UsageError` (exit status 2), with the message
naming the file, option or value at fault."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

_Decorated = TypeVar("_Decorated", bound=Callable[..., Any])

USAGE_ERROR = 2


def out_dir_option(
    help: str = "Folder to write to (default: the repository root).",
) -> Callable[[_Decorated], _Decorated]:
    """`--out DIR` (build, package)."""
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help=help,
    )


dist_dir_option = out_dir_option(
    "Folder to write to (default: dist/ under the repository root, or under the working "
    "folder outside a checkout)."
)


def format_option(
    *choices: str, default: str = "text", help: str = "Output format."
) -> Callable[[_Decorated], _Decorated]:
    """`--format` with the given choices (lint, diff)."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help=help,
    )


def file_option(name: str, destination: str, help: str) -> Callable[[_Decorated], _Decorated]:
    """An option that names one file (FILE), by default none."""
    return click.option(
        name,
        destination,
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        metavar="FILE",
        help=help,
    )


output_option = file_option(
    "--output",
    "output_file",
    "Write the report to FILE (whole or not at all) instead of standard output.",
)
"""`--output FILE` (lint, diff)."""


def package_option(help: str, *, exists: bool = False) -> Callable[[_Decorated], _Decorated]:
    """`--package DIR`, the connector folder a command works on (call, publish)."""
    return click.option(
        "--package",
        "package_dir",
        type=click.Path(file_okay=False, exists=exists, path_type=Path),
        default=None,
        help=help,
    )


def usage_error(message: str) -> NoReturn:
    """Stop the command with a usage error (exit status 2)."""
    raise click.UsageError(message)
