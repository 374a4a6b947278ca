"""Where the repository and its connector package live."""

from __future__ import annotations

from pathlib import Path


def repository_root(start: Path | None = None) -> Path:
    """The nearest folder, from `start` (default: the working directory) upwards, that holds
    this project's pyproject.toml and sources; `start` itself otherwise, so that the commands
    used in another connector repository (a pre-commit hook, say) work on that repository."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (
            folder / "tools" / "retarus_connector"
        ).is_dir():
            return folder
    return here
