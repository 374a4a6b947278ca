"""Whether a new `pattern` accepts every value an old one accepted, proved on the patterns'
structure, so that a loosened pattern is not reported as a breaking change.

Whether one regular expression accepts all that another does is decidable only for true
regular expressions, and swagger patterns are ECMA-262 ones read here by Python's parser. So
this module proves containment only for the common, plain shapes (literals, character
classes, `.`, anchors, groups, alternatives and counted repeats, as in `^[0-9]{1,10}$` made
`^[0-9]{1,20}$`, `^[a-z]+$` made `^[a-z0-9_]+$` or `^\\d{5}$` made `^\\d{5}(-\\d{4})?$`),
and answers False for anything else: then the diff keeps calling the change tightened, which
is the cautious reading. Every rule below holds in both dialects:

- Syntax that Python and ECMA-262 read differently (`{,n}`, `\\A`, `\\Z`, `(?P<`, atomic
  groups, possessive repeats, inline flags, comments) is not compared.
- `.` accepts any character but a line feed in Python, and also refuses a carriage return and
  the two Unicode line separators in ECMA-262: a containment must hold in both readings.
- `\\d`, `\\w` and `\\s` are Unicode-wide in Python and ASCII in ECMA-262: a class contains
  another's category only when it names the same one, and contains a range only within the
  ASCII characters both dialects put in the category.
- A pattern is not anchored (JSON Schema searches it in the value): dropping an anchor from
  the old pattern only widens it, so old anchors may go unmatched, new ones must be matched.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

# Python's own regular expression parser: private, untyped, and stable since Python 3.11
# (it was `sre_parse`); anything it does not give as expected makes the answer False
_parser: Any = importlib.import_module("re._parser")

# longer patterns are not compared, and a proof that takes more steps is given up: the
# search can grow exponentially with the alternatives of the patterns
_MAX_LENGTH = 500
_MAX_STEPS = 5_000
# text that Python and ECMA-262 read differently, or that this module does not compare
_DIALECT_DIFFERENCES = ("{,", "\\A", "\\Z", "\\z", "(?P", "(?>", "(?#", "*+", "++", "?+", "}+")

_Range = tuple[int, int]

# the ASCII characters that \d, \w and \s accept in both dialects
_CATEGORY_RANGES: Mapping[str, tuple[_Range, ...]] = MappingProxyType(
    {
        "CATEGORY_DIGIT": ((48, 57),),
        "CATEGORY_WORD": ((48, 57), (65, 90), (95, 95), (97, 122)),
        "CATEGORY_SPACE": ((9, 13), (32, 32)),
    }
)
# the characters `.` refuses: in Python only the line feed, in ECMA-262 also these
_DOT_REFUSES_PYTHON: tuple[_Range, ...] = ((10, 10),)
_DOT_REFUSES_ECMA: tuple[_Range, ...] = ((10, 10), (13, 13), (0x2028, 0x2029))
_LINE_TERMINATORS = _DOT_REFUSES_ECMA
# categories that accept no line terminator in either dialect
_NO_LINE_TERMINATOR = frozenset({"CATEGORY_DIGIT", "CATEGORY_WORD"})


class _CharSet:
    """A set of characters: `ranges` and `categories` (names), or all characters but those
    when `negated`."""

    __slots__ = ("categories", "negated", "ranges")

    def __init__(
        self, negated: bool, ranges: tuple[_Range, ...], categories: frozenset[str]
    ) -> None:
        self.negated = negated
        self.ranges = ranges
        self.categories = categories


def accepts_all(old: str, new: str) -> bool:
    """True when every value that matches `old` is proved to match `new` too."""
    if old == new:
        return True
    if not (_comparable(old) and _comparable(new)):
        return False
    try:
        old_tree = _parser.parse(old)
        new_tree = _parser.parse(new)
        # only the default flag (str patterns are Unicode): no inline or other flags
        default = _parser.SRE_FLAG_UNICODE
        if old_tree.state.flags != default or new_tree.state.flags != default:
            return False
        return _Prover().sequence_within(
            _flatten(list(old_tree)), _flatten(list(new_tree)), open_start=True, open_end=True
        )
    except Exception:  # a pattern Python cannot read, or a parser that changed: unproved
        return False


def _comparable(pattern: str) -> bool:
    return len(pattern) <= _MAX_LENGTH and not any(text in pattern for text in _DIALECT_DIFFERENCES)


def _name(code: Any) -> str:
    return str(code)


def _flatten(items: list[Any]) -> tuple[Any, ...]:
    """The items of a sequence with plain groups opened up (a group only matters to
    back-references, which are not compared); a group with flags stays, and is unprovable."""
    flat: list[Any] = []
    for item in items:
        code, value = item
        if _name(code) == "SUBPATTERN":
            _, add_flags, del_flags, inner = value
            if not add_flags and not del_flags:
                flat.extend(_flatten(list(inner)))
                continue
        flat.append(item)
    return tuple(flat)


class _GivenUp(Exception):
    """The proof took more than `_MAX_STEPS` steps."""


class _Prover:
    """Proves that one sequence of items accepts nothing the other does not."""

    def __init__(self) -> None:
        self.steps = 0

    def sequence_within(
        self,
        old: tuple[Any, ...],
        new: tuple[Any, ...],
        *,
        open_start: bool = False,
        open_end: bool = False,
    ) -> bool:
        """Every text `old` matches, `new` matches. A whole pattern is searched for in the
        value, so `new` may match a part of what `old` matched: with `open_start` old items
        before the ones `new` takes up may be dropped, with `open_end` old items after them."""

        @functools.cache
        def within(i: int, j: int) -> bool:
            self.steps += 1
            if self.steps > _MAX_STEPS:
                raise _GivenUp
            if j == len(new) and open_end:
                return True
            if i == len(old):
                return all(self.skippable(item) for item in new[j:])
            item = old[i]
            target = new[j] if j < len(new) else None
            if target is not None and self.skippable(target) and within(i, j + 1):
                return True
            name = _name(item[0])
            if name == "AT":
                # an old anchor may be dropped (that only widens the old pattern) or matched
                if within(i + 1, j):
                    return True
                return target == item and within(i + 1, j + 1)
            if name == "BRANCH":
                # each alternative of the old item, followed by the rest
                rest = old[i + 1 :]
                return all(
                    self.sequence_within(_flatten(list(branch)) + rest, new[j:], open_end=open_end)
                    for branch in item[1][1]
                )
            if target is None:
                return False
            if _name(target[0]) == "BRANCH":
                # one alternative of the new item takes up the next old items
                rest = new[j + 1 :]
                return any(
                    self.sequence_within(old[i:], _flatten(list(branch)) + rest, open_end=open_end)
                    for branch in target[1][1]
                )
            if self.item_within(item, target) and within(i + 1, j + 1):
                return True
            # a repeat of one character class can take a run of old items
            return any(within(end, j + 1) for end in self.run_ends(old, i, target))

        starts = range(len(old) + 1) if open_start else range(1)
        return any(within(start, 0) for start in starts)

    def run_ends(self, old: tuple[Any, ...], start: int, target: Any) -> list[int]:
        """The ends of the runs of old items from `start` that the repeat `target` accepts
        as a whole: each item one character of its class, or a repeat of such a class, with a
        total count within the repeat's bounds."""
        code, value = target
        if _name(code) not in ("MAX_REPEAT", "MIN_REPEAT"):
            return []
        low, high, body = value
        if len(body) != 1 or _char_set(body[0]) is None:
            return []
        accepted = _char_set(body[0])
        assert accepted is not None
        ends: list[int] = []
        total_low = total_high = 0
        for index in range(start, len(old)):
            counts = self.single_char_counts(old[index], accepted)
            if counts is None:
                break
            total_low += counts[0]
            total_high += counts[1]
            if total_low >= low and _at_most(total_high, high):
                ends.append(index + 1)
        return ends

    def single_char_counts(self, item: Any, accepted: _CharSet) -> tuple[int, int] | None:
        """How many characters `item` matches, when each is in `accepted`."""
        chars = _char_set(item)
        if chars is not None:
            return (1, 1) if _set_within(chars, accepted) else None
        code, value = item
        if _name(code) in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, body = value
            if len(body) == 1:
                inner = _char_set(body[0])
                if inner is not None and _set_within(inner, accepted):
                    return low, high
        return None

    def skippable(self, item: Any) -> bool:
        """The item can match the empty text without asserting anything."""
        code, value = item
        name = _name(code)
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            return bool(value[0] == 0)
        if name == "BRANCH":
            return any(
                all(self.skippable(part) for part in _flatten(list(branch))) for branch in value[1]
            )
        return False

    def item_within(self, old: Any, new: Any) -> bool:
        if old == new:
            return True
        old_name, new_name = _name(old[0]), _name(new[0])
        if old_name == "BRANCH":
            return all(self.sequence_within(_flatten(list(branch)), (new,)) for branch in old[1][1])
        if new_name == "BRANCH":
            return any(self.sequence_within((old,), _flatten(list(branch))) for branch in new[1][1])
        old_chars, new_chars = _char_set(old), _char_set(new)
        if old_chars is not None and new_chars is not None:
            return _set_within(old_chars, new_chars)
        repeats = ("MAX_REPEAT", "MIN_REPEAT")
        if new_name in repeats:
            low, high, body = new[1]
            if old_name in repeats:
                # greedy or lazy: the values a repeat accepts are the same
                old_low, old_high, old_body = old[1]
                return (
                    low <= old_low
                    and _at_most(old_high, high)
                    and self.sequence_within(_flatten(list(old_body)), _flatten(list(body)))
                )
            # one occurrence of the old item
            return (
                low <= 1
                and _at_most(1, high)
                and self.sequence_within((old,), _flatten(list(body)))
            )
        return False


