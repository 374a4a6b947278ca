"""A cache of findings per package, keyed by everything the findings depend on.

The key is a hash of the package's files (names and bytes), the profile, the enabled rules and
the linter itself (the source of every module of `retarus_connector.lint` and the Python
version), so an entry can only be reused for the same input checked by the same code. A package
whose key is known is not parsed or checked again: its findings come back from one small JSON
file. Entries are written atomically; an unreadable or damaged entry is a miss, a write that
fails is skipped, so the cache can never change what the linter reports.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from retarus_connector import __version__
from retarus_connector.lint.engine import join_display
from retarus_connector.lint.model import SEVERITIES, Finding

try:
    # the BLAKE2 module itself: `hashlib` would first load OpenSSL's hashes, which costs a
    # warm run more time than reading its cache entries
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - Python built without it
    from hashlib import blake2b

# bumped when the entry format changes
_FORMAT = "1"


def default_directory() -> Path:
    """$XDG_CACHE_HOME/retarus-connector/lint, or ~/.cache/retarus-connector/lint."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "retarus-connector" / "lint"


@functools.cache
def linter_fingerprint() -> str:
    """A hash of the linter's own code and of core's: any change to a rule makes every entry
    stale."""
    digest = blake2b(digest_size=20)
    digest.update(f"{_FORMAT}\0{__version__}\0{sys.version}\0".encode())
    lint = Path(__file__).resolve().parent
    # core reads the files and resolves the references the rules judge: its code counts too
    root = lint.parent
    for module in sorted([*lint.rglob("*.py"), *(root / "core").rglob("*.py")]):
        digest.update(module.relative_to(root).as_posix().encode() + b"\0")
        digest.update(module.read_bytes() + b"\0")
    return digest.hexdigest()


class FindingCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def key(self, parts: Iterable[bytes]) -> str:
        digest = blake2b(digest_size=20)
        digest.update(linter_fingerprint().encode())
        for part in parts:
            digest.update(len(part).to_bytes(8, "little"))
            digest.update(part)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str, display_root: str) -> list[Finding] | None:
        """The findings stored under `key`, their files placed under `display_root`."""
        try:
            entry: Any = json.loads(self._path(key).read_bytes())
            return [
                Finding(
                    rule,
                    SEVERITIES[severity],
                    join_display(display_root, name),
                    pointer,
                    message,
                    line,
                    column,
                )
                for rule, severity, name, pointer, message, line, column in entry["findings"]
            ]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, display_root: str, findings: Sequence[Finding]) -> None:
        prefix = join_display(display_root, "")
        rows = []
        for finding in findings:
            if not finding.file.startswith(prefix):
                return  # a finding outside the package folder: not cached
            name = finding.file[len(prefix) :]
            rows.append(
                [
                    finding.rule,
                    finding.severity.value,
                    name,
                    finding.pointer,
                    finding.message,
                    finding.line,
                    finding.column,
                ]
            )
        import tempfile

        path = self._path(key)
        temporary: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                # ASCII with escapes: a lone surrogate (from a "\ud800" escape in the linted
                # JSON) has no UTF-8 bytes, but its escape reads back as the same text
                json.dump({"findings": rows}, stream)
            os.replace(temporary, path)
        except OSError:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
