"""Property-based: no input makes the linter crash, and no rule fails on it.

Arbitrary bytes, arbitrary JSON built from the words swaggers and apiProperties use (so the
rules meet their own keys holding the wrong types), and valid documents cut off anywhere, go
through the loader and every registered rule.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retarus_connector.lint import engine
from retarus_connector.lint.loader import document_from_bytes
from retarus_connector.lint.location import Locator
from retarus_connector.lint.model import FileKind, Finding, Package, Profile

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = [
    "swagger", "2.0", "info", "title", "version", "description", "contact", "paths", "/a",
    "/a/{id}", "id", "get", "post", "parameters", "name", "in", "path", "query", "body",
    "header", "type", "string", "object", "array", "integer", "boolean", "schema", "items",
    "$ref", "#/definitions/A", "#/parameters/P", "#/responses/R", "definitions", "A",
    "properties", "required", "responses", "200", "default", "operationId", "summary",
    "securityDefinitions", "security", "basic", "apiKey", "oauth2", "flow", "enum", "allOf",
    "additionalProperties", "x-ms-visibility", "internal", "x-ms-summary",
    "x-ms-dynamic-values", "x-ms-connector-metadata", "propertyName", "propertyValue",
    "connectionParameters", "policyTemplateInstances", "templateId", "iconBrandColor",
    "scriptOperations", "capabilities", "uiDefinition", "constraints", "host", "basePath",
    "schemes", "https", "x-ms-openai-data", "x-ms-trigger",
    "x-ms-notification-url", "x-ms-notification-content", "x-ms-url-encoding", "double",
    "x-ms-api-annotation", "x-ms-capabilities", "testConnection", "x-ms-dynamic-list",
    "formData", "single", "\u00e9t\u00e9",
]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(WORDS),
    st.text(max_size=8),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(WORDS), st.text(max_size=4)), inner, max_size=5),
    ),
    max_leaves=40,
)
documents = st.dictionaries(st.sampled_from(WORDS), json_values, max_size=8)

NAMES = {
    FileKind.SWAGGER: "apiDefinition.swagger.json",
    FileKind.PROPERTIES: "apiProperties.json",
    FileKind.ICON: "icon.png",
    FileKind.README: "readme.md",
    FileKind.SCRIPT: "script.csx",
    FileKind.SETTINGS: "settings.json",
}


def lint_bytes(files: dict[FileKind, bytes], profile: Profile = Profile.CERTIFIED) -> list[Finding]:
    package = Package(Path("pkg"), "pkg", profile)
    for kind, raw in files.items():
        package.documents[kind] = document_from_bytes(
            kind, raw, Path("pkg") / NAMES[kind], f"pkg/{NAMES[kind]}"
        )
    findings = engine.check_package(package, engine.registry())
    crashed = [finding.message for finding in findings if finding.rule == "rule-crashed"]
    assert crashed == []
    return findings


@SETTINGS
@given(st.dictionaries(st.sampled_from(list(NAMES)), st.binary(max_size=300), min_size=1))
def test_arbitrary_bytes_in_any_file(files: dict[FileKind, bytes]) -> None:
    lint_bytes(files)


@SETTINGS
@given(swagger=documents, properties=documents, profile=st.sampled_from(list(Profile)))
def test_arbitrary_json_shaped_like_connector_files(
    swagger: dict[str, Any], properties: dict[str, Any], profile: Profile
) -> None:
    lint_bytes(
        {
            FileKind.SWAGGER: json.dumps(swagger).encode(),
            FileKind.PROPERTIES: json.dumps({"properties": properties}).encode(),
        },
        profile,
    )


@SETTINGS
@given(swagger=json_values)
def test_any_json_value_as_the_swagger(swagger: Any) -> None:
    lint_bytes({FileKind.SWAGGER: json.dumps(swagger).encode()})


VALID = json.dumps(
    {
        "swagger": "2.0",
        "info": {"title": "Contoso", "version": "1.0"},
        "paths": {
            "/a/{id}": {
                "get": {
                    "operationId": "GetA",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "type": "string"}
                    ],
                    "responses": {
                        "200": {"description": "ok", "schema": {"$ref": "#/definitions/A"}}
                    },
                }
            }
        },
        "definitions": {"A": {"type": "object", "properties": {"b": {"type": "string"}}}},
    },
    indent=2,
).encode()


@SETTINGS
@given(st.integers(min_value=0, max_value=len(VALID) - 1))
def test_truncated_json_is_a_syntax_finding(cut: int) -> None:
    findings = lint_bytes({FileKind.SWAGGER: VALID[:cut]})
    rules = {finding.rule for finding in findings}
    assert rules & {"json-syntax", "file-empty"}
    located = [f for f in findings if f.rule == "json-syntax"]
    assert all(f.line is not None and f.column is not None for f in located)


def test_the_uncut_document_has_no_file_finding() -> None:
    findings = lint_bytes({FileKind.SWAGGER: VALID})
    assert not {finding.rule for finding in findings} & {"json-syntax", "file-empty"}


def _pointers(value: Any, pointer: str = "") -> list[str]:
    found = [pointer, f"{pointer}/missing"]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _pointers(child, f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _pointers(child, f"{pointer}/{index}")
    return found


@SETTINGS
@given(
    value=json_values,
    indent=st.sampled_from([None, 0, 2, "\t"]),
    ensure_ascii=st.booleans(),
    separators=st.sampled_from([None, (",", ":"), (" , ", " : ")]),
)
def test_locating_in_parsed_text_agrees_with_the_step_by_step_walk(
    value: Any, indent: int | str | None, ensure_ascii: bool, separators: tuple[str, str] | None
) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ensure_ascii, separators=separators)
    pointers = _pointers(value)
    assert Locator(text, parsed=True).locate_all(pointers) == Locator(text).locate_all(pointers)
