"""Both solution zips: layout as exports write it, the package files inside, determinism."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest

from retarus_connector.files.package import connector_files
from retarus_connector.files.solution import (
    SolutionSet,
    connector_parts,
    solution_set,
)
from retarus_connector.files.zips import FIXED_DATE_TIME, same_entries, zip_entries
from retarus_connector.models import CONNECTOR
from retarus_connector.models.solutions import retarus_solutions

SOLUTIONS = retarus_solutions(CONNECTOR)
NAME = SOLUTIONS.connector.name


@pytest.fixture(scope="module")
def built() -> SolutionSet:
    return solution_set(CONNECTOR, SOLUTIONS)


def _zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def _both(built: SolutionSet) -> list[zipfile.ZipFile]:
    return [_zip(built.connector_solution.data), _zip(built.flow_solution.data)]


def test_zip_names_carry_unique_name_and_four_part_version(built: SolutionSet) -> None:
    assert built.connector_solution.name == "RetarusSMSConnector_1_0_0_0.zip"
    assert built.flow_solution.name == "RetarusSMSFlows_1_0_0_0.zip"


def test_entries_are_in_export_order_deflated_without_folders(built: SolutionSet) -> None:
    for archive in _both(built):
        names = archive.namelist()
        assert names[:3] == ["customizations.xml", "[Content_Types].xml", "solution.xml"]
        assert not any(name.endswith("/") for name in names)
        for info in archive.infolist():
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert info.date_time == FIXED_DATE_TIME
        assert archive.testzip() is None


def test_connector_files_equal_the_package_files(built: SolutionSet) -> None:
    package = connector_files(CONNECTOR)
    properties = json.loads(package["apiProperties.json"])["properties"]
    for archive in _both(built):

        def read(role: str, extension: str, archive: zipfile.ZipFile = archive) -> bytes:
            return archive.read(f"Connector/{NAME}_{role}.{extension}")

        assert read("openapidefinition", "json") == package["apiDefinition.swagger.json"]
        assert read("iconblob", "Png") == package["icon.png"]
        if "script.csx" in package:
            assert read("customcodeblobcontent", "csx") == package["script.csx"]
            operations = ET.fromstring(archive.read("customizations.xml")).findtext(
                "Connectors/Connector/scriptoperations"
            )
            assert json.loads(operations or "null") == properties["scriptOperations"]
        assert (
            json.loads(read("connectionparameters", "json")) == properties["connectionParameters"]
        )
        policies = json.loads(read("policytemplateinstances", "json"))
        assert [
            {"templateId": p["TemplateId"], "title": p["Title"], "parameters": p["Parameters"]}
            for p in policies
        ] == properties["policyTemplateInstances"]


def test_part_paths_and_zip_entries_match_both_ways(built: SolutionSet) -> None:
    for archive in _both(built):
        root = ET.fromstring(archive.read("customizations.xml"))
        pointed = {
            (node.text or "").removeprefix("/")
            for node in root.iter()
            if (node.text or "").startswith(("/Connector/", "/Workflows/"))
        }
        components = {n for n in archive.namelist() if n.startswith(("Connector/", "Workflows/"))}
        assert pointed == components
        types = ET.fromstring(archive.read("[Content_Types].xml")[3:])
        declared = {item.get("Extension") for item in types}
        assert {name.rpartition(".")[2] for name in archive.namelist()} - {"xml"} <= declared
        assert "xml" in declared


def test_flow_solution_ties_workflow_ids_names_and_roots_together(built: SolutionSet) -> None:
    archive = _zip(built.flow_solution.data)
    custom = ET.fromstring(archive.read("customizations.xml"))
    manifest = ET.fromstring(archive.read("solution.xml"))
    roots = {
        (item.get("type"), item.get("id"))
        for item in manifest.iterfind("SolutionManifest/RootComponents/RootComponent")
    }
    workflows = list(custom.iterfind("Workflows/Workflow"))
    assert [w.get("Name") for w in workflows] == [flow.display_name for flow in SOLUTIONS.flows]
    for workflow in workflows:
        workflow_id = workflow.get("WorkflowId") or ""
        assert re.fullmatch(r"\{[0-9a-f-]{36}\}", workflow_id)
        path = (workflow.findtext("JsonFileName") or "").removeprefix("/")
        assert path.endswith(f"-{workflow_id.strip('{}').upper()}.json")
        assert ("29", workflow_id) in roots
        document = json.loads(archive.read(path))
        (key,) = document["properties"]["connectionReferences"]
        reference = document["properties"]["connectionReferences"][key]
        logical = reference["connection"]["connectionReferenceLogicalName"]
        assert (
            custom.find(
                f"connectionreferences/connectionreference[@connectionreferencelogicalname='{logical}']"
            )
            is not None
        )
        assert reference["api"]["logicalName"] == custom.findtext("Connectors/Connector/name")
    assert ("372", "{" + str(SOLUTIONS.connector.id) + "}") in roots


def test_connector_solution_holds_no_flows(built: SolutionSet) -> None:
    archive = _zip(built.connector_solution.data)
    custom = ET.fromstring(archive.read("customizations.xml"))
    assert list(custom.iterfind("Workflows/Workflow")) == []
    assert custom.find("connectionreferences") is None
    assert not any(name.startswith("Workflows/") for name in archive.namelist())


def test_two_runs_give_the_same_bytes(built: SolutionSet) -> None:
    again = solution_set(CONNECTOR, retarus_solutions(CONNECTOR))
    assert again.files() == built.files()


def test_custom_code_travels_as_customcodeblobcontent() -> None:
    package = {**connector_files(CONNECTOR), "script.csx": b"public class Script {}"}
    parts, files = connector_parts(CONNECTOR, SOLUTIONS, package)
    assert parts.script == f"Connector/{NAME}_customcodeblobcontent.csx"
    assert dict(files)[parts.script] == b"public class Script {}"


def test_zip_writer_refuses_unsafe_or_repeated_names() -> None:
    for name in ("", "a/", "/a", "a/../b"):
        with pytest.raises(ValueError, match="not a relative file path"):
            zip_entries([(name, b"")])
    with pytest.raises(ValueError, match="twice"):
        zip_entries([("a", b""), ("a", b"")])


def test_same_entries_looks_past_compression_but_not_content() -> None:
    ours = zip_entries([("a.txt", b"hello" * 100)])
    stored = io.BytesIO()
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("a.txt", b"hello" * 100)
    assert same_entries(stored.getvalue(), ours)
    assert not same_entries(zip_entries([("a.txt", b"other")]), ours)
    assert not same_entries(b"not a zip", ours)


def test_documents_are_encoded_as_exports_write_them(built: SolutionSet) -> None:
    archive = _zip(built.flow_solution.data)
    for name in ("solution.xml", "customizations.xml"):
        data = archive.read(name)
        assert data.startswith(b"<ImportExportXml ")  # no BOM, no declaration
        assert not data.endswith(b"\n")
    flows = [name for name in archive.namelist() if name.startswith("Workflows/")]
    assert len(flows) == len(SOLUTIONS.flows)
    for name in flows:
        data = archive.read(name)
        assert data.startswith(b'{\n  "properties": {')  # two-space indent, no BOM
        assert data.endswith(b'  "schemaVersion": "1.0.0.0"\n}')
