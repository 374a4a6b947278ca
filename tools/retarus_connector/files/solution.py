"""The connector solution and the flow solution as zip bytes, plus the deployment settings.

The connector's files inside both solutions are the package files themselves: the swagger
byte for byte, the icon byte for byte, and apiProperties' connection parameters and policy
instances, so a solution can never drift from the paconn package.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from retarus_connector.emitters.flow import flow_document
from retarus_connector.emitters.properties import api_properties_document
from retarus_connector.emitters.solution import (
    ConnectorParts,
    RootComponent,
    WorkflowEntry,
    connector_root,
    content_types_xml,
    customizations_xml,
    deployment_settings,
    json_part,
    solution_xml,
    workflow_root,
)
from retarus_connector.models.dataverse import (
    WORKFLOWS_FOLDER,
    braced,
    workflow_file_name,
    workflow_id,
)
from retarus_connector.models.package import API_DEFINITION_FILE, ICON_FILE, Connector
from retarus_connector.models.solutions import Solutions

from .package import connector_files
from .serialize import json_bytes
from .zips import zip_entries

CUSTOMIZATIONS = "customizations.xml"
CONTENT_TYPES = "[Content_Types].xml"
SOLUTION = "solution.xml"
SCRIPT_FILE = "script.csx"
DEPLOYMENT_SETTINGS_FILE = "deployment-settings.json"


@dataclass(frozen=True)
class SolutionZip:
    name: str  # <UniqueName>_<a>_<b>_<c>_<d>.zip
    data: bytes


@dataclass(frozen=True)
class SolutionSet:
    connector_solution: SolutionZip
    flow_solution: SolutionZip
    settings: bytes  # the deployment settings file (DEPLOYMENT_SETTINGS_FILE)

    def files(self) -> dict[str, bytes]:
        """Everything `solution` writes, file name -> bytes."""
        return {
            self.connector_solution.name: self.connector_solution.data,
            self.flow_solution.name: self.flow_solution.data,
            DEPLOYMENT_SETTINGS_FILE: self.settings,
        }


def connector_parts(
    connector: Connector, solutions: Solutions, package: dict[str, bytes]
) -> tuple[ConnectorParts, list[tuple[str, bytes]]]:
    """The `<Connector>` row and the files under Connector/, from the package files."""
    dataverse = solutions.connector
    properties: dict[str, Any] = api_properties_document(connector)["properties"]
    script = package.get(SCRIPT_FILE)
    parts = ConnectorParts(
        connector=dataverse,
        description=connector.api.description,
        icon_brand_color=connector.icon_brand_color,
        openapidefinition=dataverse.part("openapidefinition", "json"),
        connectionparameters=dataverse.part("connectionparameters", "json"),
        policytemplateinstances=dataverse.part("policytemplateinstances", "json"),
        iconblob=dataverse.part("iconblob", "Png"),
        script=dataverse.part("customcodeblobcontent", "csx") if script is not None else None,
        script_operations=tuple(properties.get("scriptOperations", ())),
    )
    files = [
        (parts.openapidefinition, package[API_DEFINITION_FILE]),
        (parts.connectionparameters, json_bytes(properties["connectionParameters"])),
        (
            parts.policytemplateinstances,
            json_bytes(_dataverse_policies(properties.get("policyTemplateInstances", []))),
        ),
    ]
    if parts.script is not None and script is not None:
        files.append((parts.script, script))
    files.append((parts.iconblob, package[ICON_FILE]))
    return parts, files


def _dataverse_policies(instances: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """apiProperties' policy instances with the capitalized keys Dataverse stores them with."""
    return [
        {
            "TemplateId": instance["templateId"],
            "Title": instance["title"],
            "Parameters": instance["parameters"],
        }
        for instance in instances
    ]


def solution_set(connector: Connector, solutions: Solutions) -> SolutionSet:
    """Both solution zips and the deployment settings, generated from the models."""
    package = connector_files(connector)
    parts, connector_files_in_zip = connector_parts(connector, solutions, package)
    connector_only = _solution_zip(
        solutions.connector_solution.file_name,
        customizations_xml(parts),
        solution_xml(
            solutions.connector_solution,
            solutions.publisher,
            [connector_root(solutions.connector)],
        ),
        connector_files_in_zip,
    )
    entries: list[WorkflowEntry] = []
    flow_files: list[tuple[str, bytes]] = []
    for flow in solutions.flows:
        identifier = workflow_id(flow.key)
        path = f"{WORKFLOWS_FOLDER}/{workflow_file_name(flow.display_name, identifier)}"
        document = flow_document(flow, connector.api, solutions.connection_reference)
        entries.append(
            WorkflowEntry(braced(identifier), flow.display_name, path, flow.introduced_version)
        )
        flow_files.append((path, json_part(document)))
    roots: list[RootComponent] = [workflow_root(entry) for entry in entries]
    roots.append(connector_root(solutions.connector))
    with_flows = _solution_zip(
        solutions.flow_solution.file_name,
        customizations_xml(parts, entries, [solutions.connection_reference]),
        solution_xml(solutions.flow_solution, solutions.publisher, roots),
        [*connector_files_in_zip, *flow_files],
    )
    settings = json_bytes(deployment_settings([solutions.connection_reference]))
    return SolutionSet(connector_only, with_flows, settings)


def _solution_zip(
    name: str, customizations: str, manifest: str, components: list[tuple[str, bytes]]
) -> SolutionZip:
    """Entries in the order exports use: customizations.xml, [Content_Types].xml,
    solution.xml, then the components."""
    paths = [CUSTOMIZATIONS, SOLUTION, *(path for path, _ in components)]
    entries = [
        (CUSTOMIZATIONS, customizations.encode("utf-8")),
        (CONTENT_TYPES, content_types_xml(paths)),
        (SOLUTION, manifest.encode("utf-8")),
        *components,
    ]
    return SolutionZip(name, zip_entries(entries))