def _at_most(count: int, limit: int) -> bool:
    maximum = _parser.MAXREPEAT
    if limit == maximum:
        return True
    return count != maximum and count <= limit


def _char_set(item: Any) -> _CharSet | None:
    """The characters a one-character item accepts, or None for other items. `.` is marked
    by the category ANY, which `_set_within` reads in each dialect."""
    code, value = item
    name = _name(code)
    if name == "LITERAL":
        return _CharSet(False, ((value, value),), frozenset())
    if name == "NOT_LITERAL":
        return _CharSet(True, ((value, value),), frozenset())
    if name == "ANY":
        return _CharSet(False, (), frozenset({"ANY"}))
    if name != "IN":
        return None
    negated = False
    ranges: list[_Range] = []
    categories: set[str] = set()
    for member_code, member in value:
        member_name = _name(member_code)
        if member_name == "NEGATE":
            negated = True
        elif member_name == "LITERAL":
            ranges.append((member, member))
        elif member_name == "RANGE":
            ranges.append((member[0], member[1]))
        elif member_name == "CATEGORY":
            categories.add(_name(member))
        else:  # a compiled charset or anything else: not compared
            return None
    return _CharSet(negated, tuple(ranges), frozenset(categories))


def _set_within(old: _CharSet, new: _CharSet) -> bool:
    """Every character `old` accepts is accepted by `new`, read in either dialect."""
    return all(_within_reading(old, new, dot) for dot in (_DOT_REFUSES_PYTHON, _DOT_REFUSES_ECMA))


