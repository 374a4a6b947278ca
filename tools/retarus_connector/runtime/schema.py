"""Swagger 2.0 schemas checked with jsonschema (draft 4, the dialect Swagger 2.0 builds on).

Swagger adds a few things draft 4 does not know, so schemas are translated first:
`x-nullable: true` admits null, `type: file` admits anything, a boolean `required` on a property
(a common mistake in real packages) is dropped, and `#/definitions` travel along with every
schema so that its `$ref`s resolve. Formats are checked too, since a wrong date-time or email is
exactly the contract slip these checks exist for; Power Platform's own formats are left alone.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
import uuid
from collections.abc import Callable, Mapping
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from retarus_connector.core.pointer import join

if TYPE_CHECKING:
    from jsonschema import FormatChecker
    from jsonschema.protocols import Validator

# ISO 8601 date-time as servers write it: RFC 3339, plus offsets without the colon (+0200)
# and fractions of any length; the offset itself is optional.
# \Z rather than $: Python's $ also matches before a final newline.
_DATE_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"(?:[Zz]|[+-]\d{2}:?\d{2})?\Z",
    # ASCII: without it \d takes any Unicode digit (fullwidth ones too), which int() accepts.
    re.ASCII,
)
# RFC 3339 full-date only: date.fromisoformat also takes "20300131" and week dates ("2030-W01-1").
_FULL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z")
_INT_RANGES = MappingProxyType({"int32": 2**31, "int64": 2**63})


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    match = _DATE_TIME.match(value)
    if not match:
        return False
    day, hour, minute, second = match.groups()
    try:
        date.fromisoformat(day)
    except ValueError:
        return False
    return int(hour) < 24 and int(minute) < 60 and int(second or 0) < 61


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _FULL_DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_email(value: object) -> bool:
    return not isinstance(value, str) or bool(_EMAIL.match(value))


def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in {"mailto", "urn", "tel"})


def _is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _is_byte(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _integer_range(bits: str) -> Callable[[object], bool]:
    limit = _INT_RANGES[bits]

    def check(value: object) -> bool:
        if isinstance(value, bool) or not isinstance(value, int):
            return True
        return -limit <= value < limit

    return check


FORMAT_CHECKS: Mapping[str, Callable[[object], bool]] = MappingProxyType(
    {
        "date-time": _is_date_time,
        "date": _is_date,
        "email": _is_email,
        "uri": _is_uri,
        "uuid": _is_uuid,
        "byte": _is_byte,
        "int32": _integer_range("int32"),
        "int64": _integer_range("int64"),
    }
)


@functools.lru_cache(maxsize=256)
def ecma_pattern(pattern: str) -> str:
    """A Swagger (ECMA-262) regular expression as Python understands it.

    The one difference that matters for validation: in ECMA-262 `$` matches only at the very
    end of the text, while Python's `$` also matches before a final newline, which would let
    "ACME\\n" pass a `^...$` sender-ID pattern. `$` outside character classes becomes `\\Z`."""
    translated: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            translated.append(pattern[index : index + 2])
            index += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        translated.append("\\Z" if char == "$" and not in_class else char)
        index += 1
    return "".join(translated)


def _pattern_keyword(validator: Any, pattern: Any, instance: Any, schema: Any) -> Any:
    """jsonschema's `pattern` keyword with ECMA-262 anchors."""
    from jsonschema.exceptions import ValidationError

    if isinstance(instance, str) and isinstance(pattern, str):
        try:
            matched = re.search(ecma_pattern(pattern), instance)
        except re.error:
            return
        if not matched:
            yield ValidationError(f"{instance!r} does not match {pattern!r}")


def format_checker() -> FormatChecker:
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    for name, check in FORMAT_CHECKS.items():
        checker.checks(name)(check)
    return checker


def translate(schema: Any) -> Any:
    """A Swagger 2.0 schema as an equivalent draft 4 JSON schema."""
    if isinstance(schema, list):
        return [translate(item) for item in schema]
    if not isinstance(schema, Mapping):
        return schema
    if schema.get("type") == "file":
        return {}
    if "$ref" in schema:
        reference = {"$ref": schema["$ref"]}
        return {"anyOf": [reference, {"type": "null"}]} if schema.get("x-nullable") else reference
    translated: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "required" and not isinstance(value, list):
            continue
        if key in {"properties", "definitions", "patternProperties"} and isinstance(value, Mapping):
            translated[key] = {name: translate(sub) for name, sub in value.items()}
        elif key in {"items", "additionalProperties", "not", "allOf", "anyOf", "oneOf"}:
            translated[key] = translate(value)
        else:
            translated[key] = value
    if schema.get("x-nullable") is True:
        kind = translated.get("type")
        if kind is None:
            return {"anyOf": [translated, {"type": "null"}]}
        if isinstance(kind, str):
            translated["type"] = [kind, "null"]
        elif isinstance(kind, list) and "null" not in kind:
            translated["type"] = [*kind, "null"]
        if isinstance(translated.get("enum"), list) and None not in translated["enum"]:
            translated["enum"] = [*translated["enum"], None]
    return translated


def validator(schema: Mapping[str, Any], definitions: Mapping[str, Any]) -> Validator:
    """A draft 4 validator for a Swagger schema whose `#/definitions/...` refs point into
    `definitions` (already translated); jsonschema's SchemaError if the schema is broken."""
    from jsonschema import Draft4Validator
    from jsonschema.validators import extend

    document = dict(translate(schema))
    document["definitions"] = dict(definitions)
    Draft4Validator.check_schema(document)
    swagger_validator: Any = extend(  # type: ignore[no-untyped-call]
        Draft4Validator, {"pattern": _pattern_keyword}
    )
    checker: Validator = swagger_validator(document, format_checker=format_checker())
    return checker


def translated_definitions(swagger: Mapping[str, Any]) -> dict[str, Any]:
    definitions = swagger.get("definitions", {})
    if not isinstance(definitions, Mapping):
        return {}
    return {str(name): translate(schema) for name, schema in definitions.items()}


def pointer_of(path: Any) -> str:
    """The JSON pointer of a path into an instance (keys and positions)."""
    return join("", *path)


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def violations(
    check: Validator, instance: Any, *, hide_values: bool = False
) -> list[tuple[str, str]]:
    """(JSON pointer into the instance, message) for every way `instance` breaks the schema,
    sorted by pointer so that reports are stable. `hide_values` keeps the offending value out
    of the message, for values that may be secret."""
    errors = sorted(
        check.iter_errors(instance), key=lambda e: (pointer_of(e.absolute_path), e.message)
    )
    return [
        (
            pointer_of(error.absolute_path),
            _describe(error) if hide_values else _shorten(error.message),
        )
        for error in errors
    ]


def _describe(error: Any) -> str:
    """A message that names the failed keyword without echoing the value."""
    keyword = str(error.validator)
    expected = error.validator_value
    if keyword in {"type", "format", "enum", "pattern"}:
        return f"the value does not match {keyword} {_shorten(repr(expected), 80)}"
    if keyword == "required":
        return _shorten(str(error.message))
    return f"the value breaks '{keyword}' ({_shorten(repr(expected), 80)})"
