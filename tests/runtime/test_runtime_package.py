"""Loading packages: operations, references, base URL, errors that name the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from runtime_packages import PackageFactory, operation, swagger_document, write_package

from retarus_connector.runtime import Connector, PackageError, UnknownOperationError


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
