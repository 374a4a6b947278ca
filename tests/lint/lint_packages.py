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
