"""The schema rules (SCH-01 to SCH-03, formats): a breaking and a passing fragment each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lint_packages import make_package, run_rule, table_tests

from retarus_connector.lint.model import Rule
from retarus_connector.lint.rules import schemas

Swagger = dict[str, Any]
Change = Callable[[Swagger], None]
OP = "/paths/~1messages~1{id}/get"
PARAM = f"{OP}/parameters/0"
PROPERTY = "/definitions/Message/properties/id"


def set_property(key: str, value: Any) -> Change:
    def change(swagger: Swagger) -> None:
        swagger["definitions"]["Message"]["properties"]["id"][key] = value

    return change


def set_param(key: str, value: Any) -> Change:
    def change(swagger: Swagger) -> None:
        swagger["paths"]["/messages/{id}"]["get"]["parameters"][0][key] = value

    return change


def set_definition(value: Any) -> Change:
    def change(swagger: Swagger) -> None:
        swagger["definitions"]["Message"] = value

    return change


def set_response(code: str, response: Any) -> Change:
    def change(swagger: Swagger) -> None:
        swagger["paths"]["/messages/{id}"]["get"]["responses"][code] = response

    return change


def internal_operation(value: Any) -> Change:
    def change(swagger: Swagger) -> None:
        swagger["definitions"]["Message"] = value
        swagger["paths"]["/messages/{id}"]["get"]["x-ms-visibility"] = "internal"

    return change


def body_parameter(schema: Any) -> Change:
    def change(swagger: Swagger) -> None:
        swagger["paths"]["/messages"] = {
            "post": {
                "operationId": "SendMessage",
                "summary": "Send a message",
                "description": "Sends one message.",
                "parameters": [
                    {
                        "name": "body",
                        "in": "body",
                        "schema": schema,
                        "x-ms-summary": "Message",
                        "description": "The message to send.",
                    }
                ],
                "responses": {"201": {"description": "Sent."}},
            }
        }

    return change


def param_example(value: Any, **constraints: Any) -> Change:
    def change(swagger: Swagger) -> None:
        parameter = swagger["paths"]["/messages/{id}"]["get"]["parameters"][0]
        parameter.update(constraints, **{"x-example": value})

    return change


FAILING: list[tuple[Rule, Change, list[str], str]] = [
    (
        schemas.example_valid,
        set_property("example", 5),
        [f"{PROPERTY}/example"],
        "not of the declared type string",
    ),
    (
        schemas.example_valid,
        param_example("fast", pattern="^[0-9]+$"),
        [f"{PARAM}/x-example"],
        "does not match the pattern",
    ),
    (
        schemas.example_valid,
        param_example("slow", enum=["fast", "normal"]),
        [f"{PARAM}/x-example"],
        "not one of the enum values",
    ),
    (schemas.empty_text, set_property("title", ""), [f"{PROPERTY}/title"], "'title' must not be"),
    (schemas.empty_text, set_property("description", " "), [f"{PROPERTY}/description"], "empty"),
    (
        schemas.empty_text,
        set_response("200", {"description": "", "schema": {"$ref": "#/definitions/Message"}}),
        [f"{OP}/responses/200/description"],
        "response '200'",
    ),
    (schemas.empty_text, set_param("format", ""), [f"{PARAM}/format"], "'format' must not be"),
    (
        schemas.identifier_text,
        set_property("x-ms-summary", "messageId"),
        [f"{PROPERTY}/x-ms-summary"],
        "looks like an identifier",
    ),
    (
        schemas.identifier_text,
        set_param("description", "message_id"),
        [f"{PARAM}/description"],
        "'message_id'",
    ),
    (
        schemas.identifier_text,
        set_property("description", "ID"),
        [f"{PROPERTY}/description"],
        "repeats the name 'id'",
    ),
    (
        schemas.untyped,
        set_definition({"type": "object"}),
        ["/definitions/Message"],
        "object without 'properties'",
    ),
    (
        schemas.untyped,
        set_response("200", {"description": "The message.", "schema": {}}),
        [f"{OP}/responses/200/schema"],
        "declares no 'type'",
    ),
    (
        schemas.untyped,
        body_parameter({"description": "Anything."}),
        ["/paths/~1messages/post/parameters/0/schema"],
        "request body of SendMessage",
    ),
    (
        schemas.format_value,
        set_property("format", "datetime"),
        [f"{PROPERTY}/format"],
        "'datetime'",
    ),
    (schemas.format_value, set_param("format", "guid"), [f"{PARAM}/format"], "'guid'"),
]

PASSING: list[tuple[Rule, Change]] = [
    (schemas.example_valid, set_property("example", "M-1")),
    (schemas.example_valid, param_example("12", pattern="^[0-9]+$")),
    (schemas.example_valid, param_example("x", pattern="(?<=unreadable")),
    (schemas.example_valid, set_property("example", None)),
    (schemas.empty_text, set_property("title", "Message ID")),
    (schemas.identifier_text, set_property("x-ms-summary", "Status")),
    (schemas.identifier_text, set_property("description", "The ID of the message.")),
    (
        schemas.untyped,
        set_definition({"type": "object", "additionalProperties": {"type": "string"}}),
    ),
    (
        schemas.untyped,
        set_definition({"type": "object", "x-ms-dynamic-schema": {"operationId": "GetMessage"}}),
    ),
    (schemas.untyped, internal_operation({"type": "object"})),
    (schemas.untyped, body_parameter({"type": "string", "format": "binary"})),
    (schemas.format_value, set_property("format", "date-no-tz")),
    (schemas.format_value, set_property("format", "html")),
    (schemas.format_value, set_param("format", "uuid")),
    (schemas.format_value, set_property("format", "")),  # schema-empty-text reports it
]


test_breaking_fragment_is_reported, test_passing_fragment_is_clean = table_tests(FAILING, PASSING)


def test_a_shared_untyped_schema_is_reported_once(minimal_swagger: Swagger) -> None:
    minimal_swagger["definitions"]["Message"] = {"type": "object"}
    minimal_swagger["paths"]["/messages/{id}"]["put"] = {
        "operationId": "ReplaceMessage",
        "summary": "Replace a message",
        "description": "Replaces one message.",
        "responses": {"200": {"description": "OK.", "schema": {"$ref": "#/definitions/Message"}}},
    }
    found = run_rule(schemas.untyped, make_package(minimal_swagger))
    assert [problem.pointer for problem in found] == ["/definitions/Message"]


def test_declared_severities() -> None:
    # each rule's default severity is what users read in the rules table and what the corpus
    # totals are counted in; changing one has to be a deliberate edit of this table too
    assert {rule.id: rule.severity.value for rule in schemas.RULES} == {
        "schema-empty-text": "warning",
        "schema-identifier-text": "warning",
        "schema-untyped": "warning",
        "schema-format": "error",
        "schema-example-valid": "warning",
    }
