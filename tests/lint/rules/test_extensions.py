"""The x-ms-* extension rules (SCH-05, OP-12, shapes, placement): a breaking and a passing
fragment each."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from lint_packages import make_package, run_rule, table_tests

from retarus_connector.lint.model import Rule, Severity
from retarus_connector.lint.rules import extensions

Swagger = dict[str, Any]
Change = Callable[[Swagger], None]
OP = "/paths/~1messages~1{id}/get"
PARAM = f"{OP}/parameters/0"
PROPERTY = "/definitions/Message/properties/id"


def on_op(key: str, value: Any) -> Change:
    def change(swagger: Swagger) -> None:
        swagger["paths"]["/messages/{id}"]["get"][key] = value

    return change


def on_param(key: str, value: Any) -> Change:
    def change(swagger: Swagger) -> None:
        swagger["paths"]["/messages/{id}"]["get"]["parameters"][0][key] = value

    return change


def on_property(key: str, value: Any) -> Change:
    def change(swagger: Swagger) -> None:
        swagger["definitions"]["Message"]["properties"]["id"][key] = value

    return change


def on_info(key: str, value: Any) -> Change:
    def change(swagger: Swagger) -> None:
        swagger["info"][key] = value

    return change


def on_response(key: str, value: Any) -> Change:
    def change(swagger: Swagger) -> None:
        swagger["paths"]["/messages/{id}"]["get"]["responses"]["200"][key] = value

    return change


def example_with_extension_key(swagger: Swagger) -> None:
    swagger["definitions"]["Message"]["example"] = {"x-ms-anything": 1}
    swagger["definitions"]["Message"]["properties"]["x-ms-named-property"] = {
        "type": "string",
        "x-ms-summary": "Odd Name",
        "description": "A property whose name looks like an extension.",
    }


def response_by_reference(swagger: Swagger) -> None:
    swagger["paths"]["/messages/{id}"]["get"]["responses"]["404"] = {"$ref": "#/responses/NotFound"}
    swagger["responses"] = {"NotFound": {"description": "No such message."}}


def on_root(key: str, value: Any) -> Change:
    def change(swagger: Swagger) -> None:
        swagger[key] = value

    return change


def added_parameter(location: str, **extra: Any) -> Change:
    def change(swagger: Swagger) -> None:
        parameter: dict[str, Any] = {"name": "filter", "in": location, **extra}
        if location == "body":
            parameter["schema"] = {"type": "object"}
        else:
            parameter["type"] = "string"
        swagger["paths"]["/messages/{id}"]["get"]["parameters"].append(parameter)

    return change


FAILING: list[tuple[Rule, Change, list[str], str]] = [
    (
        extensions.unknown_extension,
        on_op("x-ms-visiblity", "advanced"),
        [f"{OP}/x-ms-visiblity"],
        "ExtensionNameNotValid",
    ),
    (
        extensions.unknown_extension,
        on_property("x-ms-apimTemplate-operationName", ["GetMessage"]),
        [f"{PROPERTY}/x-ms-apimTemplate-operationName"],
        "not a known x-ms extension",
    ),
    (
        # a header object is swagger: a misspelt extension inside it is still one
        extensions.unknown_extension,
        on_response("headers", {"x-ms-request-id": {"type": "string", "x-ms-summmary": "Id"}}),
        [f"{OP}/responses/200/headers/x-ms-request-id/x-ms-summmary"],
        "'x-ms-summmary'",
    ),
    (
        extensions.name_invalid,
        on_property("nullable", True),
        [f"{PROPERTY}/nullable"],
        "ExtensionNameNotValid: 'nullable' is not a Swagger 2.0 key of a schema",
    ),
    (
        extensions.name_invalid,
        on_op("scriptOperations", ["GetMessage"]),
        [f"{OP}/scriptOperations"],
        "of an operation",
    ),
    (extensions.name_invalid, on_param("label", "ID"), [f"{PARAM}/label"], "of a parameter"),
    (
        extensions.name_invalid,
        on_response("summary", "The message"),
        [f"{OP}/responses/200/summary"],
        "of a response",
    ),
    (extensions.name_invalid, on_info("owner", "Contoso"), ["/info/owner"], "of an info"),
    (
        extensions.enum_value,
        on_op("x-ms-visibility", "hidden"),
        [f"{OP}/x-ms-visibility"],
        "'hidden'",
    ),
    (extensions.enum_value, on_op("x-ms-trigger", "polling"), [f"{OP}/x-ms-trigger"], "batch"),
    (
        extensions.enum_value,
        on_param("x-ms-url-encoding", "triple"),
        [f"{PARAM}/x-ms-url-encoding"],
        "single, double",
    ),
    (
        extensions.enum_value,
        on_property("x-ms-visibility", "Important"),
        [f"{PROPERTY}/x-ms-visibility"],
        "'Important'",
    ),
    (
        extensions.enum_value,
        on_property("x-ms-media-kind", "video"),
        [f"{PROPERTY}/x-ms-media-kind"],
        "image, audio",
    ),
    (
        extensions.shape,
        on_param("x-ms-dynamic-list", {"itemsPath": "value"}),
        [f"{PARAM}/x-ms-dynamic-list"],
        "needs an 'operationId'",
    ),
    (
        extensions.shape,
        on_param("x-ms-dynamic-values", {"operationId": "A", "capability": "file-picker"}),
        [f"{PARAM}/x-ms-dynamic-values"],
        "exactly one of",
    ),
    (
        extensions.shape,
        on_property("x-ms-notification-url", "true"),
        [f"{PROPERTY}/x-ms-notification-url"],
        "true or false",
    ),
    (extensions.shape, on_property("x-ms-summary", 7), [f"{PROPERTY}/x-ms-summary"], "string"),
    (
        extensions.shape,
        on_response("x-ms-summary", {}),
        [f"{OP}/responses/200/x-ms-summary"],
        "string",
    ),
    (
        extensions.shape,
        on_op("x-ms-api-annotation", {"status": "Beta"}),
        [f"{OP}/x-ms-api-annotation"],
        "'Beta'",
    ),
    (
        extensions.shape,
        on_op("x-ms-capabilities", {"chunkTransfer": "yes"}),
        [f"{OP}/x-ms-capabilities"],
        "chunkTransfer",
    ),
    (
        extensions.shape,
        on_param("x-ms-enum-values", ["a", "b"]),
        [f"{PARAM}/x-ms-enum-values"],
        "{value, displayName}",
    ),
    (
        extensions.shape,
        on_param("x-ms-dynamic-list", {"operationId": "GetMessage", "parameters": []}),
        [f"{PARAM}/x-ms-dynamic-list"],
        "'parameters' that are not an object",
    ),
    (
        extensions.shape,
        on_property("x-ms-dynamic-properties", {"itemValuePath": "value"}),
        [f"{PROPERTY}/x-ms-dynamic-properties"],
        "needs an 'operationId'",
    ),
    (
        extensions.shape,
        on_op("x-ms-api-annotation", {"status": "Preview", "revision": True}),
        [f"{OP}/x-ms-api-annotation"],
        "'revision'",
    ),
    (
        extensions.shape,
        on_op("x-ms-pageable", {"nextLinkName": 5}),
        [f"{OP}/x-ms-pageable"],
        "'nextLinkName'",
    ),
    (
        extensions.shape,
        on_info("x-ms-deployment-version", "v1"),
        ["/info/x-ms-deployment-version"],
        "dotted version",
    ),
    (
        extensions.shape,
        on_info("x-ms-api-annotation", {"status": "Beta"}),
        ["/info/x-ms-api-annotation"],
        "'Beta' that is not Production or Preview",
    ),
    (
        extensions.shape,
        on_root("x-ms-capabilities", {"testConnection": {"parameters": {}}}),
        ["/x-ms-capabilities"],
        "a 'testConnection' that needs an 'operationId'",
    ),
    (
        extensions.shape,
        on_root(
            "x-ms-capabilities", {"file-picker": {"open": {"operationId": "A", "parameters": []}}}
        ),
        ["/x-ms-capabilities"],
        "'file-picker.open' that has 'parameters' that are not an object",
    ),
    (
        extensions.shape,
        on_root("x-ms-capabilities", {"file-picker": True}),
        ["/x-ms-capabilities"],
        "'file-picker' that is not an object",
    ),
    (
        extensions.placement,
        on_property("x-ms-trigger", "single"),
        [f"{PROPERTY}/x-ms-trigger"],
        "belongs on an operation, not on a schema",
    ),
    (
        extensions.placement,
        on_param("x-ms-pageable", {"nextLinkName": "next"}),
        [f"{PARAM}/x-ms-pageable"],
        "not on a parameter",
    ),
    (
        extensions.placement,
        on_op("x-ms-dynamic-values", {"operationId": "GetMessage"}),
        [f"{OP}/x-ms-dynamic-values"],
        "belongs on a parameter or a schema, not on an operation",
    ),
    (
        extensions.placement,
        added_parameter("body", **{"x-ms-url-encoding": "single"}),
        [f"{OP}/parameters/1/x-ms-url-encoding"],
        "path and query parameters only, not to a body parameter",
    ),
    (
        extensions.placement,
        on_property("x-ms-url-encoding", "double"),
        [f"{PROPERTY}/x-ms-url-encoding"],
        "not to a schema",
    ),
    (
        extensions.placement,
        added_parameter("query", type="array", items={"type": "string", "x-ms-trigger": "single"}),
        [f"{OP}/parameters/1/items/x-ms-trigger"],
        "belongs on an operation, not on the items of a parameter",
    ),
]

PASSING: list[tuple[Rule, Change]] = [
    (extensions.unknown_extension, on_op("x-ms-openai-data", {"openai-enabled": False})),
    (extensions.unknown_extension, on_info("x-ms-keywords", ["sms"])),
    (extensions.unknown_extension, on_op("x-contoso-internal", True)),
    (extensions.unknown_extension, example_with_extension_key),
    (extensions.unknown_extension, on_op("x-ms-notification", {"operationId": "Subscribe"})),
    (extensions.unknown_extension, on_property("default", {"x-ms-anything": 1})),
    # response header names are HTTP headers the service sends, not extensions
    (
        extensions.unknown_extension,
        on_response(
            "headers",
            {
                "x-ms-async-operation-timeout": {"type": "string"},
                "x-ms-request-id": {"type": "string", "x-ms-summary": "Request ID"},
            },
        ),
    ),
    (extensions.name_invalid, on_property("x-nullable", True)),
    (extensions.name_invalid, on_param("enum", ["a", "b"])),
    (extensions.name_invalid, response_by_reference),
    (extensions.name_invalid, on_param("x-contoso-hint", "anything")),
    (extensions.name_invalid, on_property("example", {"nullable": True})),
    (extensions.enum_value, on_op("x-ms-visibility", "advanced")),
    (extensions.enum_value, on_param("x-ms-url-encoding", "double")),
    (extensions.shape, on_param("x-ms-dynamic-values", {"builtInOperation": "AadGraph.GetUsers"})),
    (
        extensions.shape,
        on_param("x-ms-dynamic-list", {"operationId": "GetMessage", "parameters": {}}),
    ),
    (extensions.shape, on_op("x-ms-api-annotation", {"status": "Preview", "revision": 2})),
    (extensions.shape, on_param("x-ms-enum-values", [{"value": "a", "displayName": "A"}])),
    (extensions.shape, on_op("x-ms-pageable", {"nextLinkName": "@odata.nextLink"})),
    (extensions.shape, on_info("x-ms-deployment-version", "1.0.3")),
    (extensions.shape, on_info("x-ms-api-annotation", {"status": "Production"})),
    (
        extensions.shape,
        on_root("x-ms-capabilities", {"testConnection": {"operationId": "GetMessage"}}),
    ),
    (extensions.shape, on_root("x-ms-capabilities", {"file-picker": {"browse": {}}})),
    (extensions.placement, on_param("x-ms-url-encoding", "double")),
    (extensions.placement, added_parameter("query", **{"x-ms-url-encoding": "double"})),
    (extensions.placement, on_op("x-ms-trigger", "batch")),
    (extensions.placement, on_op("x-ms-capabilities", {"chunkTransfer": True})),
    (extensions.placement, on_property("x-ms-dynamic-values", {"operationId": "GetMessage"})),
    (extensions.placement, on_param("x-ms-notification-url", True)),
]


test_breaking_fragment_is_reported, test_passing_fragment_is_clean = table_tests(FAILING, PASSING)


def test_unknown_extension_without_the_file_text_walks_the_document(
    minimal_swagger: Swagger,
) -> None:
    """The text scan is only a shortcut: without text the walk finds the same keys."""
    minimal_swagger["info"]["x-ms-unheard-of"] = 1
    package = make_package(minimal_swagger)
    with_text = run_rule(extensions.unknown_extension, package)
    document = package.documents[next(iter(package.documents))]
    document.text = None
    without_text = run_rule(extensions.unknown_extension, package)
    assert (
        [p.pointer for p in with_text]
        == [p.pointer for p in without_text]
        == ["/info/x-ms-unheard-of"]
    )


def test_extension_keys_inside_examples_are_ignored_by_the_walk(minimal_swagger: Swagger) -> None:
    """The text scan sees the key in the example, so the walk runs, and finds nothing."""
    example_with_extension_key(minimal_swagger)
    package = make_package(minimal_swagger)
    assert '"x-ms-anything":' in json.dumps(minimal_swagger)
    assert run_rule(extensions.unknown_extension, package) == []


def test_summary_types_are_checked_without_the_file_text(minimal_swagger: Swagger) -> None:
    on_property("x-ms-summary", ["Message", "ID"])(minimal_swagger)
    package = make_package(minimal_swagger)
    with_text = run_rule(extensions.shape, package)
    package.documents[next(iter(package.documents))].text = None
    without_text = run_rule(extensions.shape, package)
    assert (
        [p.pointer for p in with_text]
        == [p.pointer for p in without_text]
        == [f"{PROPERTY}/x-ms-summary"]
    )


def test_name_invalid_is_an_error_except_for_custom_connectors() -> None:
    # Microsoft's validator rejects a certified package with such a key; a custom one only warns
    assert extensions.name_invalid.severity is Severity.ERROR


def test_declared_severities() -> None:
    # each rule's default severity is what users read in the rules table and what the corpus
    # totals are counted in; changing one has to be a deliberate edit of this table too
    assert {rule.id: rule.severity.value for rule in extensions.RULES} == {
        "extension-unknown": "error",
        "extension-name-invalid": "error",
        "extension-enum-value": "error",
        "extension-shape": "error",
        "extension-placement": "warning",
    }
