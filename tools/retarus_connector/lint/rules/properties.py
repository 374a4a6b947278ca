"""apiProperties.json: its shape, the brand color, publisher and stack owner, connection
parameters and their OAuth settings (reference section 2, AP-01 to AP-03)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

from retarus_connector.lint.model import FileKind, Package, Problem, Profile, Rule, Severity, rule
from retarus_connector.lint.rules._profiles import CUSTOM_INFO
from retarus_connector.lint.rules._properties import api_properties
from retarus_connector.lint.rules._walk import as_dict, join, one_of, text

PROPERTIES = FileKind.PROPERTIES
_NEEDS = (FileKind.PROPERTIES,)
_CERTIFIED = (Profile.CERTIFIED,)

TOP_LEVEL_KEYS = frozenset({"properties", "$schema"})
# the keys paconn writes back, plus the two that the repository schema omits yet paconn and
# production use
PROPERTY_KEYS = frozenset(
    {
        "iconBrandColor",
        "capabilities",
        "connectionParameters",
        "connectionParameterSets",
        "policyTemplateInstances",
        "publisher",
        "stackOwner",
        "scriptOperations",
    }
)
CAPABILITIES = frozenset({"actions", "triggers", "gateway", "cloud only"})
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
CERTIFIED_FORBIDDEN_COLORS = frozenset({"#ffffff", "#007ee5"})
INDEPENDENT_PUBLISHER_COLOR = "#da3b01"

PRIMITIVE_TYPES = frozenset({"string", "securestring", "int", "bool"})
PARAMETER_TYPES = PRIMITIVE_TYPES | {"gatewaySetting", "oauthSetting"}
_TYPES_BY_LOWER = MappingProxyType({name.lower(): name for name in PARAMETER_TYPES})
_FULL_NAME = re.compile(r"^[0-9a-zA-Z_]+$")
_SUB_NAME = re.compile(r"^[0-9a-zA-Z_]+:[0-9a-zA-Z_]+$")
REDIRECT_MODES = frozenset({"Global", "Direct", "GlobalPerConnector"})
# custom parameters each OAuth identity provider needs
PROVIDER_PARAMETERS = MappingProxyType(
    {
        "oauth2": ("authorizationUrl", "tokenUrl", "refreshUrl"),
        "aad": ("resourceUri",),
    }
)
# what a client secret committed to a package may look like without being a real one
_SECRET_PLACEHOLDER = (
    r"(?i)^$|your|placeholder|dummy|secret|value|example|sample|changeme|<.*>|\{.*\}|^[x*._-]+$"
)


def _properties(package: Package) -> Mapping[str, Any]:
    return api_properties(package).properties


def _problem(message: str, pointer: str) -> Problem:
    return Problem(message, pointer, PROPERTIES)


@rule("properties-shape", Severity.ERROR, needs=_NEEDS)
def shape(package: Package) -> Iterator[Problem]:
    """apiProperties.json has the shape paconn and the portal accept.

    What: the top level holds only `properties` (and optionally `$schema`); `properties` holds
    only iconBrandColor, capabilities, connectionParameters, connectionParameterSets,
    policyTemplateInstances, publisher, stackOwner and scriptOperations, each of its type
    (reference section 2, AP-01).
    Why: Microsoft's apiProperties validator fails the pull request on a schema error, and
    paconn drops unknown keys.
    Fix: move or remove the named key, or correct its type.
    """
    document = package.properties
    if not isinstance(document, dict):
        yield _problem("apiProperties.json must be a JSON object", "")
        return
    for key in document:
        if key not in TOP_LEVEL_KEYS:
            yield _problem(
                f"Unknown top-level key {key!r}: only 'properties' is allowed", f"/{key}"
            )
    if "properties" not in document:
        yield _problem("The 'properties' object is required", "")
        return
    properties = document["properties"]
    if not isinstance(properties, dict):
        yield _problem("'properties' must be an object", "/properties")
        return
    for key in properties:
        if key not in PROPERTY_KEYS:
            yield _problem(f"Unknown key {key!r} in 'properties'", join("/properties", key))
    expected_types: dict[str, tuple[type, str]] = {
        "capabilities": (list, "an array"),
        "connectionParameters": (dict, "an object"),
        "connectionParameterSets": (dict, "an object"),
        "policyTemplateInstances": (list, "an array"),
        "publisher": (str, "a string"),
        "stackOwner": (str, "a string"),
        "scriptOperations": (list, "an array"),
        "iconBrandColor": (str, "a string"),
    }
    for key, (kind, described) in expected_types.items():
        if key in properties and not isinstance(properties[key], kind):
            yield _problem(f"'{key}' must be {described}", join("/properties", key))
    api = api_properties(package)
    for item in api.capabilities:
        if not one_of(item.value, CAPABILITIES):
            yield _problem(
                f"Unknown capability {item.value!r}; use {', '.join(sorted(CAPABILITIES))}",
                item.pointer,
            )
    for item in api.script_operations:
        if not isinstance(item.value, str):
            yield _problem(
                "Each entry of 'scriptOperations' must be an operationId string", item.pointer
            )


@rule("properties-icon-brand-color", Severity.ERROR, needs=_NEEDS)
def icon_brand_color(package: Package) -> Iterator[Problem]:
    """`iconBrandColor` is present and a 6-digit hex color such as `#1f6fb2`.

    What: the property is required and every accepted package writes it as `#RRGGBB`
    (reference section 2, AP-01).
    Why: it is the background of the connector's icon everywhere in the product.
    Fix: set `"iconBrandColor": "#RRGGBB"` to the icon's background color.
    """
    if not isinstance(package.properties, dict) or not isinstance(
        package.properties.get("properties"), dict
    ):
        return  # properties-shape reports it
    color = _properties(package).get("iconBrandColor")
    if color is None:
        yield _problem("The 'iconBrandColor' property is required", "/properties")
    elif not isinstance(color, str) or not _COLOR.match(color):
        yield _problem(
            f"The 'iconBrandColor' must be a 6-digit hex color like '#1f6fb2', not {color!r}",
            "/properties/iconBrandColor",
        )


@rule("properties-brand-color-certified", Severity.ERROR, needs=_NEEDS, profiles=_CERTIFIED)
def brand_color_certified(package: Package) -> Iterator[Problem]:
    """A certified connector's `iconBrandColor` is neither `#ffffff` nor `#007ee5`.

    What: white and the default custom-connector blue are rejected for certified connectors
    (reference AP-02).
    Why: the color identifies the brand; the defaults make connectors indistinguishable.
    Fix: use the brand's own color, the same as the icon background.
    """
    color = text(_properties(package).get("iconBrandColor"))
    if color is not None and color.lower() in CERTIFIED_FORBIDDEN_COLORS:
        yield _problem(
            f"The 'iconBrandColor' {color!r} is not allowed for certified connectors",
            "/properties/iconBrandColor",
        )


@rule(
    "properties-brand-color-independent-publisher",
    Severity.ERROR,
    needs=_NEEDS,
    profiles=(Profile.INDEPENDENT_PUBLISHER,),
)
def brand_color_independent_publisher(package: Package) -> Iterator[Problem]:
    """An independent-publisher connector's `iconBrandColor` is exactly `#da3b01`.

    What: every independent-publisher connector uses the same color (reference AP-02).
    Why: the platform draws the independent-publisher icon on that color.
    Fix: set `"iconBrandColor": "#da3b01"`.
    """
    color = _properties(package).get("iconBrandColor")
    if isinstance(color, str) and color.lower() != INDEPENDENT_PUBLISHER_COLOR:
        yield _problem(
            f"The 'iconBrandColor' of an independent-publisher connector must be "
            f"'{INDEPENDENT_PUBLISHER_COLOR}', not {color!r}",
            "/properties/iconBrandColor",
        )


@rule(
    "properties-publisher",
    Severity.WARNING,
    needs=_NEEDS,
    profiles=(Profile.CERTIFIED, Profile.INDEPENDENT_PUBLISHER),
)
def publisher(package: Package) -> Iterator[Problem]:
    """`publisher` and `stackOwner` are set.

    What: the templates fill `publisher` (the company, or for independent publishers the
    person's name) and reviewers ask for `stackOwner`, the owner of the backend service
    (reference AP-03).
    Why: the gallery shows both; certification needs to know who runs the service.
    Fix: add both as non-empty strings. Note that paconn create/update may reject
    `stackOwner`: keep it in the submitted file and drop it from a deploy copy.
    """
    if not isinstance(package.properties, dict) or not isinstance(
        package.properties.get("properties"), dict
    ):
        return
    properties = _properties(package)
    for key in ("publisher", "stackOwner"):
        value = properties.get(key)
        if not isinstance(value, str) or not value.strip():
            yield _problem(f"The '{key}' property is missing or empty", "/properties")


# --------------------------------------------------------------------------- connection parameters


def _connection_parameters(package: Package) -> Iterator[tuple[str, Mapping[str, Any], str]]:
    for parameter in api_properties(package).all_connection_parameters():
        yield parameter.name, parameter.definition, parameter.pointer


@rule("connection-parameter-type", Severity.ERROR, needs=_NEEDS)
def connection_parameter_type(package: Package) -> Iterator[Problem]:
    """Connection parameters have a valid name and `type`.

    What: names match `^[0-9a-zA-Z_]+$`, or `name:sub` for a primitive value that belongs to
    another parameter (such as `token:TenantId`); `type` is one of string, securestring, int,
    bool, gatewaySetting or oauthSetting, spelled exactly (reference section 2).
    Why: the portal builds the connection dialog from these; a wrong type (`oAuthSetting`)
    breaks sign-in.
    Fix: rename the parameter or correct its `type`; use securestring for secrets.
    """
    for parameter in api_properties(package).all_connection_parameters():
        name, pointer = parameter.name, parameter.pointer
        is_sub = bool(_SUB_NAME.match(name))
        if not is_sub and not _FULL_NAME.match(name):
            yield _problem(
                f"The connection parameter name {name!r} may contain only letters, digits "
                f"and '_' (or 'name:sub')",
                pointer,
            )
        if not parameter.is_object:
            yield _problem(f"The connection parameter {name!r} must be an object", pointer)
            continue
        kind = parameter.definition.get("type")
        if kind is None:
            yield _problem(f"The connection parameter {name!r} needs a 'type'", pointer)
        elif not one_of(kind, PARAMETER_TYPES):
            known = _TYPES_BY_LOWER.get(kind.lower()) if isinstance(kind, str) else None
            hint = f" (write {known!r})" if known else ""
            yield _problem(
                f"The connection parameter {name!r} has an unknown type {kind!r}{hint}",
                join(pointer, "type"),
            )
        elif is_sub and not one_of(kind, PRIMITIVE_TYPES):
            yield _problem(
                f"The connection parameter {name!r} is a sub-value and must have a "
                f"primitive type, not {kind!r}",
                join(pointer, "type"),
            )


def _ui_problems(name: str, definition: Mapping[str, Any], pointer: str) -> Iterator[Problem]:
    ui = definition.get("uiDefinition")
    ui_pointer = join(pointer, "uiDefinition")
    if ui is None:
        if one_of(definition.get("type"), PRIMITIVE_TYPES) and ":" not in name:
            yield _problem(f"The connection parameter {name!r} has no 'uiDefinition'", pointer)
        return
    if not isinstance(ui, dict):
        yield _problem(f"The 'uiDefinition' of {name!r} must be an object", ui_pointer)
        return
    hidden = as_dict(ui.get("constraints")).get("hidden") == "true"
    for key in ("displayName", "description"):
        value = ui.get(key)
        if not hidden and (not isinstance(value, str) or not value.strip()):
            yield _problem(f"The connection parameter {name!r} needs a '{key}'", ui_pointer)
    constraints = ui.get("constraints")
    if constraints is None:
        return
    if not isinstance(constraints, dict):
        yield _problem(
            f"The 'constraints' of {name!r} must be an object", join(ui_pointer, "constraints")
        )
        return
    c_pointer = join(ui_pointer, "constraints")
    for key in ("required", "hidden"):
        if key in constraints and constraints[key] not in ("true", "false"):
            yield _problem(
                f'The constraint \'{key}\' of {name!r} must be the string "true" or "false", '
                f"not {constraints[key]!r}",
                join(c_pointer, key),
            )
    if "clearText" in constraints and not isinstance(constraints["clearText"], bool):
        yield _problem(
            f"The constraint 'clearText' of {name!r} must be true or false",
            join(c_pointer, "clearText"),
        )
    tab_index = constraints.get("tabIndex")
    if "tabIndex" in constraints and (
        not isinstance(tab_index, int) or isinstance(tab_index, bool)
    ):
        yield _problem(
            f"The constraint 'tabIndex' of {name!r} must be an integer", join(c_pointer, "tabIndex")
        )
    if "allowedValues" in constraints:
        allowed = constraints["allowedValues"]
        if not isinstance(allowed, list) or not all(
            isinstance(entry, dict) and "value" in entry for entry in allowed
        ):
            yield _problem(
                f"The constraint 'allowedValues' of {name!r} must be an array of "
                f'{{"value", "text"}} objects',
                join(c_pointer, "allowedValues"),
            )


@rule("connection-parameter-ui-definition", Severity.WARNING, needs=_NEEDS)
def connection_parameter_ui(package: Package) -> Iterator[Problem]:
    """Connection parameters the user fills in have a complete `uiDefinition`.

    What: a visible primitive parameter has `uiDefinition` with `displayName` and
    `description`; `constraints.required` and `constraints.hidden` are the strings "true" or
    "false" (not booleans), `clearText` is a boolean, `tabIndex` an integer and `allowedValues`
    a list of `{value, text}` (reference section 2).
    Why: the connection dialog is built from it; the schema expects strings where real files
    sometimes have booleans.
    Fix: complete the uiDefinition and write the constraint values with the listed types.
    """
    for name, definition, pointer in _connection_parameters(package):
        yield from _ui_problems(name, definition, pointer)


def _oauth_problems(name: str, definition: Mapping[str, Any], pointer: str) -> Iterator[Problem]:
    settings = definition.get("oAuthSettings")
    s_pointer = join(pointer, "oAuthSettings")
    if not isinstance(settings, dict):
        misspelled = [key for key in definition if key.lower() == "oauthsettings"]
        hint = f" (found {misspelled[0]!r}; the key is case-sensitive)" if misspelled else ""
        yield _problem(
            f"The oauthSetting parameter {name!r} needs an 'oAuthSettings' object{hint}", pointer
        )
        return
    provider = settings.get("identityProvider")
    if not isinstance(provider, str) or not provider:
        yield _problem(f"The 'oAuthSettings' of {name!r} need an 'identityProvider'", s_pointer)
        return
    mode = settings.get("redirectMode")
    if mode is not None and not one_of(mode, REDIRECT_MODES):
        yield _problem(
            f"The 'redirectMode' {mode!r} is not one of {', '.join(sorted(REDIRECT_MODES))}",
            join(s_pointer, "redirectMode"),
        )
    scopes = settings.get("scopes")
    if scopes is not None and (
        not isinstance(scopes, list) or not all(isinstance(scope, str) for scope in scopes)
    ):
        yield _problem("The 'scopes' must be an array of strings", join(s_pointer, "scopes"))
    for key in ("clientId", "clientSecret"):
        if key in settings and not isinstance(settings[key], str | None):
            yield _problem(f"The '{key}' must be a string or null", join(s_pointer, key))
    # certified connectors that work spell these either way (AuthorizationUrl), so compare
    # without regard to case
    custom = {
        str(key).lower(): value for key, value in as_dict(settings.get("customParameters")).items()
    }
    for parameter in PROVIDER_PARAMETERS.get(provider, ()):
        entry = custom.get(parameter.lower())
        if not isinstance(entry, dict) or not isinstance(entry.get("value"), str):
            yield _problem(
                f"The identity provider '{provider}' needs the custom parameter "
                f"'{parameter}' as {{\"value\": ...}}",
                join(s_pointer, "customParameters"),
            )
    if provider == "aadcertificate":
        first_party = as_dict(settings.get("properties")).get("IsFirstParty")
        if first_party != "True":
            yield _problem(
                "The identity provider 'aadcertificate' needs properties.IsFirstParty \"True\"",
                s_pointer,
            )


@rule("connection-parameter-oauth", Severity.ERROR, needs=_NEEDS)
def connection_parameter_oauth(package: Package) -> Iterator[Problem]:
    """OAuth connection parameters carry complete `oAuthSettings`.

    What: an `oauthSetting` parameter has `oAuthSettings` with an `identityProvider`;
    `oauth2` needs the custom parameters authorizationUrl, tokenUrl and refreshUrl, `aad`
    needs resourceUri, `aadcertificate` needs properties.IsFirstParty "True"; `redirectMode`
    is Global, Direct or GlobalPerConnector; `scopes` is a list of strings (reference
    section 2).
    Why: the sign-in flow is configured from these settings; a gap fails at connection time.
    Fix: complete the settings as listed.
    """
    for name, definition, pointer in _connection_parameters(package):
        if definition.get("type") == "oauthSetting":
            yield from _oauth_problems(name, definition, pointer)


@rule("connection-parameter-client-secret", Severity.ERROR, needs=_NEEDS)
def connection_parameter_client_secret(package: Package) -> Iterator[Problem]:
    """No real OAuth client secret is committed in apiProperties.json.

    What: `oAuthSettings.clientSecret` is null or an obvious placeholder; the real secret is
    given to paconn with `--secret` at deploy time (reference AP-03).
    Why: the package is published openly; a committed secret is a leaked secret.
    Fix: replace the value with null, revoke the secret at the identity provider, and pass the
    new one with `paconn create --secret`.
    """
    for name, definition, pointer in _connection_parameters(package):
        secret = as_dict(definition.get("oAuthSettings")).get("clientSecret")
        if isinstance(secret, str) and not re.search(_SECRET_PLACEHOLDER, secret):
            # never repeat the value: it may be a live credential
            yield _problem(
                f"The 'clientSecret' of {name!r} looks like a real secret; commit null or a "
                f"placeholder instead",
                join(pointer, "oAuthSettings", "clientSecret"),
            )


@rule("connection-parameter-redirect-mode", Severity.WARNING, needs=_NEEDS, severities=CUSTOM_INFO)
def connection_parameter_redirect_mode(package: Package) -> Iterator[Problem]:
    """OAuth connection parameters use the per-connector redirect URI (`GlobalPerConnector`).

    What: `oAuthSettings.redirectMode` of every `oauthSetting` parameter is
    "GlobalPerConnector"; "Global" (also what a missing redirectMode means) and "Direct" are
    reported. With GlobalPerConnector the sign-in returns to a redirect URI of this connector
    alone (https://global.consent.azure-apim.net/redirect/<connector id>) instead of the one
    URI all connectors share. Microsoft asks for it on new and updated OAuth connectors
    (https://learn.microsoft.com/en-us/connectors/custom-connectors/, "Secure your API"), and
    the certification team has been sending submissions back for it since early 2024: in
    microsoft/PowerPlatformConnectors see "Change redirectMode from Global to
    GlobalPerConnector" (#3210), Cognito Forms (#3278) and Seismic Configuration (#3512). Of
    the 607 certified connectors (October 2024), 174 still carry "Global" from before.
    Why: a shared redirect URI lets any connector's sign-in page receive the authorization
    code meant for another; the identity provider's app registration should trust this
    connector's URI only.
    Fix: set `"redirectMode": "GlobalPerConnector"` and register the connector's own redirect
    URI with the identity provider's app.
    """
    for name, definition, pointer in _connection_parameters(package):
        if definition.get("type") != "oauthSetting":
            continue
        settings = definition.get("oAuthSettings")
        if not isinstance(settings, dict):
            continue  # connection-parameter-oauth reports it
        mode = settings.get("redirectMode")
        if mode == "GlobalPerConnector":
            continue
        shown = "no 'redirectMode' (Global)" if mode is None else f"'redirectMode' {mode!r}"
        yield _problem(
            f"The OAuth parameter {name!r} has {shown}; use 'GlobalPerConnector', the "
            f"connector's own redirect URI",
            join(pointer, "oAuthSettings", "redirectMode")
            if mode is not None
            else join(pointer, "oAuthSettings"),
        )


RULES: tuple[Rule, ...] = (
    shape,
    icon_brand_color,
    brand_color_certified,
    brand_color_independent_publisher,
    publisher,
    connection_parameter_type,
    connection_parameter_ui,
    connection_parameter_oauth,
    connection_parameter_client_secret,
    connection_parameter_redirect_mode,
)
