"""JSON pointers: escaping, splitting and looking up, as RFC 6901 defines them."""

from __future__ import annotations

import pytest

from retarus_connector.core.pointer import (
    MISSING,
    escape,
    join,
    lookup,
    split,
    strings,
    unescape,
    walk,
)

DOCUMENT = {
    "a/b": {"m~n": [10, {"deep": None}]},
    "": "empty key",
    "list": ["x", "y"],
}


@pytest.mark.parametrize(
    ("token", "written"),
    [("plain", "plain"), ("a/b", "a~1b"), ("m~n", "m~0n"), ("~1", "~01"), (3, "3")],
)
def test_a_token_is_escaped_and_unescaped_back(token: str | int, written: str) -> None:
    assert escape(token) == written
    assert unescape(written) == str(token)


def test_join_escapes_each_token() -> None:
    assert join("/paths", "/jobs/{id}", "get", 0) == "/paths/~1jobs~1{id}/get/0"


@pytest.mark.parametrize(
    ("pointer", "tokens"),
    [("", []), ("/", [""]), ("/a~1b/m~0n/0", ["a/b", "m~n", "0"]), ("no-slash", None)],
)
def test_split(pointer: str, tokens: list[str] | None) -> None:
    assert split(pointer) == tokens


@pytest.mark.parametrize(
    ("pointer", "value"),
    [
        ("", DOCUMENT),
        ("/a~1b/m~0n/0", 10),
        ("/a~1b/m~0n/1/deep", None),  # null is a value, not a miss
        ("/", "empty key"),
        ("/list/1", "y"),
        ("/list/2", MISSING),
        ("/list/-", MISSING),
        ("/list/01x", MISSING),
        ("/list/\u00b2", MISSING),  # a Unicode digit is no array position
        ("/a~1b/m~0n/0/further", MISSING),
        ("/nothing", MISSING),
        ("relative", MISSING),
    ],
)
def test_lookup(pointer: str, value: object) -> None:
    found = lookup(DOCUMENT, pointer)
    assert found is value if value is MISSING or value is None else found == value


def test_walk_and_strings_give_every_pointer_in_document_order() -> None:
    document = {"a": ["x", {"b/c": "y"}], "d": 1}
    assert [pointer for _, pointer in walk(document)] == [
        "",
        "/a",
        "/a/0",
        "/a/1",
        "/a/1/b~1c",
        "/d",
    ]
    assert list(strings(document)) == [("x", "/a/0"), ("y", "/a/1/b~1c")]


def test_walk_survives_nesting_deeper_than_the_python_stack() -> None:
    document: object = "leaf"
    for _ in range(5000):
        document = [document]
    assert list(strings(document)) == [("leaf", "/0" * 5000)]
