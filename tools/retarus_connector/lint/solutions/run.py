"""Checking a solution, an unpacked solution folder or a certification package.

The path is opened as one or more units: a certification package is itself a unit (the
`certification` rules) and so is every solution zip in it. Each solution is a unit for the
`solution` and `flow` rules, and each connector in it becomes a package of its own, made of
the connector's files (openapidefinition as the swagger; connectionparameters,
policytemplateinstances, the brand color and script operations as the apiProperties; the
iconblob as the icon; customcodeblobcontent as the script), checked by the ordinary rule
families under the same rule ids. Findings about the apiProperties made up this way are moved
back to the file (or XML element) the value came from.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from retarus_connector.lint.loader import document_from_bytes
from retarus_connector.lint.location import Locator
from retarus_connector.lint.model import Document, FileKind, Finding, Package, Profile, Rule
from retarus_connector.lint.solutions.model import (
    EXPORTED_POLICY_KEYS,
    Connector,
    Solution,
    connector_files,
    connector_properties,
    open_solution,
)

SOLUTION_FAMILIES = frozenset({"solution", "flow", "certification"})
# connector rules about what a solution does not carry (publisher and stack owner, the readme,
# the paconn file names), or that its own rules already report
NOT_FOR_SOLUTIONS = frozenset(
    {
        "package-missing-swagger",
        "properties-publisher",
        "properties-shape",
        "properties-non-ascii",
        "readme-missing",
        "readme-sections",
        "readme-publisher",
        "readme-operations",
        "icon-independent-publisher",
    }
)
_CRASHED = "rule-crashed"


def load_units(path: Path, display: str, profile: Profile) -> list[Package]:
    """The packages to check for a solution or certification path; never raises on content."""
    opened = open_solution(path, display)
    if isinstance(opened, Solution):
        return [_unit(FileKind.SOLUTION, opened, path, profile)]
    units = [_unit(FileKind.CERTIFICATION, opened, path, profile)]
    units += [
        _unit(FileKind.SOLUTION, solution, path, profile) for _, solution in opened.solutions()
    ]
    return units


def _unit(kind: FileKind, data: Any, path: Path, profile: Profile) -> Package:
    display = data.tree.display
    package = Package(root=path, display_root=display, profile=profile)
    package.documents[kind] = Document(kind, path, display, data=data)
    return package


def check_solution(
    path: Path, display: str, rules: Sequence[Rule], profile: Profile
) -> list[Finding]:
    from retarus_connector.lint.engine import check_package

    unit_rules = [rule for rule in rules if rule.family in SOLUTION_FAMILIES or rule.id == _CRASHED]
    connector_rules = [
        rule
        for rule in rules
        if rule.family not in SOLUTION_FAMILIES and rule.id not in NOT_FOR_SOLUTIONS
    ]
    findings: list[Finding] = []
    for unit in load_units(path, display, profile):
        findings += check_package(unit, unit_rules)
        document = unit.documents.get(FileKind.SOLUTION)
        if document is None or not isinstance(document.data, Solution):
            continue
        if len(connector_rules) <= 1:  # only rule-crashed: no connector rule selected
            continue
        for connector in document.data.connectors():
            virtual = ConnectorPackage.build(document.data, connector, path, profile)
            if virtual is not None:
                findings += virtual.place(check_package(virtual.package, connector_rules))
    return findings


class ConnectorPackage:
    """A connector of a solution as an ordinary package, and where its made-up apiProperties
    came from."""

    def __init__(self, solution: Solution, connector: Connector, package: Package) -> None:
        self.solution = solution
        self.connector = connector
        self.package = package
        self.parts: dict[str, str] = {}

    @classmethod
    def build(
        cls, solution: Solution, connector: Connector, path: Path, profile: Profile
    ) -> ConnectorPackage | None:
        parts = connector_files(solution, connector)
        swagger = parts.get("openapidefinition")
        raw = solution.tree.read(swagger) if swagger is not None else None
        if swagger is None or raw is None:
            return None  # solution-part-path reports the missing part
        tree = solution.tree
        package = Package(root=path, display_root=tree.display, profile=profile)
        virtual = cls(solution, connector, package)
        virtual.parts = parts
        package.documents[FileKind.SWAGGER] = document_from_bytes(
            FileKind.SWAGGER, raw, Path(swagger), tree.display_of(swagger)
        )
        for kind, file_kind in (
            ("iconblob", FileKind.ICON),
            ("customcodeblobcontent", FileKind.SCRIPT),
        ):
            entry = parts.get(kind)
            content = tree.read(entry) if entry is not None else None
            if entry is not None and content is not None:
                package.documents[file_kind] = document_from_bytes(
                    file_kind, content, Path(entry), tree.display_of(entry)
                )
        properties = virtual.properties()
        if properties is not None:
            text = json.dumps(properties, indent=4)
            package.documents[FileKind.PROPERTIES] = Document(
                FileKind.PROPERTIES,
                Path(connector.entry),
                virtual.properties_display,
                text.encode(),
                text,
                properties,
            )
        return virtual

    @property
    def properties_display(self) -> str:
        entry = self.parts.get("connectionparameters", self.connector.entry)
        return self.solution.tree.display_of(entry)

    def properties(self) -> dict[str, Any] | None:
        return connector_properties(self.solution, self.connector, self.parts)

    def place(self, findings: list[Finding]) -> list[Finding]:
        """The findings, those about the made-up apiProperties moved to their source."""
        shown = self.properties_display
        placed: list[Finding] = []
        for finding in findings:
            if finding.file != shown:
                placed.append(finding)
                continue
            placed.append(self._moved(finding))
        return placed

    def _moved(self, finding: Finding) -> Finding:
        pointer = finding.pointer
        tree = self.solution.tree
        for prefix, kind in (
            ("/properties/connectionParameters", "connectionparameters"),
            ("/properties/policyTemplateInstances", "policytemplateinstances"),
        ):
            entry = self.parts.get(kind)
            if entry is not None and (pointer == prefix or pointer.startswith(prefix + "/")):
                rest = pointer[len(prefix) :]
                line = column = None
                parsed = self.solution.json(entry)
                if kind == "policytemplateinstances" and parsed is not None:
                    rest = _as_exported(rest, parsed.data)
                if parsed is not None and parsed.text is not None:
                    place = Locator(parsed.text, parsed=True).locate(rest)
                    if place is not None:
                        line, column = place
                return _copy(finding, tree.display_of(entry), rest, line, column)
        element = self.connector.element
        for key, child in (
            ("/properties/iconBrandColor", "iconbrandcolor"),
            ("/properties/scriptOperations", "scriptoperations"),
        ):
            found = element.child(child)
            if pointer.startswith(key) and found is not None:
                element = found
                break
        return _copy(
            finding, tree.display_of(self.connector.entry), element.path, element.line, None
        )


def _as_exported(rest: str, instances: Any) -> str:
    """A pointer into the made-up policy instances, as the exported file spells its keys."""
    parts = rest.split("/")
    if len(parts) < 3 or not isinstance(instances, list) or not parts[1].isdigit():
        return rest
    index = int(parts[1])
    instance = instances[index] if index < len(instances) else None
    if isinstance(instance, dict):
        for exported, api in EXPORTED_POLICY_KEYS.items():
            if parts[2] == api and exported in instance and api not in instance:
                parts[2] = exported
    return "/".join(parts)


def _copy(
    finding: Finding, file: str, pointer: str, line: int | None, column: int | None
) -> Finding:
    return Finding(finding.rule, finding.severity, file, pointer, finding.message, line, column)
