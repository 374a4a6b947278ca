"""Comparison of two apiProperties.json files (the connection settings, policies,
capabilities and custom-code routing a connector package declares next to its swagger) and of
the package's custom code, script.csx.

Power Platform builds the connection dialog and the sign-in from `connectionParameters` (or,
for multi-auth, from the `parameters` of each entry of `connectionParameterSets`), and every
existing connection keeps what its user entered, or the tokens the sign-in returned, under the
parameters' names. Whatever takes away such a value, asks for one existing connections do not
have, or changes what a stored token is good for, makes users edit or re-create their
connections: that is what counts as breaking here. Every change is connector-wide (no
operation) and points into apiProperties.json, or at script.csx.

Sources of the severities:

* Microsoft's "Update your certified connector" page (learn.microsoft.com/connectors/
  custom-connectors/certification-updates) says that changing the authentication type of a
  connector in an update is not allowed, and its table of minor updates admits, in
  apiProperties.json, only description, tooltip, iconBrandColor, publisher and stackOwner:
  a change of connection parameters, policies or capabilities makes a major update, which
  reviewers examine. So everything below is reported, the changes of connections' values as
  breaking, the others as non-breaking (listed with `--all`).
* A changed parameter `type` (string, securestring, oauthSetting, ...) is breaking: the stored
  value is of the old kind, and to or from oauthSetting it changes the authentication type.
* A parameter added as required is breaking, by the rule the swagger's required parameters
  follow: existing connections have no value for it, and the connection dialog is the only
  place to give one. A parameter is required unless `uiDefinition.constraints.required` is
  "false" (or false); a `defaultValue` (reference section 2, primitive parameters) fills the
  value, which makes it non-breaking. A parameter that becomes required follows the same rule.
* A removed parameter is breaking when either version uses it: a `@connectionParameters('x')`
  (in any letter case) in apiProperties.json or in the swagger; an oauthSetting parameter (it
  holds the sign-in) or a securestring one (a secret is kept only to be sent, and a corpus
  connector, Meisterplan, has an API key but no security definition saying how it is sent);
  `username`/`password` under a basic security definition, `api_key` under an apiKey one,
  `token` under an oauth2 one (the names the portal and paconn use, reference section 2); a
  `name:sub` parameter counts as used when `name` is. Still used by the new version, no
  connection can give it a value any more; used only by the old one, what existing
  connections set stops taking effect (a host they chose, a header they send). Used by
  neither, existing connections keep a value nothing reads, so the removal is not breaking.
  A used parameter that leaves `connectionParameters` for a parameter set (a connector made
  multi-auth) stays breaking, with a message that says so: existing connections hold it
  outside any set, and what the platform does with them is not documented.
* oAuthSettings: a changed `identityProvider` is breaking (another provider issues the
  tokens; it is the authentication changing). Added `scopes` are breaking and removed ones
  are not, for the reason the swagger's scopes are: RFC 6749 section 6 lets a refresh ask for
  no scope the user did not grant. A changed `clientId` is breaking because RFC 6749 section 6
  accepts a refresh token only from the client it was issued to; but the repository copies
  of certified connectors hold placeholders (the reference, section 2: "placeholders only";
  the merged update PowerPlatformConnectors PR #3247 replaced a real client id with null), so
  a change where either value looks like a placeholder is reported as non-breaking.
* A changed `redirectMode` is not breaking: a token refresh sends no redirect URI, so
  existing connections keep working. Reviewers ask publishers to move from Global to
  GlobalPerConnector in updates (PowerPlatformConnectors PR #3247; #3210 did so in an
  update and was merged), but new sign-ins then fail until the OAuth app accepts the new
  redirect URL (PR #3035), which the message says.
* `customParameters` compare by name without letter case (certified connectors spell them
  both ways). A change of one that existing connections get or refresh their tokens with is
  breaking, like the swagger's tokenUrl: tokenUrl, refreshUrl, their oauth2generic templates,
  and the Entra ID resourceUri, loginUri, tenantId and grantType. Any other one
  (authorizationUrl: only new sign-ins use it) is reported as non-breaking.
* `uiDefinition.constraints.allowedValues` (the choices the connection dialog offers; an
  entry's `value` counts, its `text` is a DescriptionChanged): a value removed from a
  parameter both versions have is breaking, as a removed enum value of the swagger is, because
  existing connections may hold it and the dialog no longer offers it. A value added is not,
  and neither is a list introduced (the swagger's rule for an enum added: the service did not
  accept other values either) or dropped (any value is accepted). Values are printed, as the
  dialog shows them.
* A changed, added or removed `defaultValue` is non-breaking but listed: it fills the dialog
  of new connections only. Its values are not printed: a default may be a secret's.
* A parameter set removed is breaking: connections created with it have nothing to
  authenticate with. One added is not; when the old version had no sets at all, the message
  says that existing connections were created without choosing one (what Power Platform does
  with them is not documented). The parameters of a set compare like `connectionParameters`.
* Policy templates added, removed or with other parameters, and a changed `capabilities`
  list, change what happens at run time but ask nothing of connections: non-breaking.
  Policies pair by templateId and title, then by templateId in order, so a retitled policy is
  one change of its title.
* `scriptOperations` (the operations routed through script.csx) added or removed, and
  script.csx added, removed or with other content (line endings and a byte order mark
  ignored), change what operations do at run time but ask nothing of connections:
  non-breaking, listed so that reviewers see them. The script changes point at the whole
  file (pointer "").
* `publisher`, `stackOwner` and `iconBrandColor` (the color without letter case) are listed as
  non-breaking: the page above counts them, with descriptions and tooltips, as minor updates,
  and no connection depends on them, but they change how the connector is presented and a
  certification reviewer checks who publishes it, so they are reported like the texts.
* icon.png added, removed or replaced (any byte differs) is non-breaking and listed: like
  `iconBrandColor`, it changes how the connector is presented, and reviewers check it. Its
  changes point at the whole file (pointer "").
* Texts (a parameter's or set's displayName, description and tooltip, a policy's title, an
  allowed value's text) are reported as DescriptionChanged.

Values of `clientId`, `clientSecret` and custom parameters never appear in messages: they may
be credentials.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from retarus_connector.core.png import read_png

from .messages import capitalized, quote, render, scope_changes, text_changes
from .model import Change, ChangeKind, Document, Severity, Side
from .swagger import as_dict, as_text, child, security_schemes, url_key

BREAKING = Severity.BREAKING
NON_BREAKING = Severity.NON_BREAKING

# Every kind this comparison, `compare_scripts` and `compare_icons` report; the scope and description kinds are
# shared with the swagger comparison.
KINDS = frozenset(
    {
        ChangeKind.CONNECTION_PARAMETER_REMOVED,
        ChangeKind.REQUIRED_CONNECTION_PARAMETER_ADDED,
        ChangeKind.OPTIONAL_CONNECTION_PARAMETER_ADDED,
        ChangeKind.CONNECTION_PARAMETER_NEWLY_REQUIRED,
        ChangeKind.CONNECTION_PARAMETER_TYPE_CHANGED,
        ChangeKind.CONNECTION_PARAMETER_ALLOWED_VALUE_REMOVED,
        ChangeKind.CONNECTION_PARAMETER_ALLOWED_VALUE_ADDED,
        ChangeKind.CONNECTION_PARAMETER_ALLOWED_VALUES_ADDED,
        ChangeKind.CONNECTION_PARAMETER_DEFAULT_VALUE_CHANGED,
        ChangeKind.CONNECTION_PARAMETER_SET_REMOVED,
        ChangeKind.CONNECTION_PARAMETER_SET_ADDED,
        ChangeKind.OAUTH_IDENTITY_PROVIDER_CHANGED,
        ChangeKind.OAUTH_CLIENT_ID_CHANGED,
        ChangeKind.OAUTH_SCOPE_ADDED,
        ChangeKind.OAUTH_SCOPE_REMOVED,
        ChangeKind.OAUTH_REDIRECT_MODE_CHANGED,
        ChangeKind.OAUTH_CUSTOM_PARAMETER_CHANGED,
        ChangeKind.POLICY_TEMPLATE_REMOVED,
        ChangeKind.POLICY_TEMPLATE_ADDED,
        ChangeKind.POLICY_TEMPLATE_CHANGED,
        ChangeKind.CAPABILITIES_CHANGED,
        ChangeKind.SCRIPT_OPERATIONS_CHANGED,
        ChangeKind.CUSTOM_CODE_ADDED,
        ChangeKind.CUSTOM_CODE_REMOVED,
        ChangeKind.CUSTOM_CODE_CHANGED,
        ChangeKind.PUBLISHER_CHANGED,
        ChangeKind.STACK_OWNER_CHANGED,
        ChangeKind.ICON_BRAND_COLOR_CHANGED,
        ChangeKind.ICON_ADDED,
        ChangeKind.ICON_REMOVED,
        ChangeKind.ICON_CHANGED,
        ChangeKind.DESCRIPTION_CHANGED,
    }
)

# function names in policy expressions are case-insensitive: "@ConnectionParameters('x')"
# appears in certified connectors
_CONNECTION_PARAMETER = re.compile(r"@connectionParameters\(\s*['\"]([^'\"]*)['\"]", re.IGNORECASE)
# what the repository copy of a certified connector holds instead of its real client id
_CLIENT_ID_PLACEHOLDER = re.compile(
    r"^\s*$|[\s<>\[\]{}]|dummy|placeholder|your|enter|client|sample|example|^x+$",
    re.IGNORECASE,
)
# custom parameters that existing connections get or refresh their tokens with (lower case)
_TOKEN_PARAMETERS = frozenset(
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
_TEXT_KEYS = ("displayName", "description", "tooltip")
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


def _properties(document: Any) -> dict[str, Any]:
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
    values = as_dict(_properties(document).get("connectionParameterSets")).get("values")
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
        _properties(document).get("connectionParameters"), _CONNECTION_PARAMETERS
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
    entries = _properties(document).get("policyTemplateInstances")
    if not isinstance(entries, list):
        return []
    return [
        Policy(entry, child("/properties/policyTemplateInstances", index))
        for index, entry in enumerate(entries)
        if isinstance(entry, dict)
    ]


def _names_listed(document: Any, key: str) -> set[str]:
    """The texts of a list of names in `properties` (capabilities, scriptOperations)."""
    listed = _properties(document).get(key)
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


def _use(name: str, used: dict[str, str]) -> str | None:
    base, _, sub = name.partition(":")
    return used.get(name) or (used.get(base) if sub else None)


# comparing -----------------------------------------------------------------------------------


def compare_scripts(old: bytes | None, new: bytes | None) -> Iterator[Change]:
    """The change of the package's custom code, script.csx, given the bytes of each version's
    file (None when it has none): added, removed, or with other content. Line endings and a
    byte order mark do not count, since git checkouts and editors change them."""
    if old is None and new is None:
        return
    if old is None:
        yield _script_change(
            ChangeKind.CUSTOM_CODE_ADDED,
            "The custom code (script.csx) has been added; the operations it handles"
            " (scriptOperations) run through it from now on.",
            Side.NEW,
        )
    elif new is None:
        yield _script_change(
            ChangeKind.CUSTOM_CODE_REMOVED,
            "The custom code (script.csx) has been removed; the operations it handled go"
            " straight to the service again, so check that none of them relied on it.",
            Side.OLD,
        )
    elif _code(old) != _code(new):
        yield _script_change(
            ChangeKind.CUSTOM_CODE_CHANGED,
            "The custom code (script.csx) has changed; what the operations it handles do at"
            " run time changes with it.",
            Side.NEW,
        )


def compare_icons(old: bytes | None, new: bytes | None) -> Iterator[Change]:
    """The change of the package's icon.png, given the bytes of each version's file (None
    when it has none): added, removed, or replaced by other bytes."""
    if old == new:
        return
    if old is None:
        kind, side, message = ChangeKind.ICON_ADDED, Side.NEW, "The icon (icon.png) has been added."
    elif new is None:
        kind, side, message = (
            ChangeKind.ICON_REMOVED,
            Side.OLD,
            "The icon (icon.png) has been removed from the package.",
        )
    else:
        kind, side = ChangeKind.ICON_CHANGED, Side.NEW
        message = _icon_replaced(old, new)
    yield Change(kind, NON_BREAKING, None, "", message, side, Document.ICON)


def _icon_replaced(old: bytes, new: bytes) -> str:
    """What changed between two icon files' bytes: the picture, or only its encoding (a PNG
    optimizer or another zlib writes the same pixels into other bytes)."""
    before, after = read_png(old), read_png(new)
    # a file that is no readable PNG: only its bytes can be compared
    if before is not None and after is not None:
        if (before.width, before.height, before.rgba) == (after.width, after.height, after.rgba):
            return (
                f"The icon file (icon.png) has been re-encoded ({len(old)} bytes, now "
                f"{len(new)}); the picture is the same."
            )
        if (before.width, before.height) != (after.width, after.height):
            return (
                f"The icon (icon.png) has been replaced ({before.width}x{before.height}, now "
                f"{after.width}x{after.height}); check that it is 230x230 and that its "
                "background matches iconBrandColor."
            )
    return (
        f"The icon (icon.png) has been replaced ({len(old)} bytes, now {len(new)});"
        " check that its background matches iconBrandColor."
    )


def _script_change(kind: ChangeKind, message: str, side: Side) -> Change:
    return Change(kind, NON_BREAKING, None, "", message, side, Document.SCRIPT)


def _code(raw: bytes) -> bytes:
    return raw.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")


def compare_properties(
    old: Any, new: Any, old_swagger: Any = None, new_swagger: Any = None
) -> Iterator[Change]:
    """Every change from the apiProperties document `old` to `new`, breaking and
    non-breaking, in this order: connection parameters, parameter sets, policies,
    capabilities. The swaggers tell which connection parameters each version uses."""
    yield from _PropertiesComparison(old, new, old_swagger, new_swagger).changes()


class _PropertiesComparison:
    def __init__(self, old: Any, new: Any, old_swagger: Any, new_swagger: Any) -> None:
        self.old = old
        self.new = new
        self.old_used = used_parameters(old, old_swagger)
        self.new_used = used_parameters(new, new_swagger)

    def changes(self) -> Iterator[Change]:
        yield from self._parameter_map(
            connection_parameters(
                _properties(self.old).get("connectionParameters"), _CONNECTION_PARAMETERS
            ),
            connection_parameters(
                _properties(self.new).get("connectionParameters"), _CONNECTION_PARAMETERS
            ),
            None,
        )
        yield from self._sets()
        yield from self._policies()
        yield from self._capabilities()
        yield from self._script_operations()
        yield from self._presentation()

    @staticmethod
    def change(
        kind: ChangeKind,
        severity: Severity,
        pointer: str,
        message: str,
        side: Side = Side.NEW,
    ) -> Change:
        return Change(kind, severity, None, pointer, message, side, Document.PROPERTIES)

    def _texts(
        self, old: Any, old_pointer: str, new: Any, new_pointer: str, what: str
    ) -> Iterator[Change]:
        """DescriptionChanged for the displayName, description and tooltip of a
        `uiDefinition` (the pointers are those of the uiDefinitions)."""
        yield from text_changes(
            self.change, _TEXT_KEYS, as_dict(old), old_pointer, as_dict(new), new_pointer, what
        )

    # connection parameters ---------------------------------------------------------------

    def _parameter_map(
        self,
        old_parameters: list[ConnectionParameter],
        new_parameters: list[ConnectionParameter],
        parameter_set: str | None,
    ) -> Iterator[Change]:
        new_by_name = {parameter.name: parameter for parameter in new_parameters}
        for old in old_parameters:
            what = _parameter_label(old.name, parameter_set)
            new = new_by_name.get(old.name)
            if new is None:
                yield self._removed(old, what, parameter_set)
            else:
                yield from self._parameter(old, new, what)
        old_names = {parameter.name for parameter in old_parameters}
        for new in new_parameters:
            if new.name not in old_names:
                yield self._added(new, _parameter_label(new.name, parameter_set))

    def _removed(self, old: ConnectionParameter, what: str, parameter_set: str | None) -> Change:
        still_used = _use(old.name, self.new_used)
        was_used = _use(old.name, self.old_used)
        moved_to = [] if parameter_set is not None else self._sets_holding(old.name)
        if moved_to and (still_used or was_used):
            # a single-auth connector made multi-auth: new connections give the value in a set
            sets = ("parameter sets " if len(moved_to) > 1 else "parameter set ") + _names(moved_to)
            return self.change(
                ChangeKind.CONNECTION_PARAMETER_REMOVED,
                BREAKING,
                old.pointer,
                f"{capitalized(what)} has been removed from connectionParameters and is now"
                f" only in the {sets}. Existing connections hold their value under"
                " connectionParameters, and how Power Platform carries them over to a set is"
                " not documented: keep the parameter there too, or check that they keep working.",
                Side.OLD,
            )
        if still_used:
            return self.change(
                ChangeKind.CONNECTION_PARAMETER_REMOVED,
                BREAKING,
                old.pointer,
                f"{capitalized(what)} has been removed, but the new version still uses it"
                f" ({still_used}); no connection can give it a value any more.",
                Side.OLD,
            )
        if was_used:
            return self.change(
                ChangeKind.CONNECTION_PARAMETER_REMOVED,
                BREAKING,
                old.pointer,
                f"{capitalized(what)} has been removed; the old version used it ({was_used}),"
                " so what existing connections set for it no longer takes effect and their"
                " users may have to create new connections.",
                Side.OLD,
            )
        return self.change(
            ChangeKind.CONNECTION_PARAMETER_REMOVED,
            NON_BREAKING,
            old.pointer,
            f"{capitalized(what)} has been removed; neither version uses it (no"
            " @connectionParameters refers to it and it carries no authentication), so"
            " existing connections keep a value that nothing reads.",
            Side.OLD,
        )

    def _added(self, new: ConnectionParameter, what: str) -> Change:
        if not new.required:
            return self.change(
                ChangeKind.OPTIONAL_CONNECTION_PARAMETER_ADDED,
                NON_BREAKING,
                new.pointer,
                f"{capitalized(what)} has been added as optional.",
            )
        return self.change(
            ChangeKind.REQUIRED_CONNECTION_PARAMETER_ADDED,
            NON_BREAKING if new.has_default else BREAKING,
            new.pointer,
            f"{capitalized(what)} has been added as required" + _default_note(new.has_default),
        )

    def _parameter(
        self, old: ConnectionParameter, new: ConnectionParameter, what: str
    ) -> Iterator[Change]:
        if old.type != new.type:
            in_new = "type" in new.node
            yield self.change(
                ChangeKind.CONNECTION_PARAMETER_TYPE_CHANGED,
                BREAKING,
                child(new.pointer if in_new else old.pointer, "type"),
                f"The type of {what} has changed: {quote(old.type)} is now {quote(new.type)}."
                " Existing connections hold a value of the old type; their users must edit or"
                " re-create them.",
                Side.NEW if in_new else Side.OLD,
            )
            return  # the settings of different types do not compare
        if new.required and not old.required:
            constraints = new.constraints
            yield self.change(
                ChangeKind.CONNECTION_PARAMETER_NEWLY_REQUIRED,
                NON_BREAKING if new.has_default else BREAKING,
                child(new.pointer, "uiDefinition", "constraints", "required")
                if "required" in constraints
                else new.pointer,
                f"{capitalized(what)} is now required" + _default_note(new.has_default),
            )
        yield from self._allowed_values(old, new, what)
        yield from self._default_value(old, new, what)
        yield from self._texts(
            old.node.get("uiDefinition"),
            child(old.pointer, "uiDefinition"),
            new.node.get("uiDefinition"),
            child(new.pointer, "uiDefinition"),
            what,
        )
        if old.is_oauth:
            yield from self._oauth(old, new, what)

    def _allowed_values(
        self, old: ConnectionParameter, new: ConnectionParameter, what: str
    ) -> Iterator[Change]:
        old_values, new_values = old.allowed_values(), new.allowed_values()
        if new_values is None:
            if old_values is not None:
                # a list dropped allows every value: a widening, so it counts as values added
                yield self.change(
                    ChangeKind.CONNECTION_PARAMETER_ALLOWED_VALUE_ADDED,
                    NON_BREAKING,
                    child(old.pointer, "uiDefinition", "constraints", "allowedValues"),
                    f"The allowedValues of {what} have been removed: the connection dialog"
                    " accepts any value now, and existing connections keep theirs.",
                    Side.OLD,
                )
            return
        pointer = child(new.pointer, "uiDefinition", "constraints", "allowedValues")
        if old_values is None:
            yield self.change(
                ChangeKind.CONNECTION_PARAMETER_ALLOWED_VALUES_ADDED,
                NON_BREAKING,
                pointer,
                f"The values of {what} are now limited to {', '.join(sorted(new_values))}."
                " Existing connections that hold another value keep it until their users edit"
                " them; check that the service never accepted another one.",
            )
            return
        if removed := sorted(set(old_values) - set(new_values)):
            yield self.change(
                ChangeKind.CONNECTION_PARAMETER_ALLOWED_VALUE_REMOVED,
                BREAKING,
                pointer,
                f"Allowed values have been removed from {what}: {', '.join(removed)}. Existing"
                " connections may hold one of them, and the connection dialog no longer offers"
                " it, so their users must edit or re-create them.",
            )
        if added := sorted(set(new_values) - set(old_values)):
            yield self.change(
                ChangeKind.CONNECTION_PARAMETER_ALLOWED_VALUE_ADDED,
                NON_BREAKING,
                pointer,
                f"Allowed values have been added to {what}: {', '.join(added)}.",
            )
        for key, (entry, entry_pointer) in new_values.items():
            if key not in old_values:
                continue
            old_text = as_dict(old_values[key][0]).get("text")
            new_text = as_dict(entry).get("text")
            if old_text != new_text:
                in_new = "text" in as_dict(entry)
                yield self.change(
                    ChangeKind.DESCRIPTION_CHANGED,
                    NON_BREAKING,
                    child(entry_pointer if in_new else old_values[key][1], "text"),
                    f"The text the connection dialog shows for the value {key} of {what} has"
                    " changed.",
                    Side.NEW if in_new else Side.OLD,
                )

    def _default_value(
        self, old: ConnectionParameter, new: ConnectionParameter, what: str
    ) -> Iterator[Change]:
        if not old.has_default and not new.has_default:
            return
        if old.has_default and new.has_default:
            if render(old.node["defaultValue"]) == render(new.node["defaultValue"]):
                return
            verb = "changed"
        else:
            verb = "been added" if new.has_default else "been removed"
        # the values stay out of the message: a default may be a secret's
        yield self.change(
            ChangeKind.CONNECTION_PARAMETER_DEFAULT_VALUE_CHANGED,
            NON_BREAKING,
            child(new.pointer if new.has_default else old.pointer, "defaultValue"),
            f"The defaultValue of {what} has {verb}. It fills the connection dialog of new"
            " connections only; existing connections keep the value they hold.",
            Side.NEW if new.has_default else Side.OLD,
        )

    # OAuth --------------------------------------------------------------------------------

    def _oauth(
        self, old: ConnectionParameter, new: ConnectionParameter, what: str
    ) -> Iterator[Change]:
        old_settings, old_pointer = old.oauth_settings()
        new_settings, new_pointer = new.oauth_settings()

        def where(key: str) -> tuple[str, Side]:
            if key in new_settings:
                return child(new_pointer, key), Side.NEW
            if key in old_settings:
                return child(old_pointer, key), Side.OLD
            return new_pointer, Side.NEW

        old_provider = as_text(old_settings.get("identityProvider"))
        new_provider = as_text(new_settings.get("identityProvider"))
        if (old_provider or "").lower() != (new_provider or "").lower():
            pointer, side = where("identityProvider")
            yield self.change(
                ChangeKind.OAUTH_IDENTITY_PROVIDER_CHANGED,
                BREAKING,
                pointer,
                f"The OAuth identity provider of {what} has changed: {quote(old_provider)} is"
                f" now {quote(new_provider)}. Existing connections hold tokens of the old"
                " provider; changing the authentication of a connector in an update is not"
                " allowed.",
                side,
            )
            return  # the other settings of different providers do not compare
        yield from self._client_id(old_settings, new_settings, what, where("clientId"))
        yield from scope_changes(
            self.change,
            _oauth_scopes(old_settings, old_pointer),
            _oauth_scopes(new_settings, new_pointer),
            what,
        )
        old_mode = as_text(old_settings.get("redirectMode"))
        new_mode = as_text(new_settings.get("redirectMode"))
        if (old_mode or "").lower() != (new_mode or "").lower():
            pointer, side = where("redirectMode")
            yield self.change(
                ChangeKind.OAUTH_REDIRECT_MODE_CHANGED,
                NON_BREAKING,
                pointer,
                f"The OAuth redirect mode of {what} has changed: {quote(old_mode)} is now"
                f" {quote(new_mode)}. Existing connections refresh their tokens without a"
                " redirect and keep working, but new sign-ins return to another redirect URL:"
                " register it with the OAuth app before the update ships.",
                side,
            )
        yield from self._custom_parameters(
            old_settings, old_pointer, new_settings, new_pointer, what
        )

    def _client_id(
        self,
        old_settings: dict[str, Any],
        new_settings: dict[str, Any],
        what: str,
        where: tuple[str, Side],
    ) -> Iterator[Change]:
        old_id, new_id = old_settings.get("clientId"), new_settings.get("clientId")
        if old_id == new_id:
            return
        if _is_placeholder(old_id) or _is_placeholder(new_id):
            yield self.change(
                ChangeKind.OAUTH_CLIENT_ID_CHANGED,
                NON_BREAKING,
                where[0],
                f"The OAuth client id of {what} has changed, but one of the two values is a"
                " placeholder: the app registered at certification is what connections use,"
                " so make sure that stays the same app.",
                where[1],
            )
            return
        yield self.change(
            ChangeKind.OAUTH_CLIENT_ID_CHANGED,
            BREAKING,
            where[0],
            f"The OAuth client id of {what} has changed. Existing connections hold tokens"
            " issued to the old app, and a refresh token is accepted only from the client it"
            " was issued to (RFC 6749, section 6), so their users must sign in again.",
            where[1],
        )

    def _custom_parameters(
        self,
        old_settings: dict[str, Any],
        old_pointer: str,
        new_settings: dict[str, Any],
        new_pointer: str,
        what: str,
    ) -> Iterator[Change]:
        old_custom = _custom(old_settings, old_pointer)
        new_custom = _custom(new_settings, new_pointer)
        for key, (name, entry, pointer) in old_custom.items():
            if key not in new_custom:
                yield self._custom_change(key, name, pointer, Side.OLD, "been removed", what)
                continue
            new_name, new_entry, new_pointer = new_custom[key]
            if _custom_value(entry) != _custom_value(new_entry):
                yield self._custom_change(key, new_name, new_pointer, Side.NEW, "changed", what)
        for key, (name, _entry, pointer) in new_custom.items():
            if key not in old_custom:
                yield self._custom_change(key, name, pointer, Side.NEW, "been added", what)

    def _custom_change(
        self, key: str, name: str, pointer: str, side: Side, verb: str, what: str
    ) -> Change:
        breaking = key in _TOKEN_PARAMETERS
        return self.change(
            ChangeKind.OAUTH_CUSTOM_PARAMETER_CHANGED,
            BREAKING if breaking else NON_BREAKING,
            pointer,
            f"The OAuth custom parameter '{name}' of {what} has {verb}."
            + (
                " Existing connections get or refresh their tokens with it; tokens the old"
                " setting gave may not be accepted, so their users may have to sign in again."
                if breaking
                else " Existing connections do not refresh their tokens with it; new sign-ins"
                " use the new setting."
            ),
            side,
        )

    def _sets_holding(self, name: str) -> list[str]:
        """The new version's parameter sets that have a parameter called `name`."""
        return [
            parameter_set.name
            for parameter_set in parameter_sets(self.new)
            if any(parameter.name == name for parameter in parameter_set.parameters())
        ]

    # parameter sets -----------------------------------------------------------------------

    def _sets(self) -> Iterator[Change]:
        old_sets, new_sets = parameter_sets(self.old), parameter_sets(self.new)
        new_by_name = {parameter_set.name: parameter_set for parameter_set in new_sets}
        for old in old_sets:
            new = new_by_name.get(old.name)
            if new is None:
                yield self.change(
                    ChangeKind.CONNECTION_PARAMETER_SET_REMOVED,
                    BREAKING,
                    old.pointer,
                    f"The connection parameter set '{old.name}' has been removed; connections"
                    " created with it have nothing left to authenticate with, so their users"
                    " must create new connections.",
                    Side.OLD,
                )
                continue
            yield from self._texts(
                old.node.get("uiDefinition"),
                child(old.pointer, "uiDefinition"),
                new.node.get("uiDefinition"),
                child(new.pointer, "uiDefinition"),
                f"the connection parameter set '{new.name}'",
            )
            yield from self._parameter_map(old.parameters(), new.parameters(), new.name)
        old_names = {parameter_set.name for parameter_set in old_sets}
        for new in new_sets:
            if new.name in old_names:
                continue
            note = (
                " The old version had no parameter sets: existing connections were created"
                " without choosing one, so check that they keep working."
                if not old_sets
                else ""
            )
            yield self.change(
                ChangeKind.CONNECTION_PARAMETER_SET_ADDED,
                NON_BREAKING,
                new.pointer,
                f"The connection parameter set '{new.name}' has been added; new connections"
                " can choose it." + note,
            )

    # policies and capabilities ------------------------------------------------------------

    def _policies(self) -> Iterator[Change]:
        old_policies, new_policies = policies(self.old), policies(self.new)
        matches = _match_policies(old_policies, new_policies)
        for old in old_policies:
            new = matches.get(old.pointer)
            if new is None:
                yield self.change(
                    ChangeKind.POLICY_TEMPLATE_REMOVED,
                    NON_BREAKING,
                    old.pointer,
                    f"The policy {old.label} has been removed; requests and responses of"
                    f" {old.operations} no longer go through it.",
                    Side.OLD,
                )
                continue
            yield from self._policy(old, new)
        matched = {new.pointer for new in matches.values()}
        for new in new_policies:
            if new.pointer not in matched:
                yield self.change(
                    ChangeKind.POLICY_TEMPLATE_ADDED,
                    NON_BREAKING,
                    new.pointer,
                    f"The policy {new.label} has been added; it changes requests or responses"
                    f" of {new.operations} at run time.",
                )

    def _policy(self, old: Policy, new: Policy) -> Iterator[Change]:
        if old.title != new.title:
            in_new = "title" in new.node
            yield self.change(
                ChangeKind.DESCRIPTION_CHANGED,
                NON_BREAKING,
                child(new.pointer if in_new else old.pointer, "title"),
                f"The title of the policy '{new.template}' has changed: {quote(old.title)} is"
                f" now {quote(new.title)}.",
                Side.NEW if in_new else Side.OLD,
            )
        old_parameters = as_dict(old.node.get("parameters"))
        new_parameters = as_dict(new.node.get("parameters"))
        names = list(old_parameters) + [n for n in new_parameters if n not in old_parameters]
        changed = [
            name
            for name in names
            if name not in old_parameters
            or name not in new_parameters
            or render(old_parameters[name]) != render(new_parameters[name])
        ]
        if old.node.get("type") != new.node.get("type"):
            changed.insert(0, "type")
        if changed:
            yield self.change(
                ChangeKind.POLICY_TEMPLATE_CHANGED,
                NON_BREAKING,
                child(new.pointer, "parameters") if "parameters" in new.node else new.pointer,
                f"The policy {new.label} has changed ({', '.join(changed)}); what it does to"
                f" requests or responses of {new.operations} at run time changes with it.",
            )

    def _capabilities(self) -> Iterator[Change]:
        if difference := self._listed_difference("capabilities"):
            yield self.change(
                ChangeKind.CAPABILITIES_CHANGED,
                NON_BREAKING,
                "/properties/capabilities",
                f"The capabilities have changed: {difference}.",
                Side.NEW if "capabilities" in _properties(self.new) else Side.OLD,
            )

    def _script_operations(self) -> Iterator[Change]:
        if difference := self._listed_difference("scriptOperations"):
            yield self.change(
                ChangeKind.SCRIPT_OPERATIONS_CHANGED,
                NON_BREAKING,
                "/properties/scriptOperations",
                f"The scriptOperations have changed: {difference}. They name the operations"
                " whose requests and responses go through the custom code (script.csx), so"
                " what those operations do at run time changes.",
                Side.NEW if "scriptOperations" in _properties(self.new) else Side.OLD,
            )

    def _listed_difference(self, key: str) -> str:
        """What was added to and removed from a list of names in `properties`, in words ("" for
        nothing); a difference means one of the two files has the key."""
        old_values, new_values = _names_listed(self.old, key), _names_listed(self.new, key)
        parts = []
        if added := sorted(new_values - old_values):
            parts.append(f"added {', '.join(added)}")
        if removed := sorted(old_values - new_values):
            parts.append(f"removed {', '.join(removed)}")
        return "; ".join(parts)

    def _presentation(self) -> Iterator[Change]:
        """publisher, stackOwner and iconBrandColor: what the connector's page and the
        designer show, which no connection depends on."""
        fields = (
            (ChangeKind.PUBLISHER_CHANGED, "publisher", str.strip),
            (ChangeKind.STACK_OWNER_CHANGED, "stackOwner", str.strip),
            # "#DA3B01" and "#da3b01" are one color
            (ChangeKind.ICON_BRAND_COLOR_CHANGED, "iconBrandColor", _color),
        )
        old_properties, new_properties = _properties(self.old), _properties(self.new)
        for kind, key, normal in fields:
            old_value = as_text(old_properties.get(key))
            new_value = as_text(new_properties.get(key))
            if (old_value and normal(old_value)) == (new_value and normal(new_value)):
                continue
            in_new = key in new_properties
            yield self.change(
                kind,
                NON_BREAKING,
                child("/properties", key),
                f"The {key} has changed: {quote(old_value)} is now {quote(new_value)}."
                " Connections do not depend on it; Microsoft counts it as a minor update.",
                Side.NEW if in_new else Side.OLD,
            )


