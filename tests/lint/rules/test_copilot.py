"""The Copilot readiness rules (AI-01, AI-02): a breaking and a passing fragment each."""

from __future__ import annotations

from typing import Any

from lint_packages import make_package, run_rule

from retarus_connector.lint.model import Profile
from retarus_connector.lint.rules import copilot

OP = "/paths/~1messages~1{id}/get"


def add_send(swagger: Any, **extra: Any) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": "SendMessage",
        "summary": "Send a message",
        "description": "Sends one message to one recipient.",
        "responses": {"201": {"description": "Sent."}},
        **extra,
    }
    swagger["paths"]["/messages"] = {"post": operation}
    return operation


def openai(operation_id: str, confirm: Any = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"operationId": operation_id}
    if confirm is not None:
        entry["x-ms-require-user-confirmation"] = confirm
    return {"openai-enabled": True, "operations": [entry]}


MANIFEST = {
    "humanName": "Contoso Messages",
    "modelDescription": "Sends and reads text messages.",
    "contactEmail": "a@contoso.example",
    "legalUrl": "https://contoso.example/legal",
}


def test_twin_summaries_are_reported(minimal_swagger: Any) -> None:
    add_send(minimal_swagger, summary="Get a message.")
    (problem,) = run_rule(copilot.operation_distinct, make_package(minimal_swagger))
    assert problem.pointer == "/paths/~1messages/post/summary"
    assert "same as that of GetMessage" in problem.message


def test_twin_descriptions_are_reported(minimal_swagger: Any) -> None:
    add_send(minimal_swagger, description="Returns one message by its identifier")
    (problem,) = run_rule(copilot.operation_distinct, make_package(minimal_swagger))
    assert problem.pointer == "/paths/~1messages/post/description"


def test_distinct_or_hidden_twins_pass(minimal_swagger: Any) -> None:
    add_send(minimal_swagger)
    assert run_rule(copilot.operation_distinct, make_package(minimal_swagger)) == []
    add_send(minimal_swagger, summary="Get a message", **{"x-ms-visibility": "internal"})
    assert run_rule(copilot.operation_distinct, make_package(minimal_swagger)) == []


def test_twins_are_milder_for_custom_connectors() -> None:
    rule = copilot.operation_distinct
    assert rule.severity_for(Profile.CUSTOM).rank < rule.severity_for(Profile.CERTIFIED).rank


def test_write_operations_exposed_to_copilots_ask_for_confirmation(minimal_swagger: Any) -> None:
    minimal_swagger["x-ms-openai-manifest"] = MANIFEST
    add_send(minimal_swagger, **{"x-ms-openai-data": openai("SendMessage", confirm=False)})
    (problem,) = run_rule(copilot.openai_data, make_package(minimal_swagger))
    assert problem.pointer == "/paths/~1messages/post/x-ms-openai-data/operations/0"
    assert "x-ms-require-user-confirmation" in problem.message
    add_send(minimal_swagger, **{"x-ms-openai-data": openai("SendMessage", confirm=True)})
    assert run_rule(copilot.openai_data, make_package(minimal_swagger)) == []


def test_reads_need_no_confirmation(minimal_swagger: Any) -> None:
    minimal_swagger["x-ms-openai-manifest"] = MANIFEST
    minimal_swagger["paths"]["/messages/{id}"]["get"]["x-ms-openai-data"] = openai("GetMessage")
    assert run_rule(copilot.openai_data, make_package(minimal_swagger)) == []


def test_openai_data_shape_and_manifest(minimal_swagger: Any) -> None:
    minimal_swagger["paths"]["/messages/{id}"]["get"]["x-ms-openai-data"] = {
        "openai-enabled": "yes",
        "operations": [{"x-ms-require-user-confirmation": False}],
    }
    minimal_swagger["x-ms-openai-manifest"] = {"humanName": "Contoso"}
    messages = [p.message for p in run_rule(copilot.openai_data, make_package(minimal_swagger))]
    assert messages[0] == "'x-ms-openai-data' needs 'openai-enabled': true or false"
    assert messages[1] == "Each entry needs a string 'operationId'"
    assert messages[2:] == [
        f"'x-ms-openai-manifest' needs a '{field}'"
        for field in ("modelDescription", "contactEmail", "legalUrl")
    ]


def test_enabled_operations_need_a_manifest(minimal_swagger: Any) -> None:
    minimal_swagger["paths"]["/messages/{id}"]["get"]["x-ms-openai-data"] = openai("GetMessage")
    (problem,) = run_rule(copilot.openai_data, make_package(minimal_swagger))
    assert "no 'x-ms-openai-manifest'" in problem.message


def test_declared_severities() -> None:
    # each rule's default severity is what users read in the rules table and what the corpus
    # totals are counted in; changing one has to be a deliberate edit of this table too
    assert {rule.id: rule.severity.value for rule in copilot.RULES} == {
        "copilot-operation-distinct": "warning",
        "copilot-openai-data": "info",
    }
