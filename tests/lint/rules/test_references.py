"""The cross-reference rules (REF-01 to REF-03): a breaking and a passing fragment each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from certification_samples import clean_properties
from lint_packages import make_package, run_rule

from retarus_connector.lint.model import FileKind, Rule
from retarus_connector.lint.rules import references

Swagger = dict[str, Any]
Properties = dict[str, Any]
Change = Callable[[Swagger, Properties], None]
OP = "/paths/~1messages~1{id}/get"
PARAM = f"{OP}/parameters/0"
POLICY = "/properties/policyTemplateInstances/0/parameters"


def operation(swagger: Swagger) -> dict[str, Any]:
    result: dict[str, Any] = swagger["paths"]["/messages/{id}"]["get"]
    return result


def policy(properties: Properties) -> dict[str, Any]:
    result: dict[str, Any] = properties["properties"]["policyTemplateInstances"][0]["parameters"]
    return result


def dynamic_values(operation_id: str) -> Change:
    def change(swagger: Swagger, properties: Properties) -> None:
        operation(swagger)["parameters"][0]["x-ms-dynamic-values"] = {
            "operationId": operation_id,
            "value-path": "id",
        }

    return change


def response_dynamic_schema(swagger: Swagger, properties: Properties) -> None:
    operation(swagger)["responses"]["200"]["schema"] = {
        "type": "object",
        "x-ms-dynamic-schema": {"operationId": "GetMessageSchema"},
    }


def operation_extension(key: str, value: Any) -> Change:
    def change(swagger: Swagger, properties: Properties) -> None:
        operation(swagger)[key] = value

    return change


def connection_test(operation_id: str) -> Change:
    def change(swagger: Swagger, properties: Properties) -> None:
        swagger["x-ms-capabilities"] = {"testConnection": {"operationId": operation_id}}

    return change


def script_operations(names: list[Any]) -> Change:
    def change(swagger: Swagger, properties: Properties) -> None:
        properties["properties"]["scriptOperations"] = names

    return change


def policy_operations(names: list[str]) -> Change:
    def change(swagger: Swagger, properties: Properties) -> None:
        policy(properties)["x-ms-apimTemplate-operationName"] = names

    return change


def policy_value(value: str) -> Change:
    def change(swagger: Swagger, properties: Properties) -> None:
        policy(properties)["x-ms-apimTemplateParameter.value"] = value

    return change


def header_parameter(name: str) -> Change:
    def change(swagger: Swagger, properties: Properties) -> None:
        operation(swagger)["parameters"].append(
            {
                "name": name,
                "in": "header",
                "type": "string",
                "x-ms-summary": "Region",
                "description": "The region.",
            }
        )
        policy(properties)["x-ms-apimTemplateParameter.value"] = "@headers('X-Region')"

    return change


def security(definition: dict[str, Any]) -> Change:
    def change(swagger: Swagger, properties: Properties) -> None:
        swagger["securityDefinitions"] = {"auth": definition}

    return change


def connection_type(name: str, kind: str) -> Change:
    def change(swagger: Swagger, properties: Properties) -> None:
        properties["properties"]["connectionParameters"][name]["type"] = kind

    return change


FAILING: list[tuple[Rule, Change, list[tuple[FileKind, str]], str]] = [
    (
        references.operation_id_references,
        dynamic_values("ListRegions"),
        [(FileKind.SWAGGER, f"{PARAM}/x-ms-dynamic-values/operationId")],
        "'ListRegions' named by x-ms-dynamic-values does not exist",
    ),
    (
        references.operation_id_references,
        dynamic_values("getmessage"),
        [(FileKind.SWAGGER, f"{PARAM}/x-ms-dynamic-values/operationId")],
        "spelled 'GetMessage'",
    ),
    (
        references.operation_id_references,
        response_dynamic_schema,
        [(FileKind.SWAGGER, f"{OP}/responses/200/schema/x-ms-dynamic-schema/operationId")],
        "x-ms-dynamic-schema",
    ),
    (
        references.operation_id_references,
        operation_extension("x-ms-notification", {"operationId": "Unsubscribe"}),
        [(FileKind.SWAGGER, f"{OP}/x-ms-notification/operationId")],
        "'Unsubscribe'",
    ),
    (
        references.operation_id_references,
        operation_extension("x-ms-operation-context", {"simulate": {"operationId": "SimulateGet"}}),
        [(FileKind.SWAGGER, f"{OP}/x-ms-operation-context/simulate/operationId")],
        "x-ms-operation-context",
    ),
    (
        references.operation_id_references,
        operation_extension(
            "x-ms-openai-data", {"openai-enabled": True, "operations": [{"operationId": "Nope"}]}
        ),
        [(FileKind.SWAGGER, f"{OP}/x-ms-openai-data/operations/0/operationId")],
        "x-ms-openai-data",
    ),
    (
        references.operation_id_references,
        connection_test("Ping"),
        [(FileKind.SWAGGER, "/x-ms-capabilities/testConnection/operationId")],
        "'Ping'",
    ),
    (
        references.operation_id_references,
        script_operations(["GetMessage", "SendMessage"]),
        [(FileKind.PROPERTIES, "/properties/scriptOperations/1")],
        "scriptOperations",
    ),
    (
        references.operation_id_references,
        script_operations([42]),
        [(FileKind.PROPERTIES, "/properties/scriptOperations/0")],
        "must be a string",
    ),
    (
        references.operation_id_references,
        policy_operations(["GetMesage"]),
        [(FileKind.PROPERTIES, f"{POLICY}/x-ms-apimTemplate-operationName/0")],
        "the policy 'setheader'",
    ),
    (
        references.connection_parameter_references,
        policy_value("@connectionParameters('user')"),
        [(FileKind.PROPERTIES, f"{POLICY}/x-ms-apimTemplateParameter.value")],
        "@connectionParameters('user') names no connection parameter",
    ),
    (
        references.policy_request_values,
        header_parameter("X-Area"),
        [(FileKind.PROPERTIES, f"{POLICY}/x-ms-apimTemplateParameter.value")],
        "declare no header parameter 'X-Region' (GetMessage)",
    ),
    (
        references.security_connection,
        security({"type": "apiKey", "name": "X-Key", "in": "header"}),
        [(FileKind.SWAGGER, "/securityDefinitions/auth")],
        "'api_key'",
    ),
    (
        references.security_connection,
        connection_type("password", "string"),
        [(FileKind.SWAGGER, "/securityDefinitions/basic_auth")],
        "should be of type securestring",
    ),
    (
        references.security_connection,
        security({"type": "oauth2", "flow": "accessCode"}),
        [(FileKind.SWAGGER, "/securityDefinitions/auth")],
        "'token' of type oauthSetting",
    ),
]

PASSING: list[tuple[Rule, Change]] = [
    (references.operation_id_references, dynamic_values("GetMessage")),
    (references.operation_id_references, script_operations([])),
    (references.operation_id_references, connection_test("GetMessage")),
    (
        references.operation_id_references,
        operation_extension("x-ms-dynamic-values", {"capability": "file-picker"}),
    ),
    (
        references.connection_parameter_references,
        policy_value("@connectionParameters('password','')"),
    ),
    (references.policy_request_values, header_parameter("x-region")),  # headers ignore case
    (references.security_connection, connection_type("username", "string")),
]


def _ids(cases: list[Any]) -> list[str]:
    return [f"{case[0].id}-{index}" for index, case in enumerate(cases)]


@pytest.mark.parametrize(("rule", "change", "places", "fragment"), FAILING, ids=_ids(FAILING))
def test_breaking_fragment_is_reported(
    rule: Rule,
    change: Change,
    places: list[tuple[FileKind, str]],
    fragment: str,
    minimal_swagger: Swagger,
) -> None:
    props = clean_properties()
    change(minimal_swagger, props)
    found = run_rule(rule, make_package(minimal_swagger, props))
    assert [(problem.file, problem.pointer) for problem in found] == places
    assert fragment in found[0].message


@pytest.mark.parametrize(("rule", "change"), PASSING, ids=_ids(PASSING))
def test_passing_fragment_is_clean(rule: Rule, change: Change, minimal_swagger: Swagger) -> None:
    props = clean_properties()
    change(minimal_swagger, props)
    assert run_rule(rule, make_package(minimal_swagger, props)) == []


def test_policy_without_an_operation_list_applies_to_every_operation(
    minimal_swagger: Swagger,
) -> None:
    props = clean_properties()
    del policy(props)["x-ms-apimTemplate-operationName"]
    policy(props)["x-ms-apimTemplateParameter.value"] = "@queryParameters('lang')"
    found = run_rule(references.policy_request_values, make_package(minimal_swagger, props))
    assert len(found) == 1
    assert "1 targeted operation(s) declare no query parameter 'lang'" in found[0].message


def test_connection_parameter_sets_count_as_defined(minimal_swagger: Swagger) -> None:
    props = clean_properties()
    parameters = props["properties"].pop("connectionParameters")
    props["properties"]["connectionParameterSets"] = {
        "uiDefinition": {"displayName": "Authentication", "description": "Choose one."},
        "values": [{"name": "basic", "parameters": parameters}],
    }
    package = make_package(minimal_swagger, props)
    assert run_rule(references.connection_parameter_references, package) == []
    assert run_rule(references.security_connection, package) == []