def _color(value: str) -> str:
    return value.strip().lower()


def _match_policies(old: list[Policy], new: list[Policy]) -> dict[str, Policy]:
    """old policy (by pointer) -> the new policy it became: the same templateId (without
    letter case) and title first, then the same templateId, in file order."""
    remaining = list(new)
    matches: dict[str, Policy] = {}
    for same_title in (True, False):
        for policy in old:
            if policy.pointer in matches:
                continue
            for candidate in remaining:
                if candidate.template.lower() == policy.template.lower() and (
                    not same_title or candidate.title == policy.title
                ):
                    matches[policy.pointer] = candidate
                    remaining.remove(candidate)
                    break
    return matches


def _oauth_scopes(settings: dict[str, Any], pointer: str) -> dict[str, str]:
    """The scopes of oAuthSettings, split on whitespace, each with the pointer of its entry."""
    listed = settings.get("scopes")
    if not isinstance(listed, list):
        return {}
    found: dict[str, str] = {}
    for index, entry in enumerate(listed):
        if isinstance(entry, str):
            for scope in entry.split():
                found.setdefault(scope, child(pointer, "scopes", index))
    return found


def _custom(settings: dict[str, Any], pointer: str) -> dict[str, tuple[str, Any, str]]:
    """customParameters by lower-case name: (name as written, entry, pointer)."""
    found: dict[str, tuple[str, Any, str]] = {}
    for name, entry in as_dict(settings.get("customParameters")).items():
        found.setdefault(name.lower(), (name, entry, child(pointer, "customParameters", name)))
    return found


def _custom_value(entry: Any) -> object:
    value = as_dict(entry).get("value")
    if isinstance(value, str) and set(as_dict(entry)) == {"value"}:
        return url_key(value)
    return render(entry)


def _is_placeholder(client_id: Any) -> bool:
    return not isinstance(client_id, str) or bool(_CLIENT_ID_PLACEHOLDER.search(client_id))


def _names(names: list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


def _parameter_label(name: str, parameter_set: str | None) -> str:
    label = f"the connection parameter '{name}'"
    return label + (f" of the parameter set '{parameter_set}'" if parameter_set else "")


def _default_note(has_default: bool) -> str:
    if has_default:
        return "; its defaultValue fills the value for existing connections."
    return (
        " without a defaultValue; existing connections have no value for it, so their users"
        " must edit or re-create them."
    )
