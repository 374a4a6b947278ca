"""Everything the published connector page lists is in the generated swagger, same key, same type.

The page (../shared/seed, Italian) shows a table per action with rows "key [True] type" and a
table per definition with rows "key type". This test reads those rows itself, so a field added
to the page later shows up here as a failure rather than being forgotten.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from retarus_connector.emitters.swagger import swagger_document
from retarus_connector.models import CONNECTOR

SEED_FILE = "seed/000_cba6241de447d0c5.txt"

# Italian action titles on the page -> our operationIds.
ACTIONS = {
    "Inviare un processo SMS": "SendSmsJob",
    "Ottenere le informazioni sulla versione": "GetVersionInfo",
    "Ottenere lo stato del processo": "GetJobStatus",
    "Ottenere lo stato per tutti i destinatari di un processo": "GetRecipientStatuses",
    "Ottenere tutti i processi per i criteri specificati": "ListJobs",
}
PARAMETER_HEADER = "Nome Chiave Necessario Tipo Descrizione"
DEFINITION_HEADER = "Nome Percorso Tipo Descrizione"
ROW = re.compile(
    r"^(?P<key>[A-Za-z]+)(?P<required> True)? (?P<type>string|boolean|integer|date-time|array of string)$"
)
SEED_TYPES: dict[str, tuple[str, str | None]] = {
    "string": ("string", None),
    "boolean": ("boolean", None),
    "integer": ("integer", None),
    "date-time": ("string", "date-time"),
    "array of string": ("array", None),
}


@dataclass(frozen=True)
class SeedField:
    owner: str  # operationId or definition name
    key: str
    type: str
    required: bool


def _rows(lines: list[str], start: int) -> Iterator[tuple[str, str, bool]]:
    for line in lines[start:]:
        if line in {"Restituisce", PARAMETER_HEADER, DEFINITION_HEADER} or line in ACTIONS:
            return
        match = ROW.match(line)
        if match:
            yield match["key"], match["type"], bool(match["required"])


def seed_fields(text: str) -> list[SeedField]:
    lines = [line.strip() for line in text.splitlines()]
    fields: list[SeedField] = []
    for index, line in enumerate(lines):
        if line == PARAMETER_HEADER:
            title = next(lines[i] for i in range(index - 1, -1, -1) if lines[i] in ACTIONS)
            owner = ACTIONS[title]
        elif line == DEFINITION_HEADER:
            owner = next(lines[i] for i in range(index - 1, -1, -1) if lines[i])
        else:
            continue
        fields.extend(SeedField(owner, *row) for row in _rows(lines, index + 1))
    return fields


@pytest.fixture(scope="module")
def fields(shared_dir: Path) -> list[SeedField]:
    found = seed_fields((shared_dir / SEED_FILE).read_text(encoding="utf-8"))
    # Guard the parser: the page lists 17 send rows, 1 + 1 + 6 read rows and 1 + 12 + 8 + 6
    # definition fields. Another count means the page changed or the parser broke.
    assert len(found) == 52, f"parsed {len(found)} rows from the seed page"
    return found


@pytest.fixture(scope="module")
def swagger() -> dict[str, Any]:
    return swagger_document(CONNECTOR.api)


def _operation(swagger: dict[str, Any], operation_id: str) -> dict[str, Any]:
    for methods in swagger["paths"].values():
        for operation in methods.values():
            if operation["operationId"] == operation_id:
                return operation  # type: ignore[no-any-return]
    raise AssertionError(f"no operation {operation_id}")


def _resolve(swagger: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return swagger["definitions"][schema["$ref"].rsplit("/", 1)[1]]  # type: ignore[no-any-return]
    return schema


def _nested_properties(
    swagger: dict[str, Any], schema: dict[str, Any]
) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """(name, schema, required) of every property reachable in a body schema."""
    schema = _resolve(swagger, schema)
    if schema.get("type") == "array":
        yield from _nested_properties(swagger, schema["items"])
        return
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        yield name, prop, name in required
        yield from _nested_properties(swagger, prop)


def _candidates(swagger: dict[str, Any], field: SeedField) -> list[tuple[dict[str, Any], bool]]:
    if field.owner in swagger["definitions"]:
        definition = swagger["definitions"][field.owner]
        prop = definition["properties"].get(field.key)
        return [(prop, field.key in definition.get("required", []))] if prop else []
    found: list[tuple[dict[str, Any], bool]] = []
    for parameter in _operation(swagger, field.owner).get("parameters", []):
        if parameter["in"] == "body":
            found.extend(
                (prop, required)
                for name, prop, required in _nested_properties(swagger, parameter["schema"])
                if name == field.key
            )
        elif parameter["name"] == field.key:
            found.append((parameter, parameter["required"]))
    return found


def test_every_seed_field_is_in_the_swagger_with_its_type(
    fields: list[SeedField], swagger: dict[str, Any]
) -> None:
    missing, mistyped = [], []
    for field in fields:
        candidates = _candidates(swagger, field)
        if not candidates:
            missing.append(f"{field.owner}.{field.key}")
            continue
        want_type, want_format = SEED_TYPES[field.type]
        if not any(
            found.get("type") == want_type
            and (want_format is None or found.get("format") == want_format)
            for found, _ in candidates
        ):
            mistyped.append(f"{field.owner}.{field.key} is not {field.type}")
    assert not missing, f"seed fields missing from the swagger: {missing}"
    assert not mistyped, mistyped


def test_fields_the_seed_marks_required_are_required(
    fields: list[SeedField], swagger: dict[str, Any]
) -> None:
    required = [field for field in fields if field.required]
    assert {(f.owner, f.key) for f in required} >= {
        ("SendSmsJob", "text"),
        ("SendSmsJob", "dst"),
        ("GetJobStatus", "jobId"),
        ("ListJobs", "jobIdsOnly"),
    }
    for field in required:
        assert any(is_required for _, is_required in _candidates(swagger, field)), (
            f"{field.owner}.{field.key} is required on the page but not in the swagger"
        )


def test_every_seed_definition_exists(fields: list[SeedField], swagger: dict[str, Any]) -> None:
    seed_definitions = {field.owner for field in fields} - set(ACTIONS.values())
    assert seed_definitions == {
        "JobResponse",
        "JobReport",
        "RecipientReport",
        "VersionInfoResponse",
    }
    assert seed_definitions <= set(swagger["definitions"])
