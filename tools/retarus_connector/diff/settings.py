"""What the comparisons read of an apiProperties.json beyond core's read model: the named
parameter sets, the parameters that are objects, a parameter's allowed values and OAuth
settings, how messages name a policy, and which connection parameters a package uses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from retarus_connector.core.names import OPERATION_NAME
from retarus_connector.core.properties import (
    CONNECTION_PARAMETER_REFERENCE,
    ApiProperties,
    ConnectionParameter,
    Item,
    OAuthSettings,
    ParameterSet,
    PolicyInstance,
)

from .messages import render
from .swagger import child, security_schemes

# what the repository copy of a certified connector holds instead of its real client id
CLIENT_ID_PLACEHOLDER = re.compile(
    r"^\s*$|[\s<>\[\]{}]|dummy|placeholder|your|enter|client|sample|example|^x+$",
    re.IGNORECASE,
)
# custom parameters that existing connections get or refresh their tokens with (lower case)
TOKEN_PARAMETERS = frozenset(
    {
        "tokenurl",
        "refreshurl",
        "tokenurltemplate",
        "refreshurltemplate",
        "tokenbodytemplate",
        "refreshbodytemplate",
        "tokenquerystringtemplate",
        "refreshquerystringtemplate",
        "resourceuri",
        "loginuri",
        "loginuriaad",
        "tenantid",
        "granttype",
    }
)
TEXT_KEYS = ("displayName", "description", "tooltip")
# Nested values deeper than this are not searched for @connectionParameters; real files nest
# a few levels.
_MAX_DEPTH = 64


# reading (with core's reader of apiProperties.json) -------------------------------------------


def parameter_sets(api: ApiProperties) -> dict[str, ParameterSet]:
    """The named parameter sets by name, in file order; a repeated name counts once, the
    first time; a set without a name cannot be matched between versions."""
    found: dict[str, ParameterSet] = {}
    for parameter_set in api.parameter_sets:
        if parameter_set.name is not None:
            found.setdefault(parameter_set.name, parameter_set)
    return found


def parameters_of(parameters: tuple[ConnectionParameter, ...]) -> list[ConnectionParameter]:
    """The parameters that are objects, in file order: the others define nothing to compare."""
    return [parameter for parameter in parameters if parameter.is_object]


def all_connection_parameters(api: ApiProperties) -> list[ConnectionParameter]:
    """The parameters of `connectionParameters` and of every (named) parameter set."""
    found = parameters_of(api.connection_parameters)
    for parameter_set in parameter_sets(api).values():
        found.extend(parameters_of(parameter_set.parameters))
    return found


def signs_in_with_oauth_settings(api: ApiProperties) -> bool:
    """Whether connections sign in with the `oAuthSettings` of an oauthSetting parameter: the
    platform then uses those, not the swagger's oauth2 definition."""
    return any(parameter.is_oauth for parameter in all_connection_parameters(api))


def allowed_values(parameter: ConnectionParameter) -> dict[str, tuple[Any, str]] | None:
    """The values the connection dialog offers (`constraints.allowedValues`), each rendered
    as JSON, with its entry and the entry's pointer; None when the list is absent. An
    entry is {value, text}; a bare value is read as its own value."""
    listed = parameter.constraints.get("allowedValues")
    if not isinstance(listed, list):
        return None
    pointer = child(parameter.pointer, "uiDefinition", "constraints", "allowedValues")
    found: dict[str, tuple[Any, str]] = {}
    for index, entry in enumerate(listed):
        if isinstance(entry, dict):
            if "value" not in entry:
                continue
            value = entry["value"]
        else:
            value = entry
        found.setdefault(render(value), (entry, child(pointer, index)))
    return found


def oauth_settings(parameter: ConnectionParameter) -> OAuthSettings:
    """The `oAuthSettings`, also under a key in other letter case as some certified
    connectors write it; empty, at the parameter, when absent."""
    found = parameter.oauth_settings(any_case=True)
    return found if found is not None else OAuthSettings({}, parameter.pointer)


def policy_label(policy: PolicyInstance) -> str:
    title = policy.title
    return f"'{policy.template_id or ''}'" + (f" ('{title}')" if title else "")


def policy_operations(policy: PolicyInstance) -> str:
    """The operations a policy applies to, as messages name them."""
    listed = policy.parameters.get(OPERATION_NAME)
    if isinstance(listed, list) and listed:
        return ", ".join(str(name) for name in listed)
    return "every operation"


def names_listed(items: tuple[Item, ...]) -> set[str]:
    """The texts of a list of names (capabilities, scriptOperations)."""
    return {item.value for item in items if isinstance(item.value, str)}


def _strings(document: Any) -> Iterator[str]:
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str):
            yield node
        elif depth < _MAX_DEPTH and isinstance(node, dict):
            stack.extend((value, depth + 1) for value in node.values())
        elif depth < _MAX_DEPTH and isinstance(node, list):
            stack.extend((value, depth + 1) for value in node)


def used_parameters(properties: Any, api: ApiProperties, swagger: Any) -> dict[str, str]:
    """The connection parameters a version uses, each with what uses it (for messages)."""
    used: dict[str, str] = {}
    for document, where in ((properties, "apiProperties.json"), (swagger, "the swagger")):
        for text in _strings(document):
            if "@connectionparameters" in text.lower():
                for match in CONNECTION_PARAMETER_REFERENCE.finditer(text):
                    used.setdefault(match.group(2), f"{where} refers to it")
    for parameter in all_connection_parameters(api):
        kind = (parameter.type or "").lower()
        if kind == "oauthsetting":
            used.setdefault(parameter.name, "it holds the OAuth sign-in")
        elif kind == "securestring":
            used.setdefault(parameter.name, "it holds a secret, which connections keep to send")
    kinds = {scheme.type for scheme in security_schemes(swagger)}
    if "basic" in kinds:
        for name in ("username", "password"):
            used.setdefault(name, "the basic authentication sends it")
    if "apikey" in kinds:
        used.setdefault("api_key", "the API key authentication sends it")
    if "oauth2" in kinds:
        # paconn and the portal keep the OAuth sign-in under this name
        used.setdefault("token", "the OAuth 2.0 authentication signs in with it")
    return used


def use_of(name: str, used: dict[str, str]) -> str | None:
    base, _, sub = name.partition(":")
    return used.get(name) or (used.get(base) if sub else None)
