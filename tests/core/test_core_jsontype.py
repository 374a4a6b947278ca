"""The names of JSON types in messages, shared by lint's findings and the simulator's answers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from retarus_connector.core.jsontype import kind_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("null", "null"),
        ("true", "a boolean"),
        ("false", "a boolean"),  # a bool is an int in Python, but not a number in JSON
        ("0", "a number"),
        ("1.5", "a number"),
        ('"1"', "a string"),
        ("[]", "an array"),
        ("{}", "an object"),
    ],
)
def test_every_json_value_has_its_type_with_article(text: str, expected: str) -> None:
    value: Any = json.loads(text)
    assert kind_of(value) == expected
