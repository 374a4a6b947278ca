"""Cross-references: the swagger's security definitions and the connection parameters that
sign in (REF-03)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from retarus_connector.lint.model import FileKind, Package, Problem, Severity, rule
from retarus_connector.lint.rules._profiles import CUSTOM_INFO
from retarus_connector.lint.rules._properties import api_properties
from retarus_connector.lint.rules._walk import (
    as_dict,
    join,
    one_of,
    text,
)

if TYPE_CHECKING:
    from retarus_connector.core.properties import OAuthSettings

_NEEDS = (FileKind.SWAGGER, FileKind.PROPERTIES)


def _parameter_types(package: Package) -> dict[str, Any]:
    """Each connection parameter's `type` as written, the first definition of a name counting."""
    found: dict[str, Any] = {}
    for parameter in api_properties(package).all_connection_parameters():
        found.setdefault(parameter.name, parameter.definition.get("type"))
    return found


@rule("reference-security-connection", Severity.WARNING, needs=_NEEDS)
def security_connection(package: Package) -> Iterator[Problem]:
    """The swagger's security definition matches the connection parameters.

    What: `basic` pairs with connection parameters `username` and `password` (securestring),
    `apiKey` with a securestring `api_key`, `oauth2` with `token` of type oauthSetting
    (reference REF-03).
    Why: the platform fills the credentials of the security definition from the connection
    parameters of those conventional names.
    Fix: rename the connection parameters, or change the security definition.
    """
    definitions = as_dict(package.swagger).get("securityDefinitions")
    if not isinstance(definitions, dict):
        return
    types = _parameter_types(package)
    for name, definition in definitions.items():
        kind = as_dict(definition).get("type")
        pointer = join("/securityDefinitions", name)
        expected: list[tuple[str, tuple[str, ...]]] = []
        if kind == "basic":
            expected = [("username", ("string", "securestring")), ("password", ("securestring",))]
        elif kind == "apiKey":
            expected = [("api_key", ("securestring",))]
        elif kind == "oauth2":
            expected = [("token", ("oauthSetting",))]
        for parameter, allowed in expected:
            actual = types.get(parameter)
            if actual is None:
                yield Problem(
                    f"The '{kind}' security definition {name!r} expects a connection parameter "
                    f"'{parameter}' of type {' or '.join(allowed)}",
                    pointer,
                )
            elif actual not in allowed:
                yield Problem(
                    f"The connection parameter '{parameter}' for the '{kind}' security "
                    f"definition {name!r} should be of type {' or '.join(allowed)}, not "
                    f"{actual!r}",
                    pointer,
                )


# The identity providers whose sign-in the connector describes itself, so that the swagger's
# oauth2 definition and the apiProperties settings describe the same thing. `aad` and
# `aadcertificate` sign in with a resource URI and keep a boilerplate definition (certified
# connectors write the login.windows.net authorize URL as tokenUrl and a placeholder scope);
# named providers (facebook, ...) bring their own settings.
_SELF_DESCRIBED_PROVIDERS = frozenset({"oauth2", "oauth2generic"})
# the URLs only `oauth2` carries as custom parameters; `oauth2generic` has *UrlTemplate values
# with placeholders, which certified connectors fill differently in the swagger
_OAUTH2_URLS = ("authorizationUrl", "tokenUrl")


def _oauth_settings(package: Package) -> Iterator[tuple[str, OAuthSettings]]:
    """(name, oAuthSettings) of each oauthSetting connection parameter, in
    `connectionParameters` and in every parameter set."""
    for parameter in api_properties(package).all_connection_parameters():
        if parameter.definition.get("type") == "oauthSetting":
            settings = parameter.oauth_settings()
            if settings is not None:
                yield parameter.name, settings


def _scope_names(scopes: Iterable[Any]) -> set[str]:
    """The scopes a swagger's oauth2 definition names, one by one: certified connectors write
    "a b" as one entry on one side and as two on the other, and the platform sends them
    space-separated either way (core reads the apiProperties.json side alike)."""
    return {name for scope in scopes if isinstance(scope, str) for name in scope.split()}


