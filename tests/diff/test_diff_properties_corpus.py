"""The apiProperties comparison over the 75 real connector packages in ../shared/corpus: each
package folder against itself reports nothing, and a copy with one edit reports exactly it."""

from __future__ import annotations

import copy
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from diff_pointers import resolves

from retarus_connector.cli import main
from retarus_connector.core.properties import read
from retarus_connector.diff.compare import compare
from retarus_connector.diff.io import DiffInputError, LoadedVersion, load_version
from retarus_connector.diff.model import Change, ChangeKind, Document, Severity, Side
from retarus_connector.diff.settings import (
    all_connection_parameters,
    allowed_values,
    oauth_settings,
)

B, N = Severity.BREAKING, Severity.NON_BREAKING
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


@pytest.fixture(scope="module")
def folders(corpus_dir: Path) -> list[Path]:
    found = sorted(path.parent for path in corpus_dir.rglob("apiProperties.json"))
    assert len(found) == 75
    return found


@pytest.fixture(scope="module")
def packages(folders: list[Path]) -> list[LoadedVersion]:
    loaded = []
    failures: list[tuple[Path, str]] = []
    for folder in folders:
        try:
            loaded.append(load_version(folder))
        except DiffInputError as error:
            failures.append((folder, str(error)))
    # a swagger that cannot be read is an input error naming it, never a crash
    assert all(message.startswith(str(folder)) for folder, message in failures)
    assert len(loaded) >= 70
    assert all(package.properties is not None for package in loaded)
    return loaded


def _changes(package: LoadedVersion, edit: Callable[[Any], object]) -> list[Change]:
    assert package.properties is not None
    old = package.properties.data
    new = copy.deepcopy(old)
    edit(new["properties"])
    swagger = package.swagger.data
    changes = list(compare(swagger, swagger, properties=(old, new)))
    for change in changes:
        assert change.document is Document.PROPERTIES, change
        assert resolves(old if change.side is Side.OLD else new, change.pointer), change
    return changes


def _oauth_settings(properties: Any) -> list[Any]:
    """The oAuthSettings objects themselves, which the edits change in place."""
    return [
        oauth_settings(parameter).node
        for parameter in all_connection_parameters(read({"properties": properties}))
        if parameter.is_oauth and oauth_settings(parameter).node
    ]


def test_each_package_folder_against_itself_reports_nothing(folders: list[Path]) -> None:
    compared = 0
    for folder in folders:
        result = CliRunner().invoke(main, ["diff", str(folder), str(folder), "--all"])
        if result.exit_code == 2:
            # the few corpus swaggers that are not valid JSON
            assert f"\nError: {folder}" in result.stderr, result.stderr
            continue
        assert result.exit_code == 0, (folder, result.output)
        assert result.stdout.splitlines() == [
            f"No breaking changes from {folder / 'apiDefinition.swagger.json'} to"
            f" {folder / 'apiDefinition.swagger.json'} and from {folder / 'apiProperties.json'}"
            f" to {folder / 'apiProperties.json'}; 0 non-breaking changes."
        ], folder
        compared += 1
    assert compared >= 70


def test_removing_each_connection_parameter_is_one_change(packages: list[LoadedVersion]) -> None:
    """Removing a parameter nothing refers to, and that holds no secret or sign-in, is the only
    removal that does not break."""
    severities: dict[Severity, int] = {B: 0, N: 0}
    for package in packages:
        assert package.properties is not None
        declared = package.properties.data["properties"].get("connectionParameters") or {}
        mentioned = json.dumps([package.swagger.data, package.properties.data]).lower()
        for name, parameter in declared.items():
            changes = _changes(package, lambda p, n=name: p["connectionParameters"].pop(n))
            assert [c.kind for c in changes] == [ChangeKind.CONNECTION_PARAMETER_REMOVED], name
            (change,) = changes
            holds_credentials = parameter.get("type") in {"oauthSetting", "securestring"}
            if holds_credentials or f"@connectionparameters('{name.lower()}'" in mentioned:
                assert change.breaking, (package.swagger.label, name)
            severities[change.severity] += 1
    assert severities[B] > 80
    assert severities[N] >= 1  # Almabase's domain_url: nothing reads it


