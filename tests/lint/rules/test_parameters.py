"""The parameter rules (PRM-01, PRM-02, PRM-04, the hidden webhook callback): a breaking and a
passing fragment each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lint_packages import add_webhook, table_tests

from retarus_connector.lint.model import Rule
from retarus_connector.lint.rules import parameters

Swagger = dict[str, Any]
Change = Callable[[Swagger], None]
PARAM = "/paths/~1messages~1{id}/get/parameters/0"
PROPERTY = "/definitions/Message/properties/id"


def parameter(swagger: Swagger) -> dict[str, Any]:
    result: dict[str, Any] = swagger["paths"]["/messages/{id}"]["get"]["parameters"][0]
    return result


def set_param(key: str, value: Any) -> Change:
    def change(swagger: Swagger) -> None:
        parameter(swagger)[key] = value

    return change


def drop_param(key: str) -> Change:
    def change(swagger: Swagger) -> None:
        del parameter(swagger)[key]

    return change


def set_property(key: str, value: Any) -> Change:
    def change(swagger: Swagger) -> None:
        swagger["definitions"]["Message"]["properties"]["id"][key] = value

    return change


def shared_parameter(swagger: Swagger) -> None:
    """Move the parameter to #/parameters (without x-ms-summary) and reference it."""
    shared = dict(parameter(swagger))
    del shared["x-ms-summary"]
    swagger["parameters"] = {"Id": shared}
    swagger["paths"]["/messages/{id}"]["get"]["parameters"] = [{"$ref": "#/parameters/Id"}]


def internal_required_header(default: Any = None) -> Change:
    def change(swagger: Swagger) -> None:
        header = {
            "name": "X-Mode",
            "in": "header",
            "type": "string",
            "required": True,
            "x-ms-visibility": "internal",
            "x-ms-summary": "Mode",
            "description": "The processing mode.",
        }
        if default is not None:
            header["default"] = default
        swagger["paths"]["/messages/{id}"]["get"]["parameters"].append(header)

    return change


def internal_required_property(notification: bool = False) -> Change:
    def change(swagger: Swagger) -> None:
        message = swagger["definitions"]["Message"]
        message["required"] = ["id"]
        message["properties"]["id"]["x-ms-visibility"] = "internal"
        if notification:
            message["properties"]["id"]["x-ms-notification-url"] = True

    return change


def webhook(**options: bool) -> Change:
    def change(swagger: Swagger) -> None:
        add_webhook(swagger, **options)

    return change


def visible_callback_in_output(swagger: Swagger) -> None:
    """A property marked as callback URL in what the trigger returns, not in what it sends."""
    add_webhook(swagger)
    swagger["definitions"]["Message"]["properties"]["id"]["x-ms-notification-url"] = True


def body_parameter(schema: dict[str, Any]) -> Change:
    """A body parameter with `schema` and neither x-ms-summary nor description."""

    def change(swagger: Swagger) -> None:
        swagger["paths"]["/messages/{id}"]["get"]["parameters"].append(
            {"name": "body", "in": "body", "schema": schema}
        )

    return change


def unlabelled_internal(swagger: Swagger) -> None:
    del parameter(swagger)["x-ms-summary"]
    del parameter(swagger)["description"]
    parameter(swagger).update({"x-ms-visibility": "internal", "default": "1"})


WEBHOOK = "/paths/~1subscriptions/post"


def optional_callback(where: str) -> Change:
    """A webhook (see add_webhook) whose body parameter, or whose callback property, is not
    required, or whose callback travels in a header that is not."""

    def change(swagger: Swagger) -> None:
        add_webhook(swagger, in_header=where == "header")
        subscription = swagger["paths"]["/subscriptions"]["post"]
        if where == "property":
            swagger["definitions"]["Subscription"]["required"] = []
        else:
            subscription["parameters"][0]["required"] = False

    return change


