"""Comparing one pair of matched operations: its route, parameters, responses, headers and
documentation; the schemas of its inputs and outputs go through schemas.py. The decisions it
applies are listed in compare.py."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from .messages import capitalized, change_maker, quote, text_changes
from .model import Change, ChangeKind, Severity, Side
from .schemas import MAX_DEPTH, Direction, SchemaWalk, default_note
from .swagger import TEXT_KEYS, Operation, Parameter, as_dict, as_text, child, resolve

BREAKING = Severity.BREAKING
NON_BREAKING = Severity.NON_BREAKING


def _is_success(code: str) -> bool:
    return len(code) == 3 and code.startswith("2")


class OperationComparison:
    """The changes within one pair of matched operations, each naming the operation."""

    def __init__(self, old: Any, new: Any, old_op: Operation, new_op: Operation) -> None:
        self.old = old
        self.new = new
        self.old_op = old_op
        self.new_op = new_op
        self.old_responses = old_op.responses()
        self.new_responses = new_op.responses()
        self.change = change_maker(old_op.label)
        # DescriptionChanged for the texts of any part of the operation, named by `what`:
        # documentation(old, old_pointer, new, new_pointer, what); the schema walk uses it too
        self.documentation = partial(text_changes, self.change, TEXT_KEYS)

    def changes(self) -> Iterator[Change]:
        yield from self._identity()
        yield from self.documentation(
            self.old_op.node,
            self.old_op.pointer,
            self.new_op.node,
            self.new_op.pointer,
            "the operation",
        )
        yield from self._parameters()
        yield from self._responses()

    # operation identity -------------------------------------------------------------------

    def _identity(self) -> Iterator[Change]:
        old_op, new_op = self.old_op, self.new_op
        if old_op.operation_id != new_op.operation_id:
            if old_op.operation_id is None:
                yield self.change(
                    ChangeKind.OPERATION_ID_CHANGED,
                    NON_BREAKING,
                    child(new_op.pointer, "operationId"),
                    f"The operation {old_op.route} now has the operationId"
                    f" '{new_op.operation_id}'.",
                )
            else:
                side, op = (
                    (Side.NEW, new_op) if "operationId" in new_op.node else (Side.OLD, old_op)
                )
                yield self.change(
                    ChangeKind.OPERATION_ID_CHANGED,
                    BREAKING,
                    child(op.pointer, "operationId"),
                    f"The operation has been updated: its operationId '{old_op.operation_id}'"
                    f" is now {quote(new_op.operation_id)}; flows refer to operations by"
                    " operationId.",
                    side,
                )
        if old_op.path != new_op.path:
            yield self.change(
                ChangeKind.PATH_TEMPLATE_CHANGED,
                BREAKING,
                new_op.pointer,
                f"The path template has been changed for the operation: '{old_op.path}' is now"
                f" '{new_op.path}'.",
            )
        if old_op.method != new_op.method:
            yield self.change(
                ChangeKind.METHOD_CHANGED,
                BREAKING,
                new_op.pointer,
                f"The HTTP method has been changed for the operation: {old_op.method.upper()}"
                f" is now {new_op.method.upper()}.",
            )
        if new_op.deprecated and not old_op.deprecated:
            yield self.change(
                ChangeKind.OPERATION_DEPRECATED,
                NON_BREAKING,
                child(new_op.pointer, "deprecated"),
                "The operation has been deprecated.",
            )

    # parameters ---------------------------------------------------------------------------

    def _parameters(self) -> Iterator[Change]:
        old_parameters = self.old_op.parameters(self.old)
        remaining = self.new_op.parameters(self.new)
        pairs: list[tuple[Parameter, Parameter | None]] = []
        for old_parameter in old_parameters:
            match = _find_parameter(old_parameter, remaining)
            if match is not None:
                remaining.remove(match)
            pairs.append((old_parameter, match))
        for old_parameter, new_parameter in pairs:
            if new_parameter is None:
                yield self.change(
                    ChangeKind.PARAMETER_REMOVED,
                    BREAKING,
                    old_parameter.pointer,
                    f"The parameter {old_parameter.label} has been removed; existing flows that"
                    " set it fail.",
                    Side.OLD,
                )
            else:
                yield from self._parameter(old_parameter, new_parameter)
        for added in remaining:
            if added.required:
                severity = NON_BREAKING if added.has_default else BREAKING
                yield self.change(
                    ChangeKind.REQUIRED_PARAMETER_ADDED,
                    severity,
                    added.pointer,
                    f"The required parameter {added.label} has been added"
                    + default_note(added.has_default),
                )
            else:
                yield self.change(
                    ChangeKind.OPTIONAL_PARAMETER_ADDED,
                    NON_BREAKING,
                    added.pointer,
                    f"The optional parameter {added.label} has been added.",
                )

    def _parameter(self, old: Parameter, new: Parameter) -> Iterator[Change]:
        if old.location != new.location:
            yield self.change(
                ChangeKind.PARAMETER_LOCATION_CHANGED,
                BREAKING,
                child(new.pointer, "in"),
                f"The location has been changed for the parameter '{old.name}': {old.location}"
                f" is now {new.location}.",
            )
        if new.required and not old.required:
            severity = NON_BREAKING if new.has_default else BREAKING
            yield self.change(
                ChangeKind.PARAMETER_NEWLY_REQUIRED,
                severity,
                child(new.pointer, "required"),
                f"The parameter {new.label} is now required" + default_note(new.has_default),
            )
        yield from self.documentation(
            old.node, old.pointer, new.node, new.pointer, f"the parameter {new.label}"
        )
        walk = SchemaWalk(self, Direction.INPUT)
        if old.location == "body" and new.location == "body":
            old_schema, new_schema = old.node.get("schema"), new.node.get("schema")
            if isinstance(old_schema, dict) and isinstance(new_schema, dict):
                yield from walk.compare(
                    old_schema,
                    child(old.pointer, "schema"),
                    new_schema,
                    child(new.pointer, "schema"),
                    f"the body parameter '{new.name}'",
                )
        else:
            # a non-body parameter carries its type, format, items and enum like a schema
            yield from walk.compare(
                old.node, old.pointer, new.node, new.pointer, f"the parameter {new.label}"
            )

    # responses ----------------------------------------------------------------------------

    def _responses(self) -> Iterator[Change]:
        old_responses, new_responses = self.old_responses, self.new_responses
        old_base = child(self.old_op.pointer, "responses")
        new_base = child(self.new_op.pointer, "responses")
        new_success = sorted(code for code in new_responses if _is_success(code))
        old_success = [code for code in old_responses if _is_success(code)]
        old_success_with_schema = [
            code
            for code in old_responses
            if code in old_success and "schema" in as_dict(self._old_response(code)[0])
        ]
        substituted: set[str] = set()
        for code in old_responses:
            old_response, old_pointer = self._old_response(code)
            if code not in new_responses:
                if _is_success(code) and new_success:
                    substitute = new_success[0]
                    yield self.change(
                        ChangeKind.SUCCESS_STATUS_CHANGED,
                        NON_BREAKING,
                        child(new_base, substitute),
                        f"The success response {code} has been removed; {substitute} remains"
                        " and provides the outputs.",
                    )
                    if substitute not in old_responses:
                        substituted.add(substitute)
                        yield from self._response(
                            code, old_response, old_pointer, substitute, True, True
                        )
                elif _is_success(code):
                    yield self.change(
                        ChangeKind.SUCCESS_RESPONSE_REMOVED,
                        BREAKING,
                        child(old_base, code),
                        f"The success response {code} has been removed and no other 2xx"
                        " response remains; existing flows lose the operation's outputs.",
                        Side.OLD,
                    )
                else:
                    yield self.change(
                        ChangeKind.RESPONSE_REMOVED,
                        NON_BREAKING,
                        child(old_base, code),
                        f"{capitalized(_response(code))} has been removed.",
                        Side.OLD,
                    )
                continue
            schema_is_output = code != "default" or not old_success_with_schema
            # headers are outputs of the response that provides the outputs
            headers_are_output = _is_success(code) or (code == "default" and not old_success)
            yield from self._response(
                code, old_response, old_pointer, code, schema_is_output, headers_are_output
            )
        for code in new_responses:
            if code not in old_responses and code not in substituted:
                yield self.change(
                    ChangeKind.RESPONSE_ADDED,
                    NON_BREAKING,
                    child(new_base, code),
                    f"{capitalized(_response(code))} has been added.",
                )

    def _old_response(self, code: str) -> tuple[Any, str]:
        return resolve(
            self.old, self.old_responses[code], child(self.old_op.pointer, "responses", code)
        )

    def _response(
        self,
        old_code: str,
        old_response: Any,
        old_pointer: str,
        new_code: str,
        schema_is_output: bool,
        headers_are_output: bool,
    ) -> Iterator[Change]:
        new_response, new_pointer = resolve(
            self.new,
            self.new_responses[new_code],
            child(self.new_op.pointer, "responses", new_code),
        )
        yield from self.documentation(
            as_dict(old_response),
            old_pointer,
            as_dict(new_response),
            new_pointer,
            _response(new_code),
        )
        old_schema = as_dict(old_response).get("schema")
        new_schema = as_dict(new_response).get("schema")
        if old_schema is not None and new_schema is None:
            if schema_is_output:
                yield self.change(
                    ChangeKind.RESPONSE_SCHEMA_REMOVED,
                    BREAKING,
                    child(old_pointer, "schema"),
                    f"The schema of {_response(old_code)} has been removed; flows that use its"
                    " fields break.",
                    Side.OLD,
                )
            else:
                yield self.change(
                    ChangeKind.RESPONSE_SCHEMA_REMOVED,
                    NON_BREAKING,
                    child(old_pointer, "schema"),
                    f"The schema of {_response(old_code)} has been removed; it did not provide"
                    " the outputs, a success response does.",
                    Side.OLD,
                )
        elif old_schema is None and new_schema is not None:
            yield self.change(
                ChangeKind.RESPONSE_SCHEMA_ADDED,
                NON_BREAKING,
                child(new_pointer, "schema"),
                f"{capitalized(_response(new_code))} now has a schema.",
            )
        elif isinstance(old_schema, dict) and isinstance(new_schema, dict):
            yield from SchemaWalk(self, Direction.OUTPUT).compare(
                old_schema,
                child(old_pointer, "schema"),
                new_schema,
                child(new_pointer, "schema"),
                _response(new_code),
            )
        if headers_are_output:
            yield from self._headers(
                old_code, old_response, old_pointer, new_code, new_response, new_pointer
            )

    def _headers(
        self,
        old_code: str,
        old_response: Any,
        old_pointer: str,
        new_code: str,
        new_response: Any,
        new_pointer: str,
    ) -> Iterator[Change]:
        old_headers, new_headers = _headers_by_name(old_response), _headers_by_name(new_response)
        for key, (name, node) in old_headers.items():
            pointer = child(old_pointer, "headers", name)
            if key not in new_headers:
                yield self.change(
                    ChangeKind.RESPONSE_HEADER_REMOVED,
                    BREAKING,
                    pointer,
                    f"The header '{name}' of {_response(old_code)} has been removed. Existing"
                    " flows that use it get nothing.",
                    Side.OLD,
                )
                continue
            new_name, new_node = new_headers[key]
            yield from self._header(
                node,
                pointer,
                new_node,
                child(new_pointer, "headers", new_name),
                f"the header '{new_name}' of {_response(new_code)}",
                0,
            )
        for key, (name, _node) in new_headers.items():
            if key not in old_headers:
                yield self.change(
                    ChangeKind.RESPONSE_HEADER_ADDED,
                    NON_BREAKING,
                    child(new_pointer, "headers", name),
                    f"The header '{name}' has been added to {_response(new_code)}.",
                )

    def _header(
        self, old: Any, old_pointer: str, new: Any, new_pointer: str, what: str, depth: int
    ) -> Iterator[Change]:
        """A header read as an output: its type and format, and those of its items."""
        old, old_pointer = resolve(self.old, old, old_pointer)
        new, new_pointer = resolve(self.new, new, new_pointer)
        if not isinstance(old, dict) or not isinstance(new, dict) or depth > MAX_DEPTH:
            return
        yield from self.documentation(old, old_pointer, new, new_pointer, what)
        old_type, new_type = as_text(old.get("type")), as_text(new.get("type"))
        if old_type and new_type and old_type != new_type:
            yield self.change(
                ChangeKind.RESPONSE_HEADER_TYPE_CHANGED,
                BREAKING,
                child(new_pointer, "type"),
                f"The type has been changed for {what}: {old_type} is now {new_type}."
                " Existing flows may break if they use this header.",
            )
            return
        old_format, new_format = as_text(old.get("format")), as_text(new.get("format"))
        if old_format != new_format:
            side, pointer = (
                (Side.NEW, child(new_pointer, "format"))
                if "format" in new
                else (Side.OLD, child(old_pointer, "format"))
            )
            yield self.change(
                ChangeKind.RESPONSE_HEADER_FORMAT_CHANGED,
                BREAKING,
                pointer,
                f"The type format has been changed for {what}: {old_format or 'none'} is now"
                f" {new_format or 'none'}. Existing flows may break if they use this header.",
                side,
            )
        if "items" in old and "items" in new:
            yield from self._header(
                old["items"],
                child(old_pointer, "items"),
                new["items"],
                child(new_pointer, "items"),
                f"the items of {what}",
                depth + 1,
            )


def _headers_by_name(response: Any) -> dict[str, tuple[str, Any]]:
    """A response's headers by lower-case name (HTTP header names are case-insensitive)."""
    headers = as_dict(as_dict(response).get("headers"))
    return {name.lower(): (name, node) for name, node in headers.items()}


def _find_parameter(old: Parameter, candidates: list[Parameter]) -> Parameter | None:
    """The new parameter `old` became: same name and location, else the body parameter (whose
    name flows do not see), else the same name in another location."""
    for candidate in candidates:
        if candidate.name == old.name and candidate.location == old.location:
            return candidate
    if old.location == "body":
        for candidate in candidates:
            if candidate.location == "body":
                return candidate
    for candidate in candidates:
        if candidate.name == old.name:
            return candidate
    return None


def _response(code: str) -> str:
    return "the default response" if code == "default" else f"response {code}"
