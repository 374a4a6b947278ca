"""Tolerant reading of JSON files: never raises, records what went wrong instead.

A file is read once, as bytes, with a size cap. JSON is decoded as UTF-8 (a byte order mark is
noted and stripped, invalid bytes are replaced and noted) and parsed by the C parser of the
standard library; the only Python code that runs per JSON object is the hook that notices
duplicate keys. Every trouble becomes a `LoadIssue`: the linter reports them as findings, the
diff as warnings or errors.
"""

import enum
import json
import re
import stat
import sys
from pathlib import Path
from typing import Any, NamedTuple

from retarus_connector.core.pointer import escape


class LoadIssueKind(enum.StrEnum):
    """Why a file could not be read, or was read only in part."""

    UNREADABLE = "unreadable"  # the operating system refused (permissions, a folder, ...)
    TOO_LARGE = "too-large"  # over the size cap; not read at all
    BINARY = "binary"  # a text or JSON file holding NUL bytes
    INVALID_UTF8 = "invalid-utf8"  # decoded with replacement characters
    EMPTY = "empty"
    SYNTAX = "syntax"  # not valid JSON (truncated files land here)
    TOO_DEEP = "too-deep"  # nested deeper than the parser can follow
    TOO_LONG = "too-long"  # a number with more digits than the parser converts


class LoadIssue(NamedTuple):
    """One trouble met reading a file; `line` and `column` (1-based) where it is known."""

    kind: LoadIssueKind
    message: str
    line: int | None = None
    column: int | None = None


# Far above any real connector file (the largest swagger in the reference corpus is about
# half a megabyte); it only keeps a stray multi-gigabyte file from exhausting memory.
MAX_FILE_BYTES = 32 * 1024 * 1024

_BOM = b"\xef\xbb\xbf"


class JsonText(NamedTuple):
    """The outcome of decoding and parsing one JSON file's bytes: the decoded text (None when
    it could not be decoded), the parsed data (None when it could not be parsed), whether a
    byte order mark was stripped, what went wrong, and the (object pointer, key) of each key
    written twice in an object (the last one counts, as in the data)."""

    text: str | None
    data: Any
    has_bom: bool
    issues: list[LoadIssue]
    duplicate_keys: list[tuple[str, str]]

    @property
    def ok(self) -> bool:
        return self.data is not None and not any(
            issue.kind != LoadIssueKind.INVALID_UTF8 for issue in self.issues
        )


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> tuple[bytes, LoadIssue | None]:
    """A file's bytes, or the issue that kept it from being read (the bytes are then empty)."""
    try:
        status = path.stat()
        # opening a named pipe would wait for a writer forever, a device may never end
        if not stat.S_ISREG(status.st_mode):
            return b"", LoadIssue(LoadIssueKind.UNREADABLE, "cannot be read: not a regular file")
        with path.open("rb") as stream:
            # Asked for `limit + 1` bytes at once, Python sets aside that much memory (32 MiB)
            # for every file; the size the file has now, and one byte more to see whether it
            # grew since, costs only what is read. One that grew is read on, up to the limit.
            expected = min(status.st_size, limit) + 1
            raw = stream.read(expected)
            if len(raw) == expected:
                raw += stream.read(limit + 1 - len(raw))
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return b"", LoadIssue(LoadIssueKind.UNREADABLE, f"cannot be read: {reason}")
    if len(raw) > limit:
        return b"", LoadIssue(
            LoadIssueKind.TOO_LARGE,
            f"is larger than {limit // (1024 * 1024)} MiB, the most the linter reads",
        )
    return raw, None


def decode_text(raw: bytes) -> tuple[str, bool, LoadIssue | None]:
    """UTF-8 text (BOM stripped), whether there was a BOM, and an issue for invalid bytes,
    which are replaced so that the rest of the file can still be checked."""
    has_bom = raw.startswith(_BOM)
    body = raw[len(_BOM) :] if has_bom else raw
    try:
        return body.decode("utf-8"), has_bom, None
    except UnicodeDecodeError as error:
        line, column = line_column_of_byte(body, error.start)
        issue = LoadIssue(
            LoadIssueKind.INVALID_UTF8,
            f"is not valid UTF-8: byte 0x{body[error.start]:02x} at line {line}, column {column}",
            line,
            column,
        )
        return body.decode("utf-8", errors="replace"), has_bom, issue


