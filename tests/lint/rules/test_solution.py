"""The solution rules: a breaking edit of a small valid solution each, and passing variants."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
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

from retarus_connector.lint.model import FileKind, Rule
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

FAILING: list[tuple[Rule, Callable[[Entries], Entries], str, str]] = [
    (solution.xml_invalid, edit(SX, "</SolutionManifest>", ""), "not well-formed", SX),
    (
        solution.xml_unsafe,
        edit(CX, "<ImportExportXml", '<!DOCTYPE x [<!ENTITY a "aaaa">]><ImportExportXml'),
        "DTD",
        CX,
    ),
    (solution.files, drop("[Content_Types].xml"), "no [Content_Types].xml", ""),
    (solution.files, drop(SX), "no solution.xml", ""),
    (solution.files, edit(SX, "ImportExportXml", "Manifest"), "root element", SX),
    (
        solution.content_types,
        add("Connector/x_iconblob.Png", b"\x89PNG"),
        'Extension="Png"',
        "[Content_Types].xml",
    ),
    (solution.content_types, add("Connector/README", b"x"), "no extension", "[Content_Types].xml"),
    (solution.version, edit(SX, "1.0.0.1", "1.0.1"), "four numbers", SX),
    (solution.version, edit(SX, "<Version>1.0.0.1</Version>", ""), "no <Version>", SX),
    (solution.managed, edit(SX, "<Managed>0", "<Managed>2"), "'2'", SX),
    (solution.manifest, edit(SX, ">cts</Custom", ">1cts</Custom"), "CustomizationPrefix", SX),
    (solution.manifest, edit(SX, "ContosoFlows", "Contoso Flows"), "UniqueName", SX),
    (solution.manifest, edit(SX, ">12345<", ">123<"), "OptionValuePrefix", SX),
    (
        solution.root_components,
        edit(SX, f'<RootComponent type="29" id="{{{FLOW_ID}}}" behavior="0" />', ""),
        "not a root component (type 29)",
        CX,
    ),
    (
        solution.root_components,
        edit(SX, f'schemaName="{CONNECTOR}"', 'schemaName="cts_other"'),
        "schemaName",
        SX,
    ),
    (
        solution.root_components,
        edit(CX, f"<connectorid>{CONNECTOR_ID}", "<connectorid>1" + CONNECTOR_ID[1:]),
        "has no <Connector>",
        SX,
    ),
    (solution.guid, edit(CX, f"<connectorid>{CONNECTOR_ID}", "<connectorid>abc"), "GUID", CX),
    (
        solution.guid_style,
        edit(CX, f"<connectorid>{CONNECTOR_ID}", "<connectorid>{" + CONNECTOR_ID + "}"),
        "written",
        CX,
    ),
    (
        solution.guid_style,
        edit(SX, f'id="{{{FLOW_ID}}}"', f'id="{{{FLOW_ID.upper()}}}"'),
        "written",
        SX,
    ),
    (
        solution.guid_style,
        edit(CX, FLOW_FILE, FLOW_FILE.replace(FLOW_ID.upper(), FLOW_ID)),
        "upper case",
        CX,
    ),
    (solution.part_path, edit(CX, f">/{FLOW_FILE}<", f">{FLOW_FILE}<"), "start with '/'", CX),
    (solution.part_path, drop(PARAMETERS), "not in the solution", CX),
    (
        solution.part_unreferenced,
        add("Connector/old_openapidefinition.json", b"{}"),
        "names",
        "Connector/old_openapidefinition.json",
    ),
    (solution.connector, edit(CX, "<displayname>Contoso</displayname>", ""), "displayname", CX),
    (
        solution.connector,
        edit(CX, f"/Connector/{CONNECTOR}_policy", "/Connector/other_policy"),
        "not named after",
        CX,
    ),
    (solution.prefix, edit(SX, ">cts</Custom", ">abc</Custom"), "prefix 'abc_'", CX),
    (solution.json_parts, add(PARAMETERS, b"{"), "not valid JSON", PARAMETERS),
    (solution.json_parts, add(PARAMETERS, b"[]"), "not an object", PARAMETERS),
    (solution.json_parts, add(FLOW_FILE, b'{"a": 1,}'), "not valid JSON", FLOW_FILE),
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


def _ids(cases: list[Any]) -> list[str]:
    return [f"{case[0].id}-{index}" for index, case in enumerate(cases)]


def test_the_clean_solution_passes_every_solution_and_flow_rule() -> None:
    package = solution_package(solution_entries())
    found = {candidate.id: run(candidate, package) for candidate in (*solution.RULES, *flow.RULES)}
    assert {rule_id: problems for rule_id, problems in found.items() if problems} == {}


@pytest.mark.parametrize(("rule", "change", "fragment", "entry"), FAILING, ids=_ids(FAILING))
def test_breaking_edit_is_reported(
    rule: Rule, change: Callable[[Entries], Entries], fragment: str, entry: str
) -> None:
    found = run(rule, solution_package(change(solution_entries())))
    assert found, f"{rule.id} reported nothing"
    assert all(problem.file == FileKind.SOLUTION for problem in found)
    assert any(fragment in problem.message for problem in found), [p.message for p in found]
    expected = f"s.zip!/{entry}" if entry else "s.zip"
    assert expected in {problem.path for problem in found}


@pytest.mark.parametrize(("rule", "change"), PASSING, ids=_ids(PASSING))
def test_passing_variant_is_not_reported(rule: Rule, change: Callable[[Entries], Entries]) -> None:
    assert run(rule, solution_package(change(solution_entries()))) == []


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
