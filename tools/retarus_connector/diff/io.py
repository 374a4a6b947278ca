"""Reading the two swaggers to compare: from files, or from a git revision.

Every failure is a `DiffInputError` whose message starts with the file (or revision) it is about
and, for invalid JSON, gives the line and column.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retarus_connector.lint.loader import parse_json
from retarus_connector.lint.model import LoadIssueKind

DEFAULT_SWAGGER = "apiDefinition.swagger.json"


class DiffInputError(Exception):
    """A swagger to compare could not be read; the message says which and why."""


@dataclass(frozen=True)
class LoadedSwagger:
    label: str  # how messages name it: the path, or REV:path
    data: Any
    warnings: tuple[str, ...] = ()  # what was tolerated while reading it


def parse_swagger(raw: bytes, label: str) -> LoadedSwagger:
    """Decode and parse a swagger's bytes with the linter's tolerant JSON reader.

    A byte order mark, bytes that are not UTF-8 (replaced) and duplicate keys (the last one
    counts) are tolerated with a warning: the structure is what the diff compares.
    """
    parsed = parse_json(raw)
    warnings = [
        f"{label} {issue.message}; the invalid bytes were replaced"
        for issue in parsed.issues
        if issue.kind is LoadIssueKind.INVALID_UTF8
    ]
    warnings.extend(
        f"{label} has the key '{key}' twice in the object at '{pointer}'; the last value counts"
        for pointer, key in parsed.duplicate_keys
    )
    blocking = [issue for issue in parsed.issues if issue.kind is not LoadIssueKind.INVALID_UTF8]
    if blocking or parsed.data is None:
        issue = (blocking or parsed.issues)[0]
        message = f"{label} {issue.message}"
        if issue.line is not None and f"line {issue.line}," not in issue.message:
            message += f", at line {issue.line}, column {issue.column}"
        raise DiffInputError(message)
    data = parsed.data
    if not isinstance(data, dict):
        raise DiffInputError(f"{label} is not a swagger: the document is not a JSON object")
    if data.get("swagger") != "2.0":
        found = "openapi " + str(data["openapi"]) if "openapi" in data else "no swagger: '2.0'"
        raise DiffInputError(f"{label} is not a Swagger 2.0 definition ({found})")
    return LoadedSwagger(label, data, tuple(warnings))


def load_file(path: Path, label: str | None = None) -> LoadedSwagger:
    label = label or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DiffInputError(f"{label} does not exist") from None
    except IsADirectoryError:
        raise DiffInputError(f"{label} is a folder, not a swagger file") from None
    except OSError as error:
        raise DiffInputError(f"{label} cannot be read ({error.strerror})") from None
    return parse_swagger(raw, label)


def _git(folder: Path, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-C", str(folder), *arguments],
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise DiffInputError("git is not installed or not on PATH") from None


def load_from_git(revision: str, path: Path, display: str | None = None) -> LoadedSwagger:
    """The committed content of `path` (a working-tree path) at `revision`; messages name it
    `REV:display` (display defaults to the file name)."""
    folder = path.parent
    label = f"{revision}:{display or path.name}"
    if not folder.is_dir():
        raise DiffInputError(f"{folder} does not exist, so {path.name} cannot be looked up in git")
    if revision.startswith("-"):
        raise DiffInputError(f"{revision} is not a git revision")
    inside = _git(folder, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0:
        raise DiffInputError(f"{folder} is not inside a git repository")
    known = _git(folder, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if known.returncode != 0:
        raise DiffInputError(f"{revision} is not a known git revision")
    # `REV:./name` is relative to the folder git runs in, wherever the repository's top is
    shown = _git(folder, "show", f"{revision}:./{path.name}")
    if shown.returncode != 0:
        raise DiffInputError(f"{label} does not exist: the file is not in revision {revision}")
    return parse_swagger(shown.stdout, label)
