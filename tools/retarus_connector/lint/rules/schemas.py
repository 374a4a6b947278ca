"""Schemas and the texts on them: empty or identifier-like texts, untyped bodies, formats
(reference SCH-01 to SCH-03 and the `format` enum of section 3; `$ref` resolution is part of the
structure rules)."""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from types import MappingProxyType
from typing import Any

from retarus_connector.lint.model import Package, Problem, Rule, Severity, rule
from retarus_connector.lint.rules._profiles import CUSTOM_INFO
from retarus_connector.lint.rules._walk import (
    Operation,
    SchemaEntry,
    as_list,
    follow,
    holders_with,
    holding,
    join,
    operations,
    parameter_definitions,
    responses,
    values_at,
)
from retarus_connector.lint.rules._walk import (
    index as schema_index,
)

TEXT_KEYS = ("title", "description", "x-ms-summary")
FORMATS = frozenset(
    {
        "int32",
        "int64",
        "float",
        "double",
        "byte",
        "binary",
        "date",
        "date-time",
        "password",
        "date-no-tz",
        "email",
        "html",
        "uri",
        "uuid",
    }
)
# one token written the way code names things: camelCase, PascalCase with an inner capital,
# snake_case or kebab-case (a single plain word such as "Status" is fine)
_IDENTIFIER = re.compile(
    r"^(?:[a-z]+(?:[A-Z][a-z0-9]*)+|[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+"
    r"|[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+|[a-z0-9]+(?:-[a-z0-9]+)+)$"
)
_DYNAMIC_KEYS = ("x-ms-dynamic-schema", "x-ms-dynamic-properties")
_STRUCTURE_KEYS = ("$ref", "type", "properties", "items", "allOf", "anyOf", "oneOf")


@rule("schema-empty-text", Severity.WARNING, severities=CUSTOM_INFO)
def empty_text(package: Package) -> Iterator[Problem]:
    """Titles, descriptions, summaries and formats of schemas and responses are not empty.

    What: an empty string such as `"title": ""`, `"description": ""` or `"format": ""` is
    rejected by reviewers ("empty properties are not allowed", reference SCH-01). Operations and parameters have their
    own "is required" rules.
    Why: an empty text shows as a blank label or blank help in the designer.
    Fix: write the text, or remove the key.
    """
    swagger = package.swagger
    found = schema_index(package)
    for key in TEXT_KEYS:
        for entry in holding(found.schemas, values_at(found.schema_nodes, key), _is_blank):
            yield Problem(f"The '{key}' must not be empty", found.schema_pointer(entry, key))
    for holder, place in _format_holders(package):
        value = holder.get("format")
        if isinstance(value, str) and not value.strip():
            yield Problem("The 'format' must not be empty", join(place(), "format"))
    for operation in operations(package):
        for code, response, pointer in responses(swagger, operation):
            value = response.get("description")
            if isinstance(value, str) and not value.strip():
                yield Problem(
                    f"The 'description' of response '{code}' must not be empty",
                    join(pointer, "description"),
                )


def _is_blank(value: Any) -> bool:
    # isspace() stops at the first other character: no copy of long texts
    return value.__class__ is str and (not value or value.isspace())


@rule("schema-identifier-text", Severity.WARNING, severities=CUSTOM_INFO)
def identifier_text(package: Package) -> Iterator[Problem]:
    """Labels and descriptions are words, not identifiers or a copy of the field name.

    What: an `x-ms-summary` or `description` written like code (`phoneNumber`, `phone_number`)
    is treated as non-translatable, and a description equal to the parameter or property name
    is rejected (reference SCH-02).
    Why: users read these texts; they are also translated for other languages.
    Fix: write words: "Phone Number" as the label, "The recipient's phone number." as the
    description.
    """
    for parameter in parameter_definitions(package):
        for key, message in _identifier_problems(parameter.node, parameter.name):
            yield Problem(message, join(parameter.pointer, key))
    # the properties, far more numerous, one key at a time over all of them
    found = schema_index(package)
    entries, nodes = found.properties, found.property_nodes
    summaries = values_at(nodes, "x-ms-summary")
    for entry in holding(entries, summaries, _identifier_like):
        message = _identifier_message("x-ms-summary", entry[0]["x-ms-summary"])
        yield Problem(message, found.schema_pointer(entry, "x-ms-summary"))
    descriptions = values_at(nodes, "description")
    for entry in holding(entries, descriptions, _identifier_like):
        message = _identifier_message("description", entry[0]["description"])
        yield Problem(message, found.schema_pointer(entry, "description"))
    for entry in _repeating_names(entries, descriptions):
        message = f"The 'description' only repeats the name {entry[3]!r}; describe the value"
        yield Problem(message, found.schema_pointer(entry, "description"))


