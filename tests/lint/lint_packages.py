"""Helpers for lint tests: build a package from small inline fragments and run one rule.

A plain module with a name of its own (tests/lint is on sys.path through its conftest), so
that no test depends on which `conftest` module pytest imported last."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
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


def case_ids(cases: Sequence[Sequence[Any]]) -> list[str]:
    """Test ids for a table whose rows start with the rule: `<rule id>-<row number>`."""
    return [f"{case[0].id}-{index}" for index, case in enumerate(cases)]


def swagger_package(change: Callable[[Any], None], swagger: Any) -> Package:
    """The package of a swagger-only table row: the row's change applied to the swagger."""
    change(swagger)
    return make_package(swagger)


def pointer_of(problem: Problem) -> Any:
    return problem.pointer


def table_tests(
    failing: Sequence[tuple[Rule, Any, list[Any], str]],
    passing: Sequence[tuple[Rule, Any]],
    package: Callable[[Any, Any], Package] = swagger_package,
    place: Callable[[Problem], Any] = pointer_of,
) -> tuple[Callable[..., None], Callable[..., None]]:
    """The two table tests of a rule family, to assign to two `test_` names in its module.

    A failing row `(rule, change, places, fragment)` must report exactly `places` (by
    default the pointers, in order) with `fragment` in the first message; a passing row
    `(rule, change)` must report nothing. `package(change, minimal_swagger)` builds the package
    a row is checked on; `place(problem)` is what a row's places are compared with."""

    @pytest.mark.parametrize(
        ("rule", "change", "places", "fragment"), failing, ids=case_ids(failing)
    )
    def test_breaking_fragment_is_reported(
        rule: Rule, change: Any, places: list[Any], fragment: str, minimal_swagger: Any
    ) -> None:
        found = run_rule(rule, package(change, minimal_swagger))
        assert [place(problem) for problem in found] == places
        assert fragment in found[0].message

    @pytest.mark.parametrize(("rule", "change"), passing, ids=case_ids(passing))
    def test_passing_fragment_is_clean(rule: Rule, change: Any, minimal_swagger: Any) -> None:
        assert run_rule(rule, package(change, minimal_swagger)) == []

    return test_breaking_fragment_is_reported, test_passing_fragment_is_clean
