"""File hygiene: every file of the package can be read, decoded and parsed the way paconn and the
portal read it (reference sections 1a and 1b). These rules run even when a file failed to load;
the loader has recorded what went wrong and they report it with its line and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from retarus_connector.lint.model import (
    FileKind,
    LoadIssueKind,
    Package,
    Problem,
    Rule,
    Severity,
    rule,
)

# a character outside ASCII, found by the C regular expression engine (swaggers are large)
_NON_ASCII = r"[^\x00-\x7f]"

_JSON_KINDS = (FileKind.SWAGGER, FileKind.PROPERTIES, FileKind.SETTINGS)


def _issues(package: Package, *kinds: LoadIssueKind) -> Iterator[Problem]:
    for kind, document in package.documents.items():
        for issue in document.issues:
            if issue.kind in kinds:
                yield Problem(
                    f"The file {issue.message}.", "", kind, issue.line or 1, issue.column or 1
                )


@rule("json-syntax", Severity.ERROR, needs=())
def json_syntax(package: Package) -> Iterator[Problem]:
    """Each JSON file (swagger, apiProperties, settings) is valid JSON.

    What: the file is parsed as JSON; a syntax error is reported with its line and column, a file
    that stops in the middle of a value is called truncated, a file nested too deeply to parse is
    reported too, and so is a number of thousands of digits, which the parser will not convert,
    and NaN or Infinity, which Python's parser reads but JSON does not have.
    Why: paconn, the portal and Microsoft's validator reject the whole package when one file
    does not parse, and no other check can run on it.
    Fix: correct the JSON at the reported place (a missing comma or quote, a trailing comma, a
    comment, an unfinished file).
    """
    yield from _issues(
        package, LoadIssueKind.SYNTAX, LoadIssueKind.TOO_DEEP, LoadIssueKind.TOO_LONG
    )


@rule("file-empty", Severity.ERROR, needs=())
def file_empty(package: Package) -> Iterator[Problem]:
    """No file of the package is empty.

    What: a file that holds nothing (or only white space).
    Why: an empty swagger or apiProperties is not JSON; an empty readme, script or icon is a
    file that was meant to say something and does not.
    Fix: write the file's content, or delete the file when it is optional.
    """
    yield from _issues(package, LoadIssueKind.EMPTY)


@rule("file-unreadable", Severity.ERROR, needs=())
def file_unreadable(package: Package) -> Iterator[Problem]:
    """Every file of the package can be read.

    What: the operating system refused to read the file (permissions, a folder where a file
    belongs, a broken link).
    Why: what cannot be read cannot be packaged or checked.
    Fix: make the file readable, or replace the folder or link by the file itself.
    """
    yield from _issues(package, LoadIssueKind.UNREADABLE)


@rule("folder-unreadable", Severity.ERROR, needs=())
def folder_unreadable(package: Package) -> Iterator[Problem]:
    """Every folder of a linted tree can be listed.

    What: the operating system refused to list a folder while the linter looked for packages
    in a tree (permissions, a folder removed during the run). The finding names the folder.
    Why: a package in that folder, or below it, would otherwise go unchecked without a word,
    and a run that checked nothing would look like a clean one.
    Fix: make the folder readable and listable (`chmod u+rx`), or lint the packages you mean
    by naming their folders.
    """
    if package.unlisted is not None:
        yield Problem(
            f"The folder cannot be listed ({package.unlisted}); a package in it or below it is "
            "not checked.",
            "",
            FileKind.SWAGGER,
        )


@rule("file-too-large", Severity.ERROR, needs=())
def file_too_large(package: Package) -> Iterator[Problem]:
    """No file is larger than the linter reads (32 MiB).

    What: a file over the cap is not read at all, so nothing else is checked in it.
    Why: no real connector file comes close (the largest swaggers are a few hundred KiB); a file
    this large is a mistake, such as a data dump saved under a connector file's name.
    Fix: replace it by the real file.
    """
    yield from _issues(package, LoadIssueKind.TOO_LARGE)


@rule("file-binary", Severity.ERROR, needs=())
def file_binary(package: Package) -> Iterator[Problem]:
    """JSON and text files are text, without NUL bytes.

    What: a swagger, apiProperties, settings, readme or script file that holds NUL bytes: a
    binary file under a text file's name, or text saved as UTF-16.
    Why: paconn and the portal read these files as UTF-8 text.
    Fix: save the file as UTF-8, or replace it by the right file.
    """
    yield from _issues(package, LoadIssueKind.BINARY)


@rule("file-encoding", Severity.ERROR, needs=())
def file_encoding(package: Package) -> Iterator[Problem]:
    """Text and JSON files are valid UTF-8.

    What: a byte sequence that is not UTF-8, with its line and column (the linter goes on with
    the undecodable bytes replaced, so other findings in the file still show).
    Why: paconn and the portal read connector files as UTF-8; other bytes are rejected or come
    out garbled in the connector's texts.
    Fix: save the file as UTF-8 (in JSON, write non-ASCII characters as \\uXXXX escapes).
    """
    yield from _issues(package, LoadIssueKind.INVALID_UTF8)


@rule("file-bom", Severity.WARNING, needs=())
def file_bom(package: Package) -> Iterator[Problem]:
    """Files start without a UTF-8 byte order mark.

    What: the file begins with the bytes EF BB BF.
    Why: `paconn validate` tolerates a BOM but `paconn create` and `update` read the files with
    plain `open()`, where Python's JSON parser refuses it ("Unexpected UTF-8 BOM").
    Fix: save the file as UTF-8 without BOM.
    """
    for kind, document in package.documents.items():
        if document.has_bom:
            yield Problem("The file starts with a UTF-8 byte order mark.", "", kind, 1, 1)


@rule("json-duplicate-key", Severity.WARNING, needs=())
def json_duplicate_key(package: Package) -> Iterator[Problem]:
    """No JSON object has the same key twice.

    What: a key written twice in one object; the finding points at the later one.
    Why: JSON parsers disagree on duplicates: Python and most others keep the last value
    silently, so the earlier one, which may be the one the author meant, is lost without a word.
    Fix: merge the two entries into one.
    """
    for kind, document in package.documents.items():
        for pointer, key in document.duplicate_keys:
            yield Problem(
                f"The key {key!r} appears more than once in this object; only the last one counts.",
                f"{pointer}/{_escape(key)}",
                kind,
            )


@rule("json-root-object", Severity.ERROR, needs=())
def json_root_object(package: Package) -> Iterator[Problem]:
    """The swagger, apiProperties and settings files each hold one JSON object.

    What: the file parses, but as an array, a string, a number or null.
    Why: each of these files is an object of named settings; nothing else can be read from it.
    Fix: put the content inside `{ ... }` with the keys the file type expects.
    """
    for kind in _JSON_KINDS:
        document = package.documents.get(kind)
        if document is None or (document.issues and document.data is None):
            continue
        if document.text is not None and not isinstance(document.data, dict):
            found = type(document.data).__name__
            names = {"list": "an array", "str": "a string", "NoneType": "null", "bool": "a boolean"}
            yield Problem(
                f"The file must hold a JSON object, not {names.get(found, 'a number')}.", "", kind
            )


@rule("properties-non-ascii", Severity.WARNING, needs=(FileKind.PROPERTIES,))
def properties_non_ascii(package: Package) -> Iterator[Problem]:
    """apiProperties.json holds only ASCII text.

    What: a key or string value in apiProperties.json with a character outside ASCII, whether
    written directly or as a \\u escape.
    Why: certification reviewers reject non-ASCII characters in apiProperties (a publisher name
    with "ø" was sent back), and tools that read the file in the system's encoding garble them.
    Fix: spell the text in ASCII, e.g. "o" or "oe" for "ø".
    """
    document = package.document(FileKind.PROPERTIES)
    if document is not None and document.raw.isascii() and b"\\u" not in document.raw:
        return  # neither written nor escaped: nothing to walk
    stack: list[tuple[object, str]] = [(package.properties, "")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, dict):
            for key, child in reversed(node.items()):
                child_pointer = f"{pointer}/{_escape(key)}"
                if not key.isascii():
                    yield _non_ascii(key, "key", child_pointer)
                stack.append((child, child_pointer))
        elif isinstance(node, list):
            stack.extend(
                (child, f"{pointer}/{index}") for index, child in reversed(list(enumerate(node)))
            )
        elif isinstance(node, str) and not node.isascii():
            yield _non_ascii(node, "value", pointer)


def _non_ascii(text: str, what: str, pointer: str) -> Problem:
    character = next(char for char in text if not char.isascii())
    return Problem(
        f"Non-ASCII character {character!r} (U+{ord(character):04X}) in the {what} {text!r}.",
        pointer,
        FileKind.PROPERTIES,
    )


@rule("swagger-non-ascii", Severity.WARNING, needs=(FileKind.SWAGGER,))
def swagger_non_ascii(package: Package) -> Iterator[Problem]:
    """The swagger writes characters outside ASCII as `\\uXXXX` escapes.

    What: a character such as "é", a typographic apostrophe or "я" written directly in
    apiDefinition.swagger.json instead of as a JSON escape ("\\u00e9"); one finding per file,
    at the first such character, with the count (reference section 1b).
    Why: `paconn create` and `update` read the swagger with Python's plain `open()`, in the
    system's encoding: on Windows the UTF-8 bytes come out garbled in the connector ("Ã©" for
    "é"), and some (many Cyrillic and Japanese letters) stop the upload with a decoding
    error. Escaped, the same text reads the same everywhere.
    Fix: write the file with ASCII escapes, e.g. Python's `json.dump(data, f, indent=4)` (its
    default `ensure_ascii=True`), or replace typographic quotes and spaces by plain ones.
    """
    document = package.document(FileKind.SWAGGER)
    if document is None or document.text is None or document.raw.isascii():
        return
    if any(issue.kind is LoadIssueKind.INVALID_UTF8 for issue in document.issues):
        return  # file-encoding reports the file, and its fix covers this one
    text = document.text
    count = len(text) - len(text.encode("ascii", errors="ignore"))
    if not count:
        return  # only the byte order mark, which file-bom reports
    found = re.search(_NON_ASCII, text)
    position = found.start() if found else 0
    character = text[position]
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    plural = "s" if count > 1 else ""
    yield Problem(
        f"{count} non-ASCII character{plural} written without \\u escape, the first "
        f"{character!r} (U+{ord(character):04X}); paconn create and update misread them on "
        f"Windows.",
        "",
        FileKind.SWAGGER,
        line,
        column,
    )


@rule("file-line-endings", Severity.INFO, needs=())
def file_line_endings(package: Package) -> Iterator[Problem]:
    """A text or JSON file ends all its lines the same way.

    What: a swagger, apiProperties, settings, readme or script file in which some lines end
    with CRLF and others with LF; the finding points at the first line that ends differently
    from the first line. A file that uses CRLF throughout, or LF throughout, is fine: both
    are common in Microsoft's connector repository and neither is rejected.
    Why: a mix comes from editing on two systems or from pasting; every later diff of the file
    shows line endings as changes, and editors that normalise them rewrite the whole file.
    Fix: `retarus-connector lint --fix` gives the file LF line endings throughout; or let the
    editor save it with one kind.
    """
    for kind, document in package.documents.items():
        raw = document.raw
        # one byte is searched many times faster than two, and most files hold no CR at all
        if kind is FileKind.ICON or b"\r" not in raw:
            continue
        crlf = raw.count(b"\r\n")
        lines = raw.count(b"\n")
        if crlf in (0, lines):
            continue
        first = raw.index(b"\n")
        # the first line ending unlike the first one: an LF alone after a CRLF, or the reverse
        if first > 0 and raw[first - 1 : first] == b"\r":
            unlike = re.search(rb"(?<!\r)\n", raw)
            end = unlike.start() if unlike is not None else first
        else:
            end = raw.index(b"\r\n") + 1
        line = raw.count(b"\n", 0, end) + 1
        yield Problem(
            f"{crlf} of {lines} lines end with CRLF, the others with LF.", "", kind, line, 1
        )


@rule("package-missing-swagger", Severity.ERROR, needs=())
def package_missing_swagger(package: Package) -> Iterator[Problem]:
    """A connector folder holds an apiDefinition.swagger.json.

    What: a folder with connector files (apiProperties.json) but no swagger.
    Why: the swagger is the connector; paconn, pac and the certification pull request all
    require it.
    Fix: add the apiDefinition.swagger.json, or remove the leftover files.
    """
    if (
        not package.single_file
        and package.unlisted is None  # a folder that could not be listed has its own finding
        and FileKind.SWAGGER not in package.documents
    ):
        yield Problem("The package has no apiDefinition.swagger.json.", "", FileKind.SWAGGER)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


RULES: tuple[Rule, ...] = (
    json_syntax,
    file_empty,
    file_unreadable,
    folder_unreadable,
    file_too_large,
    file_binary,
    file_encoding,
    file_bom,
    json_duplicate_key,
    json_root_object,
    properties_non_ascii,
    swagger_non_ascii,
    file_line_endings,
    package_missing_swagger,
)
