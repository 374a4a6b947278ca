"""The validation constraints of an input value (a non-body parameter, a body field or the
items of either) and how a change of each is judged; the policy is in compare.py's docstring.

Each constraint keyword compares on its own, so that one edit is one change: the limits
(`maxLength`/`minLength`, `maximum`/`minimum` with their `exclusive*` flags,
`maxItems`/`minItems`), `uniqueItems`, `multipleOf` and `pattern`. A value of the wrong type
(a string for `maxLength`, a `multipleOf` of 0) is treated as absent, as the diff does
with every malformed value.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from .messages import render
from .patterns import accepts_all
from .swagger import child

# keyword -> +1 when a higher value accepts fewer values, -1 when a lower one does
_LIMITS = MappingProxyType(
    {
        "maxLength": -1,
        "minLength": 1,
        "maximum": -1,
        "minimum": 1,
        "maxItems": -1,
        "minItems": 1,
    }
)
# Swagger 2.0's exclusive flags are booleans that make their limit strict
_EXCLUSIVE = MappingProxyType({"maximum": "exclusiveMaximum", "minimum": "exclusiveMinimum"})
# the order changes are reported in
KEYWORDS = (*_LIMITS, "uniqueItems", "multipleOf", "pattern")


class Verdict(Enum):
    ADDED = "added"
    REMOVED = "removed"
    TIGHTENED = "tightened"
    LOOSENED = "loosened"


@dataclass(frozen=True)
class Constraint:
    keyword: str
    value: Any  # as written: a number, True for uniqueItems, a string for pattern
    pointer: str  # where the keyword is written
    exclusive: bool = False  # for maximum and minimum: the exclusive flag is on

    @property
    def shown(self) -> str:
        if self.keyword == "pattern":
            return render(self.value)
        if self.keyword == "uniqueItems":
            return "true"
        return f"{self.value} (exclusive)" if self.exclusive else str(self.value)

    def tightness(self) -> tuple[float, bool]:
        """For a limit: larger means fewer values are accepted."""
        return (_LIMITS[self.keyword] * self.value, self.exclusive)


def _number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    # an int is always finite, and math.isfinite would convert one of hundreds of digits
    # to a float, which overflows
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


def read_constraints(node: dict[str, Any], pointer: str) -> dict[str, Constraint]:
    """The constraints written in one schema (or non-body parameter) node."""
    found: dict[str, Constraint] = {}
    for keyword in _LIMITS:
        value = node.get(keyword)
        if _number(value):
            exclusive = keyword in _EXCLUSIVE and node.get(_EXCLUSIVE[keyword]) is True
            found[keyword] = Constraint(keyword, value, child(pointer, keyword), exclusive)
    if node.get("uniqueItems") is True:
        found["uniqueItems"] = Constraint("uniqueItems", True, child(pointer, "uniqueItems"))
    multiple: Any = node.get("multipleOf")
    if _number(multiple) and multiple > 0:
        found["multipleOf"] = Constraint("multipleOf", multiple, child(pointer, "multipleOf"))
    if isinstance(node.get("pattern"), str):
        found["pattern"] = Constraint("pattern", node["pattern"], child(pointer, "pattern"))
    return found


def merge_constraints(into: dict[str, Constraint], more: dict[str, Constraint]) -> None:
    """Adds the constraints of an `allOf` member: every member applies, so of two limits the
    tighter one counts; of two patterns or multiples, the first one found."""
    for keyword, constraint in more.items():
        present = into.get(keyword)
        if present is None or (keyword in _LIMITS and constraint.tightness() > present.tightness()):
            into[keyword] = constraint


def verdict(old: Constraint | None, new: Constraint | None) -> Verdict | None:
    """How the constraint of one keyword changed; None when it accepts the same values."""
    if old is None:
        return None if new is None else Verdict.ADDED
    if new is None:
        return Verdict.REMOVED
    keyword = old.keyword
    if keyword in _LIMITS:
        old_key, new_key = old.tightness(), new.tightness()
        if new_key == old_key:
            return None
        return Verdict.TIGHTENED if new_key > old_key else Verdict.LOOSENED
    if keyword == "multipleOf":
        old_step, new_step = Fraction(str(old.value)), Fraction(str(new.value))
        if old_step == new_step:
            return None
        # every multiple of the old step is one of the new step when the new step divides it
        return Verdict.LOOSENED if (old_step / new_step).denominator == 1 else Verdict.TIGHTENED
    if keyword == "pattern" and old.value != new.value:
        # loosened only where the new pattern is proved to accept every value the old one
        # did; any other pattern may refuse some of them
        return Verdict.LOOSENED if accepts_all(old.value, new.value) else Verdict.TIGHTENED
    return None


def constraint_changes(
    old: dict[str, Constraint], new: dict[str, Constraint]
) -> Iterator[tuple[str, Verdict, Constraint | None, Constraint | None]]:
    """(keyword, verdict, old, new) for each keyword whose constraint changed."""
    for keyword in KEYWORDS:
        found = verdict(old.get(keyword), new.get(keyword))
        if found is not None:
            yield keyword, found, old.get(keyword), new.get(keyword)
