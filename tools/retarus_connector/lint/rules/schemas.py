"""Schemas and the texts on them: empty or identifier-like texts, untyped bodies, formats
(reference SCH-01 to SCH-03 and the `format` enum of section 3; `$ref` resolution is part of the
structure rules)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from retarus_connector.lint.model import Package, Problem, Rule, Severity, rule
from retarus_connector.lint.rules._profiles import CUSTOM_INFO
from retarus_connector.lint.rules._walk import (
    Operation,
    Parameter,
    SchemaEntry,
    as_list,
    follow,
    holders_with,
    join,
    operations,
    parameter_definitions,
    property_entries,
    responses,
    schema_entries,
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
    pointer_of = schema_index(package).schema_pointer
    for entry in schema_entries(package):
        node = entry[0]
        for key in TEXT_KEYS:
            value = node.get(key)
            # isspace() stops at the first other character: no copy of long texts
            if value.__class__ is str and (not value or value.isspace()):
                yield Problem(f"The '{key}' must not be empty", pointer_of(entry, key))
    for holder, pointer in _format_holders(package):
        value = holder.get("format")
        if isinstance(value, str) and not value.strip():
            yield Problem("The 'format' must not be empty", join(pointer, "format"))
    for operation in operations(package):
        for code, response, pointer in responses(swagger, operation):
            value = response.get("description")
            if isinstance(value, str) and not value.strip():
                yield Problem(
                    f"The 'description' of response '{code}' must not be empty",
                    join(pointer, "description"),
                )


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
    named: list[tuple[dict[str, Any], str | None, Parameter | SchemaEntry]] = [
        (parameter.node, parameter.name, parameter) for parameter in parameter_definitions(package)
    ]
    pointer_of = schema_index(package).schema_pointer
    named.extend([(entry[0], entry[3], entry) for entry in property_entries(package)])
    for node, name, holder in named:
        for key in ("x-ms-summary", "description"):
            value = node.get(key)
            if value.__class__ is not str:
                continue
            stripped = value.strip()
            if not stripped:
                continue
            if " " not in stripped and _looks_like_identifier(stripped):
                message = f"The '{key}' {stripped!r} looks like an identifier; write it in words"
            elif (
                key == "description"
                and name
                and len(name) == len(stripped)
                and stripped.lower() == name.lower()
            ):
                message = f"The 'description' only repeats the name {name!r}; describe the value"
            else:
                continue
            if isinstance(holder, Parameter):
                yield Problem(message, join(holder.pointer, key))
            else:
                yield Problem(message, pointer_of(holder, key))


# whether a text without spaces is written like an identifier, by text: the same labels and
# one-word descriptions come back on many properties (the table is emptied when large)
_IDENTIFIER_TEXTS: dict[str, bool] = {}


def _looks_like_identifier(text: str) -> bool:
    known = _IDENTIFIER_TEXTS.get(text)
    if known is None:
        if len(_IDENTIFIER_TEXTS) > 50_000:
            _IDENTIFIER_TEXTS.clear()
        known = _IDENTIFIER_TEXTS[text] = _IDENTIFIER.match(text) is not None
    return known


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


def _body_schemas(package: Package, operation: Operation) -> Iterator[tuple[Any, str]]:
    """(schema, pointer) of an operation's body parameter, following references."""
    swagger = package.swagger
    for owner, owner_pointer in (
        (operation.path_item, operation.path_pointer),
        (operation.node, operation.pointer),
    ):
        for position, parameter in enumerate(as_list(owner.get("parameters"))):
            if not isinstance(parameter, dict):
                continue
            pointer = ""
            if "$ref" in parameter:
                parameter, pointer = follow(
                    swagger, parameter, join(owner_pointer, "parameters", position)
                )
                if not isinstance(parameter, dict):
                    continue
            if parameter.get("in") == "body" and "schema" in parameter:
                pointer = pointer or join(owner_pointer, "parameters", position)
                yield follow(swagger, parameter["schema"], join(pointer, "schema"))


def _visible_payloads(package: Package) -> Iterator[tuple[Operation, str, Any, str]]:
    """(operation, what, schema, pointer) for the request bodies and success responses of the
    operations users see; references are followed to the schema they name."""
    swagger = package.swagger
    for operation in operations(package):
        if operation.internal:
            continue  # hidden helpers (dynamic-schema sources, unsubscribe) return raw objects
        for schema, pointer in _body_schemas(package, operation):
            yield operation, "request body", schema, pointer
        if "x-ms-notification-content" in operation.path_item:
            continue  # a webhook trigger's outputs are its notification content
        for code, response, response_pointer in responses(swagger, operation):
            if code[:1] == "2" and "schema" in response:
                schema, pointer = follow(
                    swagger, response["schema"], join(response_pointer, "schema")
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
    for operation, what, schema, pointer in _visible_payloads(package):
        if not isinstance(schema, dict) or "$ref" in schema or pointer in reported:
            continue  # unresolved references are the structure rules' findings
        problem = _shapeless(schema)
        if problem:
            reported.add(pointer)
            yield Problem(f"The schema of the {what} of {operation.label} {problem}", pointer)


def _format_holders(package: Package) -> Iterator[tuple[dict[str, Any], str]]:
    for holder in holders_with(package, "format"):
        if not isinstance(holder, Operation):
            yield holder.node, holder.pointer
    for parameter in parameter_definitions(package):
        items = parameter.node.get("items")
        if isinstance(items, dict) and "format" in items:
            yield items, join(parameter.pointer, "items")


@rule("schema-format", Severity.ERROR)
def format_value(package: Package) -> Iterator[Problem]:
    """A `format` is one of the formats Power Platform knows.

    What: the connector schema accepts int32, int64, float, double, byte, binary, date,
    date-time, password, date-no-tz, email, html, uri and uuid (reference section 3).
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
                join(pointer, "format"),
            )


RULES: tuple[Rule, ...] = (empty_text, identifier_text, untyped, format_value)
