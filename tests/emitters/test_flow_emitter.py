"""The test flows as workflow JSON: wired to the connector models, refused when they drift."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import pytest

from retarus_connector.emitters.flow import FlowError, flow_document
from retarus_connector.models import CONNECTOR
from retarus_connector.models.flow import (
    BodyRef,
    Compose,
    ConnectorAction,
    DocumentedStatus,
    Flow,
    ManualTrigger,
    ref,
)
from retarus_connector.models.flows import FLOWS, READ_VERSION, SEND_AND_WAIT
from retarus_connector.models.package import Api
from retarus_connector.models.schema import Definition
from retarus_connector.models.solutions import retarus_solutions

SOLUTIONS = retarus_solutions(CONNECTOR)
REFERENCE = SOLUTIONS.connection_reference


def _document(flow: Flow = SEND_AND_WAIT, api: Api = CONNECTOR.api) -> dict[str, Any]:
    return flow_document(flow, api, REFERENCE)


def _all_actions(actions: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for name, action in actions.items():
        found[name] = action
        found.update(_all_actions(action.get("actions", {})))
        found.update(_all_actions(action.get("else", {}).get("actions", {})))
    return found


def _renamed_operation(old: str, new: str) -> Api:
    operations = tuple(
        replace(op, operation_id=new) if op.operation_id == old else op
        for op in CONNECTOR.api.operations
    )
    return replace(CONNECTOR.api, operations=operations)


def _renamed_field(definition: str, old: str, new: str) -> Api:
    def rename(item: Definition) -> Definition:
        if item.name != definition:
            return item
        properties = tuple(
            replace(prop, name=new) if prop.name == old else prop for prop in item.properties
        )
        return replace(item, properties=properties)

    return replace(CONNECTOR.api, definitions=tuple(map(rename, CONNECTOR.api.definitions)))


@pytest.mark.parametrize("flow", FLOWS, ids=lambda flow: flow.key)
def test_every_action_calls_a_real_operation_through_the_connection_reference(
    flow: Flow,
) -> None:
    document = _document(flow)
    references = document["properties"]["connectionReferences"]
    assert list(references) == [SOLUTIONS.connector.api_name]
    (reference,) = references.values()
    assert reference["connection"]["connectionReferenceLogicalName"] == REFERENCE.logical_name
    assert reference["api"]["logicalName"] == SOLUTIONS.connector.name
    operation_ids = {op.operation_id for op in CONNECTOR.api.operations}
    calls = [
        action
        for action in _all_actions(document["properties"]["definition"]["actions"]).values()
        if action["type"] == "OpenApiConnection"
    ]
    assert calls
    for action in calls:
        host = action["inputs"]["host"]
        assert host["connectionName"] in references
        assert host["operationId"] in operation_ids
        assert host["apiId"] == SOLUTIONS.connector.api_id
        operation = CONNECTOR.api.operation(host["operationId"])
        names = {parameter.name for parameter in operation.parameters}
        for key in action["inputs"]["parameters"]:
            assert key.split("/")[0] in names


@pytest.mark.parametrize("flow", FLOWS, ids=lambda flow: flow.key)
def test_run_after_and_expressions_name_existing_actions(flow: Flow) -> None:
    definition = _document(flow)["properties"]["definition"]

    def check(actions: dict[str, Any]) -> None:
        for action in actions.values():
            assert set(action["runAfter"]) <= set(actions)
            check(action.get("actions", {}))
            check(action.get("else", {}).get("actions", {}))

    check(definition["actions"])
    names = set(_all_actions(definition["actions"]))
    text = json.dumps(definition)
    for used in re.findall(r"(?:body|outputs|actions)\('([^']+)'\)", text):
        assert used in names


def test_send_flow_polls_de2_then_de1_on_404_until_final_or_time_limit() -> None:
    actions = _document()["properties"]["definition"]["actions"]
    trigger = _document()["properties"]["definition"]["triggers"]["manual"]
    assert trigger["kind"] == "Button"
    assert set(trigger["inputs"]["schema"]["required"]) == {"text", "text_1"}
    send = actions["Send_an_SMS_job"]
    assert send["inputs"]["host"]["operationId"] == "SendSmsJob"
    message = send["inputs"]["parameters"]["body/messages"][0]
    assert message["recipients"][0]["dst"] == "@triggerBody()['text']"
    loop = actions["Wait_for_final_statuses"]
    assert loop["type"] == "Until"
    assert loop["limit"] == {"count": 60, "timeout": "PT60M"}
    inner = loop["actions"]
    assert inner["Wait_before_reading"]["type"] == "Wait"
    de2 = inner["Get_statuses_from_de2"]
    assert de2["inputs"]["parameters"] == {
        "jobId": "@body('Send_an_SMS_job')?['jobId']",
        "dataCenter": "de2",
    }
    fallback = inner["Job_is_in_de1"]
    assert fallback["type"] == "If"
    assert fallback["runAfter"] == {"Get_statuses_from_de2": ["Failed"]}
    assert fallback["expression"]["and"][0]["equals"] == [
        "@outputs('Get_statuses_from_de2')?['statusCode']",
        404,
    ]
    de1 = fallback["actions"]["Get_statuses_from_de1"]
    assert de1["inputs"]["parameters"]["dataCenter"] == "de1"
    assert "processStatus" in inner["Recipients_without_final_status"]["inputs"]["where"]
    end = actions["Delivery_statuses"]
    assert end["type"] == "Compose"
    assert "TimedOut" in end["runAfter"]["Wait_for_final_statuses"]


@pytest.mark.parametrize(
    ("api", "named"),
    [
        (_renamed_operation("SendSmsJob", "SendJob"), "'SendSmsJob'"),
        (_renamed_operation("GetRecipientStatuses", "GetStatuses"), "'GetRecipientStatuses'"),
        (_renamed_field("JobResponse", "jobId", "id"), "'jobId'"),
        (_renamed_field("RecipientReport", "processStatus", "state"), "'processStatus'"),
        (_renamed_field("JobRequest", "messages", "items"), "'messages'"),
    ],
)
def test_a_renamed_operation_or_field_stops_the_flow_with_a_clear_error(
    api: Api, named: str
) -> None:
    with pytest.raises(FlowError, match=f"Send an SMS and wait for delivery.*{named}"):
        _document(SEND_AND_WAIT, api)


def test_a_renamed_parameter_stops_the_flow() -> None:
    operations = tuple(
        replace(
            op,
            parameters=tuple(
                replace(p, name="dc") if p.name == "dataCenter" else p for p in op.parameters
            ),
        )
        for op in CONNECTOR.api.operations
    )
    with pytest.raises(FlowError, match="has no parameter 'dataCenter'"):
        _document(READ_VERSION, replace(CONNECTOR.api, operations=operations))


def _single(action: ConnectorAction | Compose, *more: ConnectorAction | Compose) -> Flow:
    return Flow("k", "Probe", "", ManualTrigger(()), (action, *more))


@pytest.mark.parametrize(
    ("flow", "message"),
    [
        (_single(ConnectorAction("A", "GetJobStatus", ())), "needs the parameter 'jobId'"),
        (
            _single(ConnectorAction("A", "SendSmsJob", (("body/options/flash", True),))),
            "needs body/messages",
        ),
        (
            _single(ConnectorAction("A", "SendSmsJob", (("body/messages", [{"text": "x"}]),))),
            "needs the field 'recipients'",
        ),
        (
            _single(
                ConnectorAction("A", "GetVersionInfo", ()),
                Compose("B", ref(BodyRef("A", ("nothing",)))),
            ),
            "has no field 'nothing'",
        ),
        (
            _single(Compose("B", DocumentedStatus("GetVersionInfo", 404))),
            "documents no status 404",
        ),
        (_single(Compose("B", ref(BodyRef("Missing")))), "no connector action 'Missing'"),
    ],
)
def test_flow_mistakes_are_refused_with_the_action_named(flow: Flow, message: str) -> None:
    with pytest.raises(FlowError, match=message):
        _document(flow)
