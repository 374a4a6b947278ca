"""The operation rules (OP-01 to OP-11): a breaking and a passing fragment each."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import pytest
from lint_packages import add_webhook, make_package, run_rule, table_tests

from retarus_connector.lint.model import Rule
from retarus_connector.lint.rules import operations, parameters

Swagger = dict[str, Any]
Change = Callable[[Swagger], None]
OP = "/paths/~1messages~1{id}/get"
WEBHOOK = "/paths/~1subscriptions/post"


def operation(swagger: Swagger) -> dict[str, Any]:
    result: dict[str, Any] = swagger["paths"]["/messages/{id}"]["get"]
    return result


def set_op(key: str, value: Any) -> Change:
    def change(swagger: Swagger) -> None:
        operation(swagger)[key] = value

    return change


def drop_op(key: str) -> Change:
    def change(swagger: Swagger) -> None:
        del operation(swagger)[key]

    return change


def set_responses(value: Any) -> Change:
    return set_op("responses", value)


def webhook(**options: bool) -> Change:
    def change(swagger: Swagger) -> None:
        add_webhook(swagger, **options)

    return change


def post_without_schema(swagger: Swagger) -> None:
    swagger["paths"]["/messages"] = {
        "post": {
            "operationId": "SendMessage",
            "summary": "Send a message",
            "description": "Sends one message.",
            "responses": {"200": {"description": "Sent."}},
        }
    }


def add_path(path: str, item: Any) -> Change:
    def change(swagger: Swagger) -> None:
        swagger["paths"][path] = item

    return change


FAILING: list[tuple[Rule, Change, list[str], str]] = [
    (operations.path_empty, add_path("/old", {}), ["/paths/~1old"], "'/old' holds no operation"),
    (
        operations.path_empty,
        add_path("/old/{id}", {"parameters": [{"name": "id", "in": "path"}]}),
        ["/paths/~1old~1{id}"],
        "holds no operation",
    ),
    (operations.summary_required, drop_op("summary"), [OP], "'summary' property is required"),
    (operations.summary_required, set_op("summary", "  "), [OP], "GetMessage"),
    (operations.description_required, drop_op("description"), [OP], "'description' property"),
    (
        operations.summary_characters,
        set_op("summary", "Get status/report"),
        [f"{OP}/summary"],
        "restricted characters",
    ),
    (operations.summary_length, set_op("summary", "Get " * 21), [f"{OP}/summary"], "'80'"),
    (operations.summary_style, set_op("summary", "Get a message."), [f"{OP}/summary"], "'.'"),
    (
        operations.summary_style,
        set_op("summary", " Get a message"),
        [f"{OP}/summary"],
        "whitespace",
    ),
    (
        operations.description_style,
        set_op("description", "get a message"),
        [f"{OP}/description"],
        "repeats the summary",
    ),
    (
        operations.description_style,
        set_op("description", "Returns one message"),
        [f"{OP}/description"],
        "period",
    ),
    (operations.operation_id_required, drop_op("operationId"), [OP], "GET /messages/{id}"),
    (
        operations.operation_id_style,
        set_op("operationId", "get_message"),
        [f"{OP}/operationId"],
        "'get_message'",
    ),
    (
        operations.default_response_schema,
        set_responses(
            {
                "200": {"description": "OK."},
                "default": {"description": "Error.", "schema": {"type": "object"}},
            }
        ),
        [f"{OP}/responses/default/schema"],
        "DefaultResponseHasSchema",
    ),
    (
        operations.success_response,
        set_responses({"default": {"description": "Anything."}}),
        [f"{OP}/responses"],
        "no success (2xx) response",
    ),
    (
        operations.success_response,
        set_responses({"200": {"description": "The message."}}),
        [f"{OP}/responses/200"],
        "no 'schema'",
    ),
    (operations.webhook_callback, webhook(marked=False), [WEBHOOK], "never learns where"),
    (
        operations.webhook_callback,
        webhook(trigger=False, content=False),
        ["/definitions/Subscription/properties/url/x-ms-notification-url"],
        "OnMessage marks a callback URL",
    ),
    (
        operations.webhook_callback,
        webhook(trigger=False, content=False, in_header=True),
        [f"{WEBHOOK}/parameters/0/x-ms-notification-url"],
        "nor a webhook action",
    ),
]

PASSING: list[tuple[Rule, Change]] = [
    (operations.path_empty, webhook()),
    # a path item kept for its extension (a notification schema) is not empty
    (operations.path_empty, add_path("/events", {"x-ms-notification-content": {}})),
    (operations.summary_characters, set_op("summary", "Get a message (by ID)")),
    (operations.summary_length, set_op("summary", "G" * 80)),
    (operations.summary_style, set_op("summary", "Get a message (v2)")),
    (operations.description_style, set_op("description", 'Returns the message "as is."')),
    (operations.operation_id_style, set_op("operationId", "GetMessageV2")),
    (
        operations.default_response_schema,
        set_responses({"200": {"description": "OK."}, "default": {"description": "Error."}}),
    ),
    (operations.success_response, set_responses({"204": {"description": "Nothing to return."}})),
    (operations.success_response, set_responses({"302": {"description": "Moved."}})),
    (operations.success_response, post_without_schema),  # only reads must describe their data
    (operations.success_response, set_responses("not an object")),  # a structure finding
    (operations.webhook_callback, webhook()),  # in the body, through allOf and $ref
    (operations.webhook_callback, webhook(in_header=True)),
    (operations.webhook_callback, webhook(content=False)),
    # a webhook action: subscribes with the marked callback URL and waits for one call back
    (operations.webhook_callback, webhook(trigger=False)),
    (operations.webhook_callback, webhook(trigger=False, in_header=True)),
    (operations.webhook_callback, set_op("x-ms-trigger", "batch")),  # a polling trigger
]


test_breaking_fragment_is_reported, test_passing_fragment_is_clean = table_tests(FAILING, PASSING)


def test_shared_responses_are_followed(minimal_swagger: Swagger) -> None:
    minimal_swagger["responses"] = {
        "Error": {"description": "Error.", "schema": {"type": "object"}}
    }
    operation(minimal_swagger)["responses"]["default"] = {"$ref": "#/responses/Error"}
    (problem,) = run_rule(operations.default_response_schema, make_package(minimal_swagger))
    assert problem.pointer == "/responses/Error/schema"


def _trigger(operation_id: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A path item with a webhook trigger whose body is `schema`."""
    return {
        "x-ms-notification-content": {"description": "An event.", "schema": {"type": "object"}},
        "post": {
            "operationId": operation_id,
            "summary": "When an event happens",
            "description": "Triggers on an event.",
            "x-ms-trigger": "single",
            "parameters": [{"name": "body", "in": "body", "required": True, "schema": schema}],
            "responses": {"201": {"description": "Subscribed."}},
        },
    }


