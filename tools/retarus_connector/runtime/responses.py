"""Checking a response against what the swagger promises for its status code.

The response object for the exact status is used, `default` otherwise; a status that neither
covers is itself a problem, since a flow has no way to read an undocumented response.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .package import ConnectorPackage, OperationSpec


@dataclass(frozen=True)
class ResponseProblem:
    """One way a response breaks the swagger. `pointer` is an RFC 6901 pointer into the body."""

    status: int
    pointer: str
    message: str

    def __str__(self) -> str:
        return f"response {self.status} at '{self.pointer}': {self.message}"


@dataclass(frozen=True)
class DecodedBody:
    value: Any
    is_json: bool
    empty: bool


def decode_body(content: bytes, content_type: str | None) -> DecodedBody:
    """The body as JSON where it is JSON, as text otherwise."""
    if not content.strip():
        return DecodedBody(None, is_json=False, empty=True)
    text = content.decode("utf-8", errors="replace")
    kind = (content_type or "").lower()
    looks_like_json = "json" in kind or not kind or text.lstrip()[:1] in {"{", "["}
    if looks_like_json:
        try:
            return DecodedBody(json.loads(text), is_json=True, empty=False)
        except json.JSONDecodeError:
            pass
    return DecodedBody(text, is_json=False, empty=False)


def documented_schema(
    package: ConnectorPackage, operation: OperationSpec, status: int
) -> tuple[str, Mapping[str, Any] | None, str] | None:
    """(the responses key that covers `status`, its schema or None, the schema's pointer);
    None if the status is undocumented."""
    responses = package.responses(operation)
    for key in (str(status), "default"):
        if key in responses:
            response, pointer = responses[key]
            found = response.get("schema")
            return key, found if isinstance(found, Mapping) else None, f"{pointer}/schema"
    return None


def response_problems(
    package: ConnectorPackage, operation: OperationSpec, status: int, body: DecodedBody
) -> Iterator[ResponseProblem]:
    documented = documented_schema(package, operation, status)
    if documented is None:
        listed = ", ".join(package.responses(operation)) or "none"
        yield ResponseProblem(
            status,
            "",
            f"status {status} is not documented for operation '{operation.operation_id}' "
            f"and there is no 'default' response (documented: {listed})",
        )
        return
    key, schema, where = documented
    if schema is None or schema.get("type") == "file":
        return
    if body.empty:
        yield ResponseProblem(
            status, "", f"the body is empty, but response '{key}' declares a schema"
        )
        return
    expects_text = schema.get("type") == "string"
    if not body.is_json and not expects_text:
        yield ResponseProblem(
            status, "", f"the body is not JSON, but response '{key}' declares a schema"
        )
        return
    for pointer, message in package.violations(schema, where, body.value):
        yield ResponseProblem(status, pointer, f"{message} (schema of response '{key}')")
