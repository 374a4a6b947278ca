"""Whether a new pattern is proved to accept every value an old one did (diff/patterns.py)."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retarus_connector.diff.patterns import accepts_all

PROVED = [
    ("same pattern", r"^[0-9]+$", r"^[0-9]+$"),
    ("longer count", r"^[0-9]{1,10}$", r"^[0-9]{1,20}$"),
    ("wider class", r"^[a-z]+$", r"^[a-z0-9_]+$"),
    ("optional part added", r"^\d{5}$", r"^\d{5}(-\d{4})?$"),
    ("prefix made optional", r"^\+[0-9]+$", r"^\+?[0-9]+$"),
    ("range to its category", r"^[0-9]+$", r"^\d+$"),
    ("anchors dropped", r"^abc$", r"abc"),
    ("literals into a repeated class", r"^ab$", r"^[a-z]+$"),
    ("alternative added", r"^(ab|cd)$", r"^(ab|cd|ef)$"),
    ("alternatives into a class", r"^(a|b)$", r"^[ab]$"),
    ("digits into any character", r"^\d+$", r"^.+$"),
    ("smaller negated set", r"^[^a-z]$", r"^[^a-m]$"),
    ("listed set outside a negated one", r"^[0-9]$", r"^[^a-z]$"),
    ("a prefix of the old match", r"^ab", r"^a"),
    ("a part of the old match", r"ab", r"b"),
    ("run of counted items into one count", r"^[0-9]{3}-[0-9]{4}$", r"^[0-9-]{8}$"),
    ("one more at least", r"^a+$", r"^a*$"),
    ("alternative widened", r"^\+?[0-9]{1,20}$|^[ -~]{1,11}$", r"^\+?[0-9]{1,20}$|^[ -~]{1,12}$"),
]

NOT_PROVED = [
    ("shorter count", r"^[0-9]{1,20}$", r"^[0-9]{1,10}$"),
    ("narrower class", r"^[a-z0-9_]+$", r"^[a-z]+$"),
    ("optional part removed", r"^\d{5}(-\d{4})?$", r"^\d{5}$"),
    ("prefix made required", r"^\+?[0-9]+$", r"^\+[0-9]+$"),
    # \d is Unicode-wide in Python: not within [0-9] in both dialects
    ("category to a range", r"^\d+$", r"^[0-9]+$"),
    ("anchors added", r"abc", r"^abc$"),
    ("count too high for the run", r"^ab$", r"^[a-z]{3,}$"),
    ("alternative removed", r"^(ab|cd|ef)$", r"^(ab|cd)$"),
    ("empty now refused", r"^a*$", r"^a+$"),
    # ECMA-262's `.` refuses a carriage return
    ("carriage return into any character", r"^\r$", r"^.$"),
    ("any character into digits", r"^.+$", r"^\d+$"),
    ("larger negated set", r"^[^a-m]$", r"^[^a-z]$"),
    ("longer required text", r"^a", r"^ab"),
    ("anchor moved", r"^ab", r"^b"),
    # read as a count by Python, as literal text by ECMA-262
    ("syntax the dialects read apart", r"^a{,5}$", r"^a{,6}$"),
    ("inline flags", r"(?i)^a$", r"(?i)^[ab]$"),
    ("back-reference", r"^(\d)\1$", r"^\d\d$"),
    ("lookahead changed", r"^x(?=y)$", r"^x(?=[yz])$"),
    ("old pattern unreadable", r"[", r"[a]"),
    ("alternative dropped", r"^\+?[0-9]{1,20}$|^[ -~]{1,11}$", r"^\+?[0-9]{1,20}$"),
    ("pattern too long to compare", "^" + "a" * 600 + "$", "^" + "a" * 600 + "b?$"),
    # true, but the proof search grows exponentially with the alternatives: given up
    ("proof too long", "^" + "(ab|cd)" * 40 + "$", "^" + "(ab|cd|ef)" * 40 + "x?$"),
]


@pytest.mark.parametrize(("old", "new"), [case[1:] for case in PROVED], ids=[c[0] for c in PROVED])
def test_proved(old: str, new: str) -> None:
    assert accepts_all(old, new)


@pytest.mark.parametrize(
    ("old", "new"), [case[1:] for case in NOT_PROVED], ids=[c[0] for c in NOT_PROVED]
)
def test_not_proved(old: str, new: str) -> None:
    assert not accepts_all(old, new)


_ATOMS = ["a", "b", "x", "[ab]", "[a-c]", "[^a]", ".", "\\w", "(a|b)", "(ab|x)", "(a|)"]
_COUNTS = ["", "*", "+", "?", "{1,2}", "{2}", "{0,3}", "{2,}"]
_TEXTS = [""] + ["".join(p) for n in range(1, 5) for p in itertools.product("abcx", repeat=n)]


@st.composite
def _patterns(draw: st.DrawFn) -> str:
    parts = draw(
        st.lists(
            st.tuples(st.sampled_from(_ATOMS), st.sampled_from(_COUNTS)), min_size=1, max_size=4
        )
    )
    body = "".join(atom + count for atom, count in parts)
    return ("^" if draw(st.booleans()) else "") + body + ("$" if draw(st.booleans()) else "")


@st.composite
def _pattern_pairs(draw: st.DrawFn) -> tuple[str, str]:
    old = draw(_patterns())
    # half of the pairs are an old pattern with its counts or classes widened
    if draw(st.booleans()):
        return old, old.replace("{1,2}", "{1,3}").replace("[ab]", "[abc]").replace("+", "*")
    return old, draw(_patterns())


@settings(max_examples=400, deadline=None)
@given(_pattern_pairs())
def test_a_proof_is_never_wrong(pair: tuple[str, str]) -> None:
    """Whenever containment is claimed, no short text matches the old pattern and not the new
    one (searched as JSON Schema does, unanchored)."""
    old, new = pair
    if not accepts_all(old, new):
        return
    old_pattern, new_pattern = re.compile(old), re.compile(new)
    refused = [text for text in _TEXTS if old_pattern.search(text) and not new_pattern.search(text)]
    assert refused == []
