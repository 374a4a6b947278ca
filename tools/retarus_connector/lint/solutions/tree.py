"""One shape for the files of a zip and of a folder: relative names with '/', read on demand.

`display_of(name)` is how a finding names a file: `ZIP!/ENTRY` inside a zip, nested zips
chained (`outer.zip!/pkg.zip!/PkgAssets/x.zip!/solution.xml`), `FOLDER/NAME` in a folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from retarus_connector.core.jsonfile import read_bytes
from retarus_connector.lint.solutions.archive import (
    MAX_ENTRIES,
    MAX_TOTAL_BYTES,
    ArchiveIssue,
    IssueKind,
    read_archive,
)

ZIP_SEPARATOR = "!/"


class Tree:
    """The files of one zip or folder. `issues` are the archive's (or the folder's) own
    troubles; `depth` counts the zips this one sits in, itself included."""

    __slots__ = ("_entries", "_folder", "depth", "display", "folders", "is_zip", "issues", "names")

    def __init__(
        self,
        display: str,
        *,
        entries: dict[str, bytes] | None = None,
        folder: Path | None = None,
        names: list[str] | None = None,
        folders: set[str] | None = None,
        issues: list[ArchiveIssue] | None = None,
        depth: int = 0,
    ) -> None:
        self.display = display
        self._entries = entries
        self._folder = folder
        self.is_zip = entries is not None
        self.names: list[str] = list(entries) if entries is not None else (names or [])
        self.folders: set[str] = folders or set()
        self.issues: list[ArchiveIssue] = issues or []
        self.depth = depth

    def display_of(self, name: str) -> str:
        if self.is_zip:
            return f"{self.display}{ZIP_SEPARATOR}{name}"
        return f"{self.display.rstrip('/')}/{name}" if self.display not in ("", ".") else name

    def find(self, name: str) -> str | None:
        """The stored name matching `name` in any letter case (Windows tools compare names
        without case), the exact spelling first."""
        if name in self._index():
            return name
        wanted = name.lower()
        return next((stored for stored in self.names if stored.lower() == wanted), None)

    def _index(self) -> set[str]:
        return set(self.names)

    def read(self, name: str) -> bytes | None:
        """The bytes of a file, None when it cannot be read (the reason is then an issue)."""
        if self._entries is not None:
            return self._entries.get(name)
        if self._folder is None:
            return None
        raw, issue = read_bytes(self._folder / name)
        if issue is not None:
            self.issues.append(
                ArchiveIssue(
                    IssueKind.INVALID, f"has the file {name!r}, which {issue.message}", name
                )
            )
            return None
        return raw

    def root_files(self) -> list[str]:
        return [name for name in self.names if "/" not in name]

    def root_folders(self) -> list[str]:
        return sorted({folder.split("/", 1)[0] for folder in self.folders})


def zip_tree(raw: bytes, display: str, depth: int = 1) -> Tree:
    archive = read_archive(raw, depth)
    return Tree(
        display,
        entries=archive.entries,
        folders=archive.folders,
        issues=archive.issues,
        depth=depth,
    )


def folder_tree(folder: Path, display: str) -> Tree:
    """The files under a folder (links are not followed), at most as many as a zip may hold."""
    names: list[str] = []
    folders: set[str] = set()
    issues: list[ArchiveIssue] = []
    for current, subfolders, files in os.walk(folder):
        subfolders.sort()
        relative = Path(current).relative_to(folder).as_posix()
        prefix = "" if relative == "." else f"{relative}/"
        folders.update(f"{prefix}{name}" for name in subfolders)
        for name in sorted(files):
            names.append(f"{prefix}{name}")
        if len(names) > MAX_ENTRIES:
            issues.append(
                ArchiveIssue(
                    IssueKind.LIMIT,
                    f"holds more than {MAX_ENTRIES} files; only the first ones were read",
                )
            )
            del names[MAX_ENTRIES:]
            break
    return Tree(display, folder=folder, names=names, folders=folders, issues=issues)


def read_zip_file(path: Path, display: str) -> Tree:
    raw, issue = read_bytes(path, MAX_TOTAL_BYTES)
    if issue is not None:
        return Tree(
            display, entries={}, issues=[ArchiveIssue(IssueKind.INVALID, issue.message)], depth=1
        )
    return zip_tree(raw, display)
