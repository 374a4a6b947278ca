"""One set of tricky references, read by the linter, the diff and the runtime: each of them
resolves a reference exactly when the others do (they all follow references with core.refs)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from retarus_connector.diff import swagger as diff_swagger
from retarus_connector.lint.loader import document_from_bytes
from retarus_connector.lint.model import FileKind, Package
from retarus_connector.lint.rules import structure
from retarus_connector.runtime.errors import PackageError
from retarus_connector.runtime.package import ConnectorPackage

QUERY = {"in": "query", "type": "string"}

BASE: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "Refs", "version": "1.0"},
    "host": "127.0.0.1",
    "paths": {
        "/things": {
            "get": {
                "operationId": "GetThings",
                "parameters": [],
                "responses": {"200": {"description": "OK"}},
            }
        }
    },
    "parameters": {
        "A B": {"name": "spaced", **QUERY},
        "a/b": {"name": "slashed", **QUERY},
        "m~n": {"name": "tilde", **QUERY},
        "Shared": {"name": "shared", **QUERY, "x-variants": [{"name": "variant", **QUERY}]},
        "Loop1": {"$ref": "#/parameters/Loop2"},
        "Loop2": {"$ref": "#/parameters/Loop1"},
        "Self": {"$ref": "#/parameters/Self"},
    },
    "definitions": {"A B": {"type": "object", "required": ["id"]}},
}


def _chain(swagger: dict[str, Any], length: int) -> str:
    """Parameters C0 -> C1 -> ... -> C{length}, the last a real one; the reference to C0."""
    for number in range(length):
        swagger["parameters"][f"C{number}"] = {"$ref": f"#/parameters/C{number + 1}"}
    swagger["parameters"][f"C{length}"] = {"name": "chained", **QUERY}
    return "#/parameters/C0"


# (case, reference or a function adding what it needs and returning it, resolves)
CASES: list[tuple[str, Any, bool]] = [
    ("percent-encoded name", "#/parameters/A%20B", True),
    ("name with a space written as is", "#/parameters/A B", True),
    ("~1 for a slash", "#/parameters/a~1b", True),
    ("~0 for a tilde", "#/parameters/m~0n", True),
    ("into an array", "#/parameters/Shared/x-variants/0", True),
    ("into an array, past its end", "#/parameters/Shared/x-variants/1", False),
    ("a chain of 20", lambda swagger: _chain(swagger, 20), True),
    ("a chain longer than 32", lambda swagger: _chain(swagger, 40), False),
    ("a cycle of two", "#/parameters/Loop1", False),
    ("a reference to itself", "#/parameters/Self", False),
    ("a missing target", "#/parameters/Nowhere", False),
    ("an undecoded name that does not exist", "#/parameters/A%2520B", False),
    ("another file", "other.json#/parameters/A%20B", False),
    ("a URL", "https://example.com/swagger.json#/parameters/A%20B", False),
]


def _swagger_with(reference: Any) -> dict[str, Any]:
    swagger = copy.deepcopy(BASE)
    ref = reference(swagger) if callable(reference) else reference
    swagger["paths"]["/things"]["get"]["parameters"] = [{"$ref": ref}]
    return swagger


def _lint_resolves(swagger: dict[str, Any]) -> bool:
    raw = json.dumps(swagger).encode()
    path = Path("pkg/apiDefinition.swagger.json")
    package = Package(Path("pkg"), "pkg")
    package.documents[FileKind.SWAGGER] = document_from_bytes(
        FileKind.SWAGGER, raw, path, path.as_posix()
    )
    # a reference the operation uses that does not resolve is a ref-target finding; the
    # broken entries of BASE itself (the loops) are found where they are written
    used = "/paths/~1things/get/parameters/0/$ref"
    return used not in {problem.pointer for problem in structure.ref_target.run(package)}


def _diff_resolves(swagger: dict[str, Any]) -> bool:
    (operation,) = diff_swagger.operations(swagger)
    return bool(operation.parameters(swagger))


def _runtime_resolves(swagger: dict[str, Any]) -> bool:
    try:
        package = ConnectorPackage(swagger, None)
    except PackageError:
        return False
    return bool(package.operation("GetThings").parameters)


@pytest.mark.parametrize(
    ("reference", "resolves"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_lint_diff_and_runtime_agree(reference: Any, resolves: bool) -> None:
    swagger = _swagger_with(reference)
    outcomes = {
        "lint": _lint_resolves(swagger),
        "diff": _diff_resolves(swagger),
        "runtime": _runtime_resolves(swagger),
    }
    assert outcomes == dict.fromkeys(outcomes, resolves)


def test_a_percent_encoded_definition_resolves_in_every_layer() -> None:
    swagger = copy.deepcopy(BASE)
    schema = {"$ref": "#/definitions/A%20B"}
    swagger["paths"]["/things"]["get"]["parameters"] = [
        {"name": "body", "in": "body", "schema": schema}
    ]
    assert _lint_resolves(swagger) is True
    pointer = "/paths/~1things/get/parameters/0/schema"
    assert diff_swagger.resolve(swagger, schema, pointer) == (
        swagger["definitions"]["A B"],
        "/definitions/A B",
    )
    runtime = ConnectorPackage(swagger, None)
    # the runtime validates against the definition the reference names
    assert runtime.violations(schema, pointer, {"id": 1}) == []
    assert runtime.violations(schema, pointer, {}) != []