def test_a_marked_definition_counts_for_every_operation_that_uses_it(
    minimal_swagger: Swagger,
) -> None:
    # the definition is walked once and its marks reused: each user must still see them
    add_webhook(minimal_swagger)
    minimal_swagger["paths"]["/more"] = _trigger("OnMore", {"$ref": "#/definitions/Subscription"})
    minimal_swagger["paths"]["/action"] = {
        "post": {
            "operationId": "Act",
            "summary": "Act",
            "description": "Acts.",
            "parameters": [
                {
                    "name": "body",
                    "in": "body",
                    "schema": {"$ref": "#/definitions/Subscription"},
                }
            ],
            "responses": {"200": {"description": "Done."}},
        }
    }
    found = run_rule(operations.webhook_callback, make_package(minimal_swagger))
    assert [(problem.pointer, "nor a webhook action" in problem.message) for problem in found] == [
        ("/definitions/Subscription/properties/url/x-ms-notification-url", True)
    ]


def test_notification_content_on_the_operation_makes_a_webhook(minimal_swagger: Swagger) -> None:
    # Microsoft's extension list puts x-ms-notification-content on operations; the platform
    # reads it there as on the path item
    add_webhook(minimal_swagger, trigger=False, content=False)
    subscription = minimal_swagger["paths"]["/subscriptions"]["post"]
    subscription["x-ms-notification-content"] = {"schema": {"$ref": "#/definitions/Message"}}
    assert run_rule(operations.webhook_callback, make_package(minimal_swagger)) == []
    subscription["x-ms-trigger"] = "single"
    del minimal_swagger["definitions"]["Subscription"]["properties"]["url"]["x-ms-notification-url"]
    found = run_rule(operations.webhook_callback, make_package(minimal_swagger))
    assert [problem.pointer for problem in found] == [WEBHOOK]


