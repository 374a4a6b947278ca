"""Reading the two versions to compare: from files, package folders, or a git revision.

A version is a swagger and, when there is one next to it, the package's apiProperties.json
and, with that, its custom code (script.csx) and its icon (icon.png), both read as bytes. A folder stands for the package in it: its
apiDefinition.swagger.json. Every failure is a
`DiffInputError` whose message starts with the file (or revision) it is about and, for invalid
JSON, gives the line and column.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retarus_connector.core.jsonfile import MAX_FILE_BYTES, LoadIssueKind, parse_json
from retarus_connector.core.names import ICON_FILE, PROPERTIES_FILE, SCRIPT_FILE, SWAGGER_FILE

DEFAULT_SWAGGER = SWAGGER_FILE
PROPERTIES = PROPERTIES_FILE
SCRIPT = SCRIPT_FILE
ICON = ICON_FILE


class DiffInputError(Exception):
    """A file to compare could not be read; the message says which and why."""


@dataclass(frozen=True)
class LoadedDocument:
    label: str  # how messages name it: the path, or REV:path
    data: Any
    warnings: tuple[str, ...] = ()  # what was tolerated while reading it


@dataclass(frozen=True)
class LoadedVersion:
    """One side of a comparison: the swagger, and the apiProperties.json next to it (None
    when there is none, or when it was not asked for). `script` is the script.csx of a
    package whose apiProperties.json was read (its bytes as `data`), None when it has none;
    `icon` its icon.png, likewise."""

    swagger: LoadedDocument
    properties: LoadedDocument | None = None
    script: LoadedDocument | None = None
    icon: LoadedDocument | None = None

    @property
    def script_bytes(self) -> bytes | None:
        return self.script.data if self.script is not None else None

    @property
    def icon_bytes(self) -> bytes | None:
        return self.icon.data if self.icon is not None else None

    @property
    def warnings(self) -> tuple[str, ...]:
        extra = self.properties.warnings if self.properties is not None else ()
        return self.swagger.warnings + extra


def _parse_object(raw: bytes, label: str, kind: str) -> LoadedDocument:
    """Decode and parse a JSON object's bytes with the toolkit's tolerant JSON reader.

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
    # every parse failure is a blocking issue; a document that is JSON null has none, and is
    # refused below as not an object
    if blocking:
        issue = blocking[0]
        message = f"{label} {issue.message}"
        if issue.line is not None and f"line {issue.line}," not in issue.message:
            message += f", at line {issue.line}, column {issue.column}"
        raise DiffInputError(message)
    if not isinstance(parsed.data, dict):
        raise DiffInputError(f"{label} is not {kind}: the document is not a JSON object")
    return LoadedDocument(label, parsed.data, tuple(warnings))


def parse_swagger(raw: bytes, label: str) -> LoadedDocument:
    """A Swagger 2.0 document's bytes, parsed; anything else is an input error."""
    loaded = _parse_object(raw, label, "a swagger")
    data = loaded.data
    if data.get("swagger") != "2.0":
        found = "openapi " + str(data["openapi"]) if "openapi" in data else "no swagger: '2.0'"
        raise DiffInputError(f"{label} is not a Swagger 2.0 definition ({found})")
    return loaded


def parse_properties(raw: bytes, label: str) -> LoadedDocument:
    """An apiProperties.json's bytes, parsed: a JSON object with a `properties` object. What
    is inside is read tolerantly by the comparison, as the swagger's is."""
    loaded = _parse_object(raw, label, "an apiProperties file")
    if not isinstance(loaded.data.get("properties"), dict):
        raise DiffInputError(f"{label} is not an apiProperties file (no 'properties' object)")
    return loaded


