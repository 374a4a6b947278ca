"""The cross-reference rules (REF-01 to REF-03): a breaking and a passing fragment each."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from certification_samples import clean_properties
from lint_packages import make_package, run_rule, table_tests

from retarus_connector.lint import engine
from retarus_connector.lint.model import FileKind, Package, Problem, Rule
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


def folders_operation(swagger: Swagger) -> None:
    """ListFolders, the operation the dynamic extensions below call: a path parameter, an
    optional query parameter and a required body whose `owner` lies in a definition."""
    swagger["paths"]["/sites/{site}/folders"] = {
        "post": {
            "operationId": "ListFolders",
            "parameters": [
                {"name": "site", "in": "path", "required": True, "type": "string"},
                {"name": "top", "in": "query", "type": "integer"},
                {
                    "name": "filter",
                    "in": "body",
                    "required": True,
                    "schema": {
                        "type": "object",
                        "properties": {
                            "kind": {"type": "string"},
                            "owner": {"$ref": "#/definitions/Owner"},
                        },
                    },
                },
            ],
            "responses": {"200": {"description": "The folders."}},
        }
    }
    swagger["definitions"]["Owner"] = {"type": "object", "properties": {"id": {"type": "string"}}}


def dynamic_call(key: str, arguments: dict[str, Any], where: str = "parameter") -> Change:
    """GetMessage's `id` parameter (or its 200 response schema, the Message definition it
    returns, or an unused definition) calls ListFolders."""

    def change(swagger: Swagger, properties: Properties) -> None:
        folders_operation(swagger)
        extension = {"operationId": "ListFolders", "parameters": arguments}
        if where == "response":
            operation(swagger)["responses"]["200"]["schema"] = {"type": "object", key: extension}
        elif where == "definition":
            swagger["definitions"]["Message"]["properties"]["id"][key] = extension
        elif where == "unused":
            swagger["definitions"]["Draft"] = {"type": "object", key: extension}
        else:
            operation(swagger)["parameters"][0][key] = extension

    return change


def definition_call(key: str, arguments: dict[str, Any], definition: str = "Owner") -> Change:
    """An extension in a definition that ListFolders' body reaches through `$ref`s: Owner
    directly (`filter/owner`), Person through Owner (`owner/manager`); Person refers back to
    Owner, a cycle the linter must survive."""

    def change(swagger: Swagger, properties: Properties) -> None:
        folders_operation(swagger)
        definitions = swagger["definitions"]
        definitions["Owner"]["properties"]["manager"] = {"$ref": "#/definitions/Person"}
        definitions["Person"] = {
            "type": "object",
            "properties": {"id": {"type": "string"}, "boss": {"$ref": "#/definitions/Owner"}},
        }
        extension = {"operationId": "ListFolders", "parameters": arguments}
        definitions[definition]["properties"]["id"][key] = extension

    return change


def shared_response_call(swagger: Swagger, properties: Properties) -> None:
    """GetMessage answers 200 with `#/responses/Found`, whose schema's dynamic properties
    read GetMessage's `messageId` (it has `id`)."""
    folders_operation(swagger)
    extension = {
        "operationId": "ListFolders",
        "parameters": {"site": {"parameterReference": "messageId"}},
    }
    swagger["responses"] = {
        "Found": {
            "description": "The message.",
            "schema": {"type": "object", "x-ms-dynamic-properties": extension},
        }
    }
    operation(swagger)["responses"]["200"] = {"$ref": "#/responses/Found"}


def shared_body_call(swagger: Swagger, properties: Properties) -> None:
    """A body in `#/parameters` whose schema is the Owner definition, taken by GetMessage; an
    extension in Owner reads `site`, which GetMessage lacks."""
    definition_call(VALUES, {"site": {"parameter": "site"}})(swagger, properties)
    swagger["parameters"] = {
        "OwnerBody": {
            "name": "owner",
            "in": "body",
            "schema": {"$ref": "#/definitions/Owner"},
            "x-ms-summary": "Owner",
            "description": "The owner.",
        }
    }
    operation(swagger)["parameters"].append({"$ref": "#/parameters/OwnerBody"})