FAILING: list[tuple[Rule, Change, list[str], str]] = [
    (
        parameters.webhook_callback_required,
        optional_callback("body"),
        [f"{WEBHOOK}/parameters/0"],
        "parameter 'body', which is not required",
    ),
    (
        parameters.webhook_callback_required,
        optional_callback("property"),
        [f"{WEBHOOK}/parameters/0/schema"],
        "optional property 'url'",
    ),
    (
        parameters.webhook_callback_required,
        optional_callback("header"),
        [f"{WEBHOOK}/parameters/0"],
        "'X-Callback', which is not required",
    ),
    # a body that is one text field shows the parameter's own label
    (
        parameters.summary_required,
        body_parameter({"type": "string"}),
        [f"{PARAM[:-1]}1"],
        "'body'",
    ),
    (
        parameters.description_required,
        body_parameter({"type": "integer"}),
        [f"{PARAM[:-1]}1"],
        "'body'",
    ),
    (parameters.summary_required, drop_param("x-ms-summary"), [PARAM], "'x-ms-summary' property"),
    (parameters.summary_required, shared_parameter, ["/parameters/Id"], "'id'"),
    (parameters.description_required, drop_param("description"), [PARAM], "'description'"),
    (
        parameters.summary_style,
        set_param("x-ms-summary", "message ID"),
        [f"{PARAM}/x-ms-summary"],
        "capital letter",
    ),
    (
        parameters.summary_style,
        set_param("x-ms-summary", "Send text Message"),
        [f"{PARAM}/x-ms-summary"],
        "title case ('text')",
    ),
    (
        parameters.summary_style,
        set_property("x-ms-summary", "Message identifier"),
        [f"{PROPERTY}/x-ms-summary"],
        "title case ('identifier')",
    ),
    (
        parameters.summary_style,
        set_param("x-ms-summary", "Id " * 30),
        [f"{PARAM}/x-ms-summary"],
        "'80'",
    ),
    (
        parameters.description_style,
        set_param("description", "The identifier of the message"),
        [f"{PARAM}/description"],
        "sentence",
    ),
    (
        parameters.internal_required_default,
        internal_required_header(),
        ["/paths/~1messages~1{id}/get/parameters/1"],
        "'X-Mode' is internal and required",
    ),
    (
        parameters.internal_required_default,
        internal_required_property(),
        [PROPERTY],
        "property 'id'",
    ),
    (
        parameters.notification_url_internal,
        webhook(internal=False),
        ["/definitions/Subscription/properties/url"],
        "not hidden",
    ),
    (
        parameters.notification_url_internal,
        webhook(internal=False, in_header=True),
        ["/paths/~1subscriptions/post/parameters/0"],
        "'x-ms-visibility: internal'",
    ),
]

PASSING: list[tuple[Rule, Change]] = [
    (parameters.webhook_callback_required, webhook()),  # through allOf and $ref, all required
    (parameters.webhook_callback_required, webhook(trigger=False)),  # a webhook action
    (parameters.summary_style, set_param("x-ms-summary", "Number of the Message to Get")),
    # a short word in lower case ("all") is allowed, from four letters on it is not
    (parameters.summary_style, set_param("x-ms-summary", "Get all Messages")),
    (parameters.description_style, set_param("description", "The identifier: see the list!")),
    (parameters.internal_required_default, internal_required_header(default="fast")),
    (parameters.internal_required_default, internal_required_property(notification=True)),
    (parameters.summary_required, set_param("x-ms-summary", "ID")),
    # the designer shows an object body's properties and never shows internal parameters
    (parameters.summary_required, body_parameter({"$ref": "#/definitions/Message"})),
    (parameters.description_required, body_parameter({"type": "object"})),
    (parameters.summary_required, unlabelled_internal),
    (parameters.description_required, unlabelled_internal),
    (parameters.notification_url_internal, webhook()),
    (parameters.notification_url_internal, webhook(in_header=True)),
    (parameters.notification_url_internal, visible_callback_in_output),
]


test_breaking_fragment_is_reported, test_passing_fragment_is_clean = table_tests(FAILING, PASSING)


def test_declared_severities() -> None:
    # each rule's default severity is what users read in the rules table and what the corpus
    # totals are counted in; changing one has to be a deliberate edit of this table too
    assert {rule.id: rule.severity.value for rule in parameters.RULES} == {
        "parameter-summary-required": "error",
        "parameter-description-required": "error",
        "parameter-summary-style": "warning",
        "parameter-description-style": "warning",
        "parameter-internal-required-default": "error",
        "parameter-notification-url-internal": "warning",
        "operation-webhook-callback-required": "warning",
    }
