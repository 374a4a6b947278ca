"""Reading the two swaggers to compare: from files, or from a git revision.

Every failure is a `DiffInputError` whose message names the file (or revision) and, for invalid
JSON, the line and column.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_SWAGGER = "apiDefinition.swagger.json"


class DiffInputError(Exception):
    """A swagger to compare could not be read; the message says which and why."""


@dataclass(frozen=True)
class LoadedSwagger:
    label: str  # how messages name it: the path, or REV:path
    data: Any
    warnings: tuple[str, ...] = ()  # what was tolerated while reading it


def parse_swagger(raw: bytes, label: str) -> LoadedSwagger:
    """Decode and parse a swagger's bytes.

    A byte order mark is tolerated, and so are bytes that are not UTF-8 (they are replaced, with
    a warning): they can only sit inside strings, and the structure is what the diff compares.
    """
    warnings: list[str] = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        warnings.append(
            f"{label}:{line}: not valid UTF-8 (byte 0x{raw[error.start]:02x}); invalid bytes"
            " were replaced"
        )
        text = raw.decode("utf-8-sig", errors="replace")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DiffInputError(
            f"{label}:{error.lineno}:{error.colno}: invalid JSON: {error.msg}"
        ) from None
    except RecursionError:
        raise DiffInputError(f"{label}: invalid JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise DiffInputError(f"{label}: not a swagger: the document is not a JSON object")
    if data.get("swagger") != "2.0":
        found = "openapi " + str(data["openapi"]) if "openapi" in data else "no swagger: '2.0'"
        raise DiffInputError(f"{label}: not a Swagger 2.0 definition ({found})")
    return LoadedSwagger(label, data, tuple(warnings))


def load_file(path: Path, label: str | None = None) -> LoadedSwagger:
    label = label or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DiffInputError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise DiffInputError(f"{label}: is a folder, not a swagger file") from None
    except OSError as error:
        raise DiffInputError(f"{label}: cannot be read ({error.strerror})") from None
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
        raise DiffInputError(f"{folder}: no such folder, cannot look up {path.name} in git")
    if revision.startswith("-"):
        raise DiffInputError(f"{revision}: not a git revision")
    inside = _git(folder, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0:
        raise DiffInputError(f"{folder}: not inside a git repository")
    known = _git(folder, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if known.returncode != 0:
        raise DiffInputError(f"{revision}: unknown git revision")
    # `REV:./name` is relative to the folder git runs in, wherever the repository's top is
    shown = _git(folder, "show", f"{revision}:./{path.name}")
    if shown.returncode != 0:
        raise DiffInputError(f"{label}: the file does not exist at revision {revision}")
    return parse_swagger(shown.stdout, label)
