"""Options shared by several commands, defined once so they read the same everywhere."""

from __future__ import annotations

from pathlib import Path

import click

out_dir_option = click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write to (default: the repository root).",
)


def format_option(*choices: str, default: str = "text") -> click.Option:
    """`--format` with the given choices; use as a decorator."""
    return click.option(  # type: ignore[return-value]
        "--format",
        "output_format",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format.",
    )
