"""The `items` of a parameter that is not a body (an array query or formData parameter, shown
as a multi-select dropdown) are checked as the parameter itself is: their extensions by the
rules that find holders through the shared index, by the key and x-ms-summary checks, and their
type, enum and default by the structure rules. Each rule has a breaking and a passing fragment."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from lint_packages import make_package, run_rule, table_tests

from retarus_connector.lint.model import Rule
from retarus_connector.lint.rules import extensions, parameters, references, structure

Swagger = dict[str, Any]
Change = Callable[[Swagger], None]
OP = "/paths/~1messages~1{id}/get"
LABELS = f"{OP}/parameters/1/items"  # GetMessage's `id` is parameter 0
SHARED = "/parameters/Labels/items"
VALUES = "x-ms-dynamic-values"
LIST = "x-ms-dynamic-list"


def get_message(swagger: Swagger) -> dict[str, Any]:
    result: dict[str, Any] = swagger["paths"]["/messages/{id}"]["get"]
    return result


def add_callee(swagger: Swagger) -> None:
    """ListFolders, the operation the extensions call: a required path parameter `site` and an
    optional query parameter `top` (no `id`)."""
    swagger["paths"]["/sites/{site}/folders"] = {
        "get": {
            "operationId": "ListFolders",
            "parameters": [
                {"name": "site", "in": "path", "required": True, "type": "string"},
                {"name": "top", "in": "query", "type": "integer"},
            ],
            "responses": {"200": {"description": "The folders."}},
        }
    }


def labels(items: dict[str, Any], location: str = "query", *, shared: bool = False) -> Change:
    """GetMessage takes an array parameter `labels` whose `items` are `items`; `shared` writes
    it in `#/parameters`, used by GetMessage and ListFolders."""

    def change(swagger: Swagger) -> None:
        add_callee(swagger)
        parameter = {
            "name": "labels",
            "in": location,
            "type": "array",
            "items": copy.deepcopy(items),
            "x-ms-summary": "Labels",
            "description": "The labels to filter by.",
        }
        if not shared:
            get_message(swagger)["parameters"].append(parameter)
            return
        swagger["parameters"] = {"Labels": parameter}
        reference = {"$ref": "#/parameters/Labels"}
        get_message(swagger)["parameters"].append(reference)
        swagger["paths"]["/sites/{site}/folders"]["get"]["parameters"].append(reference)

    return change


def calling(key: str, arguments: dict[str, Any], operation_id: str = "ListFolders") -> Any:
    """Items of strings whose dropdown the extension `key` fills by calling `operation_id`."""
    return {"type": "string", key: {"operationId": operation_id, "parameters": arguments}}


READ_ID_BY_NAME = {"site": {"parameter": "id"}}
READ_ID_BY_PATH = {"site": {"parameterReference": "id"}}

FAILING: list[tuple[Rule, Change, list[str], str]] = [
    (
        references.operation_id_references,
        labels(calling(VALUES, {}, "ListLabels")),
        [f"{LABELS}/{VALUES}/operationId"],
        "'ListLabels' named by x-ms-dynamic-values does not exist",
    ),
    (  # the items of an array of arrays
        references.operation_id_references,
        labels({"type": "array", "items": calling(LIST, {}, "ListLabels")}),
        [f"{LABELS}/items/{LIST}/operationId"],
        "'ListLabels' named by x-ms-dynamic-list does not exist",
    ),
    (
        references.dynamic_parameters,
        labels(calling(LIST, {**READ_ID_BY_PATH, "folder": {"value": "a"}})),
        [f"{LABELS}/{LIST}/parameters/folder"],
        "passes 'folder' to the operation 'ListFolders', which has no parameter 'folder'",
    ),
    (
        references.dynamic_sources,
        labels(calling(VALUES, {"site": {"parameter": "siteId"}})),
        [f"{LABELS}/{VALUES}/parameters/site/parameter"],
        "reads 'siteId' for 'site' from the operation 'GetMessage'",
    ),
    (
        references.dynamic_sources,
        labels(calling(LIST, {"site": {"parameterReference": "siteId"}}), "formData"),
        [f"{LABELS}/{LIST}/parameters/site/parameterReference"],
        "reads 'siteId' for 'site' from the operation 'GetMessage'",
    ),
    (  # read with each operation that takes the shared parameter: ListFolders has no `id`
        references.dynamic_sources,
        labels(calling(VALUES, READ_ID_BY_NAME), shared=True),
        [f"{SHARED}/{VALUES}/parameters/site/parameter"],
        "reads 'id' for 'site' from the operation 'ListFolders'",
    ),
    (
        references.dynamic_required,
        labels(calling(LIST, {})),
        [f"{LABELS}/{LIST}"],
        "calls 'ListFolders' without its required parameter(s) 'site'",
    ),
    (
        extensions.shape,
        labels({"type": "string", VALUES: {"value-path": "id"}}),
        [f"{LABELS}/{VALUES}"],
        "'x-ms-dynamic-values' needs exactly one of 'operationId'",
    ),
    (
        extensions.shape,
        labels({"type": "array", "items": {"type": "string", "x-ms-summary": 5}}),
        [f"{LABELS}/items/x-ms-summary"],
        "'x-ms-summary' must be a string",
    ),
    (
        extensions.enum_value,
        labels({"type": "string", "x-ms-visibility": "hidden"}),
        [f"{LABELS}/x-ms-visibility"],
        "The value 'hidden' of 'x-ms-visibility'",
    ),
    (
        extensions.name_invalid,
        labels({"type": "string", "description": "One label."}),
        [f"{LABELS}/description"],
        "'description' is not a Swagger 2.0 key of an items object",
    ),
    (
        structure.parameter_shape,
        labels({"type": "strng"}),
        [f"{LABELS}/type"],
        "The items of the query parameter 'labels' have 'type' \"strng\"",
    ),
    (  # an items object describes an element sent as text: never an object
        structure.parameter_shape,
        labels({"type": "array", "items": {"type": "object"}}, "formData"),
        [f"{LABELS}/items/type"],
        "The items of the formData parameter 'labels' have 'type' \"object\"",
    ),
    (  # a missing type is not reported as the JSON value null
        structure.parameter_shape,
        labels({"enum": ["a", "b"]}),
        [LABELS],
        "The items of the query parameter 'labels' have no 'type'; use one of",
    ),
    (
        structure.parameter_shape,
        labels({"type": "array"}),
        [LABELS],
        "The items of the query parameter 'labels' are arrays and need an 'items' object",
    ),
    (
        structure.parameter_shape,
        labels({"type": "string", "enum": "a"}),
        [f"{LABELS}/enum"],
        "'enum' must be an array",
    ),
    (
        structure.default_matches_schema,
        labels({"type": "array", "items": {"type": "integer", "default": "1"}}),
        [f"{LABELS}/items/default"],
        'The default "1" is not of the declared type integer',
    ),
]

PASSING: list[tuple[Rule, Change]] = [
    (references.operation_id_references, labels(calling(VALUES, READ_ID_BY_NAME))),
    (references.dynamic_parameters, labels(calling(LIST, READ_ID_BY_PATH))),
    (references.dynamic_sources, labels(calling(VALUES, READ_ID_BY_NAME), "formData")),
    (references.dynamic_sources, labels(calling(LIST, READ_ID_BY_PATH))),
    (  # a literal is read from no operation, so ListFolders need not have `id`
        references.dynamic_sources,
        labels(calling(VALUES, {"site": "main"}), shared=True),
    ),
    (references.dynamic_required, labels(calling(VALUES, READ_ID_BY_NAME))),
    (
        extensions.shape,
        labels({"type": "string", "x-ms-summary": "Label", **calling(VALUES, READ_ID_BY_NAME)}),
    ),
    (extensions.enum_value, labels({"type": "string", "x-ms-visibility": "advanced"})),
    (
        extensions.name_invalid,
        labels(
            {
                "type": "array",
                "collectionFormat": "csv",
                "maxItems": 3,
                "items": {"type": "string", "enum": ["a", "b"], "x-ms-summary": "Label"},
            }
        ),
    ),
    (  # an internal, required parameter's items are not themselves required
        parameters.internal_required_default,
        labels({"type": "string", "x-ms-visibility": "internal"}),
    ),
    (
        structure.parameter_shape,
        labels({"type": "array", "items": {"type": "integer", "enum": [1, 2]}}, "formData"),
    ),
    (
        structure.default_matches_schema,
        labels({"type": "string", "enum": ["a", "b"], "default": "a"}),
    ),
]


test_breaking_items_are_reported, test_correct_items_are_clean = table_tests(FAILING, PASSING)


def test_the_items_of_a_body_parameter_are_left_to_its_schema(minimal_swagger: Swagger) -> None:
    """`items` written on a body parameter itself (not in its `schema`) are not an items object
    of the request, so they are not checked as one."""
    labels({"type": "string", "description": "One label."}, "body")(minimal_swagger)
    assert run_rule(extensions.name_invalid, make_package(minimal_swagger)) == []


ODD_ITEMS: list[Any] = [None, "string", [], [{"type": "string"}], {"items": "x"}, {"items": []}]
ALL_RULES = (*references.RULES, *extensions.RULES, *parameters.RULES)


@pytest.mark.parametrize("items", ODD_ITEMS, ids=repr)
def test_items_of_any_shape_do_not_crash_the_rules(items: Any, minimal_swagger: Swagger) -> None:
    labels({"type": "string", VALUES: {"operationId": "ListLabels"}})(minimal_swagger)
    get_message(minimal_swagger)["parameters"][1]["items"] = items
    package = make_package(minimal_swagger)
    for rule in ALL_RULES:
        found = run_rule(rule, package)
        assert all("/items" not in problem.pointer for problem in found), rule.id
    for rule in structure.RULES:  # which report the odd items themselves
        run_rule(rule, package)
