"""The documents of a Dataverse solution zip: solution.xml, customizations.xml,
[Content_Types].xml, and the deployment settings `pac solution import` reads.

Shapes, element order and id formats follow real exports (docs/solutions.md lists the
sources and the points that are our choice).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from retarus_connector.models.dataverse import (
    ConnectionReference,
    DataverseConnector,
    Publisher,
    Solution,
    braced,
)

from .xml import Element, element, nil, to_xml

XSI = "http://www.w3.org/2001/XMLSchema-instance"
CONTENT_TYPES_NAMESPACE = "http://schemas.openxmlformats.org/package/2006/content-types"
LANGUAGE = "1033"
# The build of the exporting organization; this one is the newest seen in a real export.
EXPORT_VERSION = "9.2.23051.252"
CONNECTOR_TYPE = 372  # every real custom-connector export; 371 is never used for them
WORKFLOW_TYPE = 29
_ADDRESS_FIELDS = (
    "AddressTypeCode",
    "City",
    "County",
    "Country",
    "Fax",
    "FreightTermsCode",
    "ImportSequenceNumber",
    "Latitude",
    "Line1",
    "Line2",
    "Line3",
    "Longitude",
    "Name",
    "PostalCode",
    "PostOfficeBox",
    "PrimaryContactName",
    "ShippingMethodCode",
    "StateOrProvince",
    "Telephone1",
    "Telephone2",
    "Telephone3",
    "TimeZoneRuleVersionNumber",
    "UPSZone",
    "UTCOffset",
    "UTCConversionTimeZoneCode",
)


@dataclass(frozen=True)
class RootComponent:
    type: int
    id: str  # braced, lower case
    schema_name: str | None = None


@dataclass(frozen=True)
class ConnectorParts:
    """The connector's row: its texts and the zip paths of its files."""

    connector: DataverseConnector
    description: str
    icon_brand_color: str
    openapidefinition: str
    connectionparameters: str
    policytemplateinstances: str
    iconblob: str
    script: str | None = None  # customcodeblobcontent
    script_operations: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkflowEntry:
    workflow_id: str  # braced, lower case
    name: str
    json_file: str  # the zip path, without the leading slash
    introduced_version: str


def content_types_xml(parts: Iterable[str]) -> bytes:
    """One `<Default>` per file extension, in the order they first occur; UTF-8 with a byte
    order mark and on one line, as exports write it."""
    extensions: list[str] = []
    for part in parts:
        extension = part.rpartition("/")[2].rpartition(".")[2]
        if extension not in extensions and "." in part.rpartition("/")[2]:
            extensions.append(extension)
    defaults = "".join(
        f'<Default Extension="{extension}" ContentType="application/octet-stream" />'
        for extension in extensions
    )
    text = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<Types xmlns="{CONTENT_TYPES_NAMESPACE}">{defaults}</Types>'
    )
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def solution_xml(solution: Solution, publisher: Publisher, roots: Sequence[RootComponent]) -> str:
    manifest = element(
        "SolutionManifest",
        element("UniqueName", text=solution.unique_name),
        _localized_names(solution.display_name),
        element(
            "Descriptions",
            element("Description", description=solution.description, languagecode=LANGUAGE),
        ),
        element("Version", text=solution.version),
        element("Managed", text="0"),
        _publisher(publisher),
        element("RootComponents", *(_root(root) for root in roots)),
        element("MissingDependencies"),
    )
    root = element(
        "ImportExportXml",
        manifest,
        version=EXPORT_VERSION,
        SolutionPackageVersion="9.2",
        languagecode=LANGUAGE,
        generatedBy="CrmLive",
        **{"xmlns:xsi": XSI},
    )
    return to_xml(root)


def customizations_xml(
    connector: ConnectorParts,
    workflows: Sequence[WorkflowEntry] = (),
    references: Sequence[ConnectionReference] = (),
) -> str:
    children = [
        element("Entities", text=""),
        element("Roles", text=""),
        element("Workflows", *(_workflow(entry) for entry in workflows), text=""),
        element("FieldSecurityProfiles", text=""),
        *(element(tag) for tag in _EMPTY_SECTIONS),
        element("Connectors", _connector(connector)),
    ]
    if references:
        children.append(element("connectionreferences", *(_reference(item) for item in references)))
    children.append(element("Languages", element("Language", text=LANGUAGE)))
    return to_xml(element("ImportExportXml", *children, **{"xmlns:xsi": XSI}))


_EMPTY_SECTIONS = (
    "Templates",
    "EntityMaps",
    "EntityRelationships",
    "OrganizationSettings",
    "optionsets",
    "CustomControls",
    "EntityDataProviders",
)


