"""script.csx, the connector's custom code: its class, entry point and size (reference CSX-01;
that `scriptOperations` name existing operations is checked by reference-operation-id)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from retarus_connector.lint.model import FileKind, Package, Problem, Rule, Severity, rule
from retarus_connector.lint.rules._properties import api_properties

SCRIPT = FileKind.SCRIPT
_NEEDS = (FileKind.SCRIPT,)
MAX_SCRIPT_BYTES = 1024 * 1024

_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
_STRINGS = re.compile(r'@"(?:[^"]|"")*"|"(?:[^"\\\n]|\\.)*"')
_SCRIPT_CLASS = re.compile(r"\bclass\s+Script\s*:\s*ScriptBase\b")
_EXECUTE_ASYNC = re.compile(r"\boverride\b[^;{}()]*\bExecuteAsync\s*\(")


def _code(package: Package) -> str | None:
    """The script without comments and string literals, so that neither can fake a match."""
    document = package.document(SCRIPT)
    if document is None or document.text is None:
        return None
    return _COMMENTS.sub(" ", _STRINGS.sub('""', document.text))


@rule("script-class", Severity.WARNING, needs=_NEEDS)
def script_class(package: Package) -> Iterator[Problem]:
    """script.csx defines `class Script : ScriptBase`.

    What: the platform instantiates a class named `Script` deriving from `ScriptBase`
    (reference CSX-01).
    Why: without it the custom code is rejected when the connector is saved.
    Fix: declare `public class Script : ScriptBase { ... }`.
    """
    code = _code(package)
    if code is not None and not _SCRIPT_CLASS.search(code):
        yield Problem("script.csx must declare 'public class Script : ScriptBase'", "", SCRIPT)


@rule("script-execute-async", Severity.WARNING, needs=_NEEDS)
def script_execute_async(package: Package) -> Iterator[Problem]:
    """script.csx overrides `ExecuteAsync`.

    What: the entry point is `public override async Task<HttpResponseMessage> ExecuteAsync()`
    (reference CSX-01).
    Why: the platform calls that method for every operation routed through the script.
    Fix: implement the override; forward unhandled operations with
    `this.Context.SendAsync(this.Context.Request, this.CancellationToken)`.
    """
    code = _code(package)
    if code is not None and not _EXECUTE_ASYNC.search(code):
        yield Problem("script.csx must override 'ExecuteAsync'", "", SCRIPT)


@rule("script-size", Severity.WARNING, needs=_NEEDS)
def script_size(package: Package) -> Iterator[Problem]:
    """script.csx is smaller than 1 MB.

    What: custom code is limited to one file below 1 MB, and each call must finish within
    5 seconds (reference CSX-01).
    Why: larger scripts are refused on upload.
    Fix: move logic to the backend service, or trim the script.
    """
    document = package.document(SCRIPT)
    if document is not None and len(document.raw) >= MAX_SCRIPT_BYTES:
        yield Problem(
            f"script.csx has {len(document.raw)} bytes; custom code must stay below 1 MB",
            "",
            SCRIPT,
        )


@rule("script-missing", Severity.WARNING, needs=(FileKind.PROPERTIES,))
def script_missing(package: Package) -> Iterator[Problem]:
    """A package whose apiProperties.json lists `scriptOperations` has a script.csx.

    What: `scriptOperations` routes operations through custom code, which lives in script.csx
    next to apiProperties.json. Files linted on their own are not checked.
    Why: without the script, paconn uploads no code and the listed operations run without it.
    Fix: add script.csx, or remove `scriptOperations`.
    """
    if package.single_file or SCRIPT in package.documents:
        return
    if "scriptOperations" in api_properties(package).properties:
        yield Problem(
            "apiProperties.json lists 'scriptOperations' but the package has no script.csx",
            "/properties/scriptOperations",
            FileKind.PROPERTIES,
        )


RULES: tuple[Rule, ...] = (script_class, script_execute_async, script_size, script_missing)