def shared_parameter_call(swagger: Swagger, properties: Properties) -> None:
    """A parameter in `#/parameters` that reads the parameter `id`, used by GetMessage (which has `id`) and by
    ListFolders (which does not)."""
    folders_operation(swagger)
    swagger["parameters"] = {
        "Folder": {
            "name": "folder",
            "in": "query",
            "type": "string",
            "x-ms-dynamic-list": {
                "operationId": "ListFolders",
                "parameters": {
                    "site": {"parameterReference": "id"},
                    "filter": {"value": {}},
                },
            },
        }
    }
    reference = {"$ref": "#/parameters/Folder"}
    operation(swagger)["parameters"].append(reference)
    swagger["paths"]["/sites/{site}/folders"]["post"]["parameters"].append(reference)


AUTHORIZE = "https://login.contoso.example/authorize"
TOKEN = "https://login.contoso.example/token"


def oauth(
    provider: str,
    swagger_scopes: list[str],
    scopes: list[str],
    custom: dict[str, str] | None = None,
    token_url: str = TOKEN,
) -> Change:
    """An oauth2 security definition and a `token` connection parameter of `provider` with
    the given scopes on each side and custom parameters (by default the definition's URLs)."""

    def change(swagger: Swagger, properties: Properties) -> None:
        swagger["securityDefinitions"] = {
            "oauth2_auth": {
                "type": "oauth2",
                "flow": "accessCode",
                "authorizationUrl": AUTHORIZE,
                "tokenUrl": token_url,
                "scopes": {scope: scope for scope in swagger_scopes},
            }
        }
        swagger["security"] = [{"oauth2_auth": []}]
        values = (
            custom if custom is not None else {"authorizationUrl": AUTHORIZE, "tokenUrl": TOKEN}
        )
        properties["properties"]["connectionParameters"] = {
            "token": {
                "type": "oauthSetting",
                "oAuthSettings": {
                    "identityProvider": provider,
                    "clientId": "the-client-id",
                    "scopes": scopes,
                    "redirectUrl": "https://global.consent.azure-apim.net/redirect",
                    "customParameters": {key: {"value": value} for key, value in values.items()},
                },
            }
        }

    return change


OAUTH = "/securityDefinitions/oauth2_auth"