def test_adding_a_required_parameter_breaks(packages: list[LoadedVersion]) -> None:
    for package in packages:

        def add(properties: Any) -> None:
            if not isinstance(properties.get("connectionParameters"), dict):
                properties["connectionParameters"] = {}
            properties["connectionParameters"]["region"] = {"type": "string"}

        assert [(c.kind, c.severity) for c in _changes(package, add)] == [
            (ChangeKind.REQUIRED_CONNECTION_PARAMETER_ADDED, B)
        ], package.swagger.label


def test_oauth_edits_on_every_oauth_connector(packages: list[LoadedVersion]) -> None:
    oauth = [
        p for p in packages if p.properties and _oauth_settings(p.properties.data["properties"])
    ]
    assert len(oauth) >= 14
    real_ids = 0
    for package in oauth:
        label = package.swagger.label

        def add_scope(properties: Any) -> None:
            for settings in _oauth_settings(properties):
                settings["scopes"] = [*(settings.get("scopes") or []), "brand.new"]

        def per_connector(properties: Any) -> None:
            for settings in _oauth_settings(properties):
                settings["redirectMode"] = "GlobalPerConnector"

        def other_client(properties: Any) -> None:
            for settings in _oauth_settings(properties):
                settings["clientId"] = "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f"

        added = _changes(package, add_scope)
        assert added, label
        assert {(c.kind, c.severity) for c in added} == {(ChangeKind.OAUTH_SCOPE_ADDED, B)}, label
        moved = _changes(package, per_connector)
        assert {(c.kind, c.severity) for c in moved} <= {
            (ChangeKind.OAUTH_REDIRECT_MODE_CHANGED, N)
        }, label
        assert package.properties is not None
        ids = [s.get("clientId") for s in _oauth_settings(package.properties.data["properties"])]
        changed = _changes(package, other_client)
        # the repository copies hold placeholders; only a real id changing breaks
        expected = B if all(isinstance(i, str) and _GUID.match(i) for i in ids) else N
        assert {(c.kind, c.severity) for c in changed} == {
            (ChangeKind.OAUTH_CLIENT_ID_CHANGED, expected)
        }, (label, ids)
        real_ids += expected is B
    assert real_ids == 1  # Snowflake's


def test_dropping_the_policies_is_one_non_breaking_change_each(
    packages: list[LoadedVersion],
) -> None:
    dropped = 0
    for package in packages:
        assert package.properties is not None
        listed = package.properties.data["properties"].get("policyTemplateInstances")
        count = sum(isinstance(entry, dict) for entry in listed or [])
        changes = _changes(package, lambda p: p.update(policyTemplateInstances=[]))
        assert [(c.kind, c.severity) for c in changes] == [
            (ChangeKind.POLICY_TEMPLATE_REMOVED, N)
        ] * count, package.swagger.label
        dropped += count
    assert dropped > 20


def test_cli_on_an_edited_copy_of_a_corpus_package(folders: list[Path], tmp_path: Path) -> None:
    source = next(f for f in folders if f.name == "HoneywellForge")
    copied = tmp_path / "HoneywellForge"
    shutil.copytree(source, copied)
    path = copied / "apiProperties.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    settings = document["properties"]["connectionParameters"]["token"]["oAuthSettings"]
    settings["identityProvider"] = "aad"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(source), str(copied), "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert [(c["kind"], c["document"], c["side"]) for c in report["changes"]] == [
        ("OAuthIdentityProviderChanged", "apiProperties", "new")
    ]
    assert report["changes"][0]["pointer"] == (
        "/properties/connectionParameters/token/oAuthSettings/identityProvider"
    )