def _shown(names: set[str]) -> str:
    return ", ".join(repr(name) for name in sorted(names)) or "none"


@rule("reference-security-oauth", Severity.WARNING, needs=_NEEDS, severities=CUSTOM_INFO)
def security_oauth(package: Package) -> Iterator[Problem]:
    """The swagger's oauth2 security definition agrees with apiProperties' `oAuthSettings`.

    What: for a connection parameter of type oauthSetting whose `identityProvider` is
    `oauth2` or `oauth2generic`, the scopes of the swagger's oauth2 definition (the keys of
    `scopes`) and `oAuthSettings.scopes` name the same scopes (an entry "a b" counts as the
    two scopes a and b, as both spellings occur in certified connectors); for `oauth2`, the
    definition's `authorizationUrl` and `tokenUrl` equal the `value` of the custom parameters
    of those names (reference REF-03).
    Not compared: `aad` and `aadcertificate`, which sign in with a resource URI and whose
    swagger definition is boilerplate in certified connectors; `oauth2generic` URLs, which are
    templates with placeholders that certified connectors fill differently in the swagger;
    `flow`, which `oAuthSettings` do not state; a swagger with several oauth2 definitions,
    which cannot be paired with the parameters.
    Why: the platform signs in with the apiProperties.json settings, and certification
    reviewers ask for the two files to match ("The scopes here and in the swagger file don't
    match", microsoft/PowerPlatformConnectors#904), so a mismatch misleads whoever reads the
    swagger and delays the review.
    Fix: write the same scopes and URLs in both files, taking the ones the service really
    needs.
    """
    definitions = as_dict(package.swagger).get("securityDefinitions")
    if not isinstance(definitions, dict):
        return
    oauth = [
        (name, definition)
        for name, definition in definitions.items()
        if as_dict(definition).get("type") == "oauth2"
    ]
    if len(oauth) != 1:
        return
    name, definition = oauth[0]
    pointer = join("/securityDefinitions", name)
    reported: set[tuple[str, str]] = set()
    for parameter, settings in _oauth_settings(package):
        provider = settings.identity_provider
        if not one_of(provider, _SELF_DESCRIBED_PROVIDERS):
            continue
        found: list[Problem] = []
        declared = definition.get("scopes")
        if isinstance(declared, dict) and isinstance(settings.node.get("scopes", []), list):
            in_swagger, in_properties = _scope_names(declared), set(settings.scopes())
            if in_swagger != in_properties:
                only_swagger = _shown(in_swagger - in_properties)
                only_properties = _shown(in_properties - in_swagger)
                found.append(
                    Problem(
                        f"The scopes of the oauth2 security definition {name!r} differ from "
                        f"those of the connection parameter {parameter!r} in "
                        f"apiProperties.json: only in the swagger {only_swagger}; only in "
                        f"apiProperties.json {only_properties} (the platform signs in with the "
                        f"apiProperties.json scopes)",
                        join(pointer, "scopes"),
                    )
                )
        if provider == "oauth2":
            # certified connectors spell the custom parameters in either case (AuthorizationUrl)
            custom = {entry.name.lower(): entry.value for entry in settings.custom_parameters}
            for key in _OAUTH2_URLS:
                in_swagger_url = text(definition.get(key))
                in_properties_url = custom.get(key.lower())
                if in_swagger_url is None or in_properties_url is None:
                    continue  # a missing URL is reported by the structure and properties rules
                if in_swagger_url.strip() != in_properties_url.strip():
                    # neither value is shown: a URL may carry a client id or secret
                    found.append(
                        Problem(
                            f"The {key} of the oauth2 security definition {name!r} differs "
                            f"from the custom parameter {key!r} of the connection parameter "
                            f"{parameter!r} in apiProperties.json (the platform signs in with "
                            f"the apiProperties.json value)",
                            join(pointer, key),
                        )
                    )
        for problem in found:
            # the same parameter repeated in several parameter sets gives the same finding
            if (problem.pointer, problem.message) not in reported:
                reported.add((problem.pointer, problem.message))
                yield problem
