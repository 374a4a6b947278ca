"""Loading packages: operations, references, base URL, errors that name the file."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from runtime_packages import (
    PackageFactory,
    operation,
    properties_document,
    swagger_document,
    write_package,
)

from retarus_connector.runtime import Connector, InputError, PackageError, UnknownOperationError


def test_operations_are_found_by_operation_id(make_connector: PackageFactory) -> None:
    connector = make_connector(
        {
            "/items": {"get": operation("ListItems"), "post": operation("CreateItem")},
            "/items/{id}": {"delete": operation("DeleteItem")},
        }
    )
    assert sorted(op.operation_id for op in connector.operations) == [
        "CreateItem",
        "DeleteItem",
        "ListItems",
    ]
    created = connector.operation("CreateItem")
    assert (created.spec.method, created.spec.path) == ("POST", "/items")


def test_unknown_operation_suggests_the_close_ones(make_connector: PackageFactory) -> None:
    connector = make_connector({"/items": {"get": operation("ListItems")}})
    with pytest.raises(UnknownOperationError) as caught:
        connector.operation("listitems")
    assert caught.value.suggestions == ("ListItems",)
    assert "listitems" in str(caught.value)
    assert "apiDefinition.swagger.json" in str(caught.value)


def test_parameter_and_response_references_are_resolved(make_connector: PackageFactory) -> None:
    connector = make_connector(
        {
            "/items/{id}": {
                "parameters": [
                    {"$ref": "#/parameters/ItemId"},
                    {"name": "trace", "in": "header", "type": "string"},
                ],
                "get": operation(
                    "GetItem",
                    [{"name": "trace", "in": "header", "type": "integer"}],
                    {"404": {"$ref": "#/responses/NotFound"}},
                ),
            }
        },
        parameters={"ItemId": {"name": "id", "in": "path", "required": True, "type": "string"}},
        responses={"NotFound": {"description": "missing", "schema": {"type": "object"}}},
    )
    get_item = connector.operation("GetItem")
    by_name = {p.name: p for p in get_item.parameters}
    assert by_name["id"].location == "path"
    assert by_name["id"].pointer == "/parameters/ItemId"
    # The operation's own parameter replaces the path item's one with the same name and place.
    assert by_name["trace"].spec["type"] == "integer"
    assert len(get_item.parameters) == 2
    assert get_item.documented_statuses() == ("404",)


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        ({}, "https://api.example.test/v1"),
        ({"schemes": ["http", "https"]}, "http://api.example.test/v1"),
        ({"schemes": []}, "https://api.example.test/v1"),
        ({"basePath": "/"}, "https://api.example.test"),
        ({"basePath": "/api/"}, "https://api.example.test/api"),
        ({"host": "api.example.test:8443"}, "https://api.example.test:8443/v1"),
    ],
)
def test_base_url_is_first_scheme_host_and_base_path(
    make_connector: PackageFactory, root: dict[str, object], expected: str
) -> None:
    connector = make_connector({"/x": {"get": operation("X")}}, **root)
    assert connector.package.base_url() == expected


def test_missing_swagger_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(PackageError) as caught:
        Connector.load(tmp_path)
    assert str(tmp_path / "apiDefinition.swagger.json") in str(caught.value)


def test_invalid_json_names_file_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "apiDefinition.swagger.json").write_text('{\n  "swagger": "2.0",\n}', "utf-8")
    with pytest.raises(PackageError) as caught:
        Connector.load(tmp_path)
    assert "apiDefinition.swagger.json" in str(caught.value)
    assert "line 3" in str(caught.value)


def test_invalid_properties_json_names_that_file(tmp_path: Path) -> None:
    write_package(tmp_path, swagger_document({"/x": {"get": operation("X")}}))
    (tmp_path / "apiProperties.json").write_text("{", "utf-8")
    with pytest.raises(PackageError, match=r"apiProperties\.json"):
        Connector.load(tmp_path)


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    text = json.dumps(swagger_document({"/x": {"get": operation("X")}}))
    (tmp_path / "apiDefinition.swagger.json").write_text("\ufeff" + text, "utf-8")
    assert Connector.load(tmp_path).operation("X").operation_id == "X"


def test_openapi_3_is_refused(tmp_path: Path) -> None:
    document = {"openapi": "3.0.0", "info": {"title": "x", "version": "1"}, "paths": {}}
    (tmp_path / "apiDefinition.swagger.json").write_text(json.dumps(document), "utf-8")
    with pytest.raises(PackageError, match=r"Swagger 2\.0"):
        Connector.load(tmp_path)


def test_external_reference_is_refused_with_its_pointer(make_connector: PackageFactory) -> None:
    with pytest.raises(PackageError) as caught:
        make_connector({"/x": {"get": operation("X", [{"$ref": "other.json#/parameters/p"}])}})
    assert caught.value.pointer == "/paths/~1x/get/parameters/0"
    assert "other.json" in caught.value.message


def test_dangling_reference_is_reported(make_connector: PackageFactory) -> None:
    with pytest.raises(PackageError, match="'#/parameters/Nope' does not exist"):
        make_connector({"/x": {"get": operation("X", [{"$ref": "#/parameters/Nope"}])}})


def test_connection_parameters_from_apiproperties(make_connector: PackageFactory) -> None:
    properties = {
        "properties": {
            "connectionParameters": {"host": {"type": "string"}},
            "connectionParameterSets": {
                "values": [{"name": "key", "parameters": {"api_key": {"type": "securestring"}}}]
            },
        }
    }
    connector = make_connector({"/x": {"get": operation("X")}}, properties)
    declared = connector.connection_parameters
    assert declared is not None
    assert {name: p.secret for name, p in declared.items()} == {"host": False, "api_key": True}


def test_no_apiproperties_means_undeclared_connection(make_connector: PackageFactory) -> None:
    assert make_connector({"/x": {"get": operation("X")}}).connection_parameters is None


def test_a_body_parameter_default_beats_its_schema_default(make_connector: PackageFactory) -> None:
    body = {
        "name": "body",
        "in": "body",
        "default": {"source": "parameter"},
        "schema": {"type": "object", "default": {"source": "schema"}},
    }
    connector = make_connector({"/x": {"post": operation("X", [body])}})
    assert connector.operation("X").resolve_inputs({}) == {"body": {"source": "parameter"}}


def test_a_path_parameter_is_required_even_when_not_marked(make_connector: PackageFactory) -> None:
    unmarked = {"name": "id", "in": "path", "type": "string"}
    connector = make_connector({"/items/{id}": {"get": operation("Get", [unmarked])}})
    assert connector.operation("Get").parameters[0].required
    with pytest.raises(InputError, match=r"is required \(a path parameter\)"):
        connector.operation("Get").resolve_inputs({})


@pytest.mark.parametrize("kind", ["securestring", "secureobject", "secureString", "SecureObject"])
def test_secure_connection_types_are_secret_in_any_case(
    make_connector: PackageFactory, kind: str
) -> None:
    connector = make_connector(
        {"/x": {"get": operation("X")}}, properties_document({"token": kind, "host": "string"})
    )
    declared = connector.connection_parameters
    assert declared is not None
    assert (declared["token"].secret, declared["host"].secret) == (True, False)


def test_path_item_parameters_come_before_the_operation_ones(
    make_connector: PackageFactory,
) -> None:
    connector = make_connector(
        {
            "/x": {
                "parameters": [{"name": "first", "in": "query", "type": "string"}],
                "get": operation("X", [{"name": "second", "in": "query", "type": "string"}]),
            }
        }
    )
    assert [p.name for p in connector.operation("X").parameters] == ["first", "second"]
    prepared = connector.operation("X").prepare({"second": "2", "first": "1"})
    assert prepared.url.endswith("/x?first=1&second=2")


def test_a_reference_cycle_is_reported_not_followed_forever(tmp_path: Path) -> None:
    document = swagger_document(
        {"/x": {"get": operation("X", [{"$ref": "#/parameters/A"}])}},
        parameters={"A": {"$ref": "#/parameters/B"}, "B": {"$ref": "#/parameters/A"}},
    )
    write_package(tmp_path, document)
    outcome: list[BaseException] = []

    def load() -> None:
        try:
            Connector.load(tmp_path)
        except PackageError as error:
            outcome.append(error)

    # A thread, so that a resolver which loops on the cycle fails the test instead of hanging it.
    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "the reference cycle was followed forever"
    assert len(outcome) == 1
    assert "refers to itself" in str(outcome[0])


def test_operation_security_wins_over_the_document_security(tmp_path: Path) -> None:
    security = {
        "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
        "login": {"type": "basic"},
    }
    document = swagger_document(
        {"/x": {"get": operation("X", security=[{"login": []}])}, "/y": {"get": operation("Y")}},
        security=security,
    )
    # `security` as a keyword of swagger_document means securityDefinitions; the requirement
    # list of the whole document is set here.
    document["security"] = [{"key": []}]
    connector = Connector.load(write_package(tmp_path, document))
    assert connector.package.security_scheme(connector.operation("X").spec) == (
        "login",
        security["login"],
    )
    headers = dict(connector.operation("X").prepare({}, {"username": "u", "password": "p"}).headers)
    assert "Authorization" in headers
    assert "X-Key" not in headers
    assert "X-Key" in dict(connector.operation("Y").prepare({}, {"api_key": "k"}).headers)


def test_unknown_operation_suggests_the_name_that_differs_only_in_case(
    make_connector: PackageFactory,
) -> None:
    connector = make_connector(
        {"/items": {"get": operation("ListItems"), "post": operation("ListItem")}}
    )
    with pytest.raises(UnknownOperationError) as caught:
        connector.operation("LISTITEMS")
    assert caught.value.suggestions[0] == "ListItems"


def test_openapi_3_is_refused_even_with_a_swagger_key(tmp_path: Path) -> None:
    document = {**swagger_document({"/x": {"get": operation("X")}}), "openapi": "3.0.3"}
    write_package(tmp_path, document)
    with pytest.raises(PackageError, match=r"Swagger 2\.0"):
        Connector.load(tmp_path)
