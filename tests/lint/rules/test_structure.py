"""Swagger 2.0 structure rules: each with a fragment that breaks it and the clean minimal swagger."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from lint_packages import make_package, run_rule

from retarus_connector.lint.model import Document, FileKind, Package, Rule
from retarus_connector.lint.rules import structure

Swagger = dict[str, Any]


def problems(rule: Rule, swagger: Any) -> list[tuple[str, str]]:
    return [(p.pointer, p.message) for p in run_rule(rule, make_package(swagger))]


def pointers(rule: Rule, swagger: Any) -> list[str]:
    return [pointer for pointer, _ in problems(rule, swagger)]


def operation(swagger: Swagger) -> dict[str, Any]:
    result: dict[str, Any] = swagger["paths"]["/messages/{id}"]["get"]
    return result


@pytest.mark.parametrize("rule", structure.RULES, ids=lambda rule: rule.id)
def test_every_rule_passes_the_minimal_swagger(rule: Rule, minimal_swagger: Swagger) -> None:
    assert problems(rule, minimal_swagger) == []


def test_swagger_version(minimal_swagger: Swagger) -> None:
    minimal_swagger["swagger"] = 2.0
    assert pointers(structure.swagger_version, minimal_swagger) == ["/swagger"]
    del minimal_swagger["swagger"]
    assert pointers(structure.swagger_version, minimal_swagger) == [""]


def test_swagger_openapi_3_is_reported_once_and_stops_the_other_rules() -> None:
    document = {"openapi": "3.0.1", "info": {"title": "T", "version": "1"}, "paths": {}}
    package = make_package(document)
    (problem,) = run_rule(structure.swagger_openapi_3, package)
    assert "OpenAPI 3.0.1" in problem.message
    assert run_rule(structure.swagger_version, package) == []
    assert run_rule(structure.swagger_unknown_root_key, package) == []  # not loaded as 2.0


def test_swagger_required(minimal_swagger: Swagger) -> None:
    del minimal_swagger["info"]["version"]
    del minimal_swagger["paths"]
    found = problems(structure.swagger_required, minimal_swagger)
    assert [pointer for pointer, _ in found] == ["/info", ""]
    assert '"version"' in found[0][1]
    assert '"paths"' in found[1][1]


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"paths": []}, "/paths"),
        ({"definitions": {"Message": "text"}}, "/definitions/Message"),
        ({"schemes": ["https", "ftp"]}, "/schemes/1"),
        ({"schemes": "https"}, "/schemes"),
        ({"host": "https://api.contoso.example"}, "/host"),
        ({"host": "api.contoso.example/v1"}, "/host"),
        ({"basePath": "v1"}, "/basePath"),
        ({"security": {"basic_auth": []}}, "/security"),
        ({"info": {"title": "T", "version": 1}}, "/info/version"),
        ({"info": {"title": "T", "version": "1", "contact": "a@b.example"}}, "/info/contact"),
    ],
)
def test_swagger_types(minimal_swagger: Swagger, change: Swagger, pointer: str) -> None:
    minimal_swagger.update(change)
    assert pointer in pointers(structure.swagger_types, minimal_swagger)


def test_swagger_types_accepts_a_host_with_a_port(minimal_swagger: Swagger) -> None:
    minimal_swagger["host"] = "localhost:8080"
    assert problems(structure.swagger_types, minimal_swagger) == []


def test_swagger_unknown_root_key(minimal_swagger: Swagger) -> None:
    minimal_swagger["scriptOperations"] = ["GetMessage"]
    minimal_swagger["x-contoso-notes"] = "vendor extensions are fine"
    assert pointers(structure.swagger_unknown_root_key, minimal_swagger) == ["/scriptOperations"]


def test_paths_shape(minimal_swagger: Swagger) -> None:
    paths = minimal_swagger["paths"]
    paths["messages"] = {"get": copy.deepcopy(operation(minimal_swagger))}
    paths["/upper"] = {"GET": {}, "post": "nothing", "x-note": 1}
    paths["/list"] = []
    found = pointers(structure.paths_shape, minimal_swagger)
    assert found == [
        "/paths/messages",
        "/paths/~1upper/GET",
        "/paths/~1upper/post",
        "/paths/~1list",
    ]


def test_operation_responses(minimal_swagger: Swagger) -> None:
    op = operation(minimal_swagger)
    op["responses"] = {"200": {"schema": {"type": "object"}}, "2XX": {"description": "ok"}}
    found = pointers(structure.operation_responses, minimal_swagger)
    assert sorted(found) == [
        "/paths/~1messages~1{id}/get/responses/200",
        "/paths/~1messages~1{id}/get/responses/2XX",
    ]
    op["responses"] = [{"200": {"description": "ok"}}]
    assert pointers(structure.operation_responses, minimal_swagger) == [
        "/paths/~1messages~1{id}/get/responses"
    ]
    op["responses"] = {"x-note": "only an extension"}
    assert "declares no response" in problems(structure.operation_responses, minimal_swagger)[0][1]
    del op["responses"]
    assert pointers(structure.operation_responses, minimal_swagger) == [
        "/paths/~1messages~1{id}/get"
    ]


def test_operation_responses_follows_response_definitions(minimal_swagger: Swagger) -> None:
    operation(minimal_swagger)["responses"]["404"] = {"$ref": "#/responses/NotFound"}
    minimal_swagger["responses"] = {"NotFound": {"schema": {"type": "object"}}}
    assert pointers(structure.operation_responses, minimal_swagger) == ["/responses/NotFound"]


def test_operation_id_unique(minimal_swagger: Swagger) -> None:
    minimal_swagger["paths"]["/other"] = {"post": copy.deepcopy(operation(minimal_swagger))}
    ((pointer, message),) = problems(structure.operation_id_unique, minimal_swagger)
    assert pointer == "/paths/~1other/post/operationId"
    assert "GET /messages/{id}" in message


@pytest.mark.parametrize(
    ("parameter", "message"),
    [
        ({"in": "query", "type": "string"}, "no string 'name'"),
        ({"name": "q", "in": "cookie", "type": "string"}, "'in' \"cookie\""),
        ({"name": "q", "in": "query"}, "'type' null"),
        ({"name": "q", "in": "query", "type": "file"}, "file only in formData"),
        ({"name": "q", "in": "query", "type": "array"}, "needs an 'items' object"),
        ({"name": "b", "in": "body"}, "needs a 'schema' object"),
        ("q", "must be an object"),
    ],
)
def test_parameter_shape(minimal_swagger: Swagger, parameter: Any, message: str) -> None:
    operation(minimal_swagger)["parameters"].append(parameter)
    found = problems(structure.parameter_shape, minimal_swagger)
    assert any(message in text for _, text in found), found


def test_parameter_shape_reports_names_and_locations_that_are_lists_or_objects(
    minimal_swagger: Swagger,
) -> None:
    params = operation(minimal_swagger)["parameters"]
    params.append({"name": ["q"], "in": "query", "type": "string"})
    params.append({"name": "r", "in": {"where": "query"}, "type": "string"})
    found = problems(structure.parameter_shape, minimal_swagger)
    assert any("has no string 'name'" in message for _, message in found), found
    assert any('has \'in\' {"where": "query"}' in message for _, message in found), found


def test_parameter_shape_lists(minimal_swagger: Swagger) -> None:
    params = operation(minimal_swagger)["parameters"]
    params.append(copy.deepcopy(params[0]))
    params.append({"name": "a", "in": "body", "schema": {"type": "object"}})
    params.append({"name": "b", "in": "body", "schema": {"type": "object"}})
    params.append({"name": "f", "in": "formData", "type": "file"})
    messages = [message for _, message in problems(structure.parameter_shape, minimal_swagger)]
    assert any("declared twice" in message for message in messages)
    assert any("only one body parameter" in message for message in messages)
    assert any("Body and formData" in message for message in messages)
    minimal_swagger["parameters"] = {"Bad": {"name": "x", "in": "header", "type": "object"}}
    assert "/parameters/Bad/type" in pointers(structure.parameter_shape, minimal_swagger)
    operation(minimal_swagger)["parameters"] = {"id": {}}
    assert pointers(structure.parameter_shape, minimal_swagger)[0].endswith("get/parameters")


def test_path_parameters(minimal_swagger: Swagger) -> None:
    paths = minimal_swagger["paths"]
    paths["/messages/{id}/parts/{part}"] = {"get": copy.deepcopy(operation(minimal_swagger))}
    operation(minimal_swagger)["parameters"][0]["required"] = False
    operation(minimal_swagger)["parameters"].append(
        {"name": "extra", "in": "path", "required": True, "type": "string"}
    )
    found = problems(structure.path_parameters, minimal_swagger)
    messages = " | ".join(message for _, message in found)
    assert '"required": true' in messages
    assert "'extra'" in messages
    assert "does not appear" in messages
    assert "{part}" in messages
    assert "not declared" in messages


def test_path_parameters_not_declared_by_a_reference_of_more_than_one_name(
    minimal_swagger: Swagger,
) -> None:
    # "#/parameters/MessageId/extra" is no reference to MessageId: the path's {id} stays undeclared
    item = minimal_swagger["paths"]["/messages/{id}"]
    item["parameters"] = [{"$ref": "#/parameters/MessageId/extra"}]
    minimal_swagger["parameters"] = {"MessageId": operation(minimal_swagger)["parameters"].pop()}
    messages = " | ".join(
        message for _, message in problems(structure.path_parameters, minimal_swagger)
    )
    assert "not declared" in messages


def test_rules_share_one_walk_of_a_package(minimal_swagger: Swagger) -> None:
    # the family runs in a row on one package; the second rule reuses the first one's walk
    package = make_package(minimal_swagger)
    for rule in structure.RULES:
        assert run_rule(rule, package) == []
    assert run_rule(structure.operation_responses, package) == []


def test_operation_rules_skip_a_path_item_that_is_not_an_object(minimal_swagger: Swagger) -> None:
    minimal_swagger["paths"]["/broken"] = ["get"]
    for rule in (structure.operation_responses, structure.operation_id_unique):
        assert problems(rule, minimal_swagger) == []


def test_path_parameters_declared_on_the_path_item_or_by_reference(
    minimal_swagger: Swagger,
) -> None:
    item = minimal_swagger["paths"]["/messages/{id}"]
    item["parameters"] = [{"$ref": "#/parameters/MessageId"}]
    minimal_swagger["parameters"] = {"MessageId": operation(minimal_swagger)["parameters"].pop()}
    assert problems(structure.path_parameters, minimal_swagger) == []


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("#/definitions/Missing", "does not resolve"),
        ("#/paths/~1messages", "must point into"),
        ("other.json#/definitions/Message", "outside this document"),
        ("#/definitions/Message/properties/nothing", "does not resolve"),
        ("#/definitions/Message%20Two", "does not resolve"),
        ("#definitions/Message", "must point into"),
        (7, "must be a string"),
    ],
)
def test_ref_target(minimal_swagger: Swagger, ref: Any, message: str) -> None:
    operation(minimal_swagger)["responses"]["200"]["schema"] = {"$ref": ref}
    ((pointer, text),) = problems(structure.ref_target, minimal_swagger)
    assert pointer == "/paths/~1messages~1{id}/get/responses/200/schema/$ref"
    assert message in text


@pytest.mark.parametrize(
    "ref",
    [
        "#/definitions/Message/properties/id",  # into a definition, as the diff and call read it
        "#/definitions/A%20B",  # percent-decoded: names "A B"
        "#/definitions/a~1b",
    ],
)
def test_ref_target_accepts_what_core_resolves(minimal_swagger: Swagger, ref: str) -> None:
    minimal_swagger["definitions"]["A B"] = {"type": "string"}
    minimal_swagger["definitions"]["a/b"] = {"type": "string"}
    operation(minimal_swagger)["responses"]["200"]["schema"] = {"$ref": ref}
    assert problems(structure.ref_target, minimal_swagger) == []


def test_ref_target_reports_a_chain_too_long_to_follow(minimal_swagger: Swagger) -> None:
    definitions = minimal_swagger["definitions"]
    for number in range(40):
        definitions[f"D{number}"] = {"$ref": f"#/definitions/D{number + 1}"}
    definitions["D40"] = {"type": "string"}
    found = problems(structure.ref_target, minimal_swagger)
    assert found
    assert all("more than 32 references" in message for _, message in found)


def test_ref_target_reports_a_loop_and_does_not_hang(minimal_swagger: Swagger) -> None:
    minimal_swagger["definitions"]["A"] = {"$ref": "#/definitions/B"}
    minimal_swagger["definitions"]["B"] = {"$ref": "#/definitions/A"}
    found = problems(structure.ref_target, minimal_swagger)
    assert {pointer for pointer, _ in found} == {"/definitions/A/$ref", "/definitions/B/$ref"}
    assert all("loops" in message for _, message in found)


def test_ref_target_accepts_recursive_schemas(minimal_swagger: Swagger) -> None:
    minimal_swagger["definitions"]["Tree"] = {
        "type": "object",
        "properties": {"children": {"type": "array", "items": {"$ref": "#/definitions/Tree"}}},
    }
    assert problems(structure.ref_target, minimal_swagger) == []


def test_ref_target_sees_keys_spelt_with_escapes(minimal_swagger: Swagger) -> None:
    # json.dumps in make_package writes the key as "\u0024ref" when asked to escape it
    package = make_package(minimal_swagger)
    document = package.documents[next(iter(package.documents))]
    document.data["definitions"]["Bad"] = {"$ref": "#/definitions/Nowhere"}
    document.text = (document.text or "") + ' "\\u0024ref"'
    assert [p.pointer for p in run_rule(structure.ref_target, package)] == ["/definitions/Bad/$ref"]


def test_security_definitions(minimal_swagger: Swagger) -> None:
    minimal_swagger["securityDefinitions"] = {
        "key": {"type": "apiKey", "in": "cookie"},
        "oauth": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a"},
        "odd": {"type": "digest"},
    }
    minimal_swagger["security"] = [{"basic_auth": []}]
    messages = [message for _, message in problems(structure.security_definitions, minimal_swagger)]
    assert any("needs a 'name'" in message for message in messages)
    assert any("header or query" in message for message in messages)
    assert any("'tokenUrl'" in message for message in messages)
    assert any("'scopes'" in message for message in messages)
    assert any("digest" in message for message in messages)
    assert any("'basic_auth'" in message for message in messages)


@pytest.mark.parametrize("flow", [["implicit"], {"a": 1}, None, 5, "code"])
def test_security_definitions_oauth2_flow_of_any_type(minimal_swagger: Swagger, flow: Any) -> None:
    minimal_swagger["securityDefinitions"] = {
        "oauth": {"type": "oauth2", "flow": flow, "scopes": {}}
    }
    minimal_swagger["security"] = [{"oauth": []}]
    messages = [message for _, message in problems(structure.security_definitions, minimal_swagger)]
    assert messages == [
        "The oauth2 scheme 'oauth' needs 'flow': implicit, password, application or accessCode."
    ]


def test_schema_shape(minimal_swagger: Swagger) -> None:
    message_schema = minimal_swagger["definitions"]["Message"]
    message_schema["properties"]["id"]["type"] = "text"
    message_schema["properties"]["tags"] = {"type": "array", "items": "string"}
    message_schema["required"] = "id"
    message_schema["properties"]["kind"] = {"type": "string", "enum": "a"}
    assert sorted(pointers(structure.schema_shape, minimal_swagger)) == [
        "/definitions/Message/properties/id/type",
        "/definitions/Message/properties/kind/enum",
        "/definitions/Message/properties/tags/items",
        "/definitions/Message/required",
    ]


def test_schema_shape_walks_deep_nesting_without_recursion(minimal_swagger: Swagger) -> None:
    schema: dict[str, Any] = {"type": "wrong"}
    for _ in range(5000):
        schema = {"type": "object", "properties": {"x": schema}}
    minimal_swagger["definitions"]["Deep"] = schema
    # json.dumps (in make_package) cannot go this deep, so the package is built by hand
    found = list(structure.schema_shape.check(_bare_package(minimal_swagger)))
    assert len(found) == 1
    assert found[0].pointer.endswith("/x/type")


def _bare_package(swagger: Swagger) -> Package:
    package = Package(Path("pkg"), "pkg")
    package.documents[FileKind.SWAGGER] = Document(
        FileKind.SWAGGER, Path("pkg/apiDefinition.swagger.json"), "pkg/a.json", b"", None, swagger
    )
    return package


@pytest.mark.parametrize(
    ("node", "message"),
    [
        ({"type": "boolean", "default": "false"}, "not of the declared type boolean"),
        ({"type": "string", "default": None}, "null"),
        ({"type": "integer", "default": 1.5}, "not of the declared type integer"),
        ({"type": "string", "enum": ["a", "b"], "default": "c"}, "not one of the enum values"),
        ({"type": "object", "required": ["to"], "default": {}}, "lacks the required"),
    ],
)
def test_default_matches_schema(minimal_swagger: Swagger, node: Any, message: str) -> None:
    minimal_swagger["definitions"]["Message"]["properties"]["field"] = node
    ((pointer, text),) = problems(structure.default_matches_schema, minimal_swagger)
    assert pointer == "/definitions/Message/properties/field/default"
    assert message in text


def test_default_matches_schema_for_parameters(minimal_swagger: Swagger) -> None:
    operation(minimal_swagger)["parameters"].append(
        {"name": "n", "in": "query", "type": "integer", "default": "5"}
    )
    assert pointers(structure.default_matches_schema, minimal_swagger) == [
        "/paths/~1messages~1{id}/get/parameters/1/default"
    ]
    operation(minimal_swagger)["parameters"][1]["default"] = 5
    assert problems(structure.default_matches_schema, minimal_swagger) == []


def test_declared_severities() -> None:
    # each rule's default severity is what users read in the rules table and what the corpus
    # totals are counted in; changing one has to be a deliberate edit of this table too
    assert {rule.id: rule.severity.value for rule in structure.RULES} == {
        "swagger-version": "error",
        "swagger-openapi-3": "error",
        "swagger-required": "error",
        "swagger-types": "error",
        "swagger-unknown-root-key": "error",
        "paths-shape": "error",
        "operation-responses": "error",
        "operation-id-unique": "error",
        "parameter-shape": "error",
        "path-parameters": "error",
        "ref-target": "error",
        "security-definitions": "error",
        "schema-shape": "error",
        "default-matches-schema": "warning",
    }
