"""The policy template rules (section 2 table): a breaking and a passing fragment each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from certification_samples import clean_properties
from lint_packages import make_package, run_rule, table_tests

from retarus_connector.lint.model import FileKind, Package, Problem, Rule
from retarus_connector.lint.rules import policies

Properties = dict[str, Any]
Change = Callable[[Properties], None]
INSTANCE = "/properties/policyTemplateInstances/0"
PREFIX = "x-ms-apimTemplateParameter."


def instance(document: Properties) -> dict[str, Any]:
    result: dict[str, Any] = document["properties"]["policyTemplateInstances"][0]
    return result


def set_field(key: str, value: Any) -> Change:
    def change(document: Properties) -> None:
        instance(document)[key] = value

    return change


def drop_field(key: str) -> Change:
    def change(document: Properties) -> None:
        del instance(document)[key]

    return change


def set_parameter(key: str, value: Any) -> Change:
    def change(document: Properties) -> None:
        instance(document)["parameters"][key] = value

    return change


def drop_parameter(key: str) -> Change:
    def change(document: Properties) -> None:
        del instance(document)["parameters"][key]

    return change


def replace(template_id: str, parameters: dict[str, Any]) -> Change:
    def change(document: Properties) -> None:
        document["properties"]["policyTemplateInstances"] = [
            {"templateId": template_id, "title": "A policy", "parameters": parameters}
        ]

    return change


def add_raw(value: Any) -> Change:
    def change(document: Properties) -> None:
        document["properties"]["policyTemplateInstances"].append(value)

    return change


FAILING: list[tuple[Rule, Change, list[str], str]] = [
    (
        policies.template_shape,
        drop_parameter(PREFIX + "value"),
        [f"{INSTANCE}/parameters"],
        "'x-ms-apimTemplateParameter.value'",
    ),
    (policies.template_shape, drop_field("title"), [INSTANCE], "needs a 'title'"),
    (policies.template_shape, drop_field("templateId"), [INSTANCE], "'templateId'"),
    (policies.template_shape, set_field("parameters", []), [INSTANCE], "'parameters' object"),
    (
        policies.template_shape,
        add_raw("setheader"),
        ["/properties/policyTemplateInstances/1"],
        "must be an object",
    ),
    (
        policies.template_shape,
        replace("DynamicHostUrl", {}),
        [f"{INSTANCE}/parameters"],
        "urlTemplate",
    ),
    (
        policies.parameter_values,
        replace(
            "pollingtrigger",
            {PREFIX + "triggerConfig": "limit", PREFIX + "triggerDataPath": "@body().value"},
        ),
        [f"{INSTANCE}/parameters/{PREFIX}triggerConfig"],
        "'triggerConfig' must be an object",
    ),
    (
        policies.template_shape,
        replace("pollingtrigger", {PREFIX + "triggerConfig": {}}),
        [f"{INSTANCE}/parameters"],
        "triggerDataPath",
    ),
    (
        policies.template_unknown,
        replace("copyproperties", {}),
        [f"{INSTANCE}/templateId"],
        "Unknown policy template 'copyproperties'",
    ),
    (
        policies.template_unknown,
        set_parameter(PREFIX + "Name", "X"),
        [f"{INSTANCE}/parameters/{PREFIX}Name"],
        "does not take",
    ),
    (
        policies.parameter_values,
        set_parameter("x-ms-apimTemplate-policySection", "Failure2"),
        [f"{INSTANCE}/parameters/x-ms-apimTemplate-policySection"],
        "Request, Response, Failure",
    ),
    (
        policies.parameter_values,
        set_parameter(PREFIX + "existsAction", "replace"),
        [f"{INSTANCE}/parameters/{PREFIX}existsAction"],
        "'replace'",
    ),
    (
        policies.parameter_values,
        set_parameter("x-ms-apimTemplate-operationName", "GetMessage"),
        [f"{INSTANCE}/parameters/x-ms-apimTemplate-operationName"],
        "array of operationIds",
    ),
    (
        policies.parameter_values,
        replace(
            "routerequesttoendpoint", {PREFIX + "newPath": "/v2", PREFIX + "httpMethod": "FETCH"}
        ),
        [f"{INSTANCE}/parameters/{PREFIX}httpMethod"],
        "'FETCH'",
    ),
    (
        policies.parameter_values,
        replace(
            "setvaluefromurl",
            {
                PREFIX + "parameterTemplate": "a",
                PREFIX + "parameterValueUrl": "b",
                PREFIX + "parameterValuePathTemplate": "c",
                PREFIX + "httpMethod": "DELETE",
            },
        ),
        [f"{INSTANCE}/parameters/{PREFIX}httpMethod"],
        "GET, POST, PUT",
    ),
    (
        policies.parameter_values,
        replace(
            "convertarraytoobject",
            {
                PREFIX + "propertyParentPath": "a",
                PREFIX + "keyWithinCollectionPath": "b",
                PREFIX + "newPropertyPath": "c",
                PREFIX + "retainKey": True,
            },
        ),
        [f"{INSTANCE}/parameters/{PREFIX}retainKey"],
        "retainKey",
    ),
]

PASSING: list[tuple[Rule, Change]] = [
    # undocumented templates that certified connectors use, with the parameters they pass
    (
        policies.template_unknown,
        replace("setconnectionstatustounauthenticated", {PREFIX + "statusCode": 401}),
    ),
    (
        policies.template_unknown,
        replace(
            "moveproperties",
            {
                PREFIX + "srcParentPath": "@body()",
                PREFIX + "srcSubPath": "customProperties",
                PREFIX + "dstParentPath": "@body()",
                PREFIX + "dstSubPath": "null",
                PREFIX + "copyOnlySubProperties": "true",
            },
        ),
    ),
    (
        policies.template_unknown,
        replace(
            "dynamicsubdomain", {PREFIX + "urlTemplate": "https://@connectionParameters('s').x.com"}
        ),
    ),
    (
        policies.template_shape,
        replace(
            "dynamicsubdomain", {PREFIX + "urlTemplate": "https://@connectionParameters('s').x.com"}
        ),
    ),
    (policies.template_shape, replace("dynamicHostUrl", {PREFIX + "urlTemplate": "https://x"})),
    (
        policies.template_unknown,
        replace("SetHeader", {PREFIX + "name": "a", PREFIX + "value": "b"}),
    ),
    (
        policies.parameter_values,
        replace(
            "routerequesttoendpoint",
            {PREFIX + "newPath": "/v2", PREFIX + "httpMethod": "@Request.OriginalHTTPMethod"},
        ),
    ),
    # setheader alone may also act on failures
    (policies.parameter_values, set_parameter("x-ms-apimTemplate-policySection", "Failure")),
    (policies.template_shape, set_field("type", "PollingTrigger")),
    # every required parameter of these templates present, under its own name
    (
        policies.template_shape,
        replace(
            "convertarraytoobject",
            {
                PREFIX + "propertyParentPath": "@body().items",
                PREFIX + "keyWithinCollectionPath": "id",
                PREFIX + "newPropertyPath": "@body().byId",
            },
        ),
    ),
    (
        policies.template_shape,
        replace(
            "stringreplace",
            {
                PREFIX + "propertyParentPath": "@body()",
                PREFIX + "sourceString": "a",
                PREFIX + "replacementString": "b",
                PREFIX + "newPropertyPath": "@body().text",
            },
        ),
    ),
    (
        policies.template_shape,
        replace(
            "stringtoarray",
            {
                PREFIX + "propertyParentPath": "@body()",
                PREFIX + "delimiterList": ",",
                PREFIX + "childPropertyName": "value",
                PREFIX + "newPropertyPath": "@body().list",
            },
        ),
    ),
]


def _package(change: Change, minimal_swagger: Any) -> Package:
    document = clean_properties()
    change(document)
    return make_package(minimal_swagger, document)


def _place(problem: Problem) -> str:
    assert problem.file is FileKind.PROPERTIES
    return problem.pointer


test_breaking_fragment_is_reported, test_passing_fragment_is_clean = table_tests(
    FAILING, PASSING, _package, _place
)


def test_response_section_is_not_failure_for_other_templates(minimal_swagger: Any) -> None:
    document = clean_properties()
    replace(
        "setqueryparameter",
        {
            PREFIX + "name": "a",
            PREFIX + "value": "b",
            "x-ms-apimTemplate-policySection": "Failure",
        },
    )(document)
    (problem,) = run_rule(policies.parameter_values, make_package(minimal_swagger, document))
    assert "must be one of Request, Response, not 'Failure'" in problem.message


def test_declared_severities() -> None:
    # each rule's default severity is what users read in the rules table and what the corpus
    # totals are counted in; changing one has to be a deliberate edit of this table too
    assert {rule.id: rule.severity.value for rule in policies.RULES} == {
        "policy-template-shape": "error",
        "policy-template-unknown": "warning",
        "policy-parameter-values": "error",
        "policy-host-injection": "warning",
    }


# policy-host-injection: (URL template, the GetMessage parameter it may read, the operations
# the policy names or None for all) -> whether the host can be chosen freely per call.
HEADER = {"name": "region", "in": "header", "type": "string", "x-ms-summary": "Region"}
INJECTION: list[tuple[str, str, dict[str, Any] | None, list[str] | None, bool]] = [
    ("header in host", "https://@headers('region').contoso.example", HEADER, None, True),
    # header names are matched without regard to case, as HTTP does
    ("header case", "https://api.@headers('Region','eu')/v1", HEADER, ["GetMessage"], True),
    (
        "query in host",
        "https://@queryParameters('region').contoso.example",
        {**HEADER, "in": "query"},
        None,
        True,
    ),
    (
        "path placeholder in host",
        "https://{region}.contoso.example",
        {**HEADER, "in": "path", "required": True},
        None,
        True,
    ),
    ("whole origin", "@headers('region')/v1", HEADER, None, True),
    (
        "enum with a user-info value",
        "https://@headers('region').contoso.example",
        {**HEADER, "enum": ["eu", "x@attacker.example:443/"]},
        None,
        True,
    ),
    (
        "array header",
        "https://@headers('region').contoso.example",
        {**HEADER, "type": "array", "items": {"type": "string"}, "enum": ["eu"]},
        None,
        True,
    ),
    (
        "enum of host names",
        "https://@headers('region').x.example",
        {**HEADER, "enum": ["eu", "us-2"]},
        None,
        False,
    ),
    (
        "integer type",
        "https://r@headers('region')-api.x.example",
        {**HEADER, "type": "integer"},
        None,
        False,
    ),
    ("value in the path", "https://api.contoso.example/@headers('region')", HEADER, None, False),
    ("value in the query", "https://api.contoso.example?r=@headers('region')", HEADER, None, False),
    ("connection value", "https://@connectionParameters('host')/v1", HEADER, None, False),
    ("not declared", "https://@headers('region').contoso.example", None, None, False),
    ("other operations", "https://@headers('region').contoso.example", HEADER, ["Other"], False),
    ("malformed expression", "https://@headers(region).contoso.example", HEADER, None, False),
]


@pytest.mark.parametrize(
    ("template", "parameter", "names", "flagged"),
    [case[1:] for case in INJECTION],
    ids=[case[0] for case in INJECTION],
)
def test_host_injection(
    template: str,
    parameter: dict[str, Any] | None,
    names: list[str] | None,
    flagged: bool,
    minimal_swagger: Any,
) -> None:
    if parameter is not None:
        minimal_swagger["paths"]["/messages/{id}"]["get"]["parameters"].append(parameter)
    parameters: dict[str, Any] = {PREFIX + "urlTemplate": template}
    if names is not None:
        parameters["x-ms-apimTemplate-operationName"] = names
    document = clean_properties()
    replace("dynamichosturl", parameters)(document)
    found = run_rule(policies.host_injection, make_package(minimal_swagger, document))
    if not flagged:
        assert found == []
        return
    (problem,) = found
    assert problem.pointer == f"{INSTANCE}/parameters/{PREFIX}urlTemplate"
    assert problem.file is FileKind.PROPERTIES
    assert "GetMessage" in problem.message
    assert problem.message.startswith("Security:")
