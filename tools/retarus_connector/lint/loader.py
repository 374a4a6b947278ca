"""Loading the files of a connector package for the linter: each file becomes a `Document`,
decoded and parsed as its kind requires by core's tolerant reader, which never raises.
Every trouble becomes a `LoadIssue` on the document, which the `files` rule family reports;
the rest of the package is linted all the same."""

from __future__ import annotations

from pathlib import Path

from retarus_connector.core.jsonfile import (
    LoadIssue,
    LoadIssueKind,
    decode_text,
    line_column_of_byte,
    parse_json,
)
from retarus_connector.lint.model import Document, FileKind

_JSON_KINDS = frozenset({FileKind.SWAGGER, FileKind.PROPERTIES, FileKind.SETTINGS})
_TEXT_KINDS = frozenset({FileKind.README, FileKind.SCRIPT})


def document_from_bytes(kind: FileKind, raw: bytes, path: Path, display_path: str) -> Document:
    """A package file from its bytes, decoded and parsed as its kind requires."""
    document = Document(kind, path, display_path, raw)
    if kind in _JSON_KINDS:
        parsed = parse_json(raw)
        document.text = parsed.text
        document.data = parsed.data
        document.has_bom = parsed.has_bom
        document.issues.extend(parsed.issues)
        document.duplicate_keys = parsed.duplicate_keys
    elif kind in _TEXT_KINDS:
        if not raw.strip():
            document.issues.append(LoadIssue(LoadIssueKind.EMPTY, "is empty", 1, 1))
        if b"\x00" in raw:
            line, column = line_column_of_byte(raw, raw.index(b"\x00"))
            document.issues.append(
                LoadIssue(LoadIssueKind.BINARY, "holds NUL bytes: not a text file", line, column)
            )
            return document
        document.text, document.has_bom, decode_issue = decode_text(raw)
        if decode_issue is not None:
            document.issues.append(decode_issue)
    elif not raw:
        document.issues.append(LoadIssue(LoadIssueKind.EMPTY, "is empty"))
    return document
