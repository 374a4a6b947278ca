"""Swagger 2.0 structure: schemas and defaults, as the shared index found them in its walk."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from retarus_connector.core.pointer import join
from retarus_connector.lint.model import FileKind, Package, Problem, Severity, rule
from retarus_connector.lint.rules._walk import (
    DEFAULT,
    SHAPE,
    default_problem,
)
from retarus_connector.lint.rules._walk import index as schema_index
from retarus_connector.lint.rules.structure._common import (
    parameter_lists,
)


@rule("schema-shape", Severity.ERROR)
def schema_shape(package: Package) -> Iterator[Problem]:
    """Schemas are objects with valid `type`, `properties`, `items`, `required` and `enum`.

    What: a schema (in definitions, body parameters, responses, and nested in properties, items,
    additionalProperties, allOf) that is not an object; a `type` that is not one of string,
    number, integer, boolean, array, object (or file for a response); `properties` that is not
    an object; `required` that is not an array of strings; `enum` that is not an array.
    Why: the designer builds the dynamic content and the input fields from these schemas; a
    malformed one is refused by Microsoft's validator.
    Fix: correct the keyword as the message says.
    """
    found = schema_index(package)
    for rule_key, message, entry, tokens in found.shape_problems:
        if rule_key == SHAPE:
            yield Problem(message, found.schema_pointer(entry, *tokens))


@rule("default-matches-schema", Severity.WARNING)
def default_matches_schema(package: Package) -> Iterator[Problem]:
    """A `default` value fits its own parameter or schema.

    What: a `default` of another type than the declared one (the string "false" for a boolean,
    null for a string), outside the declared `enum`, or an object default that lacks a property
    the schema requires.
    Why: the designer pre-fills the field with the default, and a value of the wrong type is
    sent as it is; internal required parameters send nothing else. Swagger validators reject
    such documents.
    Fix: write the default in the declared type (`false`, not `"false"`), pick an enum value, or
    drop the default.
    """
    document = package.document(FileKind.SWAGGER)
    if document is not None and document.text is not None and '"default"' not in document.text:
        return
    found = schema_index(package)
    candidates: list[tuple[dict[str, Any], tuple[str | int, ...]]] = []
    for parameters_list, at in parameter_lists(found):
        if isinstance(parameters_list, list):
            candidates.extend(
                (parameter, (*at, index))
                for index, parameter in enumerate(parameters_list)
                if isinstance(parameter, dict) and "default" in parameter
            )
    definitions = package.swagger.get("parameters")
    if isinstance(definitions, dict):
        candidates.extend(
            (parameter, ("parameters", name))
            for name, parameter in definitions.items()
            if isinstance(parameter, dict) and "default" in parameter
        )
    for node, place in candidates:
        message = default_problem(node)
        if message is not None:
            yield Problem(message, join("", *place, "default"))
    for entry in found.parameter_items:  # the items of non-body parameters
        if "default" in entry[0]:
            message = default_problem(entry[0])
            if message is not None:
                yield Problem(message, found.schema_pointer(entry, "default"))
    for rule_key, message, entry, tokens in found.shape_problems:
        if rule_key == DEFAULT:
            yield Problem(message, found.schema_pointer(entry, *tokens))
