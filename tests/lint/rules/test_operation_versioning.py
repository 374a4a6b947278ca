"""The versioning rule: deprecated operations and their replacements (x-ms-api-annotation)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from lint_packages import make_package, run_rule

from retarus_connector.lint.rules import versioning

OLD = "/paths/~1messages~1{id}/get"
NEW = "/paths/~1v2~1messages~1{id}/get"


def with_versions(
    old: dict[str, Any], new: dict[str, Any] | None, swagger: dict[str, Any]
) -> dict[str, Any]:
    """The swagger with GetMessage changed by `old`, and a copy GetMessageV2 changed by `new`."""
    result = copy.deepcopy(swagger)
    operation = result["paths"]["/messages/{id}"]["get"]
    if new is not None:
        successor = {**copy.deepcopy(operation), "operationId": "GetMessageV2", **new}
        result["paths"]["/v2/messages/{id}"] = {"get": successor}
    operation.update(old)
    return result


def annotation(revision: int, family: str = "GetMessage") -> dict[str, Any]:
    return {"x-ms-api-annotation": {"family": family, "revision": revision}}


FAILING: list[tuple[dict[str, Any], dict[str, Any] | None, list[str], str]] = [
    ({"deprecated": True}, None, [f"{OLD}/deprecated"], "names no replacement"),
    (
        {"deprecated": True, **annotation(1)},
        {"deprecated": True, **annotation(2)},
        [f"{OLD}/x-ms-api-annotation", f"{NEW}/x-ms-api-annotation"],
        "no newer revision",
    ),
    (annotation(1), annotation(2), [f"{OLD}/x-ms-api-annotation"], "is not marked 'deprecated'"),
    (
        {"deprecated": True, **annotation(1)},
        annotation(2, family="SendMessage"),
        [f"{OLD}/x-ms-api-annotation"],
        "in its family 'GetMessage'",
    ),
]

PASSING: list[tuple[dict[str, Any], dict[str, Any] | None]] = [
    ({"deprecated": True, **annotation(1)}, annotation(2)),
    (annotation(1), None),  # one revision, nothing replaced
    ({}, None),
    ({"deprecated": True, "x-ms-visibility": "internal"}, None),  # users never pick it
]


@pytest.mark.parametrize(("old", "new", "pointers", "fragment"), FAILING)
def test_misused_versioning_is_reported(
    old: dict[str, Any],
    new: dict[str, Any] | None,
    pointers: list[str],
    fragment: str,
    minimal_swagger: Any,
) -> None:
    swagger = with_versions(old, new, minimal_swagger)
    found = run_rule(versioning.deprecated_replacement, make_package(swagger))
    assert [problem.pointer for problem in found] == pointers
    assert fragment in found[0].message


@pytest.mark.parametrize(("old", "new"), PASSING)
def test_documented_versioning_passes(
    old: dict[str, Any], new: dict[str, Any] | None, minimal_swagger: Any
) -> None:
    swagger = with_versions(old, new, minimal_swagger)
    assert run_rule(versioning.deprecated_replacement, make_package(swagger)) == []


def test_declared_severities() -> None:
    assert {rule.id: rule.severity.value for rule in versioning.RULES} == {
        "operation-deprecated-replacement": "warning"
    }
