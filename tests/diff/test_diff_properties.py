"""Every kind of apiProperties.json, script.csx and icon.png change, breaking and non-breaking,
from one small edit of a small package (a swagger, its apiProperties, its custom code and its
icon), compared through `compare`.

Each case edits the old and/or the new copy and lists exactly the changes the comparison must
report: (kind, severity). None of them names an operation.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from diff_pointers import resolves

from retarus_connector.diff import assets, properties
from retarus_connector.diff.compare import compare
from retarus_connector.diff.model import Change, ChangeKind, Document, Severity, Side

Doc = dict[str, Any]
Edit = Callable[[Doc, Doc], object]
B, N = "breaking", "non-breaking"
SCRIPT = b"public class Script : ScriptBase\n{\n}\n"
# the comparison looks at bytes only, so any bytes stand for the image
ICON = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
CLIENT_ID = "5d1b0c1e-7a2f-4b3c-8d4e-9f0a1b2c3d4e"
OTHER_CLIENT_ID = "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f"


@pytest.fixture
def package() -> Doc:
    """An OAuth connector with a region chosen per connection from a list, with a default
    (used by a policy), a nickname nothing uses, a tenant sub-parameter, two parameter sets,
    two policies, capabilities, custom code for one operation, a publisher and a color."""
    return {
        "swagger": {
            "swagger": "2.0",
            "info": {"title": "Contoso", "version": "1.0"},
            "host": "api.contoso.example",
            "securityDefinitions": {
                "oauth": {
                    "type": "oauth2",
                    "flow": "accessCode",
                    "authorizationUrl": "https://login.contoso.example/authorize",
                    "tokenUrl": "https://login.contoso.example/token",
                    "scopes": {},
                }
            },
            "paths": {
                "/items": {
                    "get": {"operationId": "ListItems", "responses": {"200": {"description": "OK"}}}
                }
            },
        },
        "properties": {
            "properties": {
                "connectionParameters": {
                    "token": {
                        "type": "oauthSetting",
                        "oAuthSettings": {
                            "identityProvider": "oauth2",
                            "clientId": CLIENT_ID,
                            "scopes": ["items.read offline_access"],
                            "redirectMode": "Global",
                            "customParameters": {
                                "authorizationUrl": {
                                    "value": "https://login.contoso.example/authorize"
                                },
                                "tokenUrl": {"value": "https://login.contoso.example/token"},
                                "refreshUrl": {"value": "https://login.contoso.example/token"},
                            },
                        },
                    },
                    "token:TenantId": {
                        "type": "string",
                        "uiDefinition": {"constraints": {"required": "false", "hidden": "true"}},
                    },
                    "region": {
                        "type": "string",
                        "defaultValue": "eu",
                        "uiDefinition": {
                            "displayName": "Region",
                            "description": "Where your Contoso account lives.",
                            "constraints": {
                                "required": "false",
                                "allowedValues": [
                                    {"text": "Europe", "value": "eu"},
                                    {"text": "United States", "value": "us"},
                                ],
                            },
                        },
                    },
                    "nickname": {
                        "type": "string",
                        "uiDefinition": {
                            "displayName": "Nickname",
                            "constraints": {"required": "false"},
                        },
                    },
                },
                "connectionParameterSets": {
                    "uiDefinition": {"displayName": "Authentication type"},
                    "values": [
                        {
                            "name": "key",
                            "uiDefinition": {"displayName": "API key"},
                            "parameters": {
                                "api_key": {
                                    "type": "securestring",
                                    "uiDefinition": {"constraints": {"required": "true"}},
                                }
                            },
                        },
                        {
                            "name": "basic",
                            "uiDefinition": {"displayName": "User name and password"},
                            "parameters": {
                                "username": {"type": "string"},
                                "password": {"type": "securestring"},
                            },
                        },
                    ],
                },
                "policyTemplateInstances": [
                    {
                        "templateId": "dynamichosturl",
                        "title": "Regional host",
                        "parameters": {
                            "x-ms-apimTemplateParameter.urlTemplate": (
                                "https://@connectionParameters('region','eu').contoso.example"
                            ),
                            "x-ms-apimTemplate-operationName": ["ListItems"],
                        },
                    },
                    {
                        "templateId": "setheader",
                        "title": "Client header",
                        "parameters": {
                            "x-ms-apimTemplateParameter.name": "X-Client",
                            "x-ms-apimTemplateParameter.value": "power-platform",
                        },
                    },
                ],
                "capabilities": ["actions"],
                "scriptOperations": ["ListItems"],
                "publisher": "Contoso Ltd",
                "stackOwner": "Contoso Ltd",
                "iconBrandColor": "#12AB56",
            }
        },
        "script": SCRIPT,
        "icon": ICON,
    }


def props(doc: Doc) -> Doc:
    node: Doc = doc["properties"]["properties"]
    return node


def parameters(doc: Doc) -> Doc:
    node: Doc = props(doc)["connectionParameters"]
    return node


def settings(doc: Doc) -> Doc:
    node: Doc = parameters(doc)["token"]["oAuthSettings"]
    return node


def custom(doc: Doc) -> Doc:
    node: Doc = settings(doc)["customParameters"]
    return node


def parameter_set(doc: Doc, name: str) -> Doc:
    node: Doc = next(
        s for s in props(doc)["connectionParameterSets"]["values"] if s["name"] == name
    )
    return node


def policies(doc: Doc) -> list[Doc]:
    node: list[Doc] = props(doc)["policyTemplateInstances"]
    return node


def required(value: str | bool, **extra: Any) -> Doc:
    return {"type": "string", "uiDefinition": {"constraints": {"required": value}}, **extra}


def allowed(doc: Doc, name: str = "region") -> list[Any]:
    node: list[Any] = parameters(doc)[name]["uiDefinition"]["constraints"]["allowedValues"]
    return node


def basic_swagger(old: Doc, new: Doc) -> None:
    for doc in (old, new):
        doc["swagger"]["securityDefinitions"] = {"basic": {"type": "basic"}}
        parameters(doc).update(username={"type": "string"}, password={"type": "securestring"})


def remove_region_and_its_policy(_old: Doc, new: Doc) -> None:
    del parameters(new)["region"]
    policies(new).pop(0)


def respell_token_url(_old: Doc, new: Doc) -> None:
    del custom(new)["tokenUrl"]
    custom(new)["TokenUrl"] = {"value": "https://LOGIN.contoso.example:443/token"}


def introduce_sets(old: Doc, _new: Doc) -> None:
    del props(old)["connectionParameterSets"]


CASES: list[tuple[str, Edit, list[tuple[str, str]]]] = [
    # connection parameters
    (
        "unused parameter removed",
        lambda old, new: parameters(new).pop("nickname"),
        [("ConnectionParameterRemoved", N)],
    ),
    (
        "parameter a policy still uses removed",
        lambda old, new: parameters(new).pop("region"),
        [("ConnectionParameterRemoved", B)],
    ),
    (
        "parameter removed with the policy that used it",
        remove_region_and_its_policy,
        [("ConnectionParameterRemoved", B), ("PolicyTemplateRemoved", N)],
    ),
    (
        "parameter the swagger refers to removed",
        lambda old, new: (
            new["swagger"].update({"x-note": "@connectionParameters('nickname')"}),
            parameters(new).pop("nickname"),
        ),
        [("ConnectionParameterRemoved", B)],
    ),
    (
        "parameter a policy refers to in other letter case removed",
        lambda old, new: (
            policies(new)[1]["parameters"].update(
                {"x-ms-apimTemplateParameter.value": "@ConnectionParameters('nickname')"}
            ),
            parameters(new).pop("nickname"),
        ),
        [("ConnectionParameterRemoved", B), ("PolicyTemplateChanged", N)],
    ),
    (
        "secret nothing refers to removed",
        lambda old, new: parameter_set(new, "key")["parameters"].pop("api_key"),
        [("ConnectionParameterRemoved", B)],
    ),
    (
        "basic authentication password removed",
        lambda old, new: (basic_swagger(old, new), parameters(new).pop("password")),
        [("ConnectionParameterRemoved", B)],
    ),
    (
        "OAuth sign-in parameter removed",
        lambda old, new: parameters(new).pop("token"),
        [("ConnectionParameterRemoved", B)],
    ),
    (
        "sub-parameter of the sign-in removed",
        lambda old, new: parameters(new).pop("token:TenantId"),
        [("ConnectionParameterRemoved", B)],
    ),
    (
        "required parameter added",
        lambda old, new: parameters(new).update(account=required("true")),
        [("RequiredConnectionParameterAdded", B)],
    ),
    (
        "parameter added without constraints is required",
        lambda old, new: parameters(new).update(account={"type": "string"}),
        [("RequiredConnectionParameterAdded", B)],
    ),
    (
        "required parameter added with a default value",
        lambda old, new: parameters(new).update(account=required("true", defaultValue="main")),
        [("RequiredConnectionParameterAdded", N)],
    ),
    (
        "optional parameter added",
        lambda old, new: parameters(new).update(account=required("false")),
        [("OptionalConnectionParameterAdded", N)],
    ),
    (
        "optional parameter written with a boolean added",
        lambda old, new: parameters(new).update(account=required(False)),
        [("OptionalConnectionParameterAdded", N)],
    ),
    (
        "parameter becomes required",
        lambda old, new: parameters(new)["nickname"]["uiDefinition"]["constraints"].update(
            required="true"
        ),
        [("ConnectionParameterNewlyRequired", B)],
    ),
    (
        "parameter becomes required with a default value",
        lambda old, new: (
            parameters(new)["nickname"]["uiDefinition"]["constraints"].update(required="true"),
            parameters(new)["nickname"].update(defaultValue="me"),
        ),
        [("ConnectionParameterNewlyRequired", N), ("ConnectionParameterDefaultValueChanged", N)],
    ),
    (
        "string becomes securestring",
        lambda old, new: parameters(new)["region"].update(type="securestring"),
        [("ConnectionParameterTypeChanged", B)],
    ),
    (
        "OAuth becomes an API key",
        lambda old, new: parameters(new).update(token={"type": "securestring"}),
        [("ConnectionParameterTypeChanged", B)],
    ),
    (
        "parameter description changed",
        lambda old, new: parameters(new)["region"]["uiDefinition"].update(description="Where."),
        [("DescriptionChanged", N)],
    ),
    (
        "parameter tooltip added",
        lambda old, new: parameters(new)["region"]["uiDefinition"].update(tooltip="Pick one"),
        [("DescriptionChanged", N)],
    ),
    # allowed values and defaults of connection parameters
    (
        "allowed value removed",
        lambda old, new: allowed(new).pop(1),
        [("ConnectionParameterAllowedValueRemoved", B)],
    ),
    (
        "allowed value added",
        lambda old, new: allowed(new).append({"text": "Asia", "value": "apac"}),
        [("ConnectionParameterAllowedValueAdded", N)],
    ),
    (
        "allowed value replaced",
        lambda old, new: allowed(new)[1].update(value="na"),
        [
            ("ConnectionParameterAllowedValueRemoved", B),
            ("ConnectionParameterAllowedValueAdded", N),
        ],
    ),
    (
        "allowed values introduced",
        lambda old, new: parameters(new)["nickname"]["uiDefinition"]["constraints"].update(
            allowedValues=[{"text": "Me", "value": "me"}]
        ),
        [("ConnectionParameterAllowedValuesAdded", N)],
    ),
    (
        "allowed values dropped",
        lambda old, new: parameters(new)["region"]["uiDefinition"]["constraints"].pop(
            "allowedValues"
        ),
        [("ConnectionParameterAllowedValueAdded", N)],
    ),
    (
        "allowed values reordered",
        lambda old, new: allowed(new).reverse(),
        [],
    ),
    (
        "allowed values written as bare values",
        lambda old, new: (
            allowed(old).__setitem__(slice(None), ["eu", "us"]),
            allowed(new).__setitem__(slice(None), [{"value": "us"}, {"value": "eu"}]),
        ),
        [],
    ),
    (
        "text of an allowed value changed",
        lambda old, new: allowed(new)[0].update(text="European Union"),
        [("DescriptionChanged", N)],
    ),
    (
        "allowed value removed from a parameter of a set",
        lambda old, new: (
            parameter_set(old, "basic")["parameters"]["username"].update(
                uiDefinition={"constraints": {"allowedValues": ["admin", "ops"]}}
            ),
            parameter_set(new, "basic")["parameters"]["username"].update(
                uiDefinition={"constraints": {"allowedValues": ["ops"]}}
            ),
        ),
        [("ConnectionParameterAllowedValueRemoved", B)],
    ),
    (
        "allowed values of a removed parameter",
        lambda old, new: parameters(new).pop("region"),
        [("ConnectionParameterRemoved", B)],
    ),
    (
        "default value changed",
        lambda old, new: parameters(new)["region"].update(defaultValue="us"),
        [("ConnectionParameterDefaultValueChanged", N)],
    ),
    (
        "default value added",
        lambda old, new: parameters(new)["nickname"].update(defaultValue="me"),
        [("ConnectionParameterDefaultValueChanged", N)],
    ),
    (
        "default value removed",
        lambda old, new: parameters(new)["region"].pop("defaultValue"),
        [("ConnectionParameterDefaultValueChanged", N)],
    ),
    # parameter sets
    (
        "parameter set removed",
        lambda old, new: props(new)["connectionParameterSets"]["values"].pop(1),
        [("ConnectionParameterSetRemoved", B)],
    ),
    (
        "parameter set added",
        lambda old, new: props(new)["connectionParameterSets"]["values"].append(
            {"name": "anonymous", "parameters": {}}
        ),
        [("ConnectionParameterSetAdded", N)],
    ),
    (
        "parameter sets introduced",
        introduce_sets,
        [("ConnectionParameterSetAdded", N), ("ConnectionParameterSetAdded", N)],
    ),
    (
        "required parameter added to a set",
        lambda old, new: parameter_set(new, "key")["parameters"].update(account=required("true")),
        [("RequiredConnectionParameterAdded", B)],
    ),
    (
        "credential of a set retyped",
        lambda old, new: parameter_set(new, "basic")["parameters"]["username"].update(
            type="securestring"
        ),
        [("ConnectionParameterTypeChanged", B)],
    ),
    (
        "unused parameter of a set removed",
        lambda old, new: parameter_set(new, "basic")["parameters"].pop("username"),
        [("ConnectionParameterRemoved", N)],
    ),
    (
        "parameter set renamed in the dialog",
        lambda old, new: parameter_set(new, "key")["uiDefinition"].update(displayName="Key"),
        [("DescriptionChanged", N)],
    ),
    # OAuth settings
    (
        "identity provider changed",
        lambda old, new: settings(new).update(identityProvider="aad", scopes=[]),
        [("OAuthIdentityProviderChanged", B)],
    ),
    (
        "identity provider in other letter case",
        lambda old, new: settings(new).update(identityProvider="OAuth2"),
        [],
    ),
    (
        "client id changed",
        lambda old, new: settings(new).update(clientId=OTHER_CLIENT_ID),
        [("OAuthClientIdChanged", B)],
    ),
    (
        "client id replaced by null",
        lambda old, new: settings(new).update(clientId=None),
        [("OAuthClientIdChanged", N)],
    ),
    (
        "placeholder client id filled in",
        lambda old, new: (
            settings(old).update(clientId="[[YOUR CLIENT ID]]"),
            settings(new).update(clientId=OTHER_CLIENT_ID),
        ),
        [("OAuthClientIdChanged", N)],
    ),
    (
        "client secret changed",
        lambda old, new: settings(new).update(clientSecret="another placeholder"),
        [],
    ),
    (
        "scope added inside a space-separated entry",
        lambda old, new: settings(new).update(scopes=["items.read items.write offline_access"]),
        [("OAuthScopeAdded", B)],
    ),
    (
        "scope removed",
        lambda old, new: settings(new).update(scopes=["items.read"]),
        [("OAuthScopeRemoved", N)],
    ),
    (
        "scopes split differently",
        lambda old, new: settings(new).update(scopes=["offline_access", "items.read"]),
        [],
    ),
    (
        "redirect mode changed",
        lambda old, new: settings(new).update(redirectMode="GlobalPerConnector"),
        [("OAuthRedirectModeChanged", N)],
    ),
    (
        "token URL changed",
        lambda old, new: custom(new).update(tokenUrl={"value": "https://id.contoso.example/t"}),
        [("OAuthCustomParameterChanged", B)],
    ),
    (
        "refresh URL removed",
        lambda old, new: custom(new).pop("refreshUrl"),
        [("OAuthCustomParameterChanged", B)],
    ),
    (
        "authorization URL changed",
        lambda old, new: custom(new).update(authorizationUrl={"value": "https://id.example/a"}),
        [("OAuthCustomParameterChanged", N)],
    ),
    (
        "custom parameter added",
        lambda old, new: custom(new).update(prompt={"value": "consent"}),
        [("OAuthCustomParameterChanged", N)],
    ),
    (
        "custom parameter names and hosts in other letter case",
        respell_token_url,
        [],
    ),
    (
        "settings key in other letter case",
        lambda old, new: parameters(new)["token"].update(
            oauthSettings=parameters(new)["token"].pop("oAuthSettings")
        ),
        [],
    ),
    # policies and capabilities
    (
        "policy removed",
        lambda old, new: policies(new).pop(1),
        [("PolicyTemplateRemoved", N)],
    ),
    (
        "policy added",
        lambda old, new: policies(new).append(
            {"templateId": "routerequesttoendpoint", "parameters": {}}
        ),
        [("PolicyTemplateAdded", N)],
    ),
    (
        "policy parameter changed",
        lambda old, new: policies(new)[1]["parameters"].update(
            {"x-ms-apimTemplateParameter.value": "flow"}
        ),
        [("PolicyTemplateChanged", N)],
    ),
    (
        "policy retitled",
        lambda old, new: policies(new)[1].update(title="Caller header"),
        [("DescriptionChanged", N)],
    ),
    (
        "policies reordered and templateId in other letter case",
        lambda old, new: (
            policies(new).reverse(),
            policies(new)[0].update(templateId="SetHeader"),
        ),
        [],
    ),
    (
        "capability added",
        lambda old, new: props(new)["capabilities"].append("triggers"),
        [("CapabilitiesChanged", N)],
    ),
    (
        "capabilities removed",
        lambda old, new: props(new).pop("capabilities"),
        [("CapabilitiesChanged", N)],
    ),
    # custom code
    (
        "operation added to scriptOperations",
        lambda old, new: props(new)["scriptOperations"].append("GetItem"),
        [("ScriptOperationsChanged", N)],
    ),
    (
        "scriptOperations removed",
        lambda old, new: props(new).pop("scriptOperations"),
        [("ScriptOperationsChanged", N)],
    ),
    (
        "custom code added",
        lambda old, new: old.update(script=None),
        [("CustomCodeAdded", N)],
    ),
    (
        "custom code removed",
        lambda old, new: new.update(script=None),
        [("CustomCodeRemoved", N)],
    ),
    (
        "custom code changed",
        lambda old, new: new.update(script=SCRIPT.replace(b"{\n}", b"{ }")),
        [("CustomCodeChanged", N)],
    ),
    (
        "custom code with CRLF line endings and a byte order mark",
        lambda old, new: new.update(script=b"\xef\xbb\xbf" + SCRIPT.replace(b"\n", b"\r\n")),
        [],
    ),
    (
        "custom code routed to another operation, file unchanged",
        lambda old, new: props(new).update(scriptOperations=["GetItem"]),
        [("ScriptOperationsChanged", N)],
    ),
    # how the connector is presented: no connection depends on it
    (
        "brand color changed",
        lambda old, new: props(new).update(iconBrandColor="#654321"),
        [("IconBrandColorChanged", N)],
    ),
    (
        "brand color in other letter case",
        lambda old, new: props(new).update(iconBrandColor="#12ab56"),
        [],
    ),
    (
        "icon replaced",
        lambda old, new: new.update(icon=ICON[:-1] + b"\x01"),
        [("IconChanged", N)],
    ),
    ("icon added", lambda old, new: old.update(icon=None), [("IconAdded", N)]),
    ("icon removed", lambda old, new: new.update(icon=None), [("IconRemoved", N)]),
    (
        "publisher changed",
        lambda old, new: props(new).update(publisher="Fabrikam Inc"),
        [("PublisherChanged", N)],
    ),
    (
        "stackOwner removed",
        lambda old, new: props(new).pop("stackOwner"),
        [("StackOwnerChanged", N)],
    ),
]


def _changes(base: Doc, edit: Edit) -> list[Change]:
    old, new = copy.deepcopy(base), copy.deepcopy(base)
    edit(old, new)
    changes = list(
        compare(
            old["swagger"],
            new["swagger"],
            properties=(old["properties"], new["properties"]),
            scripts=(old["script"], new["script"]),
            icons=(old["icon"], new["icon"]),
        )
    )
    for change in changes:
        version = old if change.side is Side.OLD else new
        if change.document in (Document.SCRIPT, Document.ICON):
            # the whole file, in the version that has it
            assert change.pointer == "", change
            assert version[change.document.value] is not None, change
        else:
            key = "properties" if change.document is Document.PROPERTIES else "swagger"
            assert resolves(version[key], change.pointer), change
    return changes


@pytest.mark.parametrize(("edit", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_reports_exactly_the_expected_changes(
    package: Doc, edit: Edit, expected: list[tuple[str, str]]
) -> None:
    changes = _changes(package, edit)
    assert sorted((c.kind.value, c.severity.value) for c in changes) == sorted(expected)
    assert all(c.operation_id is None for c in changes)
    for change in changes:
        expected_document = Document.PROPERTIES
        if change.kind.value.startswith("CustomCode"):
            expected_document = Document.SCRIPT
        elif change.kind.value in ("IconAdded", "IconRemoved", "IconChanged"):
            expected_document = Document.ICON
        assert change.document is expected_document, change


def test_every_kind_of_change_has_a_case(package: Doc) -> None:
    reached = {c.kind for _, edit, _ in CASES for c in _changes(package, edit)}
    assert reached == properties.KINDS


def test_a_package_against_itself_has_no_changes(package: Doc) -> None:
    assert _changes(package, lambda old, new: None) == []


def test_removal_says_what_still_uses_the_parameter(package: Doc) -> None:
    (change,) = _changes(package, lambda old, new: parameters(new).pop("region"))
    assert change.side is Side.OLD
    assert change.pointer == "/properties/connectionParameters/region"
    assert "still uses it (apiProperties.json refers to it)" in change.message


def test_removal_of_a_parameter_only_the_old_version_used(package: Doc) -> None:
    changes = _changes(package, remove_region_and_its_policy)
    removed = next(c for c in changes if c.kind is ChangeKind.CONNECTION_PARAMETER_REMOVED)
    assert "the old version used it" in removed.message
    policy = next(c for c in changes if c.kind is ChangeKind.POLICY_TEMPLATE_REMOVED)
    assert "'dynamichosturl' ('Regional host')" in policy.message
    assert "of ListItems" in policy.message


def test_parameters_of_a_set_are_named_with_the_set(package: Doc) -> None:
    (change,) = _changes(
        package,
        lambda old, new: parameter_set(new, "key")["parameters"].update(account=required("true")),
    )
    assert "'account' of the parameter set 'key'" in change.message
    assert change.pointer == "/properties/connectionParameterSets/values/0/parameters/account"


def test_sets_introduced_say_old_connections_chose_none(package: Doc) -> None:
    changes = _changes(package, introduce_sets)
    assert all("without choosing one" in c.message for c in changes)


def test_a_parameter_moved_into_a_set_says_where_it_went(package: Doc) -> None:
    """A single-auth connector made multi-auth: its API key now lives in a parameter set."""

    def move(old: Doc, _new: Doc) -> None:
        del props(old)["connectionParameterSets"]
        parameters(old)["api_key"] = {"type": "securestring"}

    changes = _changes(package, move)
    (removed,) = [c for c in changes if c.kind is ChangeKind.CONNECTION_PARAMETER_REMOVED]
    assert removed.severity is Severity.BREAKING
    assert "is now only in the parameter set 'key'" in removed.message
    assert "no connection can give it a value" not in removed.message


def test_client_ids_and_custom_values_never_appear_in_messages(package: Doc) -> None:
    def many(old: Doc, new: Doc) -> None:
        settings(new).update(clientId=OTHER_CLIENT_ID)
        custom(new).update(tokenUrl={"value": "https://secret-host.example/t"})

    changes = _changes(package, many)
    assert {c.kind for c in changes} == {
        ChangeKind.OAUTH_CLIENT_ID_CHANGED,
        ChangeKind.OAUTH_CUSTOM_PARAMETER_CHANGED,
    }
    for change in changes:
        for value in (CLIENT_ID, OTHER_CLIENT_ID, "secret-host", "login.contoso"):
            assert value not in change.message


def test_swagger_oauth_details_do_not_break_when_apiproperties_sign_in(package: Doc) -> None:
    """The edit reference-security-oauth asks for: the swagger's oauth2 definition made to
    match the oAuthSettings, with which the platform signs in."""

    def align(_old: Doc, new: Doc) -> None:
        new["swagger"]["securityDefinitions"]["oauth"].update(
            tokenUrl="https://login.contoso.example/oauth/token",
            scopes={"items.read": "Read items", "offline_access": "Stay signed in"},
        )

    changes = _changes(package, align)
    assert sorted((c.kind.value, c.severity.value) for c in changes) == [
        ("OAuthScopeAdded", N),
        ("OAuthTokenUrlChanged", N),
    ]
    assert all("sign in with the oAuthSettings of apiProperties.json" in c.message for c in changes)


def test_swagger_oauth_details_break_when_apiproperties_do_not_sign_in(package: Doc) -> None:
    def align(old: Doc, new: Doc) -> None:
        for doc in (old, new):
            parameters(doc).pop("token")
        new["swagger"]["securityDefinitions"]["oauth"].update(scopes={"items.read": "Read"})

    changes = _changes(package, align)
    assert [(c.kind.value, c.severity.value) for c in changes] == [("OAuthScopeAdded", B)]


def test_removed_allowed_values_are_named_and_pointed_at(package: Doc) -> None:
    (change,) = _changes(package, lambda old, new: allowed(new).pop(0))
    assert "removed from the connection parameter 'region': \"eu\"" in change.message
    assert change.pointer == (
        "/properties/connectionParameters/region/uiDefinition/constraints/allowedValues"
    )


def test_default_values_never_appear_in_messages(package: Doc) -> None:
    def secret_default(old: Doc, new: Doc) -> None:
        parameter_set(old, "key")["parameters"]["api_key"]["defaultValue"] = "old-secret-42"
        parameter_set(new, "key")["parameters"]["api_key"]["defaultValue"] = "new-secret-43"

    (change,) = _changes(package, secret_default)
    assert change.kind is ChangeKind.CONNECTION_PARAMETER_DEFAULT_VALUE_CHANGED
    assert "secret-4" not in change.message
    assert change.pointer.endswith("/parameters/api_key/defaultValue")


def test_presentation_changes_show_both_values(package: Doc) -> None:
    (change,) = _changes(package, lambda old, new: props(new).update(publisher="Fabrikam Inc"))
    assert "'Contoso Ltd' is now 'Fabrikam Inc'" in change.message
    assert change.pointer == "/properties/publisher"


def test_removed_script_points_at_the_old_file(package: Doc) -> None:
    (change,) = _changes(package, lambda old, new: new.update(script=None))
    assert (change.side, change.pointer, change.document) == (Side.OLD, "", Document.SCRIPT)


def test_replaced_icon_gives_both_sizes_and_points_at_the_new_file(package: Doc) -> None:
    (change,) = _changes(package, lambda old, new: new.update(icon=ICON + b"\x00"))
    assert (change.side, change.pointer, change.document) == (Side.NEW, "", Document.ICON)
    assert f"({len(ICON)} bytes, now {len(ICON) + 1})" in change.message


def test_redirect_mode_message_asks_to_register_the_new_url(package: Doc) -> None:
    (change,) = _changes(
        package, lambda old, new: settings(new).update(redirectMode="GlobalPerConnector")
    )
    assert "'Global' is now 'GlobalPerConnector'" in change.message
    assert "register it with the OAuth app" in change.message


def test_properties_changes_come_between_connector_and_operation_changes(package: Doc) -> None:
    def mixed(_old: Doc, new: Doc) -> None:
        new["swagger"]["host"] = "api.fabrikam.example"
        new["swagger"]["paths"].pop("/items")
        props(new)["capabilities"] = []

    assert [c.kind for c in _changes(package, mixed)] == [
        ChangeKind.HOST_CHANGED,
        ChangeKind.CAPABILITIES_CHANGED,
        ChangeKind.OPERATION_DELETED,
    ]


def test_without_properties_nothing_of_them_is_compared(package: Doc) -> None:
    new = copy.deepcopy(package)
    parameters(new).pop("token")
    assert list(compare(package["swagger"], new["swagger"])) == []


def test_output_is_deterministic(package: Doc) -> None:
    def many(old: Doc, new: Doc) -> None:
        parameters(new).pop("region")
        settings(new).update(scopes=["items.write"])
        policies(new).clear()

    first = _changes(package, many)
    assert len(first) == 5  # the removal, a scope added, one removed, two policies
    assert first == _changes(package, many)
    assert {c.severity for c in first} == {Severity.BREAKING, Severity.NON_BREAKING}


@pytest.mark.parametrize(
    "broken",
    [
        None,
        [],
        "text",
        {"properties": []},
        {"properties": {"connectionParameters": [], "connectionParameterSets": []}},
        {"properties": {"connectionParameters": {"a": None, "b": [], "c": {"type": 5}}}},
        {
            "properties": {
                "connectionParameters": {
                    "token": {
                        "type": "oauthSetting",
                        "oAuthSettings": {
                            "identityProvider": ["oauth2"],
                            "clientId": {"x": 1},
                            "scopes": "read",
                            "customParameters": {"tokenUrl": "plain", "x": None},
                        },
                        "uiDefinition": {"constraints": "required"},
                    }
                }
            }
        },
        {"properties": {"connectionParameterSets": {"values": [None, {"name": 3}, {"name": "a"}]}}},
        {"properties": {"policyTemplateInstances": [None, {"templateId": 7, "parameters": []}]}},
        {"properties": {"capabilities": "actions"}},
        {"properties": {"scriptOperations": "ListItems", "publisher": 5, "iconBrandColor": []}},
        {"properties": {"scriptOperations": [None, 3, "ListItems"], "stackOwner": None}},
        {
            "properties": {
                "connectionParameters": {
                    "region": {
                        "type": "string",
                        "defaultValue": {"nested": ["value"]},
                        "uiDefinition": {"constraints": {"allowedValues": "eu"}},
                    },
                    "nickname": {
                        "type": "string",
                        "uiDefinition": {
                            "constraints": {
                                "allowedValues": [None, 5, {"text": "no value"}, {"value": [1]}]
                            }
                        },
                    },
                }
            }
        },
    ],
)
def test_malformed_properties_never_crash(package: Doc, broken: Any) -> None:
    base = package["properties"]
    for old, new in ((broken, base), (base, broken), (broken, broken)):
        for change in properties.compare_properties(old, new, package["swagger"], None):
            assert change.message
            assert change.pointer.startswith("/")


def _png(size: int, color: tuple[int, int, int], compress_level: int) -> bytes:
    import io

    from PIL import Image

    stream = io.BytesIO()
    Image.new("RGB", (size, size), color).save(stream, "PNG", compress_level=compress_level)
    return stream.getvalue()


def test_an_icon_re_encoded_with_the_same_picture_says_so() -> None:
    old, new = _png(230, (0, 90, 170), 1), _png(230, (0, 90, 170), 9)
    assert old != new
    (change,) = assets.compare_icons(old, new)
    assert change.kind is ChangeKind.ICON_CHANGED
    assert change.severity is Severity.NON_BREAKING
    assert "re-encoded" in change.message
    assert "the picture is the same" in change.message


def test_an_icon_of_another_size_names_both_sizes() -> None:
    (change,) = assets.compare_icons(_png(230, (0, 90, 170), 9), _png(200, (0, 90, 170), 9))
    assert "(230x230, now 200x200)" in change.message
    assert "the picture is the same" not in change.message


def test_an_icon_of_another_color_is_replaced() -> None:
    (change,) = assets.compare_icons(_png(230, (0, 90, 170), 9), _png(230, (170, 0, 0), 9))
    assert "has been replaced" in change.message
    assert "background matches iconBrandColor" in change.message
