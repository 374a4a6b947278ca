"""solution.xml, customizations.xml and [Content_Types].xml in the shape of real exports."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from retarus_connector.emitters.solution import (
    ConnectorParts,
    WorkflowEntry,
    connector_root,
    content_types_xml,
    customizations_xml,
    deployment_settings,
    solution_xml,
    workflow_root,
)
from retarus_connector.emitters.xml import element, to_xml
from retarus_connector.models import CONNECTOR
from retarus_connector.models.solutions import retarus_solutions

SOLUTIONS = retarus_solutions(CONNECTOR)
CONNECTOR_ROW = SOLUTIONS.connector
PARTS = ConnectorParts(
    connector=CONNECTOR_ROW,
    description="Sends <SMS> & more",
    icon_brand_color="#003a70",
    openapidefinition=CONNECTOR_ROW.part("openapidefinition", "json"),
    connectionparameters=CONNECTOR_ROW.part("connectionparameters", "json"),
    policytemplateinstances=CONNECTOR_ROW.part("policytemplateinstances", "json"),
    iconblob=CONNECTOR_ROW.part("iconblob", "Png"),
)
ENTRY = WorkflowEntry(
    "{2bdfe06a-2a7e-54c5-b35d-1ad19ccce51e}", "Send & wait", "Workflows/F-2BDF.json", "1.0.0.0"
)
SAMPLES = "reference/solution-samples"


def _tags(node: ET.Element) -> list[str]:
    return [child.tag for child in node]


def _shape(node: ET.Element) -> list[str]:
    """Every element's path from the root, in document order."""
    paths: list[str] = []

    def visit(item: ET.Element, prefix: str) -> None:
        path = f"{prefix}/{item.tag}"
        if path not in paths:
            paths.append(path)
        for child in item:
            visit(child, path)

    visit(node, "")
    return paths


def test_solution_xml_has_manifest_publisher_and_braced_lower_case_ids() -> None:
    roots = [workflow_root(ENTRY), connector_root(CONNECTOR_ROW)]
    root = ET.fromstring(solution_xml(SOLUTIONS.flow_solution, SOLUTIONS.publisher, roots))
    manifest = root.find("SolutionManifest")
    assert manifest is not None
    assert manifest.findtext("UniqueName") == "RetarusSMSFlows"
    assert manifest.findtext("Version") == "1.0.0.0"
    assert manifest.findtext("Managed") == "0"
    assert manifest.findtext("Publisher/CustomizationPrefix") == "rtrs"
    assert manifest.findtext("Publisher/CustomizationOptionValuePrefix") == "77827"
    found = [item.attrib for item in manifest.iterfind("RootComponents/RootComponent")]
    assert found == [
        {"type": "29", "id": ENTRY.workflow_id, "behavior": "0"},
        {
            "type": "372",
            "id": "{" + str(CONNECTOR_ROW.id) + "}",
            "schemaName": CONNECTOR_ROW.name,
            "behavior": "0",
        },
    ]
    assert manifest.find("MissingDependencies") is not None


def test_customizations_xml_escapes_texts_and_keeps_export_order() -> None:
    text = customizations_xml(PARTS, [ENTRY], [SOLUTIONS.connection_reference])
    root = ET.fromstring(text)
    assert _tags(root) == [
        "Entities", "Roles", "Workflows", "FieldSecurityProfiles", "Templates", "EntityMaps",
        "EntityRelationships", "OrganizationSettings", "optionsets", "CustomControls",
        "EntityDataProviders", "Connectors", "connectionreferences", "Languages",
    ]  # fmt: skip
    row = root.find("Connectors/Connector")
    assert row is not None
    assert row.findtext("description") == "Sends <SMS> & more"
    assert row.findtext("connectorid") == str(CONNECTOR_ROW.id)  # bare, no braces
    for tag in ("openapidefinition", "connectionparameters", "policytemplateinstances", "iconblob"):
        assert (row.findtext(tag) or "").startswith("/Connector/")
    workflow = root.find("Workflows/Workflow")
    assert workflow is not None
    assert workflow.get("Name") == "Send & wait"
    assert workflow.findtext("JsonFileName") == "/Workflows/F-2BDF.json"
    assert workflow.findtext("Category") == "5"
    reference = root.find("connectionreferences/connectionreference")
    assert reference is not None
    assert reference.get("connectionreferencelogicalname") == "rtrs_RetarusSMS"
    assert reference.findtext("connectorid") == CONNECTOR_ROW.api_id


