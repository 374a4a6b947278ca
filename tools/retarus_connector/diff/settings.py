"""Reading the connection settings of an apiProperties.json: connection parameters, parameter
sets, policies, and which parameters the package uses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .messages import render
from .swagger import as_dict, as_text, child, security_schemes

# function names in policy expressions are case-insensitive: "@ConnectionParameters('x')"
# appears in certified connectors
_CONNECTION_PARAMETER = re.compile(r"@connectionParameters\(\s*['\"]([^'\"]*)['\"]", re.IGNORECASE)
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
_CONNECTION_PARAMETERS = "/properties/connectionParameters"
# Nested values deeper than this are not searched for @connectionParameters; real files nest
# a few levels.
_MAX_DEPTH = 64


# reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConnectionParameter:
    """One entry of `connectionParameters` (or of a parameter set's `parameters`)."""

    name: str
    node: dict[str, Any]
    pointer: str

    @property
    def type(self) -> str | None:
        return as_text(self.node.get("type"))

    @property
    def is_oauth(self) -> bool:
        return (self.type or "").lower() == "oauthsetting"

    @property
    def required(self) -> bool:
        """Required unless the constraints say "false" (written as a string, or as a bool)."""
        ui = as_dict(self.node.get("uiDefinition"))
        value = as_dict(ui.get("constraints")).get("required")
        return not (value is False or (isinstance(value, str) and value.strip().lower() == "false"))

    @property
    def has_default(self) -> bool:
        return "defaultValue" in self.node

    @property
    def constraints(self) -> dict[str, Any]:
        return as_dict(as_dict(self.node.get("uiDefinition")).get("constraints"))

    def allowed_values(self) -> dict[str, tuple[Any, str]] | None:
        """The values the connection dialog offers (`constraints.allowedValues`), each rendered
        as JSON, with its entry and the entry's pointer; None when the list is absent. An
        entry is {value, text}; a bare value is read as its own value."""
        listed = self.constraints.get("allowedValues")
        if not isinstance(listed, list):
            return None
        pointer = child(self.pointer, "uiDefinition", "constraints", "allowedValues")
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

    def oauth_settings(self) -> tuple[dict[str, Any], str]:
        """The `oAuthSettings` with their pointer (empty, at the parameter, when absent). A key
        spelled with other letter case, as some certified connectors do, is read too."""
        keys = ["oAuthSettings"] + [k for k in self.node if k.lower() == "oauthsettings"]
        for key in keys:
            if isinstance(self.node.get(key), dict):
                return self.node[key], child(self.pointer, key)
        return {}, self.pointer


def properties_of(document: Any) -> dict[str, Any]:
    return as_dict(as_dict(document).get("properties"))


def connection_parameters(parameters: Any, pointer: str) -> list[ConnectionParameter]:
    """The parameters of a map of connection parameters, in file order."""
    return [
        ConnectionParameter(name, node, child(pointer, name))
        for name, node in as_dict(parameters).items()
        if isinstance(node, dict)
    ]


@dataclass(frozen=True)
class ParameterSet:
    """One entry of `connectionParameterSets.values`: a way to create a connection."""

    name: str
    node: dict[str, Any]
    pointer: str

    def parameters(self) -> list[ConnectionParameter]:
        return connection_parameters(self.node.get("parameters"), child(self.pointer, "parameters"))


def parameter_sets(document: Any) -> list[ParameterSet]:
    """The named parameter sets, in file order; a repeated name counts once, the first time."""
    values = as_dict(properties_of(document).get("connectionParameterSets")).get("values")
    if not isinstance(values, list):
        return []
    found: dict[str, ParameterSet] = {}
    for index, entry in enumerate(values):
        name = as_text(as_dict(entry).get("name"))
        if name is not None and name not in found:
            pointer = child("/properties/connectionParameterSets/values", index)
            found[name] = ParameterSet(name, entry, pointer)
    return list(found.values())


def all_connection_parameters(document: Any) -> list[ConnectionParameter]:
    """The parameters of `connectionParameters` and of every parameter set."""
    found = connection_parameters(
        properties_of(document).get("connectionParameters"), _CONNECTION_PARAMETERS
    )
    for parameter_set in parameter_sets(document):
        found.extend(parameter_set.parameters())
    return found


def signs_in_with_oauth_settings(document: Any) -> bool:
    """Whether connections sign in with the `oAuthSettings` of an oauthSetting parameter: the
    platform then uses those, not the swagger's oauth2 definition."""
    return any(parameter.is_oauth for parameter in all_connection_parameters(document))


@dataclass(frozen=True)
class Policy:
    """One entry of `policyTemplateInstances`."""

    node: dict[str, Any]
    pointer: str

    @property
    def template(self) -> str:
        return as_text(self.node.get("templateId")) or ""

    @property
    def title(self) -> str | None:
        return as_text(self.node.get("title"))

    @property
    def label(self) -> str:
        return f"'{self.template}'" + (f" ('{self.title}')" if self.title else "")

    @property
    def operations(self) -> str:
        """The operations it applies to, as messages name them."""
        listed = as_dict(self.node.get("parameters")).get("x-ms-apimTemplate-operationName")
        if isinstance(listed, list) and listed:
            return ", ".join(str(name) for name in listed)
        return "every operation"


def policies(document: Any) -> list[Policy]:
    entries = properties_of(document).get("policyTemplateInstances")
    if not isinstance(entries, list):
        return []
    return [
        Policy(entry, child("/properties/policyTemplateInstances", index))
        for index, entry in enumerate(entries)
        if isinstance(entry, dict)
    ]


def names_listed(document: Any, key: str) -> set[str]:
    """The texts of a list of names in `properties` (capabilities, scriptOperations)."""
    listed = properties_of(document).get(key)
    if not isinstance(listed, list):
        return set()
    return {value for value in listed if isinstance(value, str)}


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


def used_parameters(properties: Any, swagger: Any) -> dict[str, str]:
    """The connection parameters a version uses, each with what uses it (for messages)."""
    used: dict[str, str] = {}
    for document, where in ((properties, "apiProperties.json"), (swagger, "the swagger")):
        for text in _strings(document):
            if "@connectionparameters" in text.lower():
                for match in _CONNECTION_PARAMETER.finditer(text):
                    used.setdefault(match.group(1), f"{where} refers to it")
    for parameter in all_connection_parameters(properties):
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
