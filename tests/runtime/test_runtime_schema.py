"""Swagger schemas as the runtime checks them: ECMA-262 patterns and strict format anchors."""

from __future__ import annotations

import pytest

from retarus_connector.runtime.schema import FORMAT_CHECKS, ecma_pattern, validator, violations


@pytest.mark.parametrize(
    ("pattern", "python"),
    [
        ("^a$", "^a\\Z"),
        ("^[$]x$", "^[$]x\\Z"),  # a dollar inside a class is a literal
        ("^a\\$$", "^a\\$\\Z"),  # so is an escaped one
        ("^(a|b$)", "^(a|b\\Z)"),
        ("[\\]$]$", "[\\]$]\\Z"),  # an escaped bracket does not close the class
    ],
)
def test_ecma_dollar_becomes_end_of_text(pattern: str, python: str) -> None:
    assert ecma_pattern(pattern) == python


@pytest.mark.parametrize(
    ("value", "valid"),
    [("ACME", True), ("ACME\n", False), ("+4917600000000", True), ("way too long sender", False)],
)
def test_pattern_refuses_a_final_newline(value: str, valid: bool) -> None:
    check = validator({"type": "string", "pattern": "^(\\+?[0-9]{1,20}|[\\x20-\\x7E]{1,11})$"}, {})
    assert (violations(check, value) == []) is valid


@pytest.mark.parametrize(
    ("fmt", "value"),
    [("date-time", "2030-01-01T08:00:00Z\n"), ("email", "a@b.example\n")],
)
def test_formats_refuse_a_final_newline(fmt: str, value: str) -> None:
    assert FORMAT_CHECKS[fmt](value.rstrip("\n"))
    assert not FORMAT_CHECKS[fmt](value)
