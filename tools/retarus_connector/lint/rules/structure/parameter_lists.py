"""Swagger 2.0 structure: parameter objects and the lists they are written in (PRM-03)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from retarus_connector.core.pointer import join
from retarus_connector.lint.model import Package, Problem, Severity, rule
from retarus_connector.lint.rules._walk import (
    follow,
    kind_of,
)
from retarus_connector.lint.rules._walk import index as schema_index
from retarus_connector.lint.rules.structure._common import (
    PARAMETER_LOCATIONS,
    PARAMETER_TYPES,
    parameter_lists,
)


@rule("parameter-shape", Severity.ERROR)
def parameter_shape(package: Package) -> Iterator[Problem]:
    """Every parameter has a name, a valid location and a type (or, in the body, a schema).

    What: a `parameters` list that is not an array or holds something other than objects; a
    parameter without a string `name`; `in` other than query, header, path, formData, body; a
    body parameter without a `schema` object; a non-body parameter without a `type` among
    string, number, integer, boolean, array (file only in formData); an array parameter without
    an `items` object, or whose items (at any depth) have a `type` other than string, number,
    integer, boolean or array, or an `enum` that is not an array; the same name and location
    twice in one list; more than one body parameter, or body and formData parameters together
    (reference PRM-03).
    Why: the designer builds the action's inputs from these fields; Swagger 2.0 and Microsoft's
    validator require them.
    Fix: complete the parameter as the message says.
    """
    swagger = package.swagger
    for parameters_list, at in parameter_lists(schema_index(package)):
        if not isinstance(parameters_list, list):
            yield Problem("'parameters' must be an array.", join("", *at))
            continue
        seen: set[tuple[Any, Any]] = set()
        locations: list[Any] = []
        for index, parameter in enumerate(parameters_list):
            if not isinstance(parameter, dict):
                yield Problem(
                    f"A parameter must be an object, not {kind_of(parameter)}.",
                    join("", *at, index),
                )
                continue
            if "$ref" in parameter:
                parameter = follow(swagger, parameter, "")[0]
                if not isinstance(parameter, dict) or "$ref" in parameter:
                    continue  # ref-target reports it
            else:
                for message, tokens in _parameter_problems(parameter):
                    yield Problem(message, join("", *at, index, *tokens))
            key = (parameter.get("name"), parameter.get("in"))
            try:
                repeated = key in seen
                seen.add(key)
            except TypeError:  # a list or an object as name or location: reported above
                repeated = False
            if repeated and isinstance(key[0], str):
                yield Problem(
                    f"The parameter {key[0]!r} in {key[1]} is declared twice in this list.",
                    join("", *at, index),
                )
            locations.append(parameter.get("in"))
        if locations.count("body") > 1:
            yield Problem("An operation can have only one body parameter.", join("", *at))
        if "body" in locations and "formData" in locations:
            yield Problem("Body and formData parameters cannot be used together.", join("", *at))
    definitions = swagger.get("parameters")
    if isinstance(definitions, dict):
        for name, parameter in definitions.items():
            if isinstance(parameter, dict):
                for message, tokens in _parameter_problems(parameter):
                    yield Problem(message, join("/parameters", name, *tokens))


def _parameter_problems(parameter: dict[str, Any]) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Messages about one parameter object, each with the tokens of the key it is about."""
    name = parameter.get("name")
    label = repr(name) if isinstance(name, str) else "without a name"
    if not isinstance(name, str):
        yield "The parameter has no string 'name'.", ()
    location = parameter.get("in")
    if location not in PARAMETER_LOCATIONS:
        yield (
            f"The parameter {label} has 'in' {json.dumps(location)}; use one of "
            f"{', '.join(PARAMETER_LOCATIONS)}.",
            ("in",) if "in" in parameter else (),
        )
        return
    if location == "body":
        if not isinstance(parameter.get("schema"), dict):
            yield f"The body parameter {label} needs a 'schema' object.", ()
        return
    kind = parameter.get("type")
    if kind not in PARAMETER_TYPES or (kind == "file" and location != "formData"):
        allowed = ", ".join(t for t in PARAMETER_TYPES if t != "file")
        yield (
            f"The {location} parameter {label} has 'type' {json.dumps(kind)}; use one of "
            f"{allowed} (file only in formData).",
            ("type",) if "type" in parameter else (),
        )
    elif kind == "array":
        yield from _items_problems(parameter.get("items"), location, label)


# an items object describes one element of a parameter sent as text, never an object or a file
_ITEMS_TYPES = ("string", "number", "integer", "boolean", "array")


def _items_problems(items: Any, location: str, label: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Messages about the `items` of an array parameter, level by level: each an object with a
    `type` of _ITEMS_TYPES and an `enum` that is an array, and with `items` of its own when it
    is an array again."""
    owner = f"{location} parameter {label}"
    tokens: tuple[str, ...] = ()
    missing = f"The array parameter {label} needs an 'items' object."
    while True:
        if not isinstance(items, dict):
            yield missing, tokens
            return
        tokens = (*tokens, "items")
        kind = items.get("type")
        if kind not in _ITEMS_TYPES:
            written = f"'type' {json.dumps(kind)}" if "type" in items else "no 'type'"
            yield (
                f"The items of the {owner} have {written}; use one of {', '.join(_ITEMS_TYPES)}.",
                (*tokens, "type") if "type" in items else tokens,
            )
        if "enum" in items and not isinstance(items["enum"], list):
            yield "'enum' must be an array.", (*tokens, "enum")
        if kind != "array":
            return
        missing = f"The items of the {owner} are arrays and need an 'items' object."
        items = items.get("items")
