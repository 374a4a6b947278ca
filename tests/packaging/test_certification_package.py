"""The certification package against each rule of Microsoft's ConnectorPackageValidator.ps1
(numbered as in ../shared/reference/solutions.md section 6), checked on the real output."""

from __future__ import annotations

import fnmatch
import io
import xml.etree.ElementTree as ET
import zipfile
from pathlib import PurePosixPath

import pytest

import retarus_connector
from retarus_connector.files.certification import certification_names
from retarus_connector.models import CONNECTOR
from retarus_connector.models.dataverse import four_part_version
from retarus_connector.models.solutions import retarus_solutions
from retarus_connector.packaging.certification import current_certification
from retarus_connector.packaging.versioning import current_connector


def _entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _top(names: list[str]) -> tuple[set[str], set[str]]:
    """(folders, files) at the root of an extracted zip, as Get-ChildItem sees them."""
    folders = {name.split("/")[0] for name in names if "/" in name}
    files = {name for name in names if "/" not in name}
    return folders, files


@pytest.fixture(scope="module")
def outer() -> dict[str, bytes]:
    return _entries(current_certification().data)


@pytest.fixture(scope="module")
def package(outer: dict[str, bytes]) -> dict[str, bytes]:
    (name,) = [name for name in outer if fnmatch.fnmatch(name.lower(), "*.zip*")]
    return _entries(outer[name])


@pytest.fixture(scope="module")
def solutions(package: dict[str, bytes]) -> dict[str, dict[str, bytes]]:
    return {
        PurePosixPath(name).name: _entries(data)
        for name, data in package.items()
        if name.lower().endswith(".zip")
    }


def test_rule_3_the_package_is_a_zip_named_after_the_version() -> None:
    name = current_certification().name
    assert fnmatch.fnmatch(name, "*.zip")
    version = four_part_version(retarus_connector.__version__).replace(".", "_")
    assert name == f"RetarusSMS_certification_{version}.zip"


def test_rules_6_and_7_outer_zip_has_no_folder_one_md_and_one_zip(outer: dict[str, bytes]) -> None:
    folders, files = _top(list(outer))
    assert folders == set()
    assert [name for name in files if fnmatch.fnmatch(name.lower(), "*.md")] == ["intro.md"]
    assert len([name for name in files if fnmatch.fnmatch(name.lower(), "*.zip*")]) == 1


def test_rules_9_to_11_one_folder_without_subfolders_holding_two_solution_zips(
    package: dict[str, bytes],
) -> None:
    folders, _ = _top(list(package))
    assert folders == {"PkgAssets"}
    inside = [name.split("/", 1)[1] for name in package]
    assert not any("/" in name for name in inside)  # rule 10: no subfolders
    assert len([name for name in inside if fnmatch.fnmatch(name.lower(), "*.zip*")]) == 2


def test_rule_12_each_solution_has_the_three_root_files(
    solutions: dict[str, dict[str, bytes]],
) -> None:
    for entries in solutions.values():
        assert {"[Content_Types].xml", "customizations.xml", "solution.xml"} <= set(entries)


def _found(root: ET.Element, xpath_tag: str) -> bool:
    """Like the script's `SelectSingleNode('//Tag')`: the first match counts when it has
    child nodes (text included) or attributes."""
    node = next(root.iter(xpath_tag), None)
    return node is not None and (len(node) > 0 or bool(node.attrib) or bool(node.text))


def _classify(entries: dict[str, bytes]) -> str:
    root = ET.fromstring(entries["customizations.xml"])
    connector, workflows = _found(root, "Connector"), _found(root, "Workflows")
    plugin = _found(root, "aicopilot_aiplugin")
    folders, _ = _top(list(entries))
    if connector:  # rule 14
        assert "Connector" in folders
    if workflows:  # rule 15
        assert {"Connector", "Workflows"} <= folders
    if connector and not workflows and not plugin:
        return "connector"
    if connector and workflows and not plugin:
        return "flow"
    return "unknown"


def test_rules_13_to_19_one_connector_solution_and_one_flow_solution(
    solutions: dict[str, dict[str, bytes]],
) -> None:
    kinds = {name: _classify(entries) for name, entries in solutions.items()}
    expected = retarus_solutions(current_connector())
    assert kinds == {
        expected.connector_solution.file_name: "connector",
        expected.flow_solution.file_name: "flow",
    }


def test_the_solutions_inside_are_those_solution_writes(package: dict[str, bytes]) -> None:
    from retarus_connector.packaging.solutions import current_solutions

    built = current_solutions()
    assert package == {
        f"PkgAssets/{built.connector_solution.name}": built.connector_solution.data,
        f"PkgAssets/{built.flow_solution.name}": built.flow_solution.data,
    }


def test_intro_names_both_solutions_and_the_flows(outer: dict[str, bytes]) -> None:
    intro = outer["intro.md"].decode("utf-8")
    solutions = retarus_solutions(CONNECTOR)
    assert intro.startswith(f"# {CONNECTOR.api.title}\n")
    for text in (
        solutions.connector_solution.file_name,
        solutions.flow_solution.file_name,
        solutions.connection_reference.logical_name,
        *(flow.display_name for flow in solutions.flows),
        "## Prerequisites",
        "## Known Issues and Limitations",
    ):
        assert text in intro


def test_two_runs_give_the_same_bytes() -> None:
    assert current_certification().data == current_certification().data


def test_names_follow_the_solution_version() -> None:
    solutions = retarus_solutions(CONNECTOR.with_version("2.5.0"))
    assert certification_names(solutions) == (
        "RetarusSMS_certification_2_5_0_0.zip",
        "RetarusSMS_package.zip",
    )