def _within_reading(old: _CharSet, new: _CharSet, dot_refuses: tuple[_Range, ...]) -> bool:
    """`_set_within` for one reading of `.`: all characters but `dot_refuses`."""
    if "ANY" in old.categories:
        old = _CharSet(True, dot_refuses, frozenset())
    if "ANY" in new.categories:
        new = _CharSet(True, dot_refuses, frozenset())
    if not old.negated and not new.negated:
        return _contained(old, new)
    if old.negated and new.negated:
        # all but A within all but B: B within A
        return _contained(new, old)
    if not old.negated and new.negated:
        # disjoint: the categories that hold no line terminator, against a set that refuses
        # only line terminators (as `.` does), or else plain ranges
        if old.categories:
            return (
                old.categories <= _NO_LINE_TERMINATOR
                and all(_range_covered(part, list(_LINE_TERMINATORS)) for part in new.ranges)
                and not new.categories
                and _disjoint(old.ranges, new.ranges)
            )
        return not new.categories and _disjoint(old.ranges, new.ranges)
    return False  # all but a few characters within a listed set: never proved


def _disjoint(first: tuple[_Range, ...], second: tuple[_Range, ...]) -> bool:
    return not any(
        low <= other_high and other_low <= high
        for low, high in first
        for other_low, other_high in second
    )


def _contained(inner: _CharSet, outer: _CharSet) -> bool:
    """`inner`'s listed characters are all among `outer`'s, in both dialects."""
    if not inner.categories <= outer.categories:
        return False
    covering = list(outer.ranges)
    for category in outer.categories:
        covering.extend(_CATEGORY_RANGES.get(category, ()))
    return all(_range_covered(part, covering) for part in inner.ranges)


def _range_covered(part: _Range, covering: list[_Range]) -> bool:
    low, high = part
    for start, end in sorted(covering):
        if start > low:
            return False
        if end >= low:
            low = end + 1
            if low > high:
                return True
    return low > high
