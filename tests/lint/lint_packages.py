"""Helpers for lint tests: build a package from small inline fragments and run one rule.

A plain module with a name of its own (tests/lint is on sys.path through its conftest), so
that no test depends on which `conftest` module pytest imported last."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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


def add_webhook(
    swagger: dict[str, Any],
    *,
    trigger: bool = True,
    content: bool = True,
    marked: bool = True,
    internal: bool = True,
    in_header: bool = False,
) -> None:
    """Add a webhook subscription at POST /subscriptions: a trigger (`x-ms-trigger`) whose path
    item declares `x-ms-notification-content` and whose callback URL is marked
    `x-ms-notification-url`, by default a property of the body definition `Subscription`
    reached through `allOf` and `$ref`; each keyword turns one of those parts off or moves the
    callback into a header parameter."""
    callback: dict[str, Any] = {
        "type": "string",
        "x-ms-summary": "Callback URL",
        "description": "The address the service posts events to.",
    }
    if marked:
        callback["x-ms-notification-url"] = True
    if internal:
        callback["x-ms-visibility"] = "internal"
    subscription: dict[str, Any] = {
        "operationId": "OnMessage",
        "summary": "When a message arrives",
        "description": "Triggers when the service receives a message.",
        "responses": {"201": {"description": "Subscribed."}},
    }
    if trigger:
        subscription["x-ms-trigger"] = "single"
    if in_header:
        subscription["parameters"] = [{"name": "X-Callback", "in": "header", **callback}]
    else:
        swagger["definitions"]["Subscription"] = {
            "type": "object",
            "required": ["url"],
            "properties": {"url": callback},
        }
        subscription["parameters"] = [
            {
                "name": "body",
                "in": "body",
                "required": True,
                "schema": {"allOf": [{"$ref": "#/definitions/Subscription"}]},
            }
        ]
    item: dict[str, Any] = {"post": subscription}
    if content:
        item["x-ms-notification-content"] = {
            "description": "The message that arrived.",
            "schema": {"$ref": "#/definitions/Message"},
        }
    swagger["paths"]["/subscriptions"] = item