def _identifier_like(value: Any) -> bool:
    if value.__class__ is not str:
        return False
    stripped = value.strip()
    return bool(stripped) and " " not in stripped and _looks_like_identifier(stripped)


def _identifier_message(key: str, value: str) -> str:
    return f"The '{key}' {value.strip()!r} looks like an identifier; write it in words"


def _repeats_name(description: Any, name: str | None) -> bool:
    """Whether a description (not written like an identifier) only repeats the name."""
    if description.__class__ is not str or not name:
        return False
    stripped = description.strip()
    return (
        bool(stripped)
        and not _identifier_like(description)
        and len(name) == len(stripped)
        and stripped.lower() == name.lower()
    )


def _repeating_names(entries: list[SchemaEntry], descriptions: list[Any]) -> list[SchemaEntry]:
    """The properties whose description only repeats their name. A description and a name
    compared in lower case, each computed once per distinct text, pick the few candidates."""
    try:
        lowered = {
            text: text.strip().lower() for text in set(descriptions) if text.__class__ is str
        }
    except TypeError:  # a list or an object as a description
        return [e for e, d in zip(entries, descriptions, strict=True) if _repeats_name(d, e[3])]
    names = map(str.lower, map(operator.itemgetter(3), entries))
    same = map(operator.eq, map(lowered.get, descriptions), names)
    return [
        entry
        for entry, description in itertools.compress(zip(entries, descriptions, strict=True), same)
        if _repeats_name(description, entry[3])
    ]


def _identifier_problems(node: dict[str, Any], name: str | None) -> list[tuple[str, str]]:
    """(key, message) for the label and description of a parameter written like identifiers,
    or a description that only repeats the name."""
    found: list[tuple[str, str]] = []
    for key in ("x-ms-summary", "description"):
        value = node.get(key)
        if _identifier_like(value):
            found.append((key, _identifier_message(key, str(value))))
        elif key == "description" and _repeats_name(value, name):
            message = f"The 'description' only repeats the name {name!r}; describe the value"
            found.append((key, message))
    return found


# the same labels and one-word descriptions come back on many properties: each text is judged
# once (a bounded memo of a pure function, which no package can make stale)
@functools.lru_cache(maxsize=8192)
def _looks_like_identifier(text: str) -> bool:
    """Whether a text without spaces is written like an identifier."""
    return _IDENTIFIER.match(text) is not None


def _shapeless(node: dict[str, Any]) -> str | None:
    """Why a body or response schema gives the designer nothing to show, or None."""
    if any(key in node for key in _DYNAMIC_KEYS):
        return None
    if not any(key in node for key in _STRUCTURE_KEYS):
        return "declares no 'type' or structure"
    if (
        node.get("type") == "object"
        and not isinstance(node.get("properties"), dict)
        and not any(key in node for key in ("additionalProperties", "allOf", "anyOf", "oneOf"))
    ):
        return (
            "is an object without 'properties' (use 'additionalProperties' for a map, or "
            "x-ms-dynamic-schema)"
        )
    return None


# a pointer built only when a finding needs it
_Pointer = Callable[[], str]


def _followed(swagger: Any, node: Any, pointer: _Pointer) -> tuple[Any, _Pointer]:
    """`follow` with the pointer of where the chain starts built only when asked for."""
    if not isinstance(node, dict) or "$ref" not in node:
        return node, pointer
    target, target_pointer = follow(swagger, node, "")
    if target is node:  # the first reference does not resolve
        return node, pointer
    return target, lambda: target_pointer