def parse_json(raw: bytes) -> JsonText:
    """Decode and parse JSON bytes; problems are recorded, never raised."""
    issues: list[LoadIssue] = []
    if not raw.strip():
        issues.append(LoadIssue(LoadIssueKind.EMPTY, "is empty", 1, 1))
        return JsonText(None, None, False, issues, [])
    if b"\x00" in raw:
        # UTF-16 files and binary files both land here; neither is a JSON file paconn reads
        line, column = line_column_of_byte(raw, raw.index(b"\x00"))
        issues.append(
            LoadIssue(
                LoadIssueKind.BINARY,
                "holds NUL bytes: a binary file or not UTF-8 (UTF-16?), not JSON",
                line,
                column,
            )
        )
        return JsonText(None, None, False, issues, [])
    text, has_bom, issue = decode_text(raw)
    if issue is not None:
        issues.append(issue)
    data, duplicate_keys = _parse(text, issues)
    return JsonText(text, data, has_bom, issues, duplicate_keys)


def _parse(text: str, issues: list[LoadIssue]) -> tuple[Any, list[tuple[str, str]]]:
    """The parsed value of `text` (None when it is no JSON, with the reason added to
    `issues`) and the duplicate keys found on the way."""
    duplicates: list[tuple[dict[str, Any], str]] = []

    def keep_last_noting_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    duplicates.append((obj, key))
                seen.add(key)
        return obj

    constants: list[str] = []

    def note_constant(name: str) -> float:
        constants.append(name)
        return float(name)

    try:
        data = json.loads(
            text, object_pairs_hook=keep_last_noting_duplicates, parse_constant=note_constant
        )
    except json.JSONDecodeError as error:
        issues.append(_syntax_issue(text, error))
        return None, []
    except RecursionError:
        issues.append(LoadIssue(LoadIssueKind.TOO_DEEP, "is nested too deeply to be parsed", 1, 1))
        return None, []
    except ValueError:  # an integer longer than Python converts (sys.get_int_max_str_digits)
        issues.append(_long_number_issue(text))
        return None, []
    if constants:
        # Python reads NaN and Infinity, but they are no JSON (RFC 8259), and a value that
        # is not equal to itself would make any comparison of two versions report a change
        issues.append(_constant_issue(text))
        return None, []
    return data, _pointers_of(data, duplicates) if duplicates else []


# Only a file that fails to parse needs these, so they stay text for `re` to compile then.
_STRING_OR_CONSTANT = r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)'
# an integer: not part of a fraction or an exponent, which make the number a float
_STRING_OR_NUMBER = r'"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])(-?\d+)(?![\d.eE])'


def _first_outside_strings(text: str, pattern: str, wanted: int = 1) -> re.Match[str] | None:
    """The first match of `pattern`'s group 1 (outside a string) at least `wanted` long."""
    return next(
        (match for match in re.finditer(pattern, text) if len(match.group(1) or "") >= wanted),
        None,
    )


def _line_column(text: str, match: re.Match[str] | None) -> tuple[int, int]:
    offset = match.start() if match else 0
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _long_number_issue(text: str) -> LoadIssue:
    limit = sys.get_int_max_str_digits()
    found = _first_outside_strings(text, _STRING_OR_NUMBER, limit + 1)
    line, column = _line_column(text, found)
    digits = len(found.group(1).lstrip("-")) if found else limit + 1
    return LoadIssue(
        LoadIssueKind.TOO_LONG,
        f"holds a number of {digits} digits, more than the {limit} the parser converts"
        f" (line {line}, column {column})",
        line,
        column,
    )


def _constant_issue(text: str) -> LoadIssue:
    """The syntax issue of the first NaN or Infinity outside a string."""
    found = _first_outside_strings(text, _STRING_OR_CONSTANT)
    line, column = _line_column(text, found)
    name = found.group(1) if found else "NaN"
    return LoadIssue(
        LoadIssueKind.SYNTAX,
        f"is not valid JSON: {name} is not a JSON value (line {line}, column {column})",
        line,
        column,
    )


def _syntax_issue(text: str, error: json.JSONDecodeError) -> LoadIssue:
    # a string left open runs to the end of the file, so it means truncation as much as an
    # error at the very end does
    if error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string"):
        message = f"is not valid JSON: the text ends before the JSON value does ({error.msg})"
    else:
        message = f"is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
    return LoadIssue(LoadIssueKind.SYNTAX, message, error.lineno, error.colno)


def line_column_of_byte(raw: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line and column (in characters) of a byte offset in UTF-8 bytes."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


def _pointers_of(data: Any, duplicates: list[tuple[dict[str, Any], str]]) -> list[tuple[str, str]]:
    """The pointers of the objects that held duplicate keys; runs only when there are some."""
    wanted = {id(obj) for obj, _ in duplicates}
    where: dict[int, str] = {}
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack and len(where) < len(wanted):
        node, pointer = stack.pop()
        if isinstance(node, dict):
            if id(node) in wanted:
                where[id(node)] = pointer
            stack.extend((child, f"{pointer}/{escape(key)}") for key, child in node.items())
        elif isinstance(node, list):
            stack.extend((child, f"{pointer}/{index}") for index, child in enumerate(node))
    return [(where.get(id(obj), ""), key) for obj, key in duplicates]