def deployment_settings(references: Sequence[ConnectionReference]) -> dict[str, Any]:
    """The settings file for `pac solution import --settings-file`, with each connection
    reference's ConnectionId left empty for the importer to fill in."""
    return {
        "EnvironmentVariables": [],
        "ConnectionReferences": [
            {
                "LogicalName": reference.logical_name,
                "ConnectionId": "",
                "ConnectorId": reference.connector_id,
            }
            for reference in references
        ],
    }


def json_part(document: Any) -> bytes:
    """JSON inside a solution: two-space indent and no final newline, like exported flows."""
    return json.dumps(document, indent=2, ensure_ascii=True).encode("utf-8")


def _localized_names(name: str) -> Element:
    return element(
        "LocalizedNames", element("LocalizedName", description=name, languagecode=LANGUAGE)
    )


def _publisher(publisher: Publisher) -> Element:
    return element(
        "Publisher",
        element("UniqueName", text=publisher.unique_name),
        _localized_names(publisher.display_name),
        element("Descriptions"),
        nil("EMailAddress"),
        nil("SupportingWebsiteUrl"),
        element("CustomizationPrefix", text=publisher.prefix),
        element("CustomizationOptionValuePrefix", text=str(publisher.option_value_prefix)),
        element("Addresses", *(_address(number) for number in (1, 2))),
    )


def _address(number: int) -> Element:
    return element(
        "Address",
        element("AddressNumber", text=str(number)),
        *(nil(name) for name in _ADDRESS_FIELDS),
    )


def _root(root: RootComponent) -> Element:
    attributes = {"type": str(root.type), "id": root.id}
    if root.schema_name is not None:
        attributes["schemaName"] = root.schema_name
    attributes["behavior"] = "0"
    return element("RootComponent", **attributes)


def connector_root(connector: DataverseConnector) -> RootComponent:
    return RootComponent(CONNECTOR_TYPE, braced(connector.id), connector.name)


def _connector(parts: ConnectorParts) -> Element:
    connector = parts.connector
    children = [
        element("connectorid", text=str(connector.id)),
        element("description", text=parts.description),
        element("displayname", text=connector.display_name),
        element("iconbrandcolor", text=parts.icon_brand_color),
        element("name", text=connector.name),
        element("connectortype", text="1"),
    ]
    if parts.script_operations:
        operations = json.dumps(list(parts.script_operations), separators=(",", ":"))
        children.append(element("scriptoperations", text=operations))
    children += [
        element("openapidefinition", text="/" + parts.openapidefinition),
        element("connectionparameters", text="/" + parts.connectionparameters),
        element("policytemplateinstances", text="/" + parts.policytemplateinstances),
    ]
    if parts.script is not None:
        children.append(element("customcodeblobcontent", text="/" + parts.script))
    children.append(element("iconblob", text="/" + parts.iconblob))
    return element("Connector", *children)


def _workflow(entry: WorkflowEntry) -> Element:
    constants = (
        ("Type", "1"),
        ("Subprocess", "0"),
        ("Category", "5"),  # a cloud flow
        ("Mode", "0"),
        ("Scope", "4"),
        ("OnDemand", "0"),
        ("TriggerOnCreate", "0"),
        ("TriggerOnDelete", "0"),
        ("AsyncAutodelete", "0"),
        ("SyncWorkflowLogOnFailure", "0"),
        ("StateCode", "1"),  # on after import
        ("StatusCode", "2"),
        ("RunAs", "1"),
        ("IsTransacted", "1"),
        ("IntroducedVersion", entry.introduced_version),
        ("IsCustomizable", "1"),
        ("BusinessProcessType", "0"),
        ("IsCustomProcessingStepAllowedForOtherPublishers", "1"),
        ("PrimaryEntity", "none"),
    )
    return element(
        "Workflow",
        element("JsonFileName", text="/" + entry.json_file),
        *(element(tag, text=value) for tag, value in constants),
        element(
            "LocalizedNames",
            element("LocalizedName", languagecode=LANGUAGE, description=entry.name),
        ),
        WorkflowId=entry.workflow_id,
        Name=entry.name,
    )


def workflow_root(entry: WorkflowEntry) -> RootComponent:
    return RootComponent(WORKFLOW_TYPE, entry.workflow_id)


def _reference(reference: ConnectionReference) -> Element:
    return element(
        "connectionreference",
        element("connectionreferencedisplayname", text=reference.display_name),
        element("connectorid", text=reference.connector_id),
        element("iscustomizable", text="1"),
        element("promptingbehavior", text="0"),
        element("statecode", text="0"),
        element("statuscode", text="1"),
        connectionreferencelogicalname=reference.logical_name,
    )
