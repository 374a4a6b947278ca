"""The structure rules' checks of schemas and where they start: what `schema-shape` and
`default-matches-schema` report about one schema object. The shared index runs them in its
one walk over the schemas (see `_index._index_schemas`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from retarus_connector.core.jsontype import kind_of
from retarus_connector.core.names import HTTP_METHODS
from retarus_connector.lint.rules._nodes import SchemaEntry

# the keys the structure rules check in a schema (besides its children)
SHAPE_KEYS = frozenset({"type", "required", "enum", "default", "properties"})


def shape_roots(swagger: dict[str, Any]) -> list[SchemaEntry]:
    """The places the structure rules check as schemas, whatever their values: definitions,
    the `schema` of every parameter (shared or inline) and of every response (shared or of an
    operation)."""
    roots: list[SchemaEntry] = []
    for section in ("definitions", "parameters", "responses"):
        entries = swagger.get(section)
        if not isinstance(entries, dict):
            continue
        for name, node in entries.items():
            if section == "definitions":
                roots.append((node, None, (section, name), None))
            elif isinstance(node, dict) and "schema" in node:
                roots.append((node["schema"], None, (section, name, "schema"), None))
    paths = swagger.get("paths")
    if not isinstance(paths, dict):
        return roots
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        owners: list[tuple[dict[str, Any], tuple[str, ...]]] = [(item, ("paths", path))]
        for method in HTTP_METHODS:
            node = item.get(method)
            if isinstance(node, dict):
                owners.append((node, ("paths", path, method)))
        for owner, tokens in owners:
            listed = owner.get("parameters")
            if isinstance(listed, list):
                for position, parameter in enumerate(listed):
                    if isinstance(parameter, dict) and "schema" in parameter:
                        place = (*tokens, "parameters", position, "schema")
                        roots.append((parameter["schema"], None, place, None))
        for operation, tokens in owners[1:]:
            declared = operation.get("responses")
            if isinstance(declared, dict):
                for code, response in declared.items():
                    if isinstance(response, dict) and "schema" in response:
                        place = (*tokens, "responses", code, "schema")
                        roots.append((response["schema"], None, place, None))
    return roots


# what the structure rules report about a schema: (rule, message, entry, tokens below it)
ShapeProblem = tuple[str, str, SchemaEntry, tuple[str, ...]]
SHAPE = "shape"  # schema-shape
DEFAULT = "default"  # default-matches-schema
SCHEMA_TYPES = ("string", "number", "integer", "boolean", "array", "object", "null", "file")


_TYPE_CHECKS: Mapping[str, Any] = MappingProxyType(
    {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: (
            (isinstance(v, int) and not isinstance(v, bool))
            or (isinstance(v, float) and v.is_integer())
        ),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "array": lambda v: isinstance(v, list),
        "object": lambda v: isinstance(v, dict),
    }
)


def default_problem(node: dict[str, Any]) -> str | None:
    """What is wrong with the `default` of a parameter or schema, or None."""
    default = node["default"]
    kind = node.get("type")
    if default is None:
        if node.get("x-nullable") is True or kind == "null":
            return None
        return "The default is null, which the declared type does not allow."
    check = _TYPE_CHECKS.get(kind) if isinstance(kind, str) else None
    if check is not None and not check(default):
        return f"The default {json.dumps(default)} is not of the declared type {kind}."
    enum = node.get("enum")
    if isinstance(enum, list) and default not in enum:
        return f"The default {json.dumps(default)} is not one of the enum values."
    required = node.get("required")
    if isinstance(default, dict) and isinstance(required, list):
        missing = [name for name in required if isinstance(name, str) and name not in default]
        if missing:
            return f"The default object lacks the required propert(ies) {', '.join(missing)}."
    return None


def type_problem(kind: Any, entry: SchemaEntry, found: list[ShapeProblem]) -> None:
    if not (
        kind in SCHEMA_TYPES
        or (isinstance(kind, list) and kind and all(item in SCHEMA_TYPES for item in kind))
    ):
        found.append(
            (
                SHAPE,
                f"Unknown schema type {json.dumps(kind)}; use string, number, integer, "
                "boolean, array or object.",
                entry,
                ("type",),
            )
        )


def shape_problems(
    node: dict[str, Any], entry: SchemaEntry, found: list[ShapeProblem], *, with_type: bool = False
) -> None:
    """The structure rules' checks of one schema object (not a `$ref`); its `type` only when
    asked `with_type`."""
    if with_type and "type" in node:
        type_problem(node["type"], entry, found)
    if "required" in node:
        required = node["required"]
        if not (isinstance(required, list) and all(type(item) is str for item in required)):
            found.append(
                (
                    SHAPE,
                    "'required' in a schema must be an array of property names.",
                    entry,
                    ("required",),
                )
            )
    if "enum" in node and type(node["enum"]) is not list:
        found.append((SHAPE, "'enum' must be an array.", entry, ("enum",)))
    if "default" in node:
        message = default_problem(node)
        if message is not None:
            found.append((DEFAULT, message, entry, ("default",)))
    if "properties" in node and type(node["properties"]) is not dict:
        found.append((SHAPE, "'properties' must be an object.", entry, ("properties",)))


def not_an_object(value: Any, entry: SchemaEntry) -> ShapeProblem:
    return (SHAPE, f"A schema must be an object, not {kind_of(value)}.", entry, ())


def shape_node(entry: SchemaEntry, problems: list[ShapeProblem], found: list[SchemaEntry]) -> None:
    """The structure rules' look at one schema object the index does not hold: its problems,
    and its child schemas (appended to `found`; values that are not objects are reported)."""
    node = entry[0]
    if "$ref" in node:
        return
    shape_problems(node, entry, problems, with_type=True)
    children: list[tuple[Any, Any, int | None]] = []  # (value, key, token)
    properties = node.get("properties")
    if "properties" in node and properties.__class__ is dict:
        children.extend((child, "properties", name) for name, child in properties.items())
    if "items" in node:
        items = node["items"]
        if items.__class__ is list:
            children.extend((child, "items", number) for number, child in enumerate(items))
        else:
            children.append((items, "items", None))
    additional = node.get("additionalProperties")
    if additional.__class__ is dict:
        children.append((additional, "additionalProperties", None))
    for keyword in ("allOf", "anyOf", "oneOf"):
        composed = node.get(keyword)
        if composed.__class__ is list:
            children.extend((child, keyword, number) for number, child in enumerate(composed))
    for value, key, token in children:
        child_entry = (value, entry, key, token)
        if value.__class__ is dict:
            found.append(child_entry)
        else:
            problems.append(not_an_object(value, child_entry))