def _read(path: Path, label: str) -> bytes:
    """A file's bytes, up to the size the linter reads too (a stray disk image or /dev/zero
    would otherwise fill the memory). A pipe named on the command line, such as
    `diff <(git show REV:file) file`, is read like a file."""
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise DiffInputError(f"{label} does not exist") from None
    except IsADirectoryError:
        raise DiffInputError(f"{label} is a folder, not a file") from None
    except OSError as error:
        raise DiffInputError(f"{label} cannot be read ({error.strerror})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise _too_large(label)
    return raw


def _too_large(label: str) -> DiffInputError:
    limit = MAX_FILE_BYTES // (1024 * 1024)
    return DiffInputError(f"{label} is larger than {limit} MiB, more than a connector file")


def _read_in_folder(path: Path, label: str) -> bytes:
    """A file a package folder holds: it must be a regular file, since reading a named pipe
    that nobody writes to would wait forever."""
    if path.exists() and not path.is_file() and not path.is_dir():
        raise DiffInputError(f"{label} is not a regular file")
    return _read(path, label)


def load_file(path: Path, label: str | None = None) -> LoadedDocument:
    """A swagger file."""
    label = label or str(path)
    return parse_swagger(_read(path, label), label)


def load_properties_file(path: Path, label: str | None = None) -> LoadedDocument:
    label = label or str(path)
    return parse_properties(_read(path, label), label)


def swagger_of(path: Path) -> Path:
    """The swagger a path stands for: a package folder's apiDefinition.swagger.json, or the
    file itself."""
    return path / DEFAULT_SWAGGER if path.is_dir() else path


def _sibling_label(swagger_label: str, name: str) -> str:
    return str(Path(swagger_label).parent / name)


def load_version(
    path: Path, label: str | None = None, *, with_properties: bool = True
) -> LoadedVersion:
    """The swagger at `path` (a file or a package folder) and the apiProperties.json next to
    it, when there is one, with the script.csx and icon.png next to them; `label` names the
    swagger in messages. A solution (zip, unpacked folder, certification package) stands for
    the connector inside it (diff/solution.py)."""
    from retarus_connector.diff.solution import is_solution_path, load_solution_version

    if is_solution_path(path):
        return load_solution_version(path, label, with_properties=with_properties)
    swagger_path = swagger_of(path)
    if swagger_path == path:
        swagger = load_file(swagger_path, label)
    else:
        swagger_label = label or str(swagger_path)
        swagger = parse_swagger(_read_in_folder(swagger_path, swagger_label), swagger_label)
    properties_path = swagger_path.parent / PROPERTIES
    if not with_properties or not properties_path.is_file():
        return LoadedVersion(swagger)
    properties_label = _sibling_label(label, PROPERTIES) if label else str(properties_path)
    properties = load_properties_file(properties_path, properties_label)

    def sibling(name: str) -> LoadedDocument | None:
        sibling_path = swagger_path.parent / name
        if not sibling_path.is_file():
            return None
        sibling_label = _sibling_label(label, name) if label else str(sibling_path)
        return LoadedDocument(sibling_label, _read(sibling_path, sibling_label))

    return LoadedVersion(swagger, properties, sibling(SCRIPT), sibling(ICON))


def _git(folder: Path, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-C", str(folder), *arguments],
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise DiffInputError("git is not installed or not on PATH") from None


def _check_revision(revision: str, folder: Path, name: str) -> None:
    if not folder.is_dir():
        why = "is not a folder" if folder.exists() else "does not exist"
        raise DiffInputError(f"{folder} {why}, so {name} cannot be looked up in git")
    if revision.startswith("-"):
        raise DiffInputError(f"{revision} is not a git revision")
    inside = _git(folder, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0:
        raise DiffInputError(f"{folder} is not inside a git repository")
    known = _git(folder, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if known.returncode != 0:
        raise DiffInputError(f"{revision} is not a known git revision")


def _committed(revision: str, path: Path, label: str) -> bytes | None:
    """The bytes of `path` at `revision`, or None when the revision has no such file."""
    # `REV:./name` is relative to the folder git runs in, wherever the repository's top is
    spec = f"{revision}:./{path.name}"
    kind = _git(path.parent, "cat-file", "-t", spec)
    if kind.returncode != 0:
        return None
    if kind.stdout.strip() != b"blob":
        raise DiffInputError(f"{label} is a folder in revision {revision}, not a file")
    # The size limit of files on disk holds for committed files too, checked before reading.
    size = _git(path.parent, "cat-file", "-s", spec)
    if size.returncode != 0 or not size.stdout.strip().isdigit():
        raise DiffInputError(f"{label} cannot be read from revision {revision}")
    if int(size.stdout) > MAX_FILE_BYTES:
        raise _too_large(label)
    return _git(path.parent, "show", spec).stdout


def load_from_git(revision: str, path: Path, display: str | None = None) -> LoadedDocument:
    """The committed swagger at `path` (a working-tree path) at `revision`; messages name it
    `REV:display` (display defaults to the file name)."""
    label = f"{revision}:{display or path.name}"
    _check_revision(revision, path.parent, path.name)
    raw = _committed(revision, path, label)
    if raw is None:
        raise DiffInputError(f"{label} does not exist: the file is not in revision {revision}")
    return parse_swagger(raw, label)


def load_version_from_git(
    revision: str, path: Path, display: str | None = None, *, with_properties: bool = True
) -> LoadedVersion:
    """The committed swagger at `path` and, when that revision has one next to it, the
    committed apiProperties.json, script.csx and icon.png."""
    swagger = load_from_git(revision, path, display)
    if not with_properties:
        return LoadedVersion(swagger)

    def sibling_label(name: str) -> str:
        return f"{revision}:{_sibling_label(display or path.name, name)}"

    raw = _committed(revision, path.parent / PROPERTIES, sibling_label(PROPERTIES))
    if raw is None:
        return LoadedVersion(swagger)
    properties = parse_properties(raw, sibling_label(PROPERTIES))

    def sibling(name: str) -> LoadedDocument | None:
        committed = _committed(revision, path.parent / name, sibling_label(name))
        return None if committed is None else LoadedDocument(sibling_label(name), committed)

    return LoadedVersion(swagger, properties, sibling(SCRIPT), sibling(ICON))


def git_root(folder: Path) -> Path:
    """The top folder of the git work tree that holds `folder`: what --path is relative to."""
    found = _git(folder, "rev-parse", "--show-toplevel")
    if found.returncode != 0:
        raise DiffInputError(f"{folder} is not inside a git repository")
    return Path(found.stdout.decode("utf-8", "surrogateescape").strip())


def load_git_pair(
    revision: str,
    root: Path,
    relative: Path | None,
    new: Path | None,
    *,
    with_properties: bool = True,
) -> tuple[LoadedVersion, LoadedVersion]:
    """OLD as committed at `revision` and NEW (the working files, or `new` when given).

    `relative` is the swagger or the package folder holding it, relative to `root` (the top of
    the git work tree) unless absolute; by default the repository's own
    apiDefinition.swagger.json. Both sides are named by their path from `root` with forward
    slashes, so the old side's label `REV:path` is what `git show` takes."""
    relative = relative or Path(DEFAULT_SWAGGER)
    working = relative if relative.is_absolute() else root / relative
    if working.is_dir():
        working = working / DEFAULT_SWAGGER
    try:
        shown = Path(os.path.relpath(working, root)).as_posix()
    except ValueError:  # another drive (Windows)
        shown = working.as_posix()
    if shown.startswith("../"):
        raise DiffInputError(f"{working} is outside the git repository {root}")
    old = load_version_from_git(revision, working, shown, with_properties=with_properties)
    if new is not None:
        return old, load_version(new, with_properties=with_properties)
    return old, load_version(working, shown, with_properties=with_properties)
