"""The read model of apiProperties.json: what each view holds, where it points, and that any
JSON value is read without raising."""

from __future__ import annotations

from typing import Any

import pytest

from retarus_connector.core.pointer import lookup
from retarus_connector.core.properties import (
    CONNECTION_PARAMETER_REFERENCE,
    ApiProperties,
    read,
)


def _read(properties: Any) -> ApiProperties:
    return read({"properties": properties})


def _names_and_pointers(api: ApiProperties) -> list[tuple[str, str]]:
    return [(p.name, p.pointer) for p in api.all_connection_parameters()]


@pytest.mark.parametrize(
    "document",
    [
        None,
        "text",
        42,
        [],
        [{"properties": {}}],
        {},
        {"properties": None},
        {"properties": []},
        {"properties": "x"},
        {
            "properties": {
                "connectionParameters": [],
                "connectionParameterSets": [],
                "policyTemplateInstances": {},
                "capabilities": "actions",
                "scriptOperations": {"a": 1},
            }
        },
        {"properties": {"connectionParameterSets": {"values": {"0": {}}}}},
    ],
)
def test_a_document_of_the_wrong_shape_reads_as_empty(document: Any) -> None:
    api = read(document)
    assert list(api.all_connection_parameters()) == []
    assert api.parameter_sets == ()
    assert api.policies == ()
    assert api.capabilities == ()
    assert api.script_operations == ()


def test_parameters_of_connection_parameters_and_of_each_set_in_file_order() -> None:
    api = _read(
        {
            "connectionParameters": {"api_key": {"type": "securestring"}},
            "connectionParameterSets": {
                "values": [
                    {"name": "basic", "parameters": {"username": {}, "password": {}}},
                    "not a set",
                    {"name": "key", "parameters": {"api_key": {"type": "string"}}},
                    {"name": "nothing", "parameters": ["username"]},
                ]
            },
        }
    )
    assert _names_and_pointers(api) == [
        ("api_key", "/properties/connectionParameters/api_key"),
        ("username", "/properties/connectionParameterSets/values/0/parameters/username"),
        ("password", "/properties/connectionParameterSets/values/0/parameters/password"),
        ("api_key", "/properties/connectionParameterSets/values/2/parameters/api_key"),
    ]
    # an entry of `values` that is no object is passed over, and keeps the others' positions
    assert [(s.position, s.name, s.pointer) for s in api.parameter_sets] == [
        (0, "basic", "/properties/connectionParameterSets/values/0"),
        (2, "key", "/properties/connectionParameterSets/values/2"),
        (3, "nothing", "/properties/connectionParameterSets/values/3"),
    ]
    assert api.parameter_sets[2].parameters == ()
    assert api.connection_parameter_names() == {"api_key", "username", "password"}


def test_pointers_escape_names_with_tilde_and_slash() -> None:
    document = {
        "properties": {
            "connectionParameters": {"a/b": {"type": "string"}, "m~n": {}},
            "policyTemplateInstances": [{"templateId": "setheader"}],
        }
    }
    api = read(document)
    pointers = [p.pointer for p in api.connection_parameters]
    assert pointers == [
        "/properties/connectionParameters/a~1b",
        "/properties/connectionParameters/m~0n",
    ]
    # every pointer leads back to the node it was read from
    for parameter in api.connection_parameters:
        assert lookup(document, parameter.pointer) is parameter.node
    assert lookup(document, api.policies[0].pointer) is api.policies[0].node


@pytest.mark.parametrize(
    ("definition", "kind", "oauth", "required", "has_default"),
    [
        ({"type": "securestring"}, "securestring", False, True, False),
        ({"type": "oauthSetting"}, "oauthSetting", True, True, False),
        ({"type": "OAUTHSETTING"}, "OAUTHSETTING", True, True, False),
        ({"type": 5}, None, False, True, False),
        ({}, None, False, True, False),
        ("securestring", None, False, True, False),
        (None, None, False, True, False),
        ({"uiDefinition": {"constraints": {"required": "false"}}}, None, False, False, False),
        ({"uiDefinition": {"constraints": {"required": " FALSE "}}}, None, False, False, False),
        ({"uiDefinition": {"constraints": {"required": False}}}, None, False, False, False),
        ({"uiDefinition": {"constraints": {"required": "true"}}}, None, False, True, False),
        ({"uiDefinition": {"constraints": "false"}}, None, False, True, False),
        ({"uiDefinition": ["constraints"]}, None, False, True, False),
        ({"defaultValue": None}, None, False, True, True),
    ],
)
def test_a_parameter_reads_its_type_and_constraints_from_any_value(
    definition: Any, kind: str | None, oauth: bool, required: bool, has_default: bool
) -> None:
    (parameter,) = _read({"connectionParameters": {"x": definition}}).connection_parameters
    assert parameter.node is definition
    assert parameter.is_object is isinstance(definition, dict)
    assert parameter.type == kind
    assert parameter.is_oauth is oauth
    assert parameter.required is required
    assert parameter.has_default is has_default


