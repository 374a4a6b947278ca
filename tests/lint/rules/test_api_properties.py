"""The apiProperties rules (AP-01 to AP-03, connection parameters): a breaking and a passing
fragment each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from certification_samples import clean_properties
from lint_packages import make_package, run_rule, table_tests

from retarus_connector.lint.model import FileKind, Package, Problem, Profile, Rule
from retarus_connector.lint.rules import properties
from retarus_connector.lint.rules._properties import api_properties

Properties = dict[str, Any]
Change = Callable[[Properties], None]
PARAMS = "/properties/connectionParameters"


def set_key(key: str, value: Any) -> Change:
    def change(document: Properties) -> None:
        document["properties"][key] = value

    return change


def drop_key(key: str) -> Change:
    def change(document: Properties) -> None:
        del document["properties"][key]

    return change


def set_top(key: str, value: Any) -> Change:
    def change(document: Properties) -> None:
        document[key] = value

    return change


def set_parameter(name: str, value: Any) -> Change:
    def change(document: Properties) -> None:
        document["properties"]["connectionParameters"][name] = value

    return change


def set_constraint(name: str, key: str, value: Any) -> Change:
    def change(document: Properties) -> None:
        ui = document["properties"]["connectionParameters"][name]["uiDefinition"]
        ui["constraints"][key] = value

    return change


def oauth(provider: str, **settings: Any) -> Change:
    return set_parameter(
        "token",
        {"type": "oauthSetting", "oAuthSettings": {"identityProvider": provider, **settings}},
    )


TOKEN = "/properties/connectionParameters/token"
OAUTH2_URLS = {
    "customParameters": {
        "AuthorizationUrl": {"value": "https://login.contoso.example/authorize"},
        "tokenUrl": {"value": "https://login.contoso.example/token"},
        "refreshUrl": {"value": "https://login.contoso.example/token"},
    }
}

FAILING: list[tuple[Rule, Change, list[str], str]] = [
    (
        properties.connection_parameter_redirect_mode,
        oauth("oauth2", redirectMode="Global", **OAUTH2_URLS),
        [f"{TOKEN}/oAuthSettings/redirectMode"],
        "'redirectMode' 'Global'",
    ),
    (
        properties.connection_parameter_redirect_mode,
        oauth("aad"),
        [f"{TOKEN}/oAuthSettings"],
        "no 'redirectMode' (Global)",
    ),
    (properties.shape, set_top("extra", 1), ["/extra"], "Unknown top-level key 'extra'"),
    (properties.shape, set_key("iconColor", "#000000"), ["/properties/iconColor"], "Unknown key"),
    (properties.shape, set_key("capabilities", "actions"), ["/properties/capabilities"], "array"),
    (
        properties.shape,
        set_key("capabilities", ["actions", "webhooks"]),
        ["/properties/capabilities/1"],
        "'webhooks'",
    ),
    (
        properties.shape,
        set_key("scriptOperations", [{"id": 1}]),
        ["/properties/scriptOperations/0"],
        "operationId string",
    ),
    (properties.icon_brand_color, drop_key("iconBrandColor"), ["/properties"], "required"),
    (
        properties.icon_brand_color,
        set_key("iconBrandColor", "#fff"),
        ["/properties/iconBrandColor"],
        "6-digit",
    ),
    (properties.publisher, drop_key("stackOwner"), ["/properties"], "'stackOwner'"),
    (properties.publisher, set_key("publisher", " "), ["/properties"], "'publisher'"),
    (
        properties.connection_parameter_type,
        set_parameter("api-key", {"type": "securestring"}),
        [f"{PARAMS}/api-key"],
        "letters, digits",
    ),
    (
        properties.connection_parameter_type,
        set_parameter("token", {"type": "oAuthSetting"}),
        [f"{PARAMS}/token/type"],
        "write 'oauthSetting'",
    ),
    (
        properties.connection_parameter_type,
        set_parameter("token:clientId", {"type": "oauthSetting"}),
        [f"{PARAMS}/token:clientId/type"],
        "primitive type",
    ),
    (
        properties.connection_parameter_type,
        set_parameter("region", {"uiDefinition": {}}),
        [f"{PARAMS}/region"],
        "needs a 'type'",
    ),
    (
        properties.connection_parameter_ui,
        set_constraint("username", "required", True),
        [f"{PARAMS}/username/uiDefinition/constraints/required"],
        'string "true" or "false"',
    ),
    (
        properties.connection_parameter_ui,
        set_constraint("password", "tabIndex", "3"),
        [f"{PARAMS}/password/uiDefinition/constraints/tabIndex"],
        "integer",
    ),
    (
        properties.connection_parameter_ui,
        set_parameter("region", {"type": "string"}),
        [f"{PARAMS}/region"],
        "no 'uiDefinition'",
    ),
    (
        properties.connection_parameter_ui,
        set_parameter("region", {"type": "string", "uiDefinition": {"displayName": "Region"}}),
        [f"{PARAMS}/region/uiDefinition"],
        "'description'",
    ),
    (
        properties.connection_parameter_oauth,
        set_parameter("token", {"type": "oauthSetting", "oauthSettings": {}}),
        [f"{PARAMS}/token"],
        "found 'oauthSettings'",
    ),
    (
        properties.connection_parameter_oauth,
        oauth("oauth2", customParameters={}),
        [f"{PARAMS}/token/oAuthSettings/customParameters"] * 3,
        "'authorizationUrl'",
    ),
    (
        properties.connection_parameter_oauth,
        oauth("aad", redirectMode="Local", customParameters={"resourceUri": {"value": "x"}}),
        [f"{PARAMS}/token/oAuthSettings/redirectMode"],
        "'Local'",
    ),
    (
        properties.connection_parameter_oauth,
        oauth("aadcertificate", customParameters={"resourceUri": {"value": "x"}}),
        [f"{PARAMS}/token/oAuthSettings"],
        "IsFirstParty",
    ),
    (
        properties.connection_parameter_oauth,
        oauth("oauth2", clientId=7, **OAUTH2_URLS),
        [f"{PARAMS}/token/oAuthSettings/clientId"],
        "'clientId' must be a string or null",
    ),
    (
        properties.connection_parameter_client_secret,
        oauth("oauth2", clientSecret="q8Z~fT3kLw0pXc9vBn2mR7sY"),
        [f"{PARAMS}/token/oAuthSettings/clientSecret"],
        "looks like a real secret",
    ),
]

PASSING: list[tuple[Rule, Change]] = [
    (
        properties.connection_parameter_redirect_mode,
        oauth("oauth2", redirectMode="GlobalPerConnector", **OAUTH2_URLS),
    ),
    # basic authentication has no redirect
    (properties.connection_parameter_redirect_mode, set_key("publisher", "Contoso")),
    (properties.shape, set_top("$schema", "https://example/schema.json")),
    (properties.shape, set_key("connectionParameterSets", {"values": []})),
    (properties.icon_brand_color, set_key("iconBrandColor", "#ABCDEF")),
    (properties.connection_parameter_type, set_parameter("token:TenantId", {"type": "string"})),
    (properties.connection_parameter_type, set_parameter("gateway", {"type": "gatewaySetting"})),
    (
        properties.connection_parameter_ui,
        set_parameter(
            "token:TenantId",
            {"type": "string", "uiDefinition": {"constraints": {"hidden": "true"}}},
        ),
    ),
    (properties.connection_parameter_oauth, oauth("oauth2", **OAUTH2_URLS)),
    (properties.connection_parameter_oauth, oauth("facebook")),
    (properties.connection_parameter_client_secret, oauth("oauth2", clientSecret=None)),
    (properties.connection_parameter_client_secret, oauth("oauth2", clientSecret="YOUR_SECRET")),
    (properties.connection_parameter_client_secret, oauth("oauth2", clientSecret="<secret>")),
]


def _package(change: Change, minimal_swagger: Any) -> Package:
    document = clean_properties()
    change(document)
    return make_package(minimal_swagger, document)


def _place(problem: Problem) -> str:
    assert problem.file is FileKind.PROPERTIES
    return problem.pointer


test_breaking_fragment_is_reported, test_passing_fragment_is_clean = table_tests(
    FAILING, PASSING, _package, _place
)


def test_a_committed_secret_is_never_repeated_in_the_message(minimal_swagger: Any) -> None:
    document = clean_properties()
    secret = "q8Z~fT3kLw0pXc9vBn2mR7sY"
    oauth("oauth2", clientSecret=secret)(document)
    (problem,) = run_rule(
        properties.connection_parameter_client_secret, make_package(minimal_swagger, document)
    )
    assert secret not in problem.message


@pytest.mark.parametrize(
    ("profile", "color", "rule", "reported"),
    [
        (Profile.CERTIFIED, "#FFFFFF", properties.brand_color_certified, True),
        (Profile.CERTIFIED, "#007ee5", properties.brand_color_certified, True),
        (Profile.CERTIFIED, "#1f6fb2", properties.brand_color_certified, False),
        (Profile.CUSTOM, "#007ee5", properties.brand_color_certified, False),
        (
            Profile.INDEPENDENT_PUBLISHER,
            "#1f6fb2",
            properties.brand_color_independent_publisher,
            True,
        ),
        (
            Profile.INDEPENDENT_PUBLISHER,
            "#DA3B01",
            properties.brand_color_independent_publisher,
            False,
        ),
        (Profile.CERTIFIED, "#1f6fb2", properties.brand_color_independent_publisher, False),
    ],
)
def test_brand_colors_per_profile(
    profile: Profile, color: str, rule: Rule, reported: bool, minimal_swagger: Any
) -> None:
    document = clean_properties()
    document["properties"]["iconBrandColor"] = color
    found = run_rule(rule, make_package(minimal_swagger, document, profile=profile))
    assert [problem.pointer for problem in found] == (
        ["/properties/iconBrandColor"] if reported else []
    )


def test_publisher_is_not_demanded_of_custom_connectors(minimal_swagger: Any) -> None:
    document = clean_properties()
    del document["properties"]["publisher"]
    package = make_package(minimal_swagger, document, profile=Profile.CUSTOM)
    assert run_rule(properties.publisher, package) == []


def test_declared_severities() -> None:
    # each rule's default severity is what users read in the rules table and what the corpus
    # totals are counted in; changing one has to be a deliberate edit of this table too
    assert {rule.id: rule.severity.value for rule in properties.RULES} == {
        "properties-shape": "error",
        "properties-icon-brand-color": "error",
        "properties-brand-color-certified": "error",
        "properties-brand-color-independent-publisher": "error",
        "properties-publisher": "warning",
        "connection-parameter-type": "error",
        "connection-parameter-ui-definition": "warning",
        "connection-parameter-oauth": "error",
        "connection-parameter-client-secret": "error",
        "connection-parameter-redirect-mode": "warning",
    }


def test_the_rules_read_a_package_s_properties_once(minimal_swagger: Any) -> None:
    # every family that reads apiProperties.json shares one read, kept with the package
    package = make_package(minimal_swagger, clean_properties())
    first = api_properties(package)
    assert api_properties(package) is first
    assert [p.name for p in first.all_connection_parameters()] == list(
        clean_properties()["properties"]["connectionParameters"]
    )
    assert api_properties(make_package(minimal_swagger, clean_properties())) is not first
