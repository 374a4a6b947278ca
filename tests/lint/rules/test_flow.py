"""The flow rules: a breaking edit of the sample solution's flow each, and passing variants."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from lint_packages import table_tests
from solution_samples import (
    FLOW,
    FLOW_FILE,
    KEY,
    REFERENCE,
    run,
    solution_entries,
    solution_package,
)

from retarus_connector.lint.model import Problem, Rule
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


FAILING: list[tuple[Rule, Change, list[str], str]] = [
    (
        flow.definition,
        lambda data: data["properties"].pop("definition"),
        [""],
        "no properties.definition",
    ),
    (
        flow.connection_name,
        _set(send, "inputs", "host", "connectionName", value="shared_other"),
        ["/properties/definition/actions/Send_message/inputs/host/connectionName"],
        "'shared_other'",
    ),
    (
        flow.connection_name,
        _set(get, "inputs", "host", "connectionName", value="shared_other"),
        ["/properties/definition/actions/Check/actions/Get_message/inputs/host/connectionName"],
        "does not declare",
    ),
    (
        flow.connection_reference,
        _drop_reference,
        [
            "/properties/connectionReferences/shared_cts-5fcontoso-5f0123456789abcdef/connection/connectionReferenceLogicalName"
        ],
        "'cts_elsewhere'",
    ),
    (
        flow.operation,
        _set(get, "inputs", "host", "operationId", value="GetMessageV2"),
        ["/properties/definition/actions/Check/actions/Get_message/inputs/host/operationId"],
        "'GetMessageV2'",
    ),
    (
        flow.parameters,
        _set(get, "inputs", "parameters", value={}),
        ["/properties/definition/actions/Check/actions/Get_message/inputs/parameters"],
        "required input 'id'",
    ),
    (
        flow.parameters,
        _set(send, "inputs", "parameters", value={"body/to": "x"}),
        ["/properties/definition/actions/Send_message/inputs/parameters"],
        "'body/text'",
    ),
    (
        flow.parameters,
        _set(send, "inputs", "parameters", value={}),
        ["/properties/definition/actions/Send_message/inputs/parameters"],
        "required body 'body'",
    ),
    (
        flow.parameters,
        _set(send, "inputs", "parameters", "X-Trase", value="x"),
        ["/properties/definition/actions/Send_message/inputs/parameters/X-Trase"],
        "'X-Trase'",
    ),
    (
        flow.parameters,
        _set(send, "inputs", "parameters", "body/txt", value="x"),
        ["/properties/definition/actions/Send_message/inputs/parameters/body~1txt"],
        "no field 'txt'",
    ),
    (
        flow.run_after,
        _set(get, "runAfter", value={"Send_message": ["Succeeded"]}),
        ["/properties/definition/actions/Check/actions/Get_message/runAfter/Send_message"],
        "another scope",
    ),
    (
        flow.run_after,
        _set(get, "runAfter", value={"Sent": ["Succeeded"]}),
        ["/properties/definition/actions/Check/actions/Get_message/runAfter/Sent"],
        "does not exist",
    ),
    (
        flow.run_after,
        _set(send, "runAfter", value={"Check": ["Done"]}),
        ["/properties/definition/actions/Send_message/runAfter/Check"],
        "'Done'",
    ),
    (
        flow.expression_reference,
        _set(get, "inputs", "parameters", "id", value="@body('Send_mesage')?['id']"),
        ["/properties/definition/actions/Check/actions/Get_message/inputs/parameters/id"],
        "body('Send_mesage')",
    ),
    (
        flow.expression_reference,
        _set(
            get, "inputs", "parameters", "id", value="x @{outputs('Gone')} and @{actions('Fail')}"
        ),
        ["/properties/definition/actions/Check/actions/Get_message/inputs/parameters/id"],
        "outputs('Gone')",
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


def _with_quoted_action(change: Change, _swagger: Any) -> Any:
    """The row's flow, with an action whose name holds a quote (for the expression rows)."""

    def both(data: dict[str, Any]) -> None:
        _at(data, *ACTIONS)["it's"] = {"type": "Compose", "inputs": 1}
        change(data)

    return _package(both)


def _place(problem: Problem) -> str:
    assert problem.path == f"s.zip!/{FLOW_FILE}"
    assert problem.line is not None
    return problem.pointer


test_breaking_edit_is_reported, test_passing_variant_is_clean = table_tests(
    FAILING, PASSING, _with_quoted_action, _place
)


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
