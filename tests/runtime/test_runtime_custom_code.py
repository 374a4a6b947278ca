"""Custom code (script.csx) through a Python stand-in: which operations it runs for, what it
may change, answers given without sending, and the notice when no stand-in is given."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests_mock
from runtime_packages import BASE, operation, properties_document, swagger_document, write_package

from retarus_connector.runtime import (
    Connector,
    CustomCodeError,
    ScriptAnswer,
    ScriptRequest,
)

PATHS = {
    "/items": {
        "get": operation("ListItems", [{"name": "region", "in": "header", "type": "string"}])
    },
    "/items/{id}": {
        "get": operation(
            "GetItem", [{"name": "id", "in": "path", "required": True, "type": "string"}]
        )
    },
}


def _package(folder: Path, script: bool = True, script_operations: list[str] | None = None) -> Path:
    properties = properties_document()
    if script_operations is not None:
        properties["properties"]["scriptOperations"] = script_operations
    write_package(folder, swagger_document(PATHS), properties)
    if script:
        (folder / "script.csx").write_text("public class Script : ScriptBase {}\n", "utf-8")
    return folder


def _to_region(request: ScriptRequest) -> ScriptAnswer | None:
    """A stand-in that moves a request to the host its region header names, from a table."""
    hosts = {"eu": "https://eu.example.test/v1", "us": "https://us.example.test/v1"}
    (region,) = request.header_values("region") or ["eu"]
    if region not in hosts:
        return ScriptAnswer(400, json.dumps({"message": "unknown region"}).encode())
    request.url = hosts[region] + request.url[len(BASE) :]
    return None


def test_the_stand_in_changes_the_request_before_it_is_sent(
    tmp_path: Path, mock: requests_mock.Mocker
) -> None:
    mock.get("https://us.example.test/v1/items", json={"n": 1})
    connector = Connector.load(_package(tmp_path, script_operations=["ListItems"]), _to_region)
    result = connector.operation("ListItems").call({"region": "us"})
    assert result.status == 200
    assert result.request.url == "https://us.example.test/v1/items"
    assert result.notices == ()
    assert [request.url for request in mock.request_history] == [result.request.url]


def test_an_answer_of_the_stand_in_sends_nothing(
    tmp_path: Path, mock: requests_mock.Mocker
) -> None:
    connector = Connector.load(_package(tmp_path, script_operations=["ListItems"]), _to_region)
    operation_ = connector.operation("ListItems")
    prepared = operation_.prepare({"region": "x@attacker.example/"})
    assert prepared.answer is not None
    assert prepared.answer.status == 400
    result = operation_.call({"region": "x@attacker.example/"})
    assert (result.status, result.body) == (400, {"message": "unknown region"})
    assert mock.request_history == []


def test_only_the_listed_operations_run_the_code(
    tmp_path: Path, mock: requests_mock.Mocker
) -> None:
    mock.get(f"{BASE}/items/7", json={})
    seen: list[str] = []

    def record(request: ScriptRequest) -> None:
        seen.append(request.operation_id)

    connector = Connector.load(_package(tmp_path, script_operations=["ListItems"]), record)
    assert connector.operation("GetItem").call({"id": "7"}).status == 200
    assert seen == []


@pytest.mark.parametrize("listed", [[], None], ids=["empty list", "no scriptOperations"])
def test_without_a_list_every_operation_runs_the_code(
    tmp_path: Path, mock: requests_mock.Mocker, listed: list[str] | None
) -> None:
    mock.get(f"{BASE}/items/7", json={})
    seen: list[str] = []

    def record(request: ScriptRequest) -> None:
        seen.append(request.operation_id)

    connector = Connector.load(_package(tmp_path, script_operations=listed), record)
    connector.operation("GetItem").call({"id": "7"})
    assert seen == ["GetItem"]


def test_no_script_no_code_even_with_a_stand_in(tmp_path: Path, mock: requests_mock.Mocker) -> None:
    mock.get(f"{BASE}/items", json={})
    connector = Connector.load(_package(tmp_path, script=False), _to_region)
    result = connector.operation("ListItems").call({"region": "us"})
    assert result.request.url == f"{BASE}/items"


def test_without_a_stand_in_the_request_goes_as_built_with_a_notice(
    tmp_path: Path, mock: requests_mock.Mocker
) -> None:
    mock.get(f"{BASE}/items", json={})
    connector = Connector.load(_package(tmp_path, script_operations=["ListItems"]))
    result = connector.operation("ListItems").call({"region": "us"})
    assert result.request.url == f"{BASE}/items"
    (notice,) = result.notices
    assert notice.source == "script.csx"
    assert "no stand-in" in notice.message


def test_a_url_the_stand_in_breaks_is_refused_before_sending(
    tmp_path: Path, mock: requests_mock.Mocker
) -> None:
    def relative(request: ScriptRequest) -> None:
        request.url = "/items"

    connector = Connector.load(_package(tmp_path, script_operations=[]), relative)
    with pytest.raises(CustomCodeError, match=r"'ListItems'.*not an absolute"):
        connector.operation("ListItems").call({})
    assert mock.request_history == []


def test_host_overrides_apply_after_the_code(tmp_path: Path, mock: requests_mock.Mocker) -> None:
    """Overrides send the request the gateway would send somewhere else (a test server), so
    they apply to the URL the code chose."""
    mock.get("http://127.0.0.1:9/us/v1/items", json={})
    connector = Connector.load(_package(tmp_path, script_operations=[]), _to_region)
    overrides: dict[str, Any] = {"us.example.test": "http://127.0.0.1:9/us"}
    result = connector.operation("ListItems").call({"region": "us"}, host_overrides=overrides)
    assert result.request.url == "http://127.0.0.1:9/us/v1/items"