def _body_schemas(swagger: Any, operation: Operation) -> Iterator[tuple[Any, _Pointer]]:
    """(schema, pointer) of an operation's body parameter, following references."""
    for owner, owner_pointer in (
        (operation.path_item, lambda: operation.path_pointer),
        (operation.node, lambda: operation.pointer),
    ):
        for position, parameter in enumerate(as_list(owner.get("parameters"))):
            if not isinstance(parameter, dict):
                continue
            place: _Pointer = partial(_below, owner_pointer, "parameters", position)
            if "$ref" in parameter:
                parameter, target = _followed(swagger, parameter, place)
                if not isinstance(parameter, dict):
                    continue
                # a reference to the whole document ("#") has the empty pointer
                place = partial(_either, target, place)
            if parameter.get("in") == "body" and "schema" in parameter:
                yield _followed(swagger, parameter["schema"], partial(_below, place, "schema"))


def _below(pointer: _Pointer, *tokens: str | int) -> str:
    return join(pointer(), *tokens)


def _either(first: _Pointer, second: _Pointer) -> str:
    return first() or second()


def _visible_payloads(package: Package) -> Iterator[tuple[Operation, str, Any, _Pointer]]:
    """(operation, what, schema, pointer) for the request bodies and success responses of the
    operations users see; references are followed to the schema they name."""
    swagger = package.swagger
    for operation in operations(package):
        if operation.internal:
            continue  # hidden helpers (dynamic-schema sources, unsubscribe) return raw objects
        for schema, pointer in _body_schemas(swagger, operation):
            yield operation, "request body", schema, pointer
        if "x-ms-notification-content" in operation.path_item:
            continue  # a webhook trigger's outputs are its notification content
        for code, response, response_pointer in responses(swagger, operation):
            if code[:1] == "2" and "schema" in response:
                schema, pointer = _followed(
                    swagger, response["schema"], partial(join, response_pointer, "schema")
                )
                yield operation, f"response '{code}'", schema, pointer


@rule("schema-untyped", Severity.WARNING, severities=CUSTOM_INFO)
def untyped(package: Package) -> Iterator[Problem]:
    """Request bodies and success responses declare their type and properties.

    What: a body or 2xx response schema that is `{}`, has no `type`, or is an object without
    `properties` gives the designer nothing to show (reference SCH-03). Schemas made dynamic
    with `x-ms-dynamic-schema` or `x-ms-dynamic-properties`, maps (`additionalProperties`),
    operations hidden with `x-ms-visibility: internal` and the subscription replies of webhook
    triggers are exempt.
    Why: users fill the fields of a body, and pick values from a response, from these
    declarations; reviewers ask for response schemas.
    Fix: describe the object's properties, reference a definition, or make it dynamic.
    """
    reported: set[str] = set()
    for operation, what, schema, place in _visible_payloads(package):
        if not isinstance(schema, dict) or "$ref" in schema:
            continue  # unresolved references are the structure rules' findings
        problem = _shapeless(schema)
        if problem:
            pointer = place()
            if pointer not in reported:  # a shared definition is reported once
                reported.add(pointer)
                yield Problem(f"The schema of the {what} of {operation.label} {problem}", pointer)


def _format_holders(package: Package) -> Iterator[tuple[dict[str, Any], _Pointer]]:
    """(object, pointer) for each schema and parameter (or its `items`) that has a `format`;
    the pointer is built only for findings."""
    for holder in holders_with(package, "format"):
        if not isinstance(holder, Operation):
            yield holder.node, partial(getattr, holder, "pointer")
    for parameter in parameter_definitions(package):
        items = parameter.node.get("items")
        if isinstance(items, dict) and "format" in items:
            yield items, partial(_below, partial(getattr, parameter, "pointer"), "items")


