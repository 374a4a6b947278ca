"""The solution rules: a breaking edit of a small valid solution each, and passing variants."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lint_packages import table_tests
from solution_samples import (
    CONNECTOR,
    CONNECTOR_ID,
    FLOW_FILE,
    FLOW_ID,
    edited,
    run,
    solution_entries,
    solution_package,
)

from retarus_connector.lint.model import FileKind, Problem, Rule
from retarus_connector.lint.rules import flow, solution

Entries = dict[str, bytes]


def edit(name: str, old: str, new: str) -> Callable[[Entries], Entries]:
    return lambda entries: edited(entries, name, old, new)


def drop(name: str) -> Callable[[Entries], Entries]:
    return lambda entries: {key: value for key, value in entries.items() if key != name}


def add(name: str, data: bytes) -> Callable[[Entries], Entries]:
    return lambda entries: {**entries, name: data}


SX, CX = "solution.xml", "customizations.xml"
PARAMETERS = f"Connector/{CONNECTOR}_connectionparameters.json"

FAILING: list[tuple[Rule, Callable[[Entries], Entries], list[tuple[str, str]], str]] = [
    (
        solution.xml_invalid,
        edit(SX, "</SolutionManifest>", ""),
        [("solution.xml", "")],
        "not well-formed",
    ),
    (
        solution.xml_unsafe,
        edit(CX, "<ImportExportXml", '<!DOCTYPE x [<!ENTITY a "aaaa">]><ImportExportXml'),
        [("customizations.xml", "")],
        "DTD",
    ),
    (solution.files, drop("[Content_Types].xml"), [("", "")], "no [Content_Types].xml"),
    (solution.files, drop(SX), [("", "")], "no solution.xml"),
    (
        solution.files,
        edit(SX, "ImportExportXml", "Manifest"),
        [("solution.xml", "/Manifest")],
        "root element",
    ),
    (
        solution.content_types,
        add("Connector/x_iconblob.Png", b"\x89PNG"),
        [("[Content_Types].xml", "/Types")],
        'Extension="Png"',
    ),
    (
        solution.content_types,
        add("Connector/README", b"x"),
        [("[Content_Types].xml", "/Types")],
        "no extension",
    ),
    (
        solution.version,
        edit(SX, "1.0.0.1", "1.0.1"),
        [("solution.xml", "/ImportExportXml/SolutionManifest/Version")],
        "four numbers",
    ),
    (
        solution.version,
        edit(SX, "<Version>1.0.0.1</Version>", ""),
        [("solution.xml", "/ImportExportXml/SolutionManifest")],
        "no <Version>",
    ),
    (
        solution.managed,
        edit(SX, "<Managed>0", "<Managed>2"),
        [("solution.xml", "/ImportExportXml/SolutionManifest/Managed")],
        "'2'",
    ),
    (
        solution.manifest,
        edit(SX, ">cts</Custom", ">1cts</Custom"),
        [("solution.xml", "/ImportExportXml/SolutionManifest/Publisher/CustomizationPrefix")],
        "CustomizationPrefix",
    ),
    (
        solution.manifest,
        edit(SX, "ContosoFlows", "Contoso Flows"),
        [("solution.xml", "/ImportExportXml/SolutionManifest/UniqueName")],
        "UniqueName",
    ),
    (
        solution.manifest,
        edit(SX, ">12345<", ">123<"),
        [
            (
                "solution.xml",
                "/ImportExportXml/SolutionManifest/Publisher/CustomizationOptionValuePrefix",
            )
        ],
        "OptionValuePrefix",
    ),
    (
        solution.root_components,
        edit(SX, f'<RootComponent type="29" id="{{{FLOW_ID}}}" behavior="0" />', ""),
        [("customizations.xml", "/ImportExportXml/Workflows/Workflow")],
        "not a root component (type 29)",
    ),
    (
        solution.root_components,
        edit(SX, f'schemaName="{CONNECTOR}"', 'schemaName="cts_other"'),
        [
            (
                "solution.xml",
                "/ImportExportXml/SolutionManifest/RootComponents/RootComponent[2]/@schemaName",
            )
        ],
        "schemaName",
    ),
    (
        solution.root_components,
        edit(CX, f"<connectorid>{CONNECTOR_ID}", "<connectorid>1" + CONNECTOR_ID[1:]),
        [("solution.xml", "/ImportExportXml/SolutionManifest/RootComponents/RootComponent[2]")],
        "has no <Connector>",
    ),
    (
        solution.guid,
        edit(CX, f"<connectorid>{CONNECTOR_ID}", "<connectorid>abc"),
        [("customizations.xml", "/ImportExportXml/Connectors/Connector/connectorid")],
        "GUID",
    ),
    (
        solution.guid_style,
        edit(CX, f"<connectorid>{CONNECTOR_ID}", "<connectorid>{" + CONNECTOR_ID + "}"),
        [("customizations.xml", "/ImportExportXml/Connectors/Connector/connectorid")],
        "written",
    ),
    (
        solution.guid_style,
        edit(SX, f'id="{{{FLOW_ID}}}"', f'id="{{{FLOW_ID.upper()}}}"'),
        [("solution.xml", "/ImportExportXml/SolutionManifest/RootComponents/RootComponent[1]/@id")],
        "written",
    ),
    (
        solution.guid_style,
        edit(CX, FLOW_FILE, FLOW_FILE.replace(FLOW_ID.upper(), FLOW_ID)),
        [("customizations.xml", "/ImportExportXml/Workflows/Workflow/JsonFileName")],
        "upper case",
    ),
    (
        solution.part_path,
        edit(CX, f">/{FLOW_FILE}<", f">{FLOW_FILE}<"),
        [("customizations.xml", "/ImportExportXml/Workflows/Workflow/JsonFileName")],
        "start with '/'",
    ),
    (
        solution.part_path,
        drop(PARAMETERS),
        [("customizations.xml", "/ImportExportXml/Connectors/Connector/connectionparameters")],
        "not in the solution",
    ),
    (
        solution.part_unreferenced,
        add("Connector/old_openapidefinition.json", b"{}"),
        [("Connector/old_openapidefinition.json", "")],
        "names",
    ),
    (
        solution.connector,
        edit(CX, "<displayname>Contoso</displayname>", ""),
        [("customizations.xml", "/ImportExportXml/Connectors/Connector")],
        "displayname",
    ),
    (
        solution.connector,
        edit(CX, f"/Connector/{CONNECTOR}_policy", "/Connector/other_policy"),
        [("customizations.xml", "/ImportExportXml/Connectors/Connector/policytemplateinstances")],
        "not named after",
    ),
    (
        solution.prefix,
        edit(SX, ">cts</Custom", ">abc</Custom"),
        [
            ("customizations.xml", "/ImportExportXml/Connectors/Connector/name"),
            (
                "customizations.xml",
                "/ImportExportXml/connectionreferences/connectionreference/@connectionreferencelogicalname",
            ),
        ],
        "prefix 'abc_'",
    ),
    (
        solution.json_parts,
        add(PARAMETERS, b"{"),
        [("Connector/cts_5Fcontoso_connectionparameters.json", "")],
        "not valid JSON",
    ),
    (
        solution.json_parts,
        add(PARAMETERS, b"[]"),
        [("Connector/cts_5Fcontoso_connectionparameters.json", "")],
        "not an object",
    ),
    (
        solution.json_parts,
        add(FLOW_FILE, b'{"a": 1,}'),
        [("Workflows/Sendandread-D0AA07D8-A439-ED11-9DB1-0022489E2374.json", "")],
        "not valid JSON",
    ),
]

PASSING: list[tuple[Rule, Callable[[Entries], Entries]]] = [
    (solution.content_types, add("Connector/x.JSON", b"{}")),  # extensions match in any case
    (solution.managed, edit(SX, "<Managed>0", "<Managed>1")),
    (solution.version, edit(SX, "1.0.0.1", "2024.10.3.17")),
    (solution.guid_style, lambda entries: entries),
    (
        solution.json_parts,
        add(f"Connector/{CONNECTOR}_policytemplateinstances.json", b"null"),
    ),  # nbp's export writes null when there are no policies
    (solution.part_unreferenced, lambda entries: entries),
]


def _package(change: Callable[[Entries], Entries], _swagger: Any) -> Any:
    return solution_package(change(solution_entries()))


def _place(problem: Problem) -> tuple[str, str]:
    """The file inside the zip ("" for the zip itself) and the pointer."""
    assert problem.file == FileKind.SOLUTION
    return (problem.path or "").partition("!/")[2], problem.pointer


test_breaking_edit_is_reported, test_passing_variant_is_clean = table_tests(
    FAILING, PASSING, _package, _place
)


def test_the_clean_solution_passes_every_solution_and_flow_rule() -> None:
    package = solution_package(solution_entries())
    found = {candidate.id: run(candidate, package) for candidate in (*solution.RULES, *flow.RULES)}
    assert {rule_id: problems for rule_id, problems in found.items() if problems} == {}


def test_xml_findings_carry_an_element_path_and_a_line() -> None:
    (problem,) = run(
        solution.version, solution_package(edited(solution_entries(), SX, "1.0.0.1", "one"))
    )
    assert problem.pointer == "/ImportExportXml/SolutionManifest/Version"
    assert problem.line == 6


def test_repeated_elements_are_numbered_in_paths() -> None:
    entries = edited(solution_entries(), SX, f'id="{{{FLOW_ID}}}"', 'id="{not-a-guid}"')
    (problem,) = run(solution.guid, solution_package(entries))
    assert problem.pointer == (
        "/ImportExportXml/SolutionManifest/RootComponents/RootComponent[1]/@id"
    )
