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


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2030-01-01T23:59:59Z", True),
        ("2030-01-01T23:59:60Z", True),  # a leap second
        ("2030-01-01T24:00:00Z", False),
        ("2030-01-01T10:60:00Z", False),
        ("2030-01-01T10:00:61Z", False),
        ("2030-01-01T10:00Z", True),
    ],
)
def test_date_time_hours_minutes_and_seconds_have_limits(value: str, valid: bool) -> None:
    assert FORMAT_CHECKS["date-time"](value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [("2030-01-31", True), ("20300131", False), ("2030-02-30", False), ("2030-W01-1", False)],
)
def test_a_date_is_the_extended_ten_character_form(value: str, valid: bool) -> None:
    assert FORMAT_CHECKS["date"](value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [("someone@mail.example", True), ("someone@localhost", False), ("someone", False)],
)
def test_an_email_domain_needs_a_dot(value: str, valid: bool) -> None:
    assert FORMAT_CHECKS["email"](value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("https://api.example.test/v1", True),
        ("mailto:someone@mail.example", True),
        ("urn:isbn:0451450523", True),
        ("https:relative/path", False),
        ("ftp:", False),
        ("no-scheme.example", False),
    ],
)
def test_a_uri_needs_a_host_unless_its_scheme_has_none(value: str, valid: bool) -> None:
    assert FORMAT_CHECKS["uri"](value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("aGVsbG8=", True),
        ("", True),
        ("aGVs bG8=", False),
        ("aGV$sbG8=", False),
        ("aGVsbG8", False),
    ],
)
def test_byte_is_strict_base64(value: str, valid: bool) -> None:
    assert FORMAT_CHECKS["byte"](value) is valid


@pytest.mark.parametrize(("fmt", "bits"), [("int32", 31), ("int64", 63)])
def test_integer_formats_hold_exactly_their_twos_complement_range(fmt: str, bits: int) -> None:
    check = FORMAT_CHECKS[fmt]
    assert check(2**bits - 1)
    assert check(-(2**bits))
    assert not check(2**bits)
    assert not check(-(2**bits) - 1)
    assert check(float(2**bits)), "a float is not this format's business"


def test_type_file_accepts_anything() -> None:
    check = validator({"type": "file"}, {})
    assert violations(check, b"bytes") == []
    assert violations(check, "text") == []


def test_a_nullable_enum_admits_null() -> None:
    check = validator({"type": "string", "enum": ["A", "B"], "x-nullable": True}, {})
    assert violations(check, None) == []
    assert violations(check, "A") == []
    assert len(violations(check, "C")) == 1


@pytest.mark.parametrize(
    ("schema", "value"),
    [
        ({"type": "object", "additionalProperties": {"type": "file"}}, {"doc": 1}),
        ({"not": {"type": "string", "x-nullable": True}}, 5),
        ({"anyOf": [{"type": "string", "x-nullable": True}]}, None),
        ({"oneOf": [{"type": "integer", "x-nullable": True}, {"type": "string"}]}, None),
        ({"type": "array", "items": {"type": "string", "x-nullable": True}}, ["a", None]),
    ],
)
def test_nested_schemas_are_translated_too(schema: dict[str, object], value: object) -> None:
    assert violations(validator(schema, {}), value) == []


def test_long_messages_are_shortened() -> None:
    check = validator({"type": "integer"}, {})
    [(pointer, message)] = violations(check, "x" * 1000)
    assert pointer == ""
    assert len(message) == 200
    assert message.endswith("...")


def test_a_hidden_value_that_breaks_a_pattern_is_not_echoed() -> None:
    check = validator({"type": "string", "pattern": "^[0-9]+$"}, {})
    [(_, message)] = violations(check, "hunter2", hide_values=True)
    assert message == "the value does not match pattern '^[0-9]+$'"


@pytest.mark.parametrize(
    "value",
    [
        "2030-01-01T\uff11\uff10:00:00Z",  # fullwidth digits in the hour
        "2030-01-01T10:00:00+\uff10\uff12:00",
        "2030-01-01T10:00:00.\u0661Z",  # an Arabic-Indic digit in the fraction
    ],
)
def test_date_time_digits_are_ascii(value: str) -> None:
    assert not FORMAT_CHECKS["date-time"](value)