@rule("schema-format", Severity.ERROR)
def format_value(package: Package) -> Iterator[Problem]:
    """A `format` is one of the formats Power Platform knows.

    What: the connector schema accepts int32, int64, float, double, byte, binary, date,
    date-time, password, date-no-tz, email, html, uri and uuid (reference section 3).
    `format: enum`, which some .NET generators write beside an `enum` list, is reported too:
    Microsoft's published schema (schemas/apiDefinition.swagger.schema.json in
    microsoft/PowerPlatformConnectors, unchanged since July 2020) does not allow it, and only 3
    of the 607 certified connectors (October 2024) carry it, all first submitted in 2020 before
    that check; the `enum` list alone gives the designer its drop-down.
    Why: the designer picks editors and conversions by format; other values are rejected.
    Fix: use one of the listed formats, or drop `format` and explain the format in the
    description.
    """
    for node, pointer in _format_holders(package):
        value = node.get("format")
        if isinstance(value, str) and not value.strip():
            continue  # an empty format says nothing; schema-empty-text reports it
        if not isinstance(value, str) or value not in FORMATS:
            yield Problem(
                f"The format {value!r} is not one of {', '.join(sorted(FORMATS))}",
                join(pointer(), "format"),
            )


_JSON_TYPES: Mapping[str, Callable[[Any], bool]] = MappingProxyType(
    {
        "string": lambda value: isinstance(value, str),
        "integer": lambda value: isinstance(value, int) and not isinstance(value, bool),
        "number": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
        "boolean": lambda value: isinstance(value, bool),
        "array": lambda value: isinstance(value, list),
        "object": lambda value: isinstance(value, dict),
    }
)
_EXAMPLE_KEYS = ("example", "x-example")
_EXAMPLE_KEY_SET = frozenset(_EXAMPLE_KEYS)


def example_problem(node: dict[str, Any], value: Any) -> str | None:
    """How an example `value` breaks the type, enum or pattern of the schema or parameter
    `node`, or None. A null example, or a pattern Python cannot read, is not judged."""
    if value is None:
        return None
    kind = node.get("type")
    check = _JSON_TYPES.get(kind) if isinstance(kind, str) else None
    if check is not None and not check(value):
        return f"is not of the declared type {kind}"
    enum = node.get("enum")
    if isinstance(enum, list) and enum and value not in enum:
        return "is not one of the enum values"
    pattern = node.get("pattern")
    if isinstance(value, str) and isinstance(pattern, str):
        try:
            compiled = re.compile(pattern)
        except (re.error, RecursionError, OverflowError):
            return None
        if compiled.search(value) is None:
            return "does not match the pattern"
    return None


def _example_holders(package: Package) -> Iterator[tuple[dict[str, Any], str, _Pointer]]:
    """(object, key, pointer) for each schema and parameter that holds an example."""
    found = schema_index(package)
    for entry in found.value_holders:  # the few schemas that hold a literal value
        for key in _EXAMPLE_KEYS:
            if key in entry[0]:
                yield entry[0], key, partial(found.schema_pointer, entry, key)
    for parameter in parameter_definitions(package):
        node = parameter.node
        if _EXAMPLE_KEY_SET.isdisjoint(node) or node.get("in") == "body":
            continue
        for key in _EXAMPLE_KEYS:
            if key in node:
                yield node, key, partial(_below, partial(getattr, parameter, "pointer"), key)


@rule("schema-example-valid", Severity.WARNING, severities=CUSTOM_INFO)
def example_valid(package: Package) -> Iterator[Problem]:
    """Examples (`example`, `x-example`) fit their schema's type, enum and pattern.

    What: the `example` of a schema or property and the `x-example` of a parameter is a value
    of the declared `type` (an integer example for an integer, not the text "5"), one of the
    `enum` values when there are some, and matches the `pattern` (read as a Python regular
    expression; one Python cannot read is not judged). Swagger 2.0 says an example is an
    instance of its schema (https://swagger.io/specification/v2/, Schema Object); Microsoft
    shows examples as sample values in the designer and to Copilot
    (https://learn.microsoft.com/en-us/connectors/custom-connectors/openapi-extensions).
    Why: a wrong example teaches makers and Copilot a value the service rejects; the runtime
    and test tools that send examples fail on it.
    Fix: correct the example, or the schema if the example shows what the service really does.
    """
    for node, key, pointer in _example_holders(package):
        message = example_problem(node, node[key])
        if message is not None:
            yield Problem(f"The {key} {message}", pointer())


RULES: tuple[Rule, ...] = (empty_text, identifier_text, untyped, format_value, example_valid)