@pytest.mark.parametrize("spot", ["body", "deeper", "parameter"])
def test_a_broken_reference_is_left_to_ref_target(minimal_swagger: Swagger, spot: str) -> None:
    # the callback URL is marked in the definition the misspelt reference was meant to name
    add_webhook(minimal_swagger)
    subscription = minimal_swagger["paths"]["/subscriptions"]["post"]
    body = subscription["parameters"][0]
    if spot == "body":
        body["schema"] = {"$ref": "#/definitions/Subscriptoin"}
    elif spot == "deeper":
        minimal_swagger["definitions"]["Envelope"] = {
            "type": "object",
            "properties": {"data": {"$ref": "#/definitions/Subscriptoin"}},
        }
        body["schema"] = {"$ref": "#/definitions/Envelope"}
    else:
        minimal_swagger["parameters"] = {"Body": body}
        subscription["parameters"] = [{"$ref": "#/parameters/Bdoy"}]
    assert run_rule(operations.webhook_callback, make_package(minimal_swagger)) == []


def test_a_new_package_of_an_edited_swagger_is_walked_again(minimal_swagger: Swagger) -> None:
    # the walk is shared by the two callback rules of one package, not across packages: an
    # editor that changes the swagger in place and lints it again must see the change
    add_webhook(minimal_swagger)
    assert run_rule(parameters.notification_url_internal, make_package(minimal_swagger)) == []
    properties = minimal_swagger["definitions"]["Subscription"]["properties"]
    del properties["url"]["x-ms-notification-url"]
    properties["hook"] = {"type": "string", "x-ms-notification-url": True}
    found = run_rule(parameters.notification_url_internal, make_package(minimal_swagger))
    assert [problem.pointer for problem in found] == ["/definitions/Subscription/properties/hook"]


def test_a_reference_cycle_does_not_hide_a_mark_from_a_later_operation(
    minimal_swagger: Swagger,
) -> None:
    # From A the walk reaches B and cuts B's way back to A; what it saw under B then lacks
    # A's mark, so it must not be reused for the trigger whose body starts at B.
    minimal_swagger["definitions"]["A"] = {
        "type": "object",
        "properties": {
            "url": {"type": "string", "x-ms-notification-url": True},
            "next": {"$ref": "#/definitions/B"},
        },
    }
    minimal_swagger["definitions"]["B"] = {
        "type": "object",
        "properties": {"back": {"$ref": "#/definitions/A"}},
    }
    minimal_swagger["paths"]["/a"] = _trigger("OnA", {"$ref": "#/definitions/A"})
    minimal_swagger["paths"]["/b"] = _trigger("OnB", {"$ref": "#/definitions/B"})
    assert run_rule(operations.webhook_callback, make_package(minimal_swagger)) == []


def test_a_reference_chain_deeper_than_the_recursion_limit_is_walked(
    minimal_swagger: Swagger,
) -> None:
    # each definition refers to the next; the walk keeps its frames on a list, not the stack
    depth = sys.getrecursionlimit() + 200
    definitions = minimal_swagger["definitions"]
    for level in range(depth):
        definitions[f"Level{level}"] = {
            "type": "object",
            "properties": {"next": {"$ref": f"#/definitions/Level{level + 1}"}},
        }
    definitions[f"Level{depth}"] = {
        "type": "object",
        "properties": {"url": {"type": "string", "x-ms-notification-url": True}},
    }
    minimal_swagger["paths"]["/deep"] = _trigger("OnDeep", {"$ref": "#/definitions/Level0"})
    package = make_package(minimal_swagger)
    assert run_rule(operations.webhook_callback, package) == []
    found = run_rule(parameters.notification_url_internal, package)
    assert [problem.pointer for problem in found] == [f"/definitions/Level{depth}/properties/url"]


def test_declared_severities() -> None:
    # each rule's default severity is what users read in the rules table and what the corpus
    # totals are counted in; changing one has to be a deliberate edit of this table too
    assert {rule.id: rule.severity.value for rule in operations.RULES} == {
        "operation-summary-required": "error",
        "operation-description-required": "error",
        "operation-summary-characters": "error",
        "operation-summary-length": "warning",
        "operation-summary-style": "warning",
        "operation-description-style": "warning",
        "operation-id-required": "error",
        "operation-id-style": "info",
        "operation-default-response-schema": "error",
        "operation-success-response": "warning",
        "operation-webhook-callback": "error",
        "operation-path-empty": "warning",
    }
