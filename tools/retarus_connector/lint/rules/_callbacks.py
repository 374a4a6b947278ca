"""The inputs of webhook triggers that carry the callback URL (`x-ms-notification-url:
true`), found once per package for the operations and parameters rules that ask."""

from __future__ import annotations

from typing import Any

from retarus_connector.lint.model import Package
from retarus_connector.lint.rules._walk import (
    Operation,
    as_list,
    follow,
    join,
    operation_parameters,
)

_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
MARK = "x-ms-notification-url"
NOTIFICATION = "x-ms-notification-content"

Marked = list[tuple[dict[str, Any], str]]


class CallbackInputs:
    """The inputs marked `x-ms-notification-url: true` of each operation of one swagger,
    found once for the two rules that ask. Each operation's result also tells whether its
    inputs reach a `$ref` that does not resolve: the mark may be in what that reference was
    meant to name."""

    def __init__(self, swagger: Any) -> None:
        self.swagger = swagger
        self.by_operation: dict[int, tuple[Marked, bool]] = {}

    def of(self, operation: Operation) -> tuple[Marked, bool]:
        known = self.by_operation.get(id(operation.node))
        if known is None:
            known = self.by_operation[id(operation.node)] = self._find(operation)
        return known

    def _find(self, operation: Operation) -> tuple[Marked, bool]:
        """Walks the operation's parameters and every schema its body reaches, each schema
        once. A schema's place is kept as a chain of (parent place, key, token) and spelled
        as a pointer only for the few that carry the mark."""
        swagger = self.swagger
        found: Marked = []
        # operation_parameters leaves out the parameters whose reference does not resolve
        unresolved = any(
            isinstance(node, dict) and "$ref" in node and _broken(swagger, node)
            for owner in (operation.path_item, operation.node)
            for node in as_list(owner.get("parameters"))
        )
        stack: list[tuple[Any, _Place]] = []
        for parameter in operation_parameters(swagger, operation):
            if parameter.node.get("in") == "body":
                stack.append((parameter.node.get("schema"), join(parameter.pointer, "schema")))
            elif parameter.node.get(MARK) is True:
                found.append((parameter.node, parameter.pointer))
        seen: set[int] = set()
        while stack:
            node, place = stack.pop()
            if isinstance(node, dict) and "$ref" in node:
                node, place = follow(swagger, node, "")
                if isinstance(node, dict) and "$ref" in node:
                    unresolved = True  # ref-target reports it
                    continue
            if not isinstance(node, dict) or id(node) in seen:
                continue
            seen.add(id(node))
            if node.get(MARK) is True:
                found.append((node, _spelled(place)))
            children: list[tuple[Any, _Place]] = []
            properties = node.get("properties")
            if isinstance(properties, dict):
                children.extend(
                    (child, (place, "properties", name)) for name, child in properties.items()
                )
            items = node.get("items")
            if isinstance(items, list):
                children.extend(
                    (child, (place, "items", index)) for index, child in enumerate(items)
                )
            elif isinstance(items, dict):
                children.append((items, (place, "items", None)))
            additional = node.get("additionalProperties")
            if isinstance(additional, dict):
                children.append((additional, (place, "additionalProperties", None)))
            for key in _SCHEMA_LISTS:
                children.extend(
                    (child, (place, key, index))
                    for index, child in enumerate(as_list(node.get(key)))
                )
            stack.extend(reversed(children))
        return found, unresolved


def _broken(swagger: Any, reference: dict[str, Any]) -> bool:
    """Whether a parameter's `$ref` fails to lead to a parameter object."""
    target = follow(swagger, reference, "")[0]
    return not isinstance(target, dict) or "$ref" in target


# where a schema is: a pointer, or (the parent's place, a key, a name or index or None)
_Place = Any


def _spelled(place: _Place) -> str:
    tokens: list[str | int] = []
    while not isinstance(place, str):
        place, key, token = place
        if token is not None:
            tokens.append(token)
        tokens.append(key)
    return join(place, *reversed(tokens))


def callback_inputs(package: Package, operation: Operation) -> Marked:
    """(node, pointer) of each input of an operation marked `x-ms-notification-url: true`: a
    parameter that is not a body, or a schema anywhere in its body (references followed)."""
    return walker(package).of(operation)[0]


def walker(package: Package) -> CallbackInputs:
    """The walker of `package`'s swagger, kept with the package for the rules that ask."""
    return package.memo(_package_walker)


def _package_walker(package: Package) -> CallbackInputs:
    return CallbackInputs(package.swagger)
