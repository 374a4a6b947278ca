"""The flow rules: a breaking edit of the sample solution's flow each, and passing variants."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from solution_samples import (
    FLOW,
    FLOW_FILE,
    KEY,
    REFERENCE,
    run,
    solution_entries,
    solution_package,
)

from retarus_connector.lint.model import Rule
from retarus_connector.lint.rules import flow

Change = Callable[[dict[str, Any]], None]
ACTIONS = ("properties", "definition", "actions")


def _at(data: dict[str, Any], *path: str) -> Any:
    for key in path:
        data = data[key]
    return data


def send(data: dict[str, Any]) -> dict[str, Any]:
    return _at(data, *ACTIONS, "Send_message")


def get(data: dict[str, Any]) -> dict[str, Any]:
    return _at(data, *ACTIONS, "Check", "actions", "Get_message")


def _set(target: Callable[[dict[str, Any]], dict[str, Any]], *path: str, value: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        node = target(data)
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def _package(change: Change, manifest_edit: tuple[str, str] | None = None) -> Any:
    data = copy.deepcopy(FLOW)
    change(data)
    entries = {**solution_entries(), FLOW_FILE: json.dumps(data, indent=2).encode()}
    if manifest_edit is not None:
        text = entries["solution.xml"].decode().replace(*manifest_edit)
        entries["solution.xml"] = text.encode()
    return solution_package(entries)


def _drop_reference(data: dict[str, Any]) -> None:
    reference = data["properties"]["connectionReferences"][KEY]
    reference["connection"]["connectionReferenceLogicalName"] = "cts_elsewhere"


FAILING: list[tuple[Rule, Change, str, str]] = [
    (
        flow.definition,
        lambda data: data["properties"].pop("definition"),
        "no properties.definition",
        "",
    ),
    (
        flow.connection_name,
        _set(send, "inputs", "host", "connectionName", value="shared_other"),
        "'shared_other'",
        "/properties/definition/actions/Send_message/inputs/host/connectionName",
    ),
    (
        flow.connection_name,
        _set(get, "inputs", "host", "connectionName", value="shared_other"),
        "does not declare",
        "/properties/definition/actions/Check/actions/Get_message/inputs/host/connectionName",
    ),
    (
        flow.connection_reference,
        _drop_reference,
        "'cts_elsewhere'",
        f"/properties/connectionReferences/{KEY}/connection/connectionReferenceLogicalName",
    ),
    (
        flow.operation,
        _set(get, "inputs", "host", "operationId", value="GetMessageV2"),
        "'GetMessageV2'",
        "/properties/definition/actions/Check/actions/Get_message/inputs/host/operationId",
    ),
    (
        flow.parameters,
        _set(get, "inputs", "parameters", value={}),
        "required input 'id'",
        "/properties/definition/actions/Check/actions/Get_message/inputs/parameters",
    ),
    (
        flow.parameters,
        _set(send, "inputs", "parameters", value={"body/to": "x"}),
        "'body/text'",
        "/properties/definition/actions/Send_message/inputs/parameters",
    ),
    (
        flow.parameters,
        _set(send, "inputs", "parameters", value={}),
        "required body 'body'",
        "/properties/definition/actions/Send_message/inputs/parameters",
    ),
    (
        flow.parameters,
        _set(send, "inputs", "parameters", "X-Trase", value="x"),
        "'X-Trase'",
        "/properties/definition/actions/Send_message/inputs/parameters/X-Trase",
    ),
    (
        flow.parameters,
        _set(send, "inputs", "parameters", "body/txt", value="x"),
        "no field 'txt'",
        "/properties/definition/actions/Send_message/inputs/parameters/body~1txt",
    ),
    (
        flow.run_after,
        _set(get, "runAfter", value={"Send_message": ["Succeeded"]}),
        "another scope",
        "/properties/definition/actions/Check/actions/Get_message/runAfter/Send_message",
    ),
    (
        flow.run_after,
        _set(get, "runAfter", value={"Sent": ["Succeeded"]}),
        "does not exist",
        "/properties/definition/actions/Check/actions/Get_message/runAfter/Sent",
    ),
    (
        flow.run_after,
        _set(send, "runAfter", value={"Check": ["Done"]}),
        "'Done'",
        "/properties/definition/actions/Send_message/runAfter/Check",
    ),
    (
        flow.expression_reference,
        _set(get, "inputs", "parameters", "id", value="@body('Send_mesage')?['id']"),
        "body('Send_mesage')",
        "/properties/definition/actions/Check/actions/Get_message/inputs/parameters/id",
    ),
    (
        flow.expression_reference,
        _set(
            get, "inputs", "parameters", "id", value="x @{outputs('Gone')} and @{actions('Fail')}"
        ),
        "outputs('Gone')",
        "/properties/definition/actions/Check/actions/Get_message/inputs/parameters/id",
    ),
]

PASSING: list[tuple[Rule, Change]] = [
    # the designer keys "Send message" as Send_message; expressions may use either spelling
    (
        flow.expression_reference,
        _set(get, "inputs", "parameters", "id", value="@body('Send message')"),
    ),
    # a quote inside a name is doubled in an expression
    (flow.expression_reference, _set(get, "inputs", "parameters", "id", value="@body('it''s')")),
    # an action inside the else branch runs after another action of that branch
    (flow.run_after, _set(get, "runAfter", value={})),
    # the whole body given at once, and a required input that has a default
    (flow.parameters, _set(send, "inputs", "parameters", value={"body": {"text": "hi"}})),
    # actions on other connectors are not checked against this one
    (flow.operation, _set(send, "inputs", "host", "connectionName", value="shared_office365")),
]


def _ids(cases: list[Any]) -> list[str]:
    return [f"{case[0].id}-{index}" for index, case in enumerate(cases)]


@pytest.mark.parametrize(("rule", "change", "fragment", "pointer"), FAILING, ids=_ids(FAILING))
def test_breaking_edit_is_reported(rule: Rule, change: Change, fragment: str, pointer: str) -> None:
    found = run(rule, _package(change))
    assert found, f"{rule.id} reported nothing"
    assert any(fragment in problem.message for problem in found), [p.message for p in found]
    assert pointer in {problem.pointer for problem in found}
    assert {problem.path for problem in found} == {f"s.zip!/{FLOW_FILE}"}
    assert all(problem.line is not None for problem in found)


@pytest.mark.parametrize(("rule", "change"), PASSING, ids=_ids(PASSING))
def test_passing_variant_is_not_reported(rule: Rule, change: Change) -> None:
    def with_quoted_action(data: dict[str, Any]) -> None:
        _at(data, *ACTIONS)["it's"] = {"type": "Compose", "inputs": 1}
        change(data)

    assert run(rule, _package(with_quoted_action)) == []


def test_a_reference_declared_as_a_missing_dependency_passes() -> None:
    dependency = (
        "<MissingDependencies />",
        "<MissingDependencies><MissingDependency>"
        '<Required type="connectionreference" id.connectionreferencelogicalname="cts_elsewhere" />'
        '<Dependent type="29" id="{x}" /></MissingDependency></MissingDependencies>',
    )
    assert run(flow.connection_reference, _package(_drop_reference, dependency)) == []
    assert run(flow.connection_reference, _package(_drop_reference)) != []
    assert REFERENCE  # the clean flow names the reference in customizations.xml
