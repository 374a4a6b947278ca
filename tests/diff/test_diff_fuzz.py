"""Arbitrary swagger-shaped documents never crash the comparison."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from retarus_connector.diff.compare import compare
from retarus_connector.diff.model import Severity, Side

# keys a comparison looks at, so that random documents reach deep into it
_KEYS = st.sampled_from(
    [
        "paths",
        "/a",
        "/a/{id}",
        "get",
        "post",
        "operationId",
        "parameters",
        "name",
        "in",
        "required",
        "default",
        "type",
        "format",
        "enum",
        "items",
        "schema",
        "properties",
        "allOf",
        "additionalProperties",
        "responses",
        "200",
        "201",
        "default",
        "$ref",
        "definitions",
        "A",
        "description",
        "deprecated",
        "headers",
        "host",
        "basePath",
        "schemes",
        "securityDefinitions",
        "security",
        "scopes",
        "flow",
        "tokenUrl",
        "authorizationUrl",
    ]
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(
        ["string", "integer", "body", "query", "#/definitions/A", "#/", "#/paths", "oauth2", "A"]
    ),
    st.text(max_size=5),
)
_JSON: st.SearchStrategy[Any] = st.recursive(
    _SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(_KEYS, children, max_size=6)
    ),
    max_leaves=60,
)


@settings(max_examples=200, deadline=None)
@given(old=_JSON, new=_JSON)
def test_arbitrary_documents_never_crash(old: Any, new: Any) -> None:
    for change in compare(old, new):
        assert change.message
        assert change.severity in set(Severity)
        assert change.side in set(Side)
        assert change.pointer.startswith("/")


@settings(max_examples=100, deadline=None)
@given(document=_JSON)
def test_a_document_against_itself_has_no_changes(document: Any) -> None:
    assert list(compare(document, document)) == []
