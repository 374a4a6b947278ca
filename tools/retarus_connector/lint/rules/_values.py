"""Tolerant reading of JSON values for the rules: each helper checks the type of a value before
it looks inside, so a rule meeting a list where an object belongs reads it as empty."""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable
from typing import Any, TypeVar

_E = TypeVar("_E")

_first = operator.itemgetter(0)


def values_at(nodes: list[dict[str, Any]], key: str) -> list[Any]:
    """`node.get(key)` for each node, looked up without running Python code per node."""
    return list(map(dict.get, nodes, itertools.repeat(key)))


def holding(entries: list[_E], values: list[Any], wrong: Callable[[Any], bool]) -> list[_E]:
    """The entries whose value (at the same position in `values`) is `wrong`. Each distinct
    value is judged once: most schemas share a few values, or hold none (None)."""
    try:
        judged = {value for value in set(values) if wrong(value)}
    except TypeError:  # a list or an object where a text belongs
        return [entry for entry, value in zip(entries, values, strict=True) if wrong(value)]
    if not judged:
        return []
    return list(itertools.compress(entries, map(judged.__contains__, values)))


def as_dict(value: Any) -> dict[str, Any]:
    """`value` when it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """`value` when it is a JSON array, else an empty one."""
    return value if isinstance(value, list) else []


def text(value: Any) -> str | None:
    """`value` when it is a string, else None."""
    return value if isinstance(value, str) else None


def blank(value: Any) -> bool:
    """Whether `value` is missing as a text: not a string, or only white space."""
    return not isinstance(value, str) or not value.strip()


def one_of(value: Any, options: frozenset[str]) -> bool:
    """Whether `value` is one of the strings `options` (False for lists and objects, which a
    set lookup would reject as unhashable)."""
    return isinstance(value, str) and value in options
