"""Breaking-change comparison of two versions of a connector: `compare` yields the changes of
the whole connector (`connector`: where requests go, authentication), of the apiProperties.json
files and script.csx (`properties`), then those of each operation, which this module compares.

What counts as breaking follows the Power Platform change validator (`/ValidateChange`): a change
is breaking when a flow built against the old definition can fail or lose data with the new one.
Operations are matched by operationId first, then by method and path template (parameter names in
the template ignored), so that a renamed operationId or a moved path is reported as such and not
as a deletion plus an addition.

Decisions where the validator's behaviour is not documented:

* Deleting an operation is breaking even when the old operation was already deprecated:
  `deprecated` only hides an operation from the designer, existing flows still call it.
* A parameter or body field that becomes required, or is added as required, is not breaking when
  it has a `default`, which fills the value existing flows do not send.
* Removing an input field or an output field is breaking: the runtime rejects inputs the
  operation no longer defines, and flows that read the output get nothing.
* Any change of `type` or `format` is breaking, widening ones included (integer to number); a
  `type` declared on one side only is not compared.
* Removing one success response while another 2xx remains is not breaking (the remaining one
  provides the outputs, and its schema is compared with the removed one's); removing the last
  one is. Removing an error response is not breaking.
* Adding an `enum` to an input that had none is reported, but not as breaking: values outside
  the list were not accepted by the service either. Removing a value from an existing enum is.
* The other constraints of an input (`maxLength`/`minLength`, `maximum`/`minimum` and their
  `exclusive*` flags, `maxItems`/`minItems`, `uniqueItems`, `multipleOf`, `pattern`) follow
  the enum rule, one change per keyword: one introduced where there was none is reported as
  not breaking (the service did not accept such values either), one tightened (a lower
  maximum, a higher minimum, a flag made exclusive, a `multipleOf` the old one is not a
  multiple of) is breaking, one loosened or removed is not. A changed `pattern` counts as
  loosened only when the new one is proved to accept every value the old one did (patterns.py
  proves it for plain shapes: wider classes and counts, an added alternative or optional
  part, a dropped anchor); any other change counts as tightened, since whether one regular
  expression accepts everything another does cannot be decided in general. A tightened constraint is not breaking on an input that is internal
  (`x-ms-visibility: internal`) in both versions and has a `default` in the new one: users
  never fill it, and the connector sends its default (whether the default meets the
  constraint is the linter's concern). It applies to the internal node itself, not to the
  fields inside it.
* Enum changes of output fields are not reported, and neither are the other constraints of
  outputs (pattern, lengths, ranges): a narrowed output (a value removed, a pattern added)
  breaks no flow that reads it. A widened one (a value added) can surprise a flow that
  switches on the values, but the values are the service's to send, whatever the swagger
  lists, so it is not reported either.
* Response headers are outputs of the response that provides the outputs (the 2xx ones, or
  `default` when there is none), compared by the rules of output fields: one removed, or with
  another `type` or `format` (their items' included), is breaking; one added is not; changes
  of their `enum`, `pattern` and other constraints are not reported. Names compare without
  letter case, as HTTP header names do. Headers of error responses are not compared.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .connector import compare_connector
from .constraints import (
    Constraint,
    Verdict,
    constraint_changes,
    merge_constraints,
    read_constraints,
)
from .messages import capitalized, quote, render, text_changes
from .model import Change, ChangeKind, Severity, Side
from .properties import (
    compare_icons,
    compare_properties,
    compare_scripts,
    signs_in_with_oauth_settings,
)
from .swagger import TEXT_KEYS, Operation, Parameter, as_dict, as_text, child, operations, resolve

BREAKING = Severity.BREAKING
NON_BREAKING = Severity.NON_BREAKING

# Nested inline schemas deeper than this are not compared further; it keeps the recursion
# well inside Python's limit on any input.
_MAX_DEPTH = 64

_TEMPLATE_PARAMETER = re.compile(r"\{[^}]*\}")


def compare(
    old: Any,
    new: Any,
    *,
    properties: tuple[Any, Any] | None = None,
    scripts: tuple[bytes | None, bytes | None] | None = None,
    icons: tuple[bytes | None, bytes | None] | None = None,
) -> Iterator[Change]:
    """Every change from the swagger `old` to `new`, breaking and non-breaking: first those of
    the whole connector (where requests go, authentication, then, given the old and new
    apiProperties documents as `properties`, their connection settings, policies,
    capabilities, scriptOperations and presentation, then, given the bytes of each version's
    script.csx (None for none) as `scripts`, the custom code, and given those of each
    version's icon.png as `icons`, the icon), then the operations' in the old
    document's order, then the added operations in the new document's order."""
    # the platform signs in with apiProperties' oAuthSettings when both versions have them
    signed_in_by_properties = properties is not None and all(
        signs_in_with_oauth_settings(document) for document in properties
    )
    yield from compare_connector(old, new, signed_in_by_properties=signed_in_by_properties)
    if properties is not None:
        yield from compare_properties(*properties, old, new)
    if scripts is not None:
        yield from compare_scripts(*scripts)
    if icons is not None:
        yield from compare_icons(*icons)
    old_operations = list(operations(old))
    new_operations = list(operations(new))
    matches = _match_operations(old_operations, new_operations)
    matched_new: set[int] = set()
    for old_operation in old_operations:
        new_operation = matches.get(id(old_operation))
        if new_operation is None:
            yield _deleted(old_operation)
            continue
        matched_new.add(id(new_operation))
        yield from _OperationComparison(old, new, old_operation, new_operation).changes()
    for new_operation in new_operations:
        if id(new_operation) not in matched_new:
            yield Change(
                ChangeKind.OPERATION_ADDED,
                NON_BREAKING,
                new_operation.label,
                new_operation.pointer,
                f"The operation {new_operation.route} has been added.",
            )


def _match_operations(
    old_operations: list[Operation], new_operations: list[Operation]
) -> dict[int, Operation]:
    """old operation (by id()) -> the new operation it became."""
    old_ids = Counter(op.operation_id for op in old_operations if op.operation_id)
    new_ids = Counter(op.operation_id for op in new_operations if op.operation_id)
    new_by_id = {
        op.operation_id: op
        for op in new_operations
        if op.operation_id and new_ids[op.operation_id] == 1
    }
    matches: dict[int, Operation] = {}
    taken: set[int] = set()
    for op in old_operations:
        # a duplicated operationId identifies nothing; such operations match by route only
        if op.operation_id and old_ids[op.operation_id] == 1 and op.operation_id in new_by_id:
            target = new_by_id[op.operation_id]
            matches[id(op)] = target
            taken.add(id(target))
    by_route: dict[tuple[str, str], Operation] = {}
    for op in new_operations:
        if id(op) not in taken:
            by_route.setdefault(_route_key(op), op)
    for op in old_operations:
        if id(op) in matches:
            continue
        key = _route_key(op)
        if key in by_route:
            matches[id(op)] = by_route.pop(key)
    return matches


def _route_key(operation: Operation) -> tuple[str, str]:
    return operation.method, _TEMPLATE_PARAMETER.sub("{}", operation.path.rstrip("/"))


def _deleted(operation: Operation) -> Change:
    message = (
        f"The operation has been deleted ({operation.route}). This change breaks existing flows."
    )
    if operation.deprecated:
        message += (
            " It was already deprecated, but deprecated operations still run in existing flows:"
            " keep it in the definition."
        )
    else:
        message += " Mark it `deprecated: true` instead of deleting it."
    return Change(
        ChangeKind.OPERATION_DELETED,
        BREAKING,
        operation.label,
        operation.pointer,
        message,
        Side.OLD,
    )


class _Direction(Enum):
    INPUT = "input"
    OUTPUT = "output"


def _is_success(code: str) -> bool:
    return len(code) == 3 and code.startswith("2")


@dataclass
class _Shape:
    """A schema with its `allOf` members merged, so that two ways of writing the same structure
    compare equal."""

    node: dict[str, Any]
    pointer: str
    type: str | None = None
    format: str | None = None
    enum: list[Any] | None = None
    constraints: dict[str, Constraint] = field(default_factory=dict)
    properties: dict[str, tuple[Any, str]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    items: tuple[Any, str] | None = None
    additional: tuple[Any, str] | None = None


def _shape(document: Any, node: dict[str, Any], pointer: str) -> _Shape:
    shape = _Shape(node, pointer)
    _merge(document, shape, node, pointer, {pointer}, 0)
    if shape.type is None:
        if shape.properties:
            shape.type = "object"
        elif shape.items is not None:
            shape.type = "array"
    return shape


def _merge(
    document: Any, shape: _Shape, node: dict[str, Any], pointer: str, seen: set[str], depth: int
) -> None:
    shape.type = shape.type or as_text(node.get("type"))
    shape.format = shape.format or as_text(node.get("format"))
    if shape.enum is None and isinstance(node.get("enum"), list):
        shape.enum = node["enum"]
    merge_constraints(shape.constraints, read_constraints(node, pointer))
    for name, schema in as_dict(node.get("properties")).items():
        shape.properties.setdefault(name, (schema, child(pointer, "properties", name)))
    required = node.get("required")
    if isinstance(required, list):
        shape.required.update(name for name in required if isinstance(name, str))
    if shape.items is None and isinstance(node.get("items"), dict):
        shape.items = (node["items"], child(pointer, "items"))
    if shape.additional is None and isinstance(node.get("additionalProperties"), dict):
        shape.additional = (node["additionalProperties"], child(pointer, "additionalProperties"))
    members = node.get("allOf")
    if isinstance(members, list) and depth < _MAX_DEPTH:
        for index, member in enumerate(members):
            member_node, member_pointer = resolve(document, member, child(pointer, "allOf", index))
            if isinstance(member_node, dict) and member_pointer not in seen:
                seen.add(member_pointer)
                _merge(document, shape, member_node, member_pointer, seen, depth + 1)


class _OperationComparison:
    """The changes within one pair of matched operations, each naming the operation."""

    def __init__(self, old: Any, new: Any, old_op: Operation, new_op: Operation) -> None:
        self.old = old
        self.new = new
        self.old_op = old_op
        self.new_op = new_op
        self.old_responses = old_op.responses()
        self.new_responses = new_op.responses()

    def change(
        self,
        kind: ChangeKind,
        severity: Severity,
        pointer: str,
        message: str,
        side: Side = Side.NEW,
    ) -> Change:
        return Change(kind, severity, self.old_op.label, pointer, message, side)

    def documentation(
        self,
        old: dict[str, Any],
        old_pointer: str,
        new: dict[str, Any],
        new_pointer: str,
        what: str,
    ) -> Iterator[Change]:
        yield from text_changes(self.change, TEXT_KEYS, old, old_pointer, new, new_pointer, what)

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
                    + _default_note(added.has_default),
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
                f"The parameter {new.label} is now required" + _default_note(new.has_default),
            )
        yield from self.documentation(
            old.node, old.pointer, new.node, new.pointer, f"the parameter {new.label}"
        )
        walk = _SchemaWalk(self, _Direction.INPUT)
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
            yield from _SchemaWalk(self, _Direction.OUTPUT).compare(
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
        if not isinstance(old, dict) or not isinstance(new, dict) or depth > _MAX_DEPTH:
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


class _SchemaWalk:
    """Compares an old and a new schema of one operation, in one direction.

    Each pair of (resolved) schema locations is compared once per walk: that stops `$ref`
    cycles, and a definition used in many places of one operation is reported at the first.
    """

    def __init__(self, operation: _OperationComparison, direction: _Direction) -> None:
        self.operation = operation
        self.direction = direction
        self.visited: set[tuple[str, str]] = set()

    def compare(
        self, old: Any, old_pointer: str, new: Any, new_pointer: str, where: str
    ) -> Iterator[Change]:
        yield from self._compare(old, old_pointer, new, new_pointer, where, (), 0)

    def _describe(self, where: str, path: tuple[str, ...]) -> str:
        if not path:
            return where if self.direction is _Direction.INPUT else f"the body of {where}"
        if path == ("[]",):
            return f"the items of {self._describe(where, ())}"
        return f"the {self.direction.value} field '{'.'.join(path)}' of {where}"

    def _compare(
        self,
        old: Any,
        old_pointer: str,
        new: Any,
        new_pointer: str,
        where: str,
        path: tuple[str, ...],
        depth: int,
    ) -> Iterator[Change]:
        # `path` does not grow into items, so the depth is counted on its own
        if depth > _MAX_DEPTH:
            return
        old, old_pointer = resolve(self.operation.old, old, old_pointer)
        new, new_pointer = resolve(self.operation.new, new, new_pointer)
        if not isinstance(old, dict) or not isinstance(new, dict):
            return
        if (old_pointer, new_pointer) in self.visited:
            return
        self.visited.add((old_pointer, new_pointer))
        old_shape = _shape(self.operation.old, old, old_pointer)
        new_shape = _shape(self.operation.new, new, new_pointer)
        what = self._describe(where, path)
        change = self.operation.change
        if path:
            yield from self.operation.documentation(old, old_pointer, new, new_pointer, what)
        is_input = self.direction is _Direction.INPUT
        if old_shape.type and new_shape.type and old_shape.type != new_shape.type:
            yield change(
                ChangeKind.INPUT_TYPE_CHANGED if is_input else ChangeKind.OUTPUT_TYPE_CHANGED,
                BREAKING,
                child(new_pointer, "type"),
                f"The type has been changed for {what}: {old_shape.type} is now"
                f" {new_shape.type}." + _consequence(is_input),
            )
            return  # the parts of a value whose type changed do not compare meaningfully
        if old_shape.format != new_shape.format:
            # point at the format that is there: the new one, or the old one when it was dropped
            side, pointer = (
                (Side.NEW, child(new_pointer, "format"))
                if "format" in new
                else (Side.OLD, child(old_pointer, "format"))
            )
            yield change(
                ChangeKind.INPUT_FORMAT_CHANGED if is_input else ChangeKind.OUTPUT_FORMAT_CHANGED,
                BREAKING,
                pointer,
                f"The type format has been changed for {what}: {old_shape.format or 'none'} is"
                f" now {new_shape.format or 'none'}." + _consequence(is_input),
                side,
            )
        if is_input:
            yield from self._enum(old_shape, new_shape, what)
            yield from self._constraints(old_shape, new_shape, what, _is_internal(old, new))
        yield from self._properties(old_shape, new_shape, where, path, depth)
        if old_shape.items is not None and new_shape.items is not None:
            items_path = (*path[:-1], f"{_last(path)}[]")
            yield from self._compare(
                *old_shape.items, *new_shape.items, where, items_path, depth + 1
            )
        if old_shape.additional is not None and new_shape.additional is not None:
            yield from self._compare(
                *old_shape.additional, *new_shape.additional, where, (*path, "*"), depth + 1
            )

    def _enum(self, old: _Shape, new: _Shape, what: str) -> Iterator[Change]:
        if new.enum is None:
            return
        pointer = child(new.pointer, "enum")
        new_values = {render(value) for value in new.enum}
        if old.enum is None:
            yield self.operation.change(
                ChangeKind.ENUM_ADDED,
                NON_BREAKING,
                pointer,
                f"The values of {what} are now limited to {', '.join(sorted(new_values))}.",
            )
            return
        old_values = {render(value) for value in old.enum}
        if removed := sorted(old_values - new_values):
            yield self.operation.change(
                ChangeKind.ENUM_VALUE_REMOVED,
                BREAKING,
                pointer,
                f"Enum values have been removed from {what}: {', '.join(removed)}; existing flows"
                " that send them fail.",
            )
        if added := sorted(new_values - old_values):
            yield self.operation.change(
                ChangeKind.ENUM_VALUE_ADDED,
                NON_BREAKING,
                pointer,
                f"Enum values have been added to {what}: {', '.join(added)}.",
            )

    def _constraints(self, old: _Shape, new: _Shape, what: str, internal: bool) -> Iterator[Change]:
        make = self.operation.change
        for keyword, verdict, before, after in constraint_changes(old.constraints, new.constraints):
            if after is None:
                assert before is not None
                yield make(
                    ChangeKind.INPUT_CONSTRAINT_REMOVED,
                    NON_BREAKING,
                    before.pointer,
                    f"The constraint {keyword} {before.shown} has been removed from {what}.",
                    Side.OLD,
                )
            elif before is None:
                yield make(
                    ChangeKind.INPUT_CONSTRAINT_ADDED,
                    NON_BREAKING,
                    after.pointer,
                    f"{capitalized(what)} now has the constraint {keyword} {after.shown}.",
                )
            elif verdict is Verdict.LOOSENED:
                yield make(
                    ChangeKind.INPUT_CONSTRAINT_LOOSENED,
                    NON_BREAKING,
                    after.pointer,
                    f"The constraint {keyword} has been loosened for {what}: {before.shown} is"
                    f" now {after.shown}.",
                )
            else:
                message = (
                    f"The constraint {keyword} has been tightened for {what}: {before.shown} is"
                    f" now {after.shown}."
                )
                if keyword == "pattern":
                    message += " A pattern counts as tightened unless it is proved to accept"
                    message += " every value the old one accepted."
                if internal:
                    message += (
                        " Not breaking: the input is internal (x-ms-visibility) with a default,"
                        " so users never fill it and the connector sends the default."
                    )
                else:
                    message += _consequence(True)
                yield make(
                    ChangeKind.INPUT_CONSTRAINT_TIGHTENED,
                    NON_BREAKING if internal else BREAKING,
                    after.pointer,
                    message,
                )

    def _has_default(self, new_schema: Any) -> bool:
        return "default" in as_dict(resolve(self.operation.new, new_schema, "")[0])

    def _properties(
        self, old: _Shape, new: _Shape, where: str, path: tuple[str, ...], depth: int
    ) -> Iterator[Change]:
        is_input = self.direction is _Direction.INPUT
        change = self.operation.change
        for name, (old_schema, old_pointer) in old.properties.items():
            field_path = (*path, name)
            if name not in new.properties:
                yield change(
                    ChangeKind.INPUT_FIELD_REMOVED if is_input else ChangeKind.OUTPUT_FIELD_REMOVED,
                    BREAKING,
                    old_pointer,
                    f"{capitalized(self._describe(where, field_path))} has been removed."
                    + (
                        " Existing flows that set it fail."
                        if is_input
                        else " Existing flows that use it get nothing."
                    ),
                    Side.OLD,
                )
                continue
            new_schema, new_pointer = new.properties[name]
            if is_input and name in new.required and name not in old.required:
                has_default = self._has_default(new_schema)
                yield change(
                    ChangeKind.INPUT_FIELD_NEWLY_REQUIRED,
                    NON_BREAKING if has_default else BREAKING,
                    child(new.pointer, "required"),
                    f"{capitalized(self._describe(where, field_path))} is now required"
                    + _default_note(has_default),
                )
            yield from self._compare(
                old_schema, old_pointer, new_schema, new_pointer, where, field_path, depth + 1
            )
        for name, (new_schema, new_pointer) in new.properties.items():
            if name in old.properties:
                continue
            described = self._describe(where, (*path, name))
            if not is_input:
                yield change(
                    ChangeKind.OUTPUT_FIELD_ADDED,
                    NON_BREAKING,
                    new_pointer,
                    f"{capitalized(described)} has been added.",
                )
            elif name in new.required:
                has_default = self._has_default(new_schema)
                yield change(
                    ChangeKind.REQUIRED_INPUT_FIELD_ADDED,
                    NON_BREAKING if has_default else BREAKING,
                    new_pointer,
                    f"{capitalized(described)} has been added as required"
                    + _default_note(has_default),
                )
            else:
                yield change(
                    ChangeKind.OPTIONAL_INPUT_FIELD_ADDED,
                    NON_BREAKING,
                    new_pointer,
                    f"{capitalized(described)} has been added as optional.",
                )


def _is_internal(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Whether users never fill this input, in either version, and the new one fills it."""
    return (
        old.get("x-ms-visibility") == "internal"
        and new.get("x-ms-visibility") == "internal"
        and "default" in new
    )


def _last(path: tuple[str, ...]) -> str:
    return path[-1] if path else ""


def _consequence(is_input: bool) -> str:
    if is_input:
        return " Existing flows may send values the operation no longer accepts."
    return " Existing flows may break if they use this field."


def _response(code: str) -> str:
    return "the default response" if code == "default" else f"response {code}"


def _default_note(has_default: bool) -> str:
    if has_default:
        return "; its default fills the value for existing flows, which do not send it."
    return " without a default; existing flows do not send it."
