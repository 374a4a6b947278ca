"""A small, valid flow solution (a custom connector, a connection reference and one flow) as
zip entries, written for these tests, and helpers to break it and to check one rule on it.

A plain module with a name of its own (tests/lint is on sys.path through its conftest)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from retarus_connector.lint.model import Document, FileKind, Package, Problem, Rule
from retarus_connector.lint.solutions.model import Certification, Solution
from retarus_connector.lint.solutions.tree import Tree

CONNECTOR = "cts_5Fcontoso"
CONNECTOR_ID = "0f0e1d2c-3b4a-4958-8776-a5b4c3d2e1f0"
FLOW_ID = "d0aa07d8-a439-ed11-9db1-0022489e2374"
FLOW_FILE = f"Workflows/Sendandread-{FLOW_ID.upper()}.json"
KEY = "shared_cts-5fcontoso-5f0123456789abcdef"
REFERENCE = "cts_sharedcts5fcontoso5f0123456789abcdef_1a2b3"

MANIFEST = f"""<ImportExportXml version="9.2.24012.196" SolutionPackageVersion="9.2" languagecode="1033" generatedBy="CrmLive" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <SolutionManifest>
    <UniqueName>ContosoFlows</UniqueName>
    <LocalizedNames><LocalizedName description="Contoso Flows" languagecode="1033" /></LocalizedNames>
    <Descriptions />
    <Version>1.0.0.1</Version>
    <Managed>0</Managed>
    <Publisher>
      <UniqueName>contoso</UniqueName>
      <LocalizedNames><LocalizedName description="Contoso" languagecode="1033" /></LocalizedNames>
      <Descriptions />
      <CustomizationPrefix>cts</CustomizationPrefix>
      <CustomizationOptionValuePrefix>12345</CustomizationOptionValuePrefix>
      <Addresses />
    </Publisher>
    <RootComponents>
      <RootComponent type="29" id="{{{FLOW_ID}}}" behavior="0" />
      <RootComponent type="372" id="{{{CONNECTOR_ID}}}" schemaName="{CONNECTOR}" behavior="0" />
    </RootComponents>
    <MissingDependencies />
  </SolutionManifest>
</ImportExportXml>
"""

CUSTOMIZATIONS = f"""<ImportExportXml xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Entities /><Roles />
  <Workflows>
    <Workflow WorkflowId="{{{FLOW_ID}}}" Name="Send and read">
      <JsonFileName>/{FLOW_FILE}</JsonFileName>
      <Type>1</Type><Category>5</Category><StateCode>1</StateCode><StatusCode>2</StatusCode>
      <LocalizedNames><LocalizedName languagecode="1033" description="Send and read" /></LocalizedNames>
    </Workflow>
  </Workflows>
  <Connectors>
    <Connector>
      <connectorid>{CONNECTOR_ID}</connectorid>
      <description>Send messages through Contoso.</description>
      <displayname>Contoso</displayname>
      <iconbrandcolor>#1f6fb2</iconbrandcolor>
      <name>{CONNECTOR}</name>
      <connectortype>1</connectortype>
      <openapidefinition>/Connector/{CONNECTOR}_openapidefinition.json</openapidefinition>
      <connectionparameters>/Connector/{CONNECTOR}_connectionparameters.json</connectionparameters>
      <policytemplateinstances>/Connector/{CONNECTOR}_policytemplateinstances.json</policytemplateinstances>
    </Connector>
  </Connectors>
  <connectionreferences>
    <connectionreference connectionreferencelogicalname="{REFERENCE}">
      <connectionreferencedisplayname>Contoso</connectionreferencedisplayname>
      <connectorid>/providers/Microsoft.PowerApps/apis/{KEY}</connectorid>
      <statecode>0</statecode><statuscode>1</statuscode>
    </connectionreference>
  </connectionreferences>
  <Languages><Language>1033</Language></Languages>
