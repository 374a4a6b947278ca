"""The one `$ref` follower: what resolves, and how each kind of broken reference ends."""

from __future__ import annotations

from typing import Any

import pytest

from retarus_connector.core.refs import (
    MAX_REF_HOPS,
    RefStatus,
    classify,
    follow,
    ref_pointer,
    resolve,
)


def _chain(length: int) -> dict[str, Any]:
    """Definitions D0 -> D1 -> ... -> D{length-1} -> End, each a reference to the next."""
    definitions: dict[str, Any] = {
        f"D{number}": {"$ref": f"#/definitions/D{number + 1}"} for number in range(length - 1)
    }
    definitions[f"D{length - 1}"] = {"$ref": "#/definitions/End"}
    definitions["End"] = {"type": "string"}
    return {"definitions": definitions}


SWAGGER: dict[str, Any] = {
    "definitions": {
        "A B": {"type": "string", "title": "spaced"},
        "a/b": {"type": "string", "title": "slashed"},
        "m~n": {"type": "string", "title": "tilde"},
        "100%": {"type": "string", "title": "percent"},
        "Self": {"$ref": "#/definitions/Self"},
        "Ping": {"$ref": "#/definitions/Pong"},
        "Pong": {"$ref": "#/definitions/Ping"},
        "Dangling": {"$ref": "#/definitions/Nowhere"},
        "Null": None,
        "Listed": {"allOf": [{"type": "object", "title": "first"}]},
    },
    "parameters": {"P": {"name": "p", "in": "query", "type": "string"}},
}


@pytest.mark.parametrize(
    ("ref", "title"),
    [
        ("#/definitions/A%20B", "spaced"),
        ("#/definitions/A B", "spaced"),
        ("#/definitions/a~1b", "slashed"),
        ("#/definitions/m~0n", "tilde"),
        ("#/definitions/100%", "percent"),  # a lone "%" stays as it is
        ("#/definitions/Listed/allOf/0", "first"),
    ],
)
def test_these_references_resolve(ref: str, title: str) -> None:
    found = resolve(SWAGGER, ref)
    assert found.status is RefStatus.RESOLVED
    assert found.node["title"] == title


def test_a_resolution_says_where_it_ended() -> None:
    found = follow(SWAGGER, {"$ref": "#/definitions/a~1b"}, "/paths/x")
    assert (found.pointer, found.refs) == ("/definitions/a~1b", ("#/definitions/a~1b",))
    plain = follow(SWAGGER, {"type": "string"}, "/here")
    assert (plain.status, plain.pointer, plain.refs) == (RefStatus.RESOLVED, "/here", ())


@pytest.mark.parametrize(
    ("ref", "status"),
    [
        ("#/definitions/Nowhere", RefStatus.MISSING),
        ("#/definitions/Dangling", RefStatus.MISSING),
        ("#/definitions/Listed/allOf/1", RefStatus.MISSING),
        ("#/definitions/Self", RefStatus.CYCLE),
        ("#/definitions/Ping", RefStatus.CYCLE),
        ("other.json#/definitions/A", RefStatus.EXTERNAL),
        ("https://example.com/schema.json", RefStatus.EXTERNAL),
        ("#definitions/A", RefStatus.MALFORMED),
        (12, RefStatus.NOT_TEXT),
    ],
)
def test_broken_references_end_with_their_reason(ref: Any, status: RefStatus) -> None:
    found = resolve(SWAGGER, ref)
    assert found.status is status
    assert not found.resolved
    assert found.node.get("$ref") is not None  # stopped at a reference object
    if status in (RefStatus.NOT_TEXT, RefStatus.EXTERNAL, RefStatus.MALFORMED):
        assert classify(ref) is status
        assert found.refs == (ref,)


def test_a_null_target_exists() -> None:
    found = resolve(SWAGGER, "#/definitions/Null")
    assert (found.status, found.node) == (RefStatus.RESOLVED, None)


def test_a_cycle_names_every_reference_on_the_way() -> None:
    found = resolve(SWAGGER, "#/definitions/Ping")
    assert found.refs == ("#/definitions/Ping", "#/definitions/Pong", "#/definitions/Ping")


def test_two_spellings_of_one_target_are_one_cycle() -> None:
    swagger = {"definitions": {"A B": {"$ref": "#/definitions/A B"}}}
    assert resolve(swagger, "#/definitions/A%20B").status is RefStatus.CYCLE


def test_a_chain_of_twenty_resolves_and_the_limit_is_the_documented_one() -> None:
    assert resolve(_chain(20), "#/definitions/D0").status is RefStatus.RESOLVED
    # MAX_REF_HOPS references in a row resolve, one more does not
    assert resolve(_chain(MAX_REF_HOPS - 1), "#/definitions/D0").status is RefStatus.RESOLVED
    assert resolve(_chain(MAX_REF_HOPS), "#/definitions/D0").status is RefStatus.TOO_LONG


def test_ref_pointer_decodes_the_fragment_before_splitting() -> None:
    assert ref_pointer("#/definitions/A%2FB") == "/definitions/A/B"  # %2F is a separator
    assert ref_pointer("#") == ""
    assert ref_pointer("file.json") is None
    assert ref_pointer("#A") is None
