"""Arbitrary swagger- and apiProperties-shaped documents never crash the comparison."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from retarus_connector.diff.compare import compare
from retarus_connector.diff.model import Severity, Side
from retarus_connector.diff.properties import compare_properties

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


# keys the apiProperties comparison looks at
_PROPERTY_KEYS = st.sampled_from(
    [
        "properties",
        "connectionParameters",
        "connectionParameterSets",
        "values",
        "name",
        "parameters",
        "token",
        "token:TenantId",
        "api_key",
        "type",
        "uiDefinition",
        "constraints",
        "required",
        "defaultValue",
        "displayName",
        "oAuthSettings",
        "oauthSettings",
        "identityProvider",
        "clientId",
        "scopes",
        "redirectMode",
        "customParameters",
        "tokenUrl",
        "value",
        "policyTemplateInstances",
        "templateId",
        "title",
        "x-ms-apimTemplate-operationName",
        "capabilities",
        "allowedValues",
        "text",
        "scriptOperations",
        "publisher",
        "stackOwner",
        "iconBrandColor",
    ]
)
_PROPERTY_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(
        [
            "oauthSetting",
            "securestring",
            "false",
            "true",
            "oauth2",
            "aad",
            "@connectionParameters('token')",
        ]
    ),
    st.text(max_size=5),
)
_PROPERTIES: st.SearchStrategy[Any] = st.recursive(
    _PROPERTY_SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(_PROPERTY_KEYS, children, max_size=6)
    ),
    max_leaves=60,
)


@settings(max_examples=200, deadline=None)
@given(old=_PROPERTIES, new=_PROPERTIES, swagger=_JSON)
def test_arbitrary_properties_never_crash(old: Any, new: Any, swagger: Any) -> None:
    for change in compare_properties(old, new, swagger, swagger):
        assert change.message
        assert change.operation_id is None
        assert change.pointer.startswith("/")


@settings(max_examples=100, deadline=None)
@given(document=_PROPERTIES, swagger=_JSON)
def test_properties_against_themselves_have_no_changes(document: Any, swagger: Any) -> None:
    assert list(compare_properties(document, document, swagger, swagger)) == []