def test_oauth_settings_with_their_pointers() -> None:
    settings = {
        "identityProvider": "oauth2",
        "scopes": ["read write", 7, "read", "admin"],
        "customParameters": {
            "tokenUrl": {"value": "https://example.com/token"},
            "a/b": {"value": 3},
            "bare": "https://example.com",
        },
    }
    (parameter,) = _read(
        {"connectionParameters": {"token": {"type": "oauthSetting", "oAuthSettings": settings}}}
    ).connection_parameters
    found = parameter.oauth_settings()
    assert found is not None
    assert found.node is settings
    assert found.pointer == "/properties/connectionParameters/token/oAuthSettings"
    assert found.identity_provider == "oauth2"
    base = "/properties/connectionParameters/token/oAuthSettings"
    assert found.scopes() == {
        "read": f"{base}/scopes/0",
        "write": f"{base}/scopes/0",
        "admin": f"{base}/scopes/3",
    }
    assert [(c.name, c.value, c.pointer) for c in found.custom_parameters] == [
        ("tokenUrl", "https://example.com/token", f"{base}/customParameters/tokenUrl"),
        ("a/b", None, f"{base}/customParameters/a~1b"),
        ("bare", None, f"{base}/customParameters/bare"),
    ]


@pytest.mark.parametrize(
    ("definition", "exact", "any_case"),
    [
        ({"oAuthSettings": {"identityProvider": "aad"}}, "oAuthSettings", "oAuthSettings"),
        ({"OAuthSettings": {"identityProvider": "aad"}}, None, "OAuthSettings"),
        ({"oAuthSettings": "aad", "oauthsettings": {}}, None, "oauthsettings"),
        ({"oAuthSettings": None}, None, None),
        ({}, None, None),
        (["oAuthSettings"], None, None),
    ],
)
def test_oauth_settings_are_found_by_their_exact_key_or_in_any_case(
    definition: Any, exact: str | None, any_case: str | None
) -> None:
    (parameter,) = _read({"connectionParameters": {"token": definition}}).connection_parameters
    base = "/properties/connectionParameters/token/"
    for found, key in (
        (parameter.oauth_settings(), exact),
        (parameter.oauth_settings(any_case=True), any_case),
    ):
        assert (found.pointer if found else None) == (base + key if key else None)


def test_oauth_settings_of_the_wrong_shape_read_as_empty() -> None:
    (parameter,) = _read(
        {
            "connectionParameters": {
                "token": {
                    "oAuthSettings": {
                        "identityProvider": ["oauth2"],
                        "scopes": "read",
                        "customParameters": ["tokenUrl"],
                    }
                }
            }
        }
    ).connection_parameters
    found = parameter.oauth_settings()
    assert found is not None
    assert found.identity_provider is None
    assert found.scopes() == {}
    assert found.custom_parameters == ()


def test_policies_are_the_objects_of_the_list_with_their_positions() -> None:
    api = _read(
        {
            "policyTemplateInstances": [
                {
                    "templateId": "setheader",
                    "title": "Accept",
                    "parameters": {"x-ms-apimTemplateParameter.name": "Accept"},
                },
                "setheader",
                {"templateId": 3, "title": ["t"], "parameters": ["p"]},
            ]
        }
    )
    first, third = api.policies
    assert (first.position, first.template_id, first.title) == (0, "setheader", "Accept")
    assert first.parameters == {"x-ms-apimTemplateParameter.name": "Accept"}
    assert first.parameters_pointer == "/properties/policyTemplateInstances/0/parameters"
    # the wrong types read as absent, the node keeps them
    assert (third.position, third.template_id, third.title, dict(third.parameters)) == (
        2,
        None,
        None,
        {},
    )
    assert third.pointer == "/properties/policyTemplateInstances/2"
    assert third.node["templateId"] == 3


def test_lists_of_names_keep_every_entry_with_its_pointer() -> None:
    api = _read({"capabilities": ["actions", 5], "scriptOperations": ["GetItem", None]})
    assert [(i.value, i.pointer) for i in api.capabilities] == [
        ("actions", "/properties/capabilities/0"),
        (5, "/properties/capabilities/1"),
    ]
    assert [(i.value, i.pointer) for i in api.script_operations] == [
        ("GetItem", "/properties/scriptOperations/0"),
        (None, "/properties/scriptOperations/1"),
    ]


def test_duplicate_set_names_are_all_kept() -> None:
    api = _read(
        {
            "connectionParameterSets": {
                "values": [
                    {"name": "same", "parameters": {"a": {}}},
                    {"name": "same", "parameters": {"b": {}}},
                    {"parameters": {"c": {}}},
                ]
            }
        }
    )
    assert [s.name for s in api.parameter_sets] == ["same", "same", None]
    assert [p.name for p in api.all_connection_parameters()] == ["a", "b", "c"]


def test_a_mapping_that_is_not_a_dict_is_read_too() -> None:
    from types import MappingProxyType

    api = read(
        MappingProxyType(
            {"properties": MappingProxyType({"connectionParameters": {"a": {"type": "string"}}})}
        )
    )
    assert [p.type for p in api.connection_parameters] == ["string"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("@connectionParameters('region')", [("connectionParameters", "region")]),
        ('@ConnectionParameters( "host" ,"x")', [("ConnectionParameters", "host")]),
        (
            "@connectionParameters('a').@connectionParameters('b')",
            [
                ("connectionParameters", "a"),
                ("connectionParameters", "b"),
            ],
        ),
        ("@connectionParameters(region)", []),
        ("connectionParameters('region')", []),
    ],
)
def test_references_to_connection_parameters(text: str, found: list[tuple[str, str]]) -> None:
    assert [m.groups() for m in CONNECTION_PARAMETER_REFERENCE.finditer(text)] == found