def test_connector_with_custom_code_names_its_script_and_operations() -> None:
    from dataclasses import replace

    parts = replace(
        PARTS,
        script=CONNECTOR_ROW.part("customcodeblobcontent", "csx"),
        script_operations=("SendSmsJob",),
    )
    row = ET.fromstring(customizations_xml(parts)).find("Connectors/Connector")
    assert row is not None
    tags = _tags(row)
    assert tags.index("scriptoperations") < tags.index("openapidefinition")
    assert tags.index("customcodeblobcontent") == tags.index("iconblob") - 1
    assert row.findtext("scriptoperations") == '["SendSmsJob"]'
    assert row.findtext("customcodeblobcontent") == (
        f"/Connector/{CONNECTOR_ROW.name}_customcodeblobcontent.csx"
    )


def test_content_types_cover_each_extension_once_with_a_bom() -> None:
    data = content_types_xml(
        [
            "customizations.xml",
            "solution.xml",
            "Connector/a.json",
            "b.Png",
            "c.json",
            "Connector/d.csx",
        ]
    )
    assert data.startswith(b"\xef\xbb\xbf<?xml")
    root = ET.fromstring(data[3:])
    extensions = [item.get("Extension") for item in root]
    assert extensions == ["xml", "json", "Png", "csx"]
    assert b"\n" not in data


def test_deployment_settings_leave_the_connection_to_fill_in() -> None:
    settings = deployment_settings([SOLUTIONS.connection_reference])
    assert settings == {
        "EnvironmentVariables": [],
        "ConnectionReferences": [
            {
                "LogicalName": "rtrs_RetarusSMS",
                "ConnectionId": "",
                "ConnectorId": CONNECTOR_ROW.api_id,
            }
        ],
    }


def test_xml_writer_escapes_attributes_and_spells_empty_elements_both_ways() -> None:
    text = to_xml(element("a", element("b"), element("c", text=""), x='1 "2" <3>'))
    assert text == '<a x="1 &quot;2&quot; &lt;3&gt;">\n  <b />\n  <c></c>\n</a>'


@pytest.mark.shared
def test_connector_solution_documents_have_the_shape_of_a_real_export(shared_dir: Path) -> None:
    samples = shared_dir / SAMPLES
    real_solution = ET.parse(samples / "iom-shopify__solution.xml").getroot()
    ours = ET.fromstring(
        solution_xml(
            SOLUTIONS.connector_solution, SOLUTIONS.publisher, [connector_root(CONNECTOR_ROW)]
        )
    )
    # Publisher, addresses and root components as the export writes them.
    real_publisher = real_solution.find("SolutionManifest/Publisher")
    our_publisher = ours.find("SolutionManifest/Publisher")
    assert real_publisher is not None
    assert our_publisher is not None
    assert _shape(our_publisher) == _shape(real_publisher)
    assert ours.attrib.keys() == real_solution.attrib.keys()
    real_root = real_solution.find("SolutionManifest/RootComponents/RootComponent")
    our_root = ours.find("SolutionManifest/RootComponents/RootComponent")
    assert real_root is not None
    assert our_root is not None
    assert list(our_root.attrib) == list(real_root.attrib)
    real_custom = ET.parse(samples / "iom-shopify__customizations.xml").getroot()
    our_custom = ET.fromstring(customizations_xml(PARTS))
    assert _shape(our_custom) == _shape(real_custom)


@pytest.mark.shared
def test_workflow_and_connection_reference_have_the_shape_of_real_exports(
    shared_dir: Path,
) -> None:
    samples = shared_dir / SAMPLES
    data_xml = next(samples.glob("fordosa90__*.json.data.xml")).read_bytes()
    real_workflow = ET.fromstring(data_xml.removeprefix(b"\xef\xbb\xbf"))
    ours = ET.fromstring(customizations_xml(PARTS, [ENTRY], [SOLUTIONS.connection_reference]))
    our_workflow = ours.find("Workflows/Workflow")
    assert our_workflow is not None
    assert _tags(our_workflow) == _tags(real_workflow)
    assert list(our_workflow.attrib) == [
        key for key in real_workflow.attrib if not key.startswith("{")
    ]
    custom = (samples / "fordosa90__Other_Customizations.xml").read_bytes()
    real_reference = ET.fromstring(custom.removeprefix(b"\xef\xbb\xbf")).find(
        "connectionreferences/connectionreference"
    )
    our_reference = ours.find("connectionreferences/connectionreference")
    assert real_reference is not None
    assert our_reference is not None
    # Newer exports add promptingbehavior; everything else is in the same order.
    assert [tag for tag in _tags(our_reference) if tag != "promptingbehavior"] == _tags(
        real_reference
    )