SITE = {"parameter": "id"}
VALUES = "x-ms-dynamic-values"
LIST = "x-ms-dynamic-list"
SCHEMA = "x-ms-dynamic-schema"


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
    (  # function names are read in any letter case, as the platform does
        references.connection_parameter_references,
        policy_value("@ConnectionParameters('user')"),
        [(FileKind.PROPERTIES, f"{POLICY}/x-ms-apimTemplateParameter.value")],
        "@ConnectionParameters('user') names no connection parameter",
    ),
    (
        references.policy_request_values,
        policy_value("@Headers('X-Region')"),
        [(FileKind.PROPERTIES, f"{POLICY}/x-ms-apimTemplateParameter.value")],
        "declare no header parameter 'X-Region'",
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
    (
        references.security_oauth,
        oauth("oauth2", ["read", "write"], ["read", "admin"]),
        [(FileKind.SWAGGER, f"{OAUTH}/scopes")],
        "only in the swagger 'write'; only in apiProperties.json 'admin'",
    ),
    (  # a scope written on one side only
        references.security_oauth,
        oauth("oauth2generic", [], ["read"]),
        [(FileKind.SWAGGER, f"{OAUTH}/scopes")],
        "only in the swagger none; only in apiProperties.json 'read'",
    ),
    (
        references.security_oauth,
        oauth("oauth2", ["read"], ["read"], token_url="https://login.contoso.example/oauth/token"),
        [(FileKind.SWAGGER, f"{OAUTH}/tokenUrl")],
        "The tokenUrl of the oauth2 security definition 'oauth2_auth' differs from the custom "
        "parameter 'tokenUrl' of the connection parameter 'token'",
    ),
    (
        references.dynamic_parameters,
        dynamic_call(VALUES, {"Site": SITE, "filter": {"value": {}}}),
        [(FileKind.SWAGGER, f"{PARAM}/x-ms-dynamic-values/parameters/Site")],
        "passes 'Site' to the operation 'ListFolders', which has no parameter or body "
        "property 'Site' (it is spelled 'site')",
    ),
    (
        references.dynamic_parameters,
        dynamic_call(
            LIST,
            {"site": {"parameterReference": "id"}, "filter/owner/name": {"value": "x"}},
        ),
        [(FileKind.SWAGGER, f"{PARAM}/x-ms-dynamic-list/parameters/filter~1owner~1name")],
        "declares no property 'owner/name' in its parameter 'filter'",
    ),
    (
        references.dynamic_parameters,
        dynamic_call(
            "x-ms-dynamic-schema",
            {"site": "main", "filter": {"value": {}}, "top2": 5},
            "definition",
        ),
        [
            (
                FileKind.SWAGGER,
                "/definitions/Message/properties/id/x-ms-dynamic-schema/parameters/top2",
            )
        ],
        "has no parameter or body property 'top2'",
    ),
    (
        references.dynamic_sources,
        dynamic_call(VALUES, {"site": {"parameter": "messageId"}, "filter": {"value": {}}}),
        [(FileKind.SWAGGER, f"{PARAM}/x-ms-dynamic-values/parameters/site/parameter")],
        "reads 'messageId' for 'site' from the operation 'GetMessage' it belongs to, which "
        "has no parameter or body property 'messageId'",
    ),
    (
        references.dynamic_sources,
        dynamic_call(
            "x-ms-dynamic-properties",
            {"site": {"parameterReference": "ID"}, "filter": {"value": {}}},
            "response",
        ),
        [
            (
                FileKind.SWAGGER,
                f"{OP}/responses/200/schema/x-ms-dynamic-properties/parameters/site/"
                "parameterReference",
            )
        ],
        "has no parameter 'ID' (it is spelled 'id')",
    ),
    (
        references.dynamic_sources,
        shared_parameter_call,
        [
            (
                FileKind.SWAGGER,
                "/parameters/Folder/x-ms-dynamic-list/parameters/site/parameterReference",
            )
        ],
        "from the operation 'ListFolders' it belongs to",
    ),
    (  # a definition in the body of the operation, at some depth (filter/owner)
        references.dynamic_sources,
        definition_call(VALUES, {"site": {"parameter": "region"}}),
        [
            (
                FileKind.SWAGGER,
                "/definitions/Owner/properties/id/x-ms-dynamic-values/parameters/site/parameter",
            )
        ],
        "reads 'region' for 'site' from the operation 'ListFolders' it belongs to (through "
        "'#/definitions/Owner'), which has no parameter or body property 'region'",
    ),
    (  # a definition reached through another one
        references.dynamic_sources,
        definition_call(LIST, {"site": {"parameterReference": "filter/owner/name"}}, "Person"),
        [
            (
                FileKind.SWAGGER,
                "/definitions/Person/properties/id/x-ms-dynamic-list/parameters/site/"
                "parameterReference",
            )
        ],
        "(through '#/definitions/Person'), which declares no property 'owner/name' in its "
        "parameter 'filter'",
    ),
    (  # a dynamic schema in a definition a response uses reads that operation's parameters
        references.dynamic_sources,
        dynamic_call(SCHEMA, {"site": {"parameter": "ID"}}, "definition"),
        [
            (
                FileKind.SWAGGER,
                "/definitions/Message/properties/id/x-ms-dynamic-schema/parameters/site/parameter",
            )
        ],
        "from the operation 'GetMessage' it belongs to (through '#/definitions/Message'), "
        "which has no parameter or body property 'ID' (it is spelled 'id')",
    ),
    (
        references.dynamic_sources,
        shared_response_call,
        [
            (
                FileKind.SWAGGER,
                "/responses/Found/schema/x-ms-dynamic-properties/parameters/site/"
                "parameterReference",
            )
        ],
        "from the operation 'GetMessage' it belongs to (through '#/responses/Found')",
    ),
    (  # a shared body parameter: only GetMessage takes it, and lacks `site`
        references.dynamic_sources,
        shared_body_call,
        [
            (
                FileKind.SWAGGER,
                "/definitions/Owner/properties/id/x-ms-dynamic-values/parameters/site/parameter",
            )
        ],
        "from the operation 'GetMessage' it belongs to (through '#/definitions/Owner')",
    ),
    (
        references.dynamic_required,
        dynamic_call(VALUES, {}),
        [(FileKind.SWAGGER, f"{PARAM}/x-ms-dynamic-values")],
        "calls 'ListFolders' without its required parameter(s) 'site', 'filter'",
    ),
    (
        references.dynamic_required,
        dynamic_call(LIST, {"site": {"parameterReference": "id"}, "kind": {"value": "a"}}),
        [(FileKind.SWAGGER, f"{PARAM}/x-ms-dynamic-list")],
        "'filter', which have no default",
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
    # "a b" in one entry names two scopes, as certified connectors write it on either side
    (references.security_oauth, oauth("oauth2", ["read write"], ["write", "read"])),
    (  # custom parameter names in another letter case (a certified connector's spelling)
        references.security_oauth,
        oauth("oauth2", ["read"], ["read"], {"AuthorizationUrl": AUTHORIZE, "TokenUrl": TOKEN}),
    ),
    (  # a URL missing on one side is left to the structure and properties rules
        references.security_oauth,
        oauth("oauth2", ["read"], ["read"], {"authorizationUrl": AUTHORIZE}),
    ),
    (  # aad signs in with a resource URI; its swagger definition is boilerplate
        references.security_oauth,
        oauth("aad", ["values"], ["User.Read"], {"resourceUri": "https://contoso.example"}),
    ),
    (  # oauth2generic URLs are templates with placeholders
        references.security_oauth,
        oauth("oauth2generic", ["read"], ["read"], {"tokenUrlTemplate": "https://{host}/token"}),
    ),
    # a body property passes and is read by its name in -values and -schema
    (
        references.dynamic_parameters,
        dynamic_call(VALUES, {"site": SITE, "top": 10, "kind": "a", "filter/owner/id": "b"}),
    ),
    (
        references.dynamic_parameters,
        dynamic_call(LIST, {"site": {"value": "a"}, "filter/owner/id": {"value": "b"}}),
    ),
    (references.dynamic_parameters, dynamic_values("ListRegions")),  # no such operation
    (references.dynamic_sources, dynamic_call(VALUES, {"site": SITE})),
    (
        references.dynamic_sources,
        dynamic_call("x-ms-dynamic-schema", {"site": {"parameter": "id"}}, "response"),
    ),
    (  # -values in a definition only a response uses: outputs have no dropdowns
        references.dynamic_sources,
        dynamic_call(VALUES, {"site": {"parameter": "nowhere"}}, "definition"),
    ),
    (  # the same, written in the response itself
        references.dynamic_sources,
        dynamic_call(LIST, {"site": {"parameterReference": "nowhere"}}, "response"),
    ),
    (  # ListFolders has `site`, through Owner and through Owner -> Person
        references.dynamic_sources,
        definition_call(VALUES, {"site": {"parameter": "site"}}, "Person"),
    ),
    (
        references.dynamic_sources,
        definition_call(LIST, {"site": {"parameterReference": "filter/owner/id"}}),
    ),
    (  # a definition no operation uses
        references.dynamic_sources,
        dynamic_call(VALUES, {"site": {"parameter": "nowhere"}}, "unused"),
    ),
    (
        references.dynamic_required,
        dynamic_call(VALUES, {"site": SITE, "kind": {"value": "a"}}),  # a body property
    ),
    (
        references.dynamic_required,
        dynamic_call(LIST, {"site": {"value": "a"}, "filter/kind": {"value": "b"}}),
    ),
]


def _package(change: Change, minimal_swagger: Swagger) -> Package:
    props = clean_properties()
    change(minimal_swagger, props)
    return make_package(minimal_swagger, props)


def _place(problem: Problem) -> tuple[FileKind, str]:
    return (problem.file, problem.pointer)


test_breaking_fragment_is_reported, test_passing_fragment_is_clean = table_tests(
    FAILING, PASSING, _package, _place
)


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


def test_an_oauth_parameter_repeated_in_parameter_sets_is_reported_once(
    minimal_swagger: Swagger,
) -> None:
    props = clean_properties()
    oauth("oauth2", ["read"], ["write"])(minimal_swagger, props)
    parameters = props["properties"].pop("connectionParameters")
    props["properties"]["connectionParameterSets"] = {
        "uiDefinition": {"displayName": "Authentication", "description": "Choose one."},
        "values": [{"name": name, "parameters": parameters} for name in ("work", "school")],
    }
    found = run_rule(references.security_oauth, make_package(minimal_swagger, props))
    assert [problem.pointer for problem in found] == [f"{OAUTH}/scopes"]


def test_several_oauth2_definitions_are_not_paired_with_parameters(
    minimal_swagger: Swagger,
) -> None:
    props = clean_properties()
    oauth("oauth2", ["read"], ["write"])(minimal_swagger, props)
    package = make_package(minimal_swagger, props)
    assert len(run_rule(references.security_oauth, package)) == 1
    definitions = minimal_swagger["securityDefinitions"]
    definitions["second"] = dict(definitions["oauth2_auth"])
    assert run_rule(references.security_oauth, make_package(minimal_swagger, props)) == []


def test_published_oauth_connectors_agree_with_their_swagger(corpus_dir: Path) -> None:
    """Eleven corpus packages pair an oauth2 definition with oauth2 or oauth2generic
    settings; all agree once "a b" counts as two scopes (Redque) and oauth2generic URL
    templates are left alone (Talkdesk's token URL template differs from its swagger)."""
    report = engine.lint(
        [corpus_dir], engine.LintOptions(select=(references.security_oauth.id,), jobs=1)
    )
    assert report.packages == 75
    assert report.findings == []
    folder = corpus_dir / "certified-connectors" / "Redque"
    swagger = json.loads((folder / "apiDefinition.swagger.json").read_text(encoding="utf-8-sig"))
    props = json.loads((folder / "apiProperties.json").read_text(encoding="utf-8-sig"))
    props["properties"]["connectionParameters"]["token"]["oAuthSettings"]["scopes"].pop()
    found = run_rule(references.security_oauth, make_package(swagger, props))
    assert "only in the swagger 'offline_access'" in found[0].message


def test_a_default_makes_a_required_parameter_optional_for_dynamic_calls(
    minimal_swagger: Swagger,
) -> None:
    dynamic_call(VALUES, {"filter": {"value": {}}})(minimal_swagger, {})
    site = minimal_swagger["paths"]["/sites/{site}/folders"]["post"]["parameters"][0]
    package = make_package(minimal_swagger)
    assert len(run_rule(references.dynamic_required, package)) == 1
    site["default"] = "main"
    assert run_rule(references.dynamic_required, make_package(minimal_swagger)) == []


def test_a_path_into_a_free_form_body_is_not_checked(minimal_swagger: Swagger) -> None:
    dynamic_call(LIST, {"site": {"value": "a"}, "filter/labels/blue": {"value": 1}})(
        minimal_swagger, {}
    )
    assert run_rule(references.dynamic_parameters, make_package(minimal_swagger))
    body = minimal_swagger["paths"]["/sites/{site}/folders"]["post"]["parameters"][2]
    body["schema"]["properties"]["labels"] = {"type": "object", "additionalProperties": True}
    assert run_rule(references.dynamic_parameters, make_package(minimal_swagger)) == []


DYNAMIC_RULES = (
    references.dynamic_parameters,
    references.dynamic_sources,
    references.dynamic_required,
)


def test_published_connectors_pass_their_dynamic_parameters_cleanly(corpus_dir: Path) -> None:
    """The corpus uses every documented form (plain names, body properties by name, paths into
    bodies, literals, references from webhook content and shared parameters), and the portal
    accepted these connectors: none of them is reported."""
    selected = tuple(rule.id for rule in DYNAMIC_RULES)
    report = engine.lint([corpus_dir], engine.LintOptions(select=selected, jobs=1))
    assert report.packages == 75
    assert report.findings == []


def test_a_misspelled_reference_in_a_published_connector_is_found(corpus_dir: Path) -> None:
    folder = corpus_dir / "certified-connectors" / "iManage Work"
    swagger = json.loads((folder / "apiDefinition.swagger.json").read_text(encoding="utf-8-sig"))
    body = swagger["paths"]["/createWorkspace"]["post"]["parameters"][0]["schema"]
    dynamic_list = body["properties"]["templateId"]["x-ms-dynamic-list"]
    dynamic_list["parameters"]["libraryId"]["parameterReference"] = "body/libraryID"
    found = run_rule(references.dynamic_sources, make_package(swagger))
    assert [problem.pointer for problem in found] == [
        "/paths/~1createWorkspace/post/parameters/0/schema/properties/templateId/"
        "x-ms-dynamic-list/parameters/libraryId/parameterReference"
    ]
    assert "(it is spelled 'libraryId') in its parameter 'body'" in found[0].message


def test_a_path_item_parameter_an_operation_overrides_is_not_read_for_it(
    minimal_swagger: Swagger,
) -> None:
    """Swagger 2.0: an operation's parameter of the same name and location replaces the path
    item's, so the path item's extension does not belong to that operation."""
    folders_operation(minimal_swagger)
    minimal_swagger["paths"]["/messages/{id}"]["parameters"] = [
        {
            "name": "folder",
            "in": "query",
            "type": "string",
            "x-ms-dynamic-values": {
                "operationId": "ListFolders",
                "parameters": {"site": {"parameter": "site"}, "filter": {"value": {}}},
            },
        }
    ]
    found = run_rule(references.dynamic_sources, make_package(minimal_swagger))
    assert "from the operation 'GetMessage' it belongs to" in found[0].message
    operation(minimal_swagger)["parameters"].append(
        {"name": "folder", "in": "query", "type": "string"}
    )
    assert run_rule(references.dynamic_sources, make_package(minimal_swagger)) == []


def webhook(swagger: Swagger, trigger_parameter: str) -> None:
    """A webhook path item: GET lists the subscriptions, the POST trigger subscribes with an
    `event` (or another `trigger_parameter`); its notification content's dynamic schema
    reads `event`."""
    folders_operation(swagger)
    responses = {"200": {"description": "Done."}}
    swagger["paths"]["/hooks"] = {
        "get": {"operationId": "ListHooks", "responses": responses},
        "post": {
            "operationId": "OnEvent",
            "x-ms-trigger": "single",
            "parameters": [{"name": trigger_parameter, "in": "query", "type": "string"}],
            "responses": responses,
        },
        "x-ms-notification-content": {
            "description": "The event.",
            "schema": {
                "type": "object",
                "x-ms-dynamic-schema": {
                    "operationId": "ListFolders",
                    "parameters": {"site": {"parameter": "event"}, "filter": {"value": {}}},
                },
            },
        },
    }


def test_webhook_content_is_read_with_the_trigger_operations_inputs(
    minimal_swagger: Swagger,
) -> None:
    """The notification content is what the trigger returns; the path item's other
    operations (ListHooks) have nothing to do with it."""
    webhook(minimal_swagger, "event")
    assert run_rule(references.dynamic_sources, make_package(minimal_swagger)) == []
    webhook(minimal_swagger, "kind")
    found = run_rule(references.dynamic_sources, make_package(minimal_swagger))
    assert [problem.pointer for problem in found] == [
        "/paths/~1hooks/x-ms-notification-content/schema/x-ms-dynamic-schema/parameters/site/"
        "parameter"
    ]
    assert "from the operation 'OnEvent' it belongs to" in found[0].message


def test_a_required_parameter_is_missed_when_another_one_shares_its_name(
    minimal_swagger: Swagger,
) -> None:
    """ListFolders' required path parameter `site` and an optional header of the same name
    are two parameters; leaving out `site` still misses the required one."""
    dynamic_call(VALUES, {"filter": {"value": {}}})(minimal_swagger, {})
    called = minimal_swagger["paths"]["/sites/{site}/folders"]["post"]["parameters"]
    called.append({"name": "site", "in": "header", "type": "string"})
    found = run_rule(references.dynamic_required, make_package(minimal_swagger))
    assert "without its required parameter(s) 'site'" in found[0].message


def test_a_path_goes_on_in_the_body_when_another_parameter_shares_its_name(
    minimal_swagger: Swagger,
) -> None:
    """A query parameter `filter` declared after ListFolders' body `filter` does not hide the
    body's properties from a path into them."""
    dynamic_call(LIST, {"site": {"value": "a"}, "filter/nope": {"value": "b"}})(minimal_swagger, {})
    called = minimal_swagger["paths"]["/sites/{site}/folders"]["post"]["parameters"]
    called.append({"name": "filter", "in": "query", "type": "string"})
    found = run_rule(references.dynamic_parameters, make_package(minimal_swagger))
    assert "declares no property 'nope' in its parameter 'filter'" in found[0].message


def every_dynamic_path(swagger: Swagger) -> None:
    """Correct dynamic extensions in every place the rules resolve: a shared parameter taken
    by a path item, a body definition in a `$ref` cycle, a shared response, an inline
    response and a webhook trigger's notification content."""
    webhook(swagger, "event")
    shared_response_call(swagger, {})
    reading_id = {"site": {"parameterReference": "id"}, "filter": {"value": {}}}
    swagger["responses"]["Found"]["schema"]["x-ms-dynamic-properties"]["parameters"] = reading_id
    operation(swagger)["responses"]["202"] = {
        "description": "Accepted.",
        "schema": {
            "type": "object",
            SCHEMA: {"operationId": "ListFolders", "parameters": reading_id},
        },
    }
    reading_site = {"site": {"parameterReference": "site"}, "filter/kind": {"value": "a"}}
    call = {"operationId": "ListFolders", "parameters": reading_site}
    definitions = swagger["definitions"]
    definitions["Owner"]["properties"]["manager"] = {"$ref": "#/definitions/Person"}
    definitions["Person"] = {
        "type": "object",
        "properties": {
            "boss": {"$ref": "#/definitions/Owner"},
            "id": {"type": "string", LIST: call},
        },
    }
    swagger["parameters"] = {"Folder": {"name": "folder", "in": "query", VALUES: call}}
    swagger["paths"]["/sites/{site}/folders"]["parameters"] = [{"$ref": "#/parameters/Folder"}]


GARBAGE: list[Any] = [None, 0, "x", [], {}, [{}], {"$ref": "#/definitions/Person"}]


def places(value: Any, tokens: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The tokens of every value below `value`."""
    found = [tokens] if tokens else []
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return found
    for token, child in items:
        found += places(child, (*tokens, token))
    return found


def test_no_value_anywhere_crashes_the_dynamic_rules(minimal_swagger: Swagger) -> None:
    """Any JSON value written in place of any part of a swagger that reaches every dynamic
    call path is read without an exception (the engine would report `rule-crashed`)."""
    every_dynamic_path(minimal_swagger)
    rules = (*DYNAMIC_RULES, references.operation_id_references)
    assert all(run_rule(rule, make_package(minimal_swagger)) == [] for rule in DYNAMIC_RULES)
    for tokens in places(minimal_swagger):
        for value in GARBAGE:
            swagger = copy.deepcopy(minimal_swagger)
            parent = swagger
            for token in tokens[:-1]:
                parent = parent[token]
            parent[tokens[-1]] = value
            package = make_package(swagger)
            for rule in rules:
                run_rule(rule, package)


def test_declared_severities() -> None:
    # each rule's default severity is what users read in the rules table and what the corpus
    # totals are counted in; changing one has to be a deliberate edit of this table too
    assert {rule.id: rule.severity.value for rule in references.RULES} == {
        "reference-operation-id": "error",
        "reference-dynamic-parameter": "error",
        "reference-dynamic-source": "error",
        "reference-dynamic-required": "warning",
        "reference-connection-parameter": "error",
        "reference-policy-request-value": "error",
        "reference-security-connection": "warning",
        "reference-security-oauth": "warning",
    }
