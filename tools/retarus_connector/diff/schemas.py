"""Comparing the schemas of one pair of matched operations: an input's or an output's old and
new schema, field by field, with their `allOf` members merged, `$ref`s followed and each
constraint judged (constraints.py). The decisions it applies are listed in compare.py."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

from .constraints import (
    Constraint,
    Verdict,
    constraint_changes,
    merge_constraints,
    read_constraints,
)
from .messages import capitalized, render
from .model import Change, ChangeKind, Severity, Side
from .swagger import as_dict, as_text, child, resolve

if TYPE_CHECKING:
    from .operations import OperationComparison

BREAKING = Severity.BREAKING
NON_BREAKING = Severity.NON_BREAKING
# nested inline schemas deeper than this are not compared further (and allOf members not
# merged): it keeps the recursion well inside Python's limit on any input
MAX_DEPTH = 64


_INTERNAL_NOTE = (
    " Not breaking: the input is internal (x-ms-visibility) with a default,"
    " so users never fill it and the connector sends the default."
)


class Direction(Enum):
    INPUT = "input"
    OUTPUT = "output"


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
    if isinstance(members, list) and depth < MAX_DEPTH:
        for index, member in enumerate(members):
            member_node, member_pointer = resolve(document, member, child(pointer, "allOf", index))
            if isinstance(member_node, dict) and member_pointer not in seen:
                seen.add(member_pointer)
                _merge(document, shape, member_node, member_pointer, seen, depth + 1)


class SchemaWalk:
    """Compares an old and a new schema of one operation, in one direction.

    Each pair of (resolved) schema locations is compared once per walk: that stops `$ref`
    cycles, and a definition used in many places of one operation is reported at the first.
    """

    def __init__(self, operation: OperationComparison, direction: Direction) -> None:
        self.operation = operation
        self.direction = direction
        self.visited: set[tuple[str, str]] = set()

    def compare(
        self, old: Any, old_pointer: str, new: Any, new_pointer: str, where: str
    ) -> Iterator[Change]:
        yield from self._compare(old, old_pointer, new, new_pointer, where, (), 0)

    def _describe(self, where: str, path: tuple[str, ...]) -> str:
        if not path:
            return where if self.direction is Direction.INPUT else f"the body of {where}"
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
        if depth > MAX_DEPTH:
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
        is_input = self.direction is Direction.INPUT
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
            internal = _is_internal(old, new)
            yield from self._enum(old_shape, new_shape, what, internal)
            yield from self._constraints(old_shape, new_shape, what, internal)
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

    def _enum(self, old: _Shape, new: _Shape, what: str, internal: bool) -> Iterator[Change]:
        if new.enum is None:
            return
        pointer = child(new.pointer, "enum")
        new_values = {render(value) for value in new.enum}
        if old.enum is None:
            # Microsoft's validator: "The list of enum values has been added to the input field"
            yield self.operation.change(
                ChangeKind.ENUM_ADDED,
                NON_BREAKING if internal else BREAKING,
                pointer,
                f"The list of enum values has been added to {what}: it is now limited to"
                f" {', '.join(sorted(new_values))}."
                + (_INTERNAL_NOTE if internal else _consequence(True)),
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
                # a constraint where there was none is the tightest tightening: values flows
                # send today may now be refused, as the validator says of an added enum
                yield make(
                    ChangeKind.INPUT_CONSTRAINT_ADDED,
                    NON_BREAKING if internal else BREAKING,
                    after.pointer,
                    f"{capitalized(what)} now has the constraint {keyword} {after.shown}."
                    + (_INTERNAL_NOTE if internal else _consequence(True)),
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
                    message += _INTERNAL_NOTE
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
        is_input = self.direction is Direction.INPUT
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
                    + default_note(has_default),
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
                    + default_note(has_default),
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


def default_note(has_default: bool) -> str:
    if has_default:
        return "; its default fills the value for existing flows, which do not send it."
    return " without a default; existing flows do not send it."
