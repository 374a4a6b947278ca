"""Helpers for rule tests: build a package from small inline fragments and run one rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from retarus_connector.lint.model import Document, FileKind, Package, Problem, Profile, Rule

_FILE_NAMES = {
    FileKind.SWAGGER: "apiDefinition.swagger.json",
    FileKind.PROPERTIES: "apiProperties.json",
    FileKind.ICON: "icon.png",
    FileKind.README: "readme.md",
    FileKind.SCRIPT: "script.csx",
    FileKind.SETTINGS: "settings.json",
}


def make_package(
    swagger: Any = None,
    properties: Any = None,
    *,
    icon: bytes | None = None,
    readme: str | None = None,
    script: str | None = None,
    settings: Any = None,
    profile: Profile = Profile.CERTIFIED,
) -> Package:
    """An in-memory package; JSON values are given as Python objects."""
    root = Path("pkg")
    package = Package(root=root, display_root="pkg", profile=profile)
    json_files = {
        FileKind.SWAGGER: swagger,
        FileKind.PROPERTIES: properties,
        FileKind.SETTINGS: settings,
    }
    for kind, data in json_files.items():
        if data is not None:
            text = json.dumps(data, indent=4)
            package.documents[kind] = Document(
                kind,
                root / _FILE_NAMES[kind],
                f"pkg/{_FILE_NAMES[kind]}",
                text.encode(),
                text,
                data,
            )
    for kind, content in ((FileKind.README, readme), (FileKind.SCRIPT, script)):
        if content is not None:
            package.documents[kind] = Document(
                kind,
                root / _FILE_NAMES[kind],
                f"pkg/{_FILE_NAMES[kind]}",
                content.encode(),
                content,
            )
    if icon is not None:
        package.documents[FileKind.ICON] = Document(
            FileKind.ICON, root / "icon.png", "pkg/icon.png", icon
        )
    return package


def run_rule(rule: Rule, package: Package) -> list[Problem]:
    """The problems one rule reports for a package (empty when the rule does not apply)."""
    if not rule.applies_to(package):
        return []
    return list(rule.run(package))


@pytest.fixture
def minimal_swagger() -> dict[str, Any]:
    """A small swagger that satisfies the certification rules; tests change one thing in it."""
    return {
        "swagger": "2.0",
        "info": {
            "title": "Contoso Messages",
            "description": "Send and track text messages through the Contoso messaging service.",
            "version": "1.0.0",
            "contact": {
                "name": "Contoso",
                "url": "https://contoso.example",
                "email": "a@contoso.example",
            },
        },
        "host": "api.contoso.example",
        "basePath": "/v1",
        "schemes": ["https"],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "paths": {
            "/messages/{id}": {
                "get": {
                    "operationId": "GetMessage",
                    "summary": "Get a message",
                    "description": "Returns one message by its identifier.",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "type": "string",
                            "x-ms-summary": "Message ID",
                            "description": "The identifier of the message.",
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The message.",
                            "schema": {"$ref": "#/definitions/Message"},
                        },
                        "default": {"description": "Operation failed."},
                    },
                }
            }
        },
        "definitions": {
            "Message": {
                "type": "object",
                "properties": {
                    "id": {
                        "type": "string",
                        "x-ms-summary": "Message ID",
                        "description": "The identifier of the message.",
                    }
                },
            }
        },
        "securityDefinitions": {"basic_auth": {"type": "basic"}},
        "security": [{"basic_auth": []}],
        "x-ms-connector-metadata": [
            {"propertyName": "Website", "propertyValue": "https://contoso.example"},
            {"propertyName": "Privacy policy", "propertyValue": "https://contoso.example/privacy"},
            {"propertyName": "Categories", "propertyValue": "Communication"},
        ],
    }