</ImportExportXml>
"""

CONTENT_TYPES = (
    '\ufeff<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="xml" ContentType="application/octet-stream" />'
    '<Default Extension="json" ContentType="application/octet-stream" /></Types>'
)

SWAGGER: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "Contoso", "version": "1.0"},
    "host": "api.contoso.example",
    "paths": {
        "/messages": {
            "post": {
                "operationId": "SendMessage",
                "parameters": [
                    {"name": "X-Trace", "in": "header", "type": "string"},
                    {
                        "name": "body",
                        "in": "body",
                        "required": True,
                        "schema": {"$ref": "#/definitions/Message"},
                    },
                ],
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/messages/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "type": "string"}],
            "get": {"operationId": "GetMessage", "responses": {"200": {"description": "ok"}}},
        },
    },
    "definitions": {
        "Message": {
            "type": "object",
            "required": ["text"],
            "properties": {"text": {"type": "string"}, "to": {"type": "string"}},
        }
    },
}

FLOW: dict[str, Any] = {
    "properties": {
        "connectionReferences": {
            KEY: {
                "runtimeSource": "embedded",
                "connection": {"connectionReferenceLogicalName": REFERENCE},
                "api": {"name": KEY, "logicalName": CONNECTOR},
            }
        },
        "definition": {
            "$schema": "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
            "contentVersion": "1.0.0.0",
            "triggers": {"manual": {"type": "Request", "kind": "Button", "inputs": {}}},
            "actions": {
                "Send_message": {
                    "runAfter": {},
                    "type": "OpenApiConnection",
                    "inputs": {
                        "host": {"connectionName": KEY, "operationId": "SendMessage"},
                        "parameters": {"body/text": "@triggerBody()?['text']"},
                    },
                },
                "Check": {
                    "runAfter": {"Send_message": ["Succeeded"]},
                    "type": "Scope",
                    "actions": {
                        "Get_message": {
                            "runAfter": {},
                            "type": "OpenApiConnection",
                            "inputs": {
                                "host": {"connectionName": KEY, "operationId": "GetMessage"},
                                "parameters": {"id": "@body('Send_message')?['id']"},
                            },
                        },
                        "Is_it_there": {
                            "runAfter": {"Get_message": ["Succeeded", "Failed"]},
                            "type": "If",
                            "expression": "@equals(outputs('Get_message')?['statusCode'], 200)",
                            "actions": {},
                            "else": {
                                "actions": {
                                    "Fail": {"runAfter": {}, "type": "Terminate", "inputs": {}}
                                }
                            },
                        },
                    },
                },
            },
        },
    },
    "schemaVersion": "1.0.0.0",
}


def solution_entries() -> dict[str, bytes]:
    """The clean solution, as zip entries in the order Dataverse writes them."""
    return {
        "customizations.xml": CUSTOMIZATIONS.encode(),
        "[Content_Types].xml": CONTENT_TYPES.encode(),
        "solution.xml": MANIFEST.encode(),
        f"Connector/{CONNECTOR}_openapidefinition.json": json.dumps(SWAGGER, indent=2).encode(),
        f"Connector/{CONNECTOR}_connectionparameters.json": json.dumps(
            {"api_key": {"type": "securestring"}}
        ).encode(),
        f"Connector/{CONNECTOR}_policytemplateinstances.json": b"[]",
        FLOW_FILE: json.dumps(FLOW, indent=2).encode(),
    }


def edited(entries: dict[str, bytes], name: str, old: str, new: str) -> dict[str, bytes]:
    """A copy with one text replaced in one entry (the text must be there)."""
    text = entries[name].decode("utf-8")
    assert old in text, f"{old!r} not in {name}"
    return {**entries, name: text.replace(old, new).encode("utf-8")}


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def solution_package(entries: dict[str, bytes], display: str = "s.zip") -> Package:
    """A package whose SOLUTION document is the solution these zip entries make."""
    solution = Solution(Tree(display, entries=entries, folders=_folders(entries), depth=1))
    package = Package(Path(display), display)
    package.documents[FileKind.SOLUTION] = Document(
        FileKind.SOLUTION, Path(display), display, data=solution
    )
    return package


def certification_package(entries: dict[str, bytes], display: str = "c.zip") -> Package:
    certification = Certification(
        Tree(display, entries=entries, folders=_folders(entries), depth=1)
    )
    package = Package(Path(display), display)
    package.documents[FileKind.CERTIFICATION] = Document(
        FileKind.CERTIFICATION, Path(display), display, data=certification
    )
    return package


def _folders(entries: dict[str, bytes]) -> set[str]:
    folders: set[str] = set()
    for name in entries:
        parts = name.split("/")[:-1]
        folders.update("/".join(parts[: end + 1]) for end in range(len(parts)))
    return folders


def run(rule: Rule, package: Package) -> list[Problem]:
    return list(rule.run(package)) if rule.applies_to(package) else []


def connector_entries() -> dict[str, bytes]:
    """The connector solution: the sample without its flow."""
    entries = solution_entries()
    text = entries["customizations.xml"].decode()
    start, end = text.index("<Workflows>"), text.index("</Workflows>") + len("</Workflows>")
    entries["customizations.xml"] = (text[:start] + "<Workflows />" + text[end:]).encode()
    manifest = entries["solution.xml"].decode()
    root = f'<RootComponent type="29" id="{{{FLOW_ID}}}" behavior="0" />'
    entries["solution.xml"] = manifest.replace(root, "").encode()
    del entries[FLOW_FILE]
    return entries


def certification_entries(
    assets: dict[str, bytes] | None = None, outer: dict[str, bytes] | None = None
) -> dict[str, bytes]:
    """The outer zip's entries: intro.md and a package zip with PkgAssets/ holding the
    connector and flow solutions (or `assets`, folder names included)."""
    if assets is None:
        assets = {
            "PkgAssets/ContosoConnector_1_0_0_1.zip": zip_bytes(connector_entries()),
            "PkgAssets/ContosoFlows_1_0_0_1.zip": zip_bytes(solution_entries()),
        }
    entries = {"intro.md": b"# Contoso\n", "package.zip": zip_bytes(assets)}
    entries.update(outer or {})
    return entries
