"""`lint --fix`: rewrite what a rule reports when the rewrite cannot change what the file means.

Each fixer is tied to the rule whose findings it removes and runs only for files that rule
reported in the run (so --select, --ignore, profiles and configuration apply):

- `file-bom`: the UTF-8 byte order mark is dropped;
- `swagger-non-ascii`: characters outside ASCII in the swagger are written as `\\uXXXX`
  escapes (two escapes, a surrogate pair, above U+FFFF); in valid JSON such characters can only
  stand inside strings, where the escape means the same character;
- `file-line-endings`: a file that mixes CRLF and LF line endings gets LF throughout.

A file is rewritten only when it is valid UTF-8 and, for JSON files, parses both before and
after to the same value (the same duplicate keys included); otherwise it is skipped with the
reason. Text files (readme, script) must decode to the same text but for the fixed part. Files
are written whole or not at all.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from retarus_connector.core.jsonfile import parse_json, read_bytes
from retarus_connector.lint.engine import LintReport, PackageSource
from retarus_connector.lint.model import FileKind
from retarus_connector.lint.writing import write_atomically

_BOM = b"\xef\xbb\xbf"
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_JSON_KINDS = frozenset({FileKind.SWAGGER, FileKind.PROPERTIES, FileKind.SETTINGS})
_TEXT_KINDS = _JSON_KINDS | {FileKind.README, FileKind.SCRIPT}


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _drop_bom(raw: bytes) -> bytes:
    return raw[len(_BOM) :] if raw.startswith(_BOM) else raw


def _escape_non_ascii(raw: bytes) -> bytes:
    bom = _BOM if raw.startswith(_BOM) else b""
    text = raw[len(bom) :].decode("utf-8")
    return bom + _NON_ASCII.sub(_escape, text).encode("ascii")


def _line_feeds(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n")


# rule id -> (the file kinds it fixes, the rewrite); applied in this order
FIXERS: Mapping[str, tuple[frozenset[FileKind], Callable[[bytes], bytes]]] = MappingProxyType(
    {
        "file-bom": (_TEXT_KINDS, _drop_bom),
        "swagger-non-ascii": (frozenset({FileKind.SWAGGER}), _escape_non_ascii),
        "file-line-endings": (_TEXT_KINDS, _line_feeds),
    }
)


@dataclass(frozen=True, slots=True)
class FileFix:
    """One file's new bytes, and the rules whose findings they fix."""

    path: Path
    display: str
    rules: tuple[str, ...]
    before: bytes
    after: bytes

    def diff(self) -> str:
        """A unified diff of the change (lines shown with their line ending made visible when
        that is all that changed)."""
        old = self.before.decode("utf-8", "replace").splitlines(keepends=True)
        new = self.after.decode("utf-8", "replace").splitlines(keepends=True)
        lines = list(
            difflib.unified_diff(old, new, f"a/{self.display}", f"b/{self.display}", lineterm="")
        )
        shown = []
        for line in lines:
            text = line.rstrip("\n")
            if text.endswith("\r"):
                text = text[:-1] + "\\r"
            shown.append(text)
        return "\n".join(shown) + "\n" if shown else ""


@dataclass(slots=True)
class FixPlan:
    fixes: list[FileFix] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)

    def write(self) -> None:
        for fix in self.fixes:
            write_atomically(fix.path, fix.after)

    def diff(self) -> str:
        return "".join(fix.diff() for fix in self.fixes)


def plan(report: LintReport, sources: Sequence[PackageSource]) -> FixPlan:
    """The rewrites that remove the report's fixable findings, each checked to keep the file's
    meaning."""
    wanted: dict[str, set[str]] = {}
    for finding in report.findings:
        if finding.rule in FIXERS:
            wanted.setdefault(finding.file, set()).add(finding.rule)
    files = {
        display: (path, kind)
        for source in sources
        for kind, (path, display) in source.files.items()
    }
    result = FixPlan()
    for display in sorted(wanted):
        if display not in files:
            if "!/" in display:  # a file inside a solution or certification zip
                result.skipped.append(
                    (display, "is inside an archive; --fix rewrites plain files only")
                )
            continue
        path, kind = files[display]
        before, issue = read_bytes(path)
        if issue is not None:
            result.skipped.append((display, f"cannot be read ({issue.message})"))
            continue
        after = before
        applied: list[str] = []
        for rule_id, (kinds, rewrite) in FIXERS.items():
            if rule_id in wanted[display] and kind in kinds:
                try:
                    rewritten = rewrite(after)
                except UnicodeDecodeError:
                    continue
                if rewritten != after:
                    after = rewritten
                    applied.append(rule_id)
        if not applied:
            continue
        why = _changes_meaning(kind, before, after)
        if why is not None:
            result.skipped.append((display, why))
            continue
        result.fixes.append(FileFix(path, display, tuple(applied), before, after))
    return result


def _changes_meaning(kind: FileKind, before: bytes, after: bytes) -> str | None:
    """Why the rewrite is unsafe, or None when the file means the same after it."""
    try:
        old_text = before.decode("utf-8")
        new_text = after.decode("utf-8")
    except UnicodeDecodeError:
        return "is not valid UTF-8, so it is left as it is"
    if kind not in _JSON_KINDS:
        same = old_text.removeprefix("\ufeff").replace("\r\n", "\n") == new_text.removeprefix(
            "\ufeff"
        ).replace("\r\n", "\n")
        return None if same else "the fixed text would differ from the original"
    old, new = parse_json(before), parse_json(after)
    if old.issues or not old.ok:
        return "does not parse as JSON, so it is left as it is"
    if new.issues or not new.ok:
        return "would not parse after the fix, so it is left as it is"
    if old.data != new.data or old.duplicate_keys != new.duplicate_keys:
        return "would not parse to the same value after the fix, so it is left as it is"
    return None
