"""Swagger 2.0 structure: references and security definitions (SCH-04)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from retarus_connector.core.pointer import join, split, walk
from retarus_connector.core.refs import MAX_REF_HOPS, RefStatus, classify, ref_pointer, resolve
from retarus_connector.lint.model import FileKind, Package, Problem, Severity, rule
from retarus_connector.lint.rules._walk import (
    kind_of,
)
from retarus_connector.lint.rules.structure._common import (
    ESCAPED_REF_LETTER,
    REF_IN_TEXT,
    REF_SECTIONS,
    operations,
)


@rule("ref-target", Severity.ERROR)
def ref_target(package: Package) -> Iterator[Problem]:
    """Every `$ref` points into #/definitions, #/parameters or #/responses and resolves.

    What: a reference that is not a string, that points into another file or URL, into another
    part of the document, or to a name that is not defined; or a chain of references that loops
    back on itself without reaching a definition (reference SCH-04).
    Why: Power Platform resolves only local references into those three sections; an
    unresolved reference fails at import, a loop never ends.
    A reference is read the way the diff and `call` read it too: percent-decoded
    ("#/definitions/A%20B" names "A B"), with "~1" for "/" and "~0" for "~", and a chain of
    references is followed for at most 32 in a row.
    Fix: define the missing entry, or correct the reference to "#/definitions/Name" (or
    "#/parameters/Name", "#/responses/Name").
    """
    swagger = package.swagger
    document = package.document(FileKind.SWAGGER)
    text = document.text if document is not None else None
    if text is not None and ("\\u00" not in text or not re.search(ESCAPED_REF_LETTER, text)):
        # the common case: every reference in the text is fine, nothing to walk
        values = _ref_values(text)
        if all(
            value.startswith('"')
            and _ref_problem(swagger, json.loads(value) if "\\" in value else value[1:-1]) is None
            for value in values
        ):
            return
    for node, pointer in walk(swagger):
        if node.__class__ is dict and "$ref" in node:
            message = _ref_problem(swagger, node["$ref"])
            if message is not None:
                yield Problem(message, join(pointer, "$ref"))


def _ref_values(text: str) -> set[str]:
    """The text of every value written after a "$ref" key (the first character of it when it is
    not a string), as `REF_IN_TEXT.finditer` would find them; `str.find` jumps from one "$ref"
    to the next much faster than the expression searches for its start."""
    values: set[str] = set()
    find, match = text.find, REF_IN_TEXT.match
    position = find('"$ref"')
    while position != -1:
        found = match(text, position)
        if found is None:
            position = find('"$ref"', position + 1)
        else:
            values.add(found.group(1))
            position = find('"$ref"', found.end())
    return values


def _ref_problem(swagger: dict[str, Any], ref: Any) -> str | None:
    """What is wrong with one reference, as written where it is; a later reference of its
    chain that does not resolve is reported where that one is written."""
    status = classify(ref)
    if status is RefStatus.NOT_TEXT:
        return f"'$ref' must be a string, not {kind_of(ref)}."
    if status is RefStatus.EXTERNAL:
        return f"The reference {ref!r} points outside this document; use local references."
    tokens = split(ref_pointer(ref) or "") if status is None else None
    if not tokens or len(tokens) < 2 or tokens[0] not in REF_SECTIONS:
        return f"The reference {ref!r} must point into #/definitions, #/parameters or #/responses."
    found = resolve(swagger, ref)
    if found.status is RefStatus.MISSING and len(found.refs) == 1:
        return f"The reference {ref!r} does not resolve: no such entry."
    if found.status is RefStatus.CYCLE:
        return f"The reference {ref!r} loops: {' -> '.join(found.refs)}."
    if found.status is RefStatus.TOO_LONG:
        return (
            f"The reference {ref!r} starts a chain of more than {MAX_REF_HOPS} references; "
            "point at the definition itself."
        )
    return None


# --------------------------------------------------------------------------- security


@rule("security-definitions", Severity.ERROR)
def security_definitions(package: Package) -> Iterator[Problem]:
    """Security schemes are complete, and security requirements name defined schemes.

    What: a `securityDefinitions` entry whose `type` is not basic, apiKey or oauth2; an apiKey
    scheme without `name` or with `in` other than header or query; an oauth2 scheme without a
    valid `flow`, without the `authorizationUrl` or `tokenUrl` its flow needs, or without
    `scopes`; a `security` requirement (root or operation) naming an undefined scheme.
    Why: the portal derives the connection's sign-in from these schemes.
    Fix: complete the scheme as the message says, or correct the name in `security`.
    """
    swagger = package.swagger
    schemes = swagger.get("securityDefinitions")
    schemes = schemes if isinstance(schemes, dict) else {}
    for name, scheme in schemes.items():
        if not isinstance(scheme, dict):
            continue  # swagger-types reports it
        pointer = join("/securityDefinitions", name)
        kind = scheme.get("type")
        if kind not in ("basic", "apiKey", "oauth2"):
            yield Problem(
                f"The security scheme {name!r} has type {json.dumps(kind)}; use basic, apiKey or "
                "oauth2.",
                pointer,
            )
        elif kind == "apiKey":
            if not isinstance(scheme.get("name"), str):
                yield Problem(f"The apiKey scheme {name!r} needs a 'name'.", pointer)
            if scheme.get("in") not in ("header", "query"):
                yield Problem(f"The apiKey scheme {name!r} needs 'in': header or query.", pointer)
        elif kind == "oauth2":
            flow = scheme.get("flow")
            needs = {
                "implicit": ("authorizationUrl",),
                "password": ("tokenUrl",),
                "application": ("tokenUrl",),
                "accessCode": ("authorizationUrl", "tokenUrl"),
            }
            if not isinstance(flow, str) or flow not in needs:
                yield Problem(
                    f"The oauth2 scheme {name!r} needs 'flow': implicit, password, application "
                    "or accessCode.",
                    pointer,
                )
            else:
                for key in needs[flow]:
                    if not isinstance(scheme.get(key), str):
                        yield Problem(f"The oauth2 scheme {name!r} needs {key!r}.", pointer)
            if not isinstance(scheme.get("scopes"), dict):
                yield Problem(f"The oauth2 scheme {name!r} needs a 'scopes' object.", pointer)
    requirements: list[tuple[Any, str]] = [(swagger.get("security"), "")]
    requirements.extend(
        (operation.node.get("security"), operation.pointer)
        for operation in operations(package)
        if "security" in operation.node
    )
    for security, owner_at in requirements:
        if not isinstance(security, list):
            continue
        for index, requirement in enumerate(security):
            if not isinstance(requirement, dict):
                continue
            for name in requirement:
                if name not in schemes:
                    yield Problem(
                        f"The security requirement names {name!r}, which securityDefinitions "
                        "does not define.",
                        join(owner_at, "security", index, name),
                    )


# --------------------------------------------------------------------------- schemas
