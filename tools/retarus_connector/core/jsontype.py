"""A parsed JSON value's type as messages name it ("not a string, but an array"): the linter's
findings and the simulator's error answers speak of values the same way."""

from __future__ import annotations

from typing import Any


def kind_of(value: Any) -> str:
    """The JSON type of `value` with its article: null, a boolean, a number, a string, an array,
    an object (anything else a JSON parser cannot return counts as an object)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
