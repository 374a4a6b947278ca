"""The policy template rules (section 2 table): a breaking and a passing fragment each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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


# policy-host-injection rows change both files: the URL template of a dynamichosturl policy,
# the GetMessage parameter it may read (None: none) and the operations it names (None: all).
@dataclass(frozen=True)
class Host:
    template: str
    parameter: dict[str, Any] | None
    names: list[str] | None = None


def _host_package(row: Host, minimal_swagger: Any) -> Package:
    if row.parameter is not None:
        minimal_swagger["paths"]["/messages/{id}"]["get"]["parameters"].append(row.parameter)
    parameters: dict[str, Any] = {PREFIX + "urlTemplate": row.template}
    if row.names is not None:
        parameters["x-ms-apimTemplate-operationName"] = row.names
    return _package(replace("dynamichosturl", parameters), minimal_swagger)


HEADER = {"name": "region", "in": "header", "type": "string", "x-ms-summary": "Region"}
URL_TEMPLATE = [f"{INSTANCE}/parameters/{PREFIX}urlTemplate"]
HOST_FAILING: list[tuple[Rule, Host, list[str], str]] = [
    (
        policies.host_injection,
        Host("https://@headers('region').contoso.example", HEADER),
        URL_TEMPLATE,
        "Security: the policy 'dynamichosturl' builds the host from the header parameter "
        "'region', which GetMessage lets take any value",
    ),
    # header names are matched without regard to case, as HTTP does
    (
        policies.host_injection,
        Host("https://api.@headers('Region','eu')/v1", HEADER, ["GetMessage"]),
        URL_TEMPLATE,
        "header parameter 'Region'",
    ),
    (
        policies.host_injection,
        Host("https://@queryParameters('region').x.example", {**HEADER, "in": "query"}),
        URL_TEMPLATE,
        "query parameter 'region'",
    ),
    (
        policies.host_injection,
        Host("https://{region}.x.example", {**HEADER, "in": "path", "required": True}),
        URL_TEMPLATE,
        "path parameter 'region'",
    ),
    # before the scheme, the value may give the whole origin
    (policies.host_injection, Host("@headers('region')/v1", HEADER), URL_TEMPLATE, "'region'"),
    (
        policies.host_injection,
        Host(
            "https://@headers('region').x.example",
            {**HEADER, "enum": ["eu", "x@attacker.example/"]},
        ),
        URL_TEMPLATE,
        "'region'",
    ),
    (
        policies.host_injection,
        Host(
            "https://@headers('region').x.example",
            {**HEADER, "type": "array", "items": {"type": "string"}, "enum": ["eu"]},
        ),
        URL_TEMPLATE,
        "'region'",
    ),
]
HOST_PASSING: list[tuple[Rule, Host]] = [
    (
        policies.host_injection,
        Host("https://@headers('region').x.example", {**HEADER, "enum": ["eu", "us-2"]}),
    ),
    (
        policies.host_injection,
        Host("https://r@headers('region')-api.x.example", {**HEADER, "type": "integer"}),
    ),
    (policies.host_injection, Host("https://api.x.example/@headers('region')", HEADER)),
    (policies.host_injection, Host("https://api.x.example?r=@headers('region')", HEADER)),
    (policies.host_injection, Host("https://@connectionParameters('host')/v1", HEADER)),
    (policies.host_injection, Host("https://@headers('region').x.example", None)),
    (policies.host_injection, Host("https://@headers('region').x.example", HEADER, ["Other"])),
    (policies.host_injection, Host("https://@headers(region).x.example", HEADER)),
]

test_host_injection_is_reported, test_host_injection_passing_is_clean = table_tests(
    HOST_FAILING, HOST_PASSING, _host_package, _place
)
