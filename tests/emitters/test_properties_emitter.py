"""apiProperties.json and settings.json from the connector model."""

from __future__ import annotations

import re
from dataclasses import replace

from retarus_connector.emitters.properties import api_properties_document
from retarus_connector.emitters.settings import settings_document
from retarus_connector.emitters.swagger import swagger_document
from retarus_connector.models import CONNECTOR

PROPERTIES = api_properties_document(CONNECTOR)["properties"]


def test_connection_is_login_id_and_password_as_secure_strings() -> None:
    parameters = PROPERTIES["connectionParameters"]
    assert list(parameters) == ["username", "password"]
    for parameter in parameters.values():
        assert parameter["type"] == "securestring"
        ui = parameter["uiDefinition"]
        assert ui["constraints"]["required"] == "true"
        assert ui["displayName"]
        assert ui["description"].endswith(".")
        assert ui["tooltip"]
    assert parameters["password"]["uiDefinition"]["constraints"]["clearText"] is False
    assert "Login ID" in parameters["username"]["uiDefinition"]["displayName"]


def test_brand_color_is_allowed_for_certified_connectors() -> None:
    color = PROPERTIES["iconBrandColor"]
    assert re.fullmatch(r"#[0-9a-f]{6}", color)
    assert color not in {"#ffffff", "#007ee5"}


def test_publisher_capabilities_and_ascii() -> None:
    assert PROPERTIES["publisher"] == PROPERTIES["stackOwner"] == "retarus GmbH"
    assert PROPERTIES["capabilities"] == ["actions"]
    assert str(PROPERTIES).isascii()


def test_custom_code_routes_the_reads_and_no_policy_builds_a_host() -> None:
    # The reads used to pick their host with a dynamichosturl template fed by the Data Center
    # header; now the custom code does, from a table (ARCHITECTURE.md).
    assert PROPERTIES["policyTemplateInstances"] == []
    routed = PROPERTIES["scriptOperations"]
    assert sorted(routed) == ["GetJobStatus", "GetRecipientStatuses", "GetVersionInfo", "ListJobs"]
    swagger = swagger_document(CONNECTOR.api)
    for methods in swagger["paths"].values():
        for operation in methods.values():
            names = {p["name"] for p in operation.get("parameters", [])}
            assert ("dataCenter" in names) == (operation["operationId"] in routed)


def test_without_custom_code_there_are_no_script_operations() -> None:
    properties = api_properties_document(replace(CONNECTOR, host_choice=None))["properties"]
    assert "scriptOperations" not in properties


def test_settings_name_the_package_files_and_no_secrets() -> None:
    settings = settings_document()
    assert settings == {
        "apiProperties": "apiProperties.json",
        "apiDefinition": "apiDefinition.swagger.json",
        "icon": "icon.png",
        "powerAppsUrl": "https://api.powerapps.com",
        "powerAppsApiVersion": "2016-11-01",
    }
    assert not {"connectorId", "environment", "clientId", "tenant"} & set(settings)
    # paconn uploads script.csx only when the settings name it
    assert settings_document(script=True)["script"] == "script.csx"


def test_connection_parameter_settings_come_from_the_model() -> None:
    first = CONNECTOR.connection_parameters[0]
    optional = replace(first, required=False, clear_text=True, tab_index=7, tooltip="Tip")
    connector = replace(
        CONNECTOR, connection_parameters=(optional,), stack_owner="Someone Else Ltd"
    )
    document = api_properties_document(connector)["properties"]
    ui = document["connectionParameters"][first.name]["uiDefinition"]
    assert ui["tooltip"] == "Tip"
    assert ui["constraints"] == {"tabIndex": 7, "clearText": True, "required": "false"}
    assert document["stackOwner"] == "Someone Else Ltd"
