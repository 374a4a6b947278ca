"""Dataverse naming, ids and versions, checked against names taken from real exports."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from retarus_connector.models import CONNECTOR
from retarus_connector.models.dataverse import (
    ConnectionReference,
    DataverseConnector,
    Solution,
    component_id,
    connector_name,
    escape_name,
    four_part_version,
    workflow_file_name,
    workflow_id,
)
from retarus_connector.models.flow import Flow, ManualTrigger, Wait, after
from retarus_connector.models.solutions import PUBLISHER, retarus_solutions


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Kursy walut NBP", "kursy-20walut-20nbp"),  # cre80_5Fkursy-20walut-20nbp
        ("mcp-server-for-enterprise", "mcp-2Dserver-2Dfor-2Denterprise"),
        ("Office 365 Management API", "office-20365-20management-20api"),
        ("a_b", "a-5Fb"),
    ],
)
def test_names_escape_like_dataverse(text: str, escaped: str) -> None:
    assert escape_name(text) == escaped


def test_maker_portal_connector_name_and_api_name_match_a_real_export() -> None:
    name = connector_name("cre80", "Kursy walut NBP")
    assert name == "cre80_5Fkursy-20walut-20nbp"
    # The real internal id is this stem plus an environment's random "-5f<16 hex>".
    real_internal_id = "shared_cre80-5fkursy-20walut-20nbp-5f9f745961df205669"
    connector = DataverseConnector(name, "Kursy walut NBP")
    assert real_internal_id.startswith(connector.api_name + "-5f")
    assert connector.api_id == "/providers/Microsoft.PowerApps/apis/" + connector.api_name
    assert connector.part("iconblob", "Png") == f"Connector/{name}_iconblob.Png"


def test_workflow_file_name_matches_a_real_export() -> None:
    flow_id = uuid.UUID("d9bd8ebc-61a1-ed11-aad1-000d3a17a337")
    assert (
        workflow_file_name("Test - LanguageTool", flow_id)
        == "Test-LanguageTool-D9BD8EBC-61A1-ED11-AAD1-000D3A17A337.json"
    )
    assert workflow_file_name("Flow dla konektora kursów walut", flow_id).startswith(
        "Flowdlakonektorakurswwalut-"
    )


@pytest.mark.parametrize(
    ("version", "four_part"),
    [
        ("1.0.0", "1.0.0.0"),
        ("2", "2.0.0.0"),
        ("1.2.3.4", "1.2.3.4"),
        ("1.1.0rc1", "1.1.0.0"),
        ("01.2.0+local", "1.2.0.0"),
    ],
)
def test_four_part_version(version: str, four_part: str) -> None:
    assert four_part_version(version) == four_part


@pytest.mark.parametrize("version", ["1.2.3.4.5", "v1", "", "1.2147483648"])
def test_versions_dataverse_cannot_hold_are_refused(version: str) -> None:
    with pytest.raises(ValueError, match="version"):
        four_part_version(version)


def test_component_ids_never_change() -> None:
    # Pinned: a new id would make every upgrade leave the old component behind.
    assert component_id("connector", "rtrs_5Fretarus-20sms") == uuid.UUID(
        "8356ae06-88c9-5738-b1a0-7223a717673e"
    )
    assert workflow_id("send-sms-and-wait-for-delivery") == uuid.UUID(
        "2bdfe06a-2a7e-54c5-b35d-1ad19ccce51e"
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("prefix", "r", "prefix"),
        ("prefix", "Retarus", "prefix"),
        ("prefix", "mscrmx", "prefix"),
        ("prefix", "1abc", "prefix"),
        ("unique_name", "has space", "unique name"),
        ("option_value_prefix", 9999, "option value prefix"),
    ],
)
def test_publisher_refuses_invalid_values(field: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        replace(PUBLISHER, **{field: value})


def test_solution_refuses_a_version_that_is_not_four_part() -> None:
    with pytest.raises(ValueError, match="four-part"):
        Solution("Name", "Name", "", "1.0.0")
    assert Solution("Name", "Name", "", "1.2.3.4").file_name == "Name_1_2_3_4.zip"


def test_retarus_solutions_follow_the_connector_version_and_prefix() -> None:
    solutions = retarus_solutions(CONNECTOR.with_version("2.3.1"))
    assert solutions.connector_solution.version == "2.3.1.0"
    assert solutions.flow_solution.file_name == "RetarusSMSFlows_2_3_1_0.zip"
    assert solutions.connector.name == "rtrs_5Fretarus-20sms"
    for name in (solutions.connector.name, solutions.connection_reference.logical_name):
        assert name.startswith(solutions.publisher.prefix + "_")
    reference = solutions.connection_reference
    assert isinstance(reference, ConnectionReference)
    assert reference.connector_id == solutions.connector.api_id
    # The same components at every version: only the version changes.
    other = retarus_solutions(CONNECTOR.with_version("9.0.0"))
    assert other.connector.id == solutions.connector.id


def test_flow_refuses_an_action_name_used_twice() -> None:
    with pytest.raises(ValueError, match="used twice"):
        Flow("k", "F", "", ManualTrigger(()), (Wait("A", 1, "Second"), Wait("A", 1, "Second")))


def test_run_after_refuses_unknown_statuses() -> None:
    with pytest.raises(ValueError, match="Done"):
        after("A", "Done")