def test_removing_an_allowed_value_breaks_and_adding_one_does_not(
    packages: list[LoadedVersion],
) -> None:
    checked = 0
    for package in packages:
        assert package.properties is not None
        for parameter in all_connection_parameters(read(package.properties.data)):
            values = allowed_values(parameter)
            if not values:
                continue
            tokens = [  # below /properties
                token.replace("~1", "/").replace("~0", "~")
                for token in parameter.pointer.split("/")[2:]
            ]

            def listed(properties: Any, tokens: list[str] = tokens) -> list[Any]:
                node = properties
                for token in tokens:
                    node = node[int(token)] if isinstance(node, list) else node[token]
                found: list[Any] = node["uiDefinition"]["constraints"]["allowedValues"]
                return found

            removed = _changes(package, lambda p, listed=listed: listed(p).pop())
            assert [(c.kind, c.severity) for c in removed] == [
                (ChangeKind.CONNECTION_PARAMETER_ALLOWED_VALUE_REMOVED, B)
            ], (package.swagger.label, parameter.name)
            added = _changes(
                package, lambda p, listed=listed: listed(p).append({"text": "X", "value": "x-new"})
            )
            assert [(c.kind, c.severity) for c in added] == [
                (ChangeKind.CONNECTION_PARAMETER_ALLOWED_VALUE_ADDED, N)
            ], (package.swagger.label, parameter.name)
            checked += 1
    # Tribal's environment and region; ZohoSign's swagger is not valid JSON, so it is not loaded
    assert checked >= 2


def test_brand_color_in_other_letter_case_is_no_change(packages: list[LoadedVersion]) -> None:
    recolored = 0
    for package in packages:
        assert package.properties is not None
        color = package.properties.data["properties"].get("iconBrandColor")
        if not isinstance(color, str) or color.upper() == color.lower():
            continue
        other_case = color.lower() if color != color.lower() else color.upper()
        assert _changes(package, lambda p, c=other_case: p.update(iconBrandColor=c)) == []
        (change,) = _changes(package, lambda p: p.update(iconBrandColor="#0a0b0c"))
        assert (change.kind, change.severity) == (ChangeKind.ICON_BRAND_COLOR_CHANGED, N)
        recolored += 1
    assert recolored > 40


def test_cli_on_an_edited_copy_with_custom_code(folders: list[Path], tmp_path: Path) -> None:
    """Tribal lets each connection choose its region from a list and routes RawRequest through
    custom code: drop a region, route another operation, change the publisher, and add the
    script.csx the repository copy lacks."""
    source = next(f for f in folders if f.name == "Tribal")
    copied = tmp_path / "Tribal"
    shutil.copytree(source, copied)
    path = copied / "apiProperties.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    properties = document["properties"]
    constraints = properties["connectionParameters"]["token:region"]["uiDefinition"]["constraints"]
    constraints["allowedValues"] = [e for e in constraints["allowedValues"] if e["value"] != "apac"]
    properties["scriptOperations"].append("GetVersions")
    properties["publisher"] = "Tribal Group plc"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    (copied / "script.csx").write_text("public class Script : ScriptBase { }\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(source), str(copied), "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert [(c["kind"], c["breaking"], c["document"], c["side"]) for c in report["changes"]] == [
        ("ConnectionParameterAllowedValueRemoved", True, "apiProperties", "new"),
        ("ScriptOperationsChanged", False, "apiProperties", "new"),
        ("PublisherChanged", False, "apiProperties", "new"),
        ("CustomCodeAdded", False, "script", "new"),
    ]
    assert '"apac"' in report["changes"][0]["message"]
    assert "added GetVersions" in report["changes"][1]["message"]
    text = CliRunner().invoke(main, ["diff", str(source), str(copied), "--all"]).stdout
    assert f"({copied / 'script.csx'})" in text


def test_cli_on_copies_whose_custom_code_changed_or_went(
    folders: list[Path], tmp_path: Path
) -> None:
    source = next(f for f in folders if f.name == "Calendly")
    edited, removed = tmp_path / "edited", tmp_path / "removed"
    shutil.copytree(source, edited)
    shutil.copytree(source, removed)
    code = (source / "script.csx").read_bytes()
    (edited / "script.csx").write_bytes(code + b"\n// retry on 429\n")
    (removed / "script.csx").unlink()
    for folder, kind, side in (
        (edited, "CustomCodeChanged", "new"),
        (removed, "CustomCodeRemoved", "old"),
    ):
        result = CliRunner().invoke(main, ["diff", str(source), str(folder), "--format", "json"])
        assert result.exit_code == 0, result.output
        changes = json.loads(result.stdout)["changes"]
        assert [(c["kind"], c["side"], c["pointer"]) for c in changes] == [(kind, side, "")]
    # the same code with Windows line endings is no change
    (edited / "script.csx").write_bytes(code.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    same = CliRunner().invoke(main, ["diff", str(source), str(edited), "--format", "json"])
    assert json.loads(same.stdout)["changes"] == []
