"""The label rule: action, trigger and connection field names start with a capital letter."""

from __future__ import annotations

from typing import Any

import pytest
from certification_samples import clean_properties
from lint_packages import make_package, run_rule

from retarus_connector.lint.model import FileKind
from retarus_connector.lint.rules import labels

OP = "/paths/~1messages~1{id}/get"
USER = "/properties/connectionParameters/username/uiDefinition/displayName"


@pytest.mark.parametrize(
    ("summary", "display_name", "pointers"),
    [
        ("get a message", "User name", [(f"{OP}/summary", FileKind.SWAGGER)]),
        ("Get a message", "user name", [(USER, FileKind.PROPERTIES)]),
        (
            "  get a message",
            "username",
            [(f"{OP}/summary", FileKind.SWAGGER), (USER, FileKind.PROPERTIES)],
        ),
    ],
)
def test_lower_case_names_are_reported(
    summary: str, display_name: str, pointers: list[tuple[str, FileKind]], minimal_swagger: Any
) -> None:
    minimal_swagger["paths"]["/messages/{id}"]["get"]["summary"] = summary
    properties = clean_properties()
    properties["properties"]["connectionParameters"]["username"]["uiDefinition"]["displayName"] = (
        display_name
    )
    found = run_rule(labels.label_capital, make_package(minimal_swagger, properties))
    assert [(problem.pointer, problem.file) for problem in found] == pointers
    assert "capital letter" in found[0].message


@pytest.mark.parametrize(
    "summary",
    ["Get a message", "iPhone message", "eSign a document", "2FA code", "(Beta) Get a message"],
)
def test_capitals_brands_and_digits_pass(summary: str, minimal_swagger: Any) -> None:
    minimal_swagger["paths"]["/messages/{id}"]["get"]["summary"] = summary
    package = make_package(minimal_swagger, clean_properties())
    assert run_rule(labels.label_capital, package) == []


def test_an_operation_label_is_checked(minimal_swagger: Any) -> None:
    minimal_swagger["paths"]["/messages/{id}"]["get"]["x-ms-summary"] = "the message"
    (problem,) = run_rule(labels.label_capital, make_package(minimal_swagger))
    assert problem.pointer == f"{OP}/x-ms-summary"


def test_declared_severities() -> None:
    assert {rule.id: rule.severity.value for rule in labels.RULES} == {"label-capital": "warning"}
