"""Where the repository and its connector package live."""

from __future__ import annotations

from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parents[2]


def repository_root(start: Path | None = None) -> Path:
    """The nearest folder, from `start` (default: the working directory) upwards, that holds
    this project's pyproject.toml; the source checkout this module came from otherwise."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (
            folder / "tools" / "retarus_connector"
        ).is_dir():
            return folder
    return _SOURCE_ROOT
