"""Which paths are solutions or certification packages, for the engine's discovery.

A zip named on the command line is always linted (a broken one is a finding). In a folder
tree, a zip counts when its listing looks like a solution (solution.xml, customizations.xml or
[Content_Types].xml at its root) or a certification package (a .md and a .zip at its root), or
when it is no readable zip at all; other zips (a paconn package, a backup) are left alone. A
folder is an unpacked solution when it holds Other/Solution.xml. The check costs nothing in a
folder without zips: the tree walk already lists the names.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def is_zip_name(name: str) -> bool:
    return name[-4:].lower() == ".zip"


def is_unpacked_solution(folder: Path, subfolders: Iterable[str] | None = None) -> bool:
    """Whether a folder holds a solution: Other/Solution.xml (`pac solution unpack`), or
    solution.xml and customizations.xml at its root (an extracted export)."""
    if (folder / "solution.xml").is_file() and (folder / "customizations.xml").is_file():
        return True
    return _has_unpacked_manifest(
        folder, subfolders if subfolders is not None else _subfolders(folder)
    )


def _has_unpacked_manifest(folder: Path, subfolders: Iterable[str]) -> bool:
    """Whether one of the subfolders is Other/ holding Solution.xml; only a folder named
    Other is listed, so a tree walk pays nothing elsewhere."""
    for name in subfolders:
        if name.lower() == "other":
            try:
                return any(child.lower() == "solution.xml" for child in _files(folder / name))
            except OSError:
                return False
    return False


def _subfolders(folder: Path) -> list[str]:
    try:
        return [entry.name for entry in folder.iterdir() if entry.is_dir()]
    except OSError:
        return []


def _files(folder: Path) -> list[str]:
    return [entry.name for entry in folder.iterdir()]


def zip_worth_linting(path: Path) -> bool:
    """Whether a zip met in a tree walk is a solution, a certification package or broken."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as opened:
            roots = [name.lower() for name in opened.namelist() if "/" not in name.rstrip("/")]
    except (zipfile.BadZipFile, EOFError, ValueError):
        return True
    except OSError:
        return False
    if {"solution.xml", "customizations.xml", "[content_types].xml"} & set(roots):
        return True
    return any(name.endswith(".md") for name in roots) and any(
        name.endswith(".zip") for name in roots
    )


def solutions_in_folder(
    folder: Path, display: str, subfolders: list[str], files: list[str]
) -> list[tuple[Path, str]]:
    """(path, display) of the solutions and certification packages directly in a folder of a
    tree walk, the folder itself included when it is an unpacked solution."""
    found: list[tuple[Path, str]] = []
    # an extracted export spells them in lower case; Other/ of an unpacked one does not
    extracted = "solution.xml" in files and "customizations.xml" in files
    if extracted or _has_unpacked_manifest(folder, subfolders):
        found.append((folder, display))
    for name in sorted(files):
        if is_zip_name(name) and zip_worth_linting(folder / name):
            found.append((folder / name, f"{display.rstrip('/')}/{name}" if display else name))
    return found
