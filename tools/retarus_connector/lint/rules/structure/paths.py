"""Swagger 2.0 structure: paths, operations' responses, unique operationIds and declared path
parameters (OP-07, OP-09, PRM-03)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from retarus_connector.core.names import HTTP_METHODS
from retarus_connector.core.pointer import join
from retarus_connector.lint.model import Package, Problem, Severity, rule
from retarus_connector.lint.rules._walk import (
    kind_of,
)
from retarus_connector.lint.rules.structure._common import (
    RESPONSE_CODE,
    operations,
)


@rule("paths-shape", Severity.ERROR)
def paths_shape(package: Package) -> Iterator[Problem]:
    """Every path starts with "/" and holds only operations, `parameters` and extensions.

    What: a key of `paths` that does not start with "/"; a path item that is not an object; a key
    in a path item other than the methods get, put, post, delete, options, head, patch (lower
    case), `parameters`, `$ref` or an `x-` extension; an operation that is not an object.
    Why: Swagger 2.0 defines paths relative to basePath and starting with "/"; an unknown key
    such as "GET" or "summary" is silently ignored by readers, so the operation is lost.
    Fix: start the path with "/", write methods in lower case, move other keys into an operation.
    """
    paths = package.swagger.get("paths")
    if not isinstance(paths, dict):
        return
    allowed = frozenset((*HTTP_METHODS, "parameters", "$ref"))
    for path, item in paths.items():
        pointer = join("/paths", path)
        if not path.startswith("/") and not path.startswith("x-"):
            yield Problem(f"The path {path!r} must start with '/'.", pointer)
        if path.startswith("x-"):
            continue
        if not isinstance(item, dict):
            yield Problem(
                f"The path item {path!r} must be an object, not {kind_of(item)}.", pointer
            )
            continue
        for key, value in item.items():
            if key.startswith("x-"):
                continue
            if key not in allowed:
                yield Problem(
                    f"Unknown key {key!r} in path item {path!r}; operations are lower-case "
                    "methods (get, put, post, delete, options, head, patch).",
                    join(pointer, key),
                )
            elif key in HTTP_METHODS and not isinstance(value, dict):
                yield Problem(
                    f"The operation {key.upper()} {path} must be an object, not {kind_of(value)}.",
                    join(pointer, key),
                )


@rule("operation-responses", Severity.ERROR)
def operation_responses(package: Package) -> Iterator[Problem]:
    """Every operation has responses, keyed by 3-digit status codes or "default", each with a
    description.

    What: `responses` is missing, is not an object or declares no response; a response key is
    neither a status code from 100 to 599 nor "default"; a response has no `description`
    (references to `#/responses` are checked where they point).
    Why: Swagger 2.0 requires at least one response per operation with a description; Microsoft's
    validator rejects the operation otherwise (reference OP-09).
    Fix: declare the success response, e.g. `"200": {"description": "The message.", "schema":
    ...}`, and a `"default"` response without schema for errors.
    """
    for operation in operations(package):
        label = operation.route
        if "responses" not in operation.node:
            yield Problem(f"The operation {label} has no responses.", operation.pointer)
            continue
        declared = operation.node["responses"]
        if not isinstance(declared, dict):
            yield Problem(
                f"The responses of {label} must be an object.",
                join(operation.pointer, "responses"),
            )
            continue
        codes = [code for code in declared if not code.startswith("x-")]
        if not codes:
            yield Problem(
                f"The operation {label} declares no response.",
                join(operation.pointer, "responses"),
            )
        for code in codes:
            response = declared[code]
            if not RESPONSE_CODE.match(code):
                yield Problem(
                    f"The response key {code!r} of {label} is neither a status code nor 'default'.",
                    join(operation.pointer, "responses", code),
                )
            message = _response_problem(response, f"{code} of {label}")
            if message is not None:
                yield Problem(message, join(operation.pointer, "responses", code))
    responses = package.swagger.get("responses")
    if isinstance(responses, dict):
        for name, response in responses.items():
            message = _response_problem(response, f"#/responses/{name}")
            if message is not None and isinstance(response, dict):
                yield Problem(message, join("/responses", name))


def _response_problem(response: Any, label: str) -> str | None:
    if not isinstance(response, dict):
        return f"The response {label} must be an object, not {kind_of(response)}."
    if "$ref" not in response and not isinstance(response.get("description"), str):
        return f"The response {label} has no description."
    return None


@rule("operation-id-unique", Severity.ERROR)
def operation_id_unique(package: Package) -> Iterator[Problem]:
    """No two operations share an operationId.

    What: the same `operationId` on two operations; the later ones are reported (reference OP-07).
    Why: flows, dynamic values, policies and scriptOperations name operations by operationId;
    Swagger 2.0 requires them to be unique.
    Fix: give each operation its own operationId.
    """
    first_seen: dict[str, str] = {}
    for operation in operations(package):
        operation_id = operation.node.get("operationId")
        if not isinstance(operation_id, str):
            continue
        if operation_id in first_seen:
            yield Problem(
                f"The operationId {operation_id!r} is also used by {first_seen[operation_id]}.",
                join(operation.pointer, "operationId"),
            )
        else:
            first_seen[operation_id] = operation.route


# --------------------------------------------------------------------------- parameters
