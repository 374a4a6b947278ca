"""Breaking-change comparison of what every operation of a connector shares: where requests go
(`host`, `basePath`, `schemes`) and how connections authenticate (`securityDefinitions` and the
`security` requirements). Its changes name no operation.

* `host`, `basePath` and `schemes` decide where every request goes, but a change of them is
  reported as non-breaking, each with its own kind: the validator's messages quoted in
  PowerPlatformConnectors pull requests never include one, and when a connector moved to a new
  domain the certification reviewer only asked the publisher to confirm it (PR #3746).
* Microsoft's "Update your certified connector" page says that changing the authentication type
  of a connector in an update is not allowed, so a changed definition `type` is breaking, and so
  is everything that changes how existing credentials are sent or refreshed: an API key's `name`
  (header names without letter case) or `in`, the OAuth `flow` or `tokenUrl`. oasdiff, too, fails
  a changed type, API-key name or location. A changed `authorizationUrl` is not breaking: only
  new sign-ins use it, existing connections refresh at the token URL.
* An added OAuth scope is breaking: RFC 6749 section 6 forbids a refresh to ask for a scope the
  user did not grant, so existing connections get it only by signing in again (oasdiff fails an
  added scope too). A removed scope is not breaking. A definition's scopes are its `scopes` keys
  and the scopes the requirements naming it list, split on whitespace.
* When both versions' apiProperties.json have an oauthSetting connection parameter, the
  platform signs in with its `oAuthSettings` (which `properties` compares, with the same rules)
  and not with the swagger's oauth2 definition, so a changed `tokenUrl` or an added scope there
  is not breaking. It is the edit the linter's reference-security-oauth asks for: the
  definition made to match the settings.
* Definitions are paired by name, then by type, then the last one left on each side: names are
  free and connections do not see them, so a renamed definition alone is no change. A removed
  definition is breaking when connections use it (the gateway's choice: the first the top-level
  `security` names, else the first defined) or any requirement, old or new, names it; an added
  one when the new document requires it that way. Otherwise both are reported as non-breaking.
* The definition in use switching to another one both versions have (the top-level `security`
  names another, or, without it, another comes first) is breaking: existing connections were
  created for the old one and hold its credentials, which is the authentication changing. Two
  definitions that differ only in name and texts are the same authentication: no change.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .messages import REFRESH_CANNOT_WIDEN, change_maker, quote, render, scope_changes, text_changes
from .model import Change, ChangeKind, Severity, Side
from .swagger import (
    TEXT_KEYS,
    SecurityScheme,
    as_dict,
    as_text,
    child,
    default_scheme,
    requirements,
    scopes,
    security_schemes,
    shown_host,
    shown_url,
    url_key,
)

BREAKING = Severity.BREAKING
NON_BREAKING = Severity.NON_BREAKING

_MOVED = (
    " Existing connections send their requests to the new address once the update is deployed;"
    " make sure it serves the same API for them."
)

_SIGNED_IN_BY_PROPERTIES = (
    " Connections sign in with the oAuthSettings of apiProperties.json (compared on their own),"
    " not with this definition, so no connection depends on it."
)


def compare_connector(
    old: Any, new: Any, *, signed_in_by_properties: bool = False
) -> Iterator[Change]:
    """The changes from the swagger `old` to `new` that every operation shares: where requests
    go, then authentication. `signed_in_by_properties` says that both versions'
    apiProperties.json sign in with oAuthSettings, which the swagger's oauth2 definition then
    only documents."""
    yield from _ConnectorComparison(old, new, signed_in_by_properties).changes()


class _ConnectorComparison:
    def __init__(self, old: Any, new: Any, signed_in_by_properties: bool) -> None:
        self.old = old
        self.new = new
        self.signed_in_by_properties = signed_in_by_properties

    change = staticmethod(change_maker(None))

    def changes(self) -> Iterator[Change]:
        yield from self._backend()
        yield from self._security()

    # where requests go --------------------------------------------------------------------

    def _backend(self) -> Iterator[Change]:
        old, new = as_dict(self.old), as_dict(self.new)
        old_host, new_host = as_text(old.get("host")), as_text(new.get("host"))
        # host names are case-insensitive
        if (old_host or "").lower() != (new_host or "").lower():
            yield self._field_change(
                ChangeKind.HOST_CHANGED,
                "host",
                f"The host has changed: {quote(old_host and shown_host(old_host))} is now"
                f" {quote(new_host and shown_host(new_host))}." + _MOVED,
            )
        # an absent basePath is "/"
        old_base = as_text(old.get("basePath")) or "/"
        new_base = as_text(new.get("basePath")) or "/"
        if old_base != new_base:
            yield self._field_change(
                ChangeKind.BASE_PATH_CHANGED,
                "basePath",
                f"The basePath has changed: '{old_base}' is now '{new_base}'." + _MOVED,
            )
        old_schemes, new_schemes = _schemes(old), _schemes(new)
        if old_schemes != new_schemes:
            effect = ""
            if old_schemes and new_schemes:
                old_first, new_first = old_schemes[0], new_schemes[0]
                effect = (
                    f" The gateway calls the first scheme, so requests now use {new_first}"
                    f" instead of {old_first}."
                    if old_first != new_first
                    else f" The gateway calls the first scheme, {new_first}, as before."
                )
            yield self._field_change(
                ChangeKind.SCHEMES_CHANGED,
                "schemes",
                f"The schemes have changed: {_listing(old_schemes)} is now"
                f" {_listing(new_schemes)}." + effect,
            )

    def _field_change(self, kind: ChangeKind, key: str, message: str) -> Change:
        """A change of a top-level field, pointing at it where it still is."""
        side = Side.NEW if key in as_dict(self.new) else Side.OLD
        return self.change(kind, NON_BREAKING, child("", key), message, side)

    # authentication -----------------------------------------------------------------------

    def _security(self) -> Iterator[Change]:
        old_schemes, new_schemes = security_schemes(self.old), security_schemes(self.new)
        pairs, added = _pair_schemes(old_schemes, new_schemes)
        in_use_old = _schemes_in_use(self.old)
        in_use_new = _schemes_in_use(self.new)
        for old_scheme, new_scheme in pairs:
            if new_scheme is not None:
                yield from self._scheme(old_scheme, new_scheme)
                continue
            still_required = old_scheme.name in in_use_new
            if old_scheme.name in in_use_old or still_required:
                yield self.change(
                    ChangeKind.SECURITY_DEFINITION_REMOVED,
                    BREAKING,
                    old_scheme.pointer,
                    f"The security definition '{old_scheme.name}' has been removed"
                    + (" although a security requirement still names it" if still_required else "")
                    + "; existing connections authenticate with it. Changing the"
                    " authentication of a connector in an update is not allowed.",
                    Side.OLD,
                )
            else:
                yield self.change(
                    ChangeKind.SECURITY_DEFINITION_REMOVED,
                    NON_BREAKING,
                    old_scheme.pointer,
                    f"The security definition '{old_scheme.name}' has been removed; it was"
                    " neither the connector's authentication nor named by a requirement.",
                    Side.OLD,
                )
        for new_scheme in added:
            if new_scheme.name in in_use_new:
                yield self.change(
                    ChangeKind.SECURITY_DEFINITION_ADDED,
                    BREAKING,
                    new_scheme.pointer,
                    f"The security definition '{new_scheme.name}' has been added and is"
                    " required; existing connections have no credentials for it.",
                )
            else:
                yield self.change(
                    ChangeKind.SECURITY_DEFINITION_ADDED,
                    NON_BREAKING,
                    new_scheme.pointer,
                    f"The security definition '{new_scheme.name}' has been added; no"
                    " requirement names it, so existing connections are not asked for it.",
                )
        yield from self._definition_in_use(pairs)

    def _definition_in_use(
        self, pairs: list[tuple[SecurityScheme, SecurityScheme | None]]
    ) -> Iterator[Change]:
        """The gateway authenticating with another definition that both versions have: the
        top-level `security` (or the order of the definitions) now picks another one."""
        old_name, new_name = default_scheme(self.old), default_scheme(self.new)
        paired: dict[str, tuple[SecurityScheme, SecurityScheme]] = {
            old.name: (old, new) for old, new in pairs if new is not None
        }
        new_names = {new.name: new for _old, new in paired.values()}
        if old_name not in paired or new_name not in new_names:
            return  # a definition removed or added is reported as such
        old_in_use, old_became = paired[old_name]
        new_in_use = new_names[new_name]
        if old_became.name == new_name:
            return
        if _authentication(old_in_use) == _authentication(new_in_use):
            return  # the same authentication under another name: connections see no change
        in_new = isinstance(as_dict(self.new).get("security"), list)
        yield self.change(
            ChangeKind.SECURITY_DEFINITION_IN_USE_CHANGED,
            BREAKING,
            "/security" if in_new else new_in_use.pointer,
            f"Connections now authenticate with the security definition '{new_name}'"
            f" ({new_in_use.type or 'no type'}) instead of '{old_name}'"
            f" ({old_in_use.type or 'no type'}): the gateway uses the first definition the"
            " top-level security names, else the first one defined. Existing connections were"
            f" created for '{old_name}' and hold its credentials; changing the authentication"
            " of a connector in an update is not allowed.",
        )

    def _scheme(self, old: SecurityScheme, new: SecurityScheme) -> Iterator[Change]:
        what = _scheme_label(old, new)
        if old.type != new.type:
            yield self._change_at(
                ChangeKind.SECURITY_TYPE_CHANGED,
                BREAKING,
                self._pointer(old, new, "type"),
                f"The authentication type of {what} has changed: {quote(old.text('type'))}"
                f" is now {quote(new.text('type'))}. Existing connections hold credentials"
                " of the old type; changing the authentication type of a connector in an"
                " update is not allowed.",
            )
            return  # the other fields of different types do not compare
        yield from text_changes(
            self.change,
            TEXT_KEYS,
            old.node,
            old.pointer,
            new.node,
            new.pointer,
            f"the security definition {what}",
        )
        if new.type == "apikey":
            yield from self._api_key(old, new, what)
        elif new.type == "oauth2":
            yield from self._oauth(old, new, what)

    def _pointer(self, old: SecurityScheme, new: SecurityScheme, key: str) -> tuple[str, Side]:
        """Where `key` of a changed definition is: in the new one, else in the old one."""
        if key in new.node:
            return child(new.pointer, key), Side.NEW
        return child(old.pointer, key), Side.OLD

    def _change_at(
        self, kind: ChangeKind, severity: Severity, where: tuple[str, Side], message: str
    ) -> Change:
        return self.change(kind, severity, where[0], message, where[1])

    def _api_key(self, old: SecurityScheme, new: SecurityScheme, what: str) -> Iterator[Change]:
        old_name, new_name = old.text("name"), new.text("name")
        # header names are case-insensitive; query parameter names are not
        in_header = (new.text("in") or "").lower() == "header"
        if (old_name or "").lower() != (new_name or "").lower() or (
            not in_header and old_name != new_name
        ):
            yield self._change_at(
                ChangeKind.API_KEY_NAME_CHANGED,
                BREAKING,
                self._pointer(old, new, "name"),
                f"The API key of {what} is sent under another name: {quote(old_name)} is"
                f" now {quote(new_name)}. Existing connections keep working only if the"
                " service accepts the key under the new name.",
            )
        old_in, new_in = old.text("in"), new.text("in")
        if (old_in or "").lower() != (new_in or "").lower():
            yield self._change_at(
                ChangeKind.API_KEY_LOCATION_CHANGED,
                BREAKING,
                self._pointer(old, new, "in"),
                f"The API key of {what} is sent in another place: {quote(old_in)} is now"
                f" {quote(new_in)}.",
            )

    def _oauth(self, old: SecurityScheme, new: SecurityScheme, what: str) -> Iterator[Change]:
        if old.text("flow") != new.text("flow"):
            yield self._change_at(
                ChangeKind.OAUTH_FLOW_CHANGED,
                BREAKING,
                self._pointer(old, new, "flow"),
                f"The OAuth flow of {what} has changed: {quote(old.text('flow'))} is now"
                f" {quote(new.text('flow'))}. Existing connections were signed in with the"
                " old flow.",
            )
        if url_key(old.text("tokenUrl")) != url_key(new.text("tokenUrl")):
            yield self._change_at(
                ChangeKind.OAUTH_TOKEN_URL_CHANGED,
                NON_BREAKING if self.signed_in_by_properties else BREAKING,
                self._pointer(old, new, "tokenUrl"),
                f"The token URL of {what} has changed: {_quote_url(old.text('tokenUrl'))} is"
                f" now {_quote_url(new.text('tokenUrl'))}."
                + (
                    _SIGNED_IN_BY_PROPERTIES
                    if self.signed_in_by_properties
                    else " Existing connections refresh their tokens there; a refresh token the"
                    " old endpoint issued is not accepted by another one, so users must sign in"
                    " again."
                ),
            )
        if url_key(old.text("authorizationUrl")) != url_key(new.text("authorizationUrl")):
            yield self._change_at(
                ChangeKind.OAUTH_AUTHORIZATION_URL_CHANGED,
                NON_BREAKING,
                self._pointer(old, new, "authorizationUrl"),
                f"The authorization URL of {what} has changed:"
                f" {_quote_url(old.text('authorizationUrl'))} is now"
                f" {_quote_url(new.text('authorizationUrl'))}. Only new sign-ins go there;"
                " existing connections keep refreshing at the token URL.",
            )
        added = (
            (NON_BREAKING, _SIGNED_IN_BY_PROPERTIES)
            if self.signed_in_by_properties
            else (BREAKING, REFRESH_CANNOT_WIDEN)
        )
        yield from scope_changes(
            self.change, scopes(self.old, old), scopes(self.new, new), what, added=added
        )


def _schemes(document: dict[str, Any]) -> list[str]:
    listed = document.get("schemes")
    if not isinstance(listed, list):
        return []
    return [scheme.lower() for scheme in listed if isinstance(scheme, str)]


def _listing(values: list[str]) -> str:
    return "[" + ", ".join(values) + "]" if values else "none"


def _scheme_label(old: SecurityScheme, new: SecurityScheme) -> str:
    if old.name == new.name:
        return f"'{new.name}'"
    return f"'{new.name}' (was '{old.name}')"


def _authentication(scheme: SecurityScheme) -> str:
    """What a definition asks of connections, without its name and texts."""
    kept = {key: value for key, value in scheme.node.items() if key not in TEXT_KEYS}
    return render(kept)


def _schemes_in_use(document: Any) -> set[str]:
    """The definitions connections authenticate with: the one the gateway picks, and every one
    a requirement names."""
    used = {requirement.scheme for requirement in requirements(document)}
    default = default_scheme(document)
    if default is not None:
        used.add(default)
    return used


def _pair_schemes(
    old: list[SecurityScheme], new: list[SecurityScheme]
) -> tuple[list[tuple[SecurityScheme, SecurityScheme | None]], list[SecurityScheme]]:
    """Each old definition with the new one it became, and the new ones nothing became.

    Definitions pair by name, then by type, then the last one left on each side with each other:
    their names are free (connections do not see them), so a renamed definition is the same
    authentication, and one whose type changed is reported as such, not as removed and added.
    """
    remaining = list(new)
    found: dict[str, SecurityScheme] = {}

    def take(scheme: SecurityScheme, candidate: SecurityScheme) -> None:
        found[scheme.name] = candidate
        remaining.remove(candidate)

    for scheme in old:
        match = next((c for c in remaining if c.name == scheme.name), None)
        if match is not None:
            take(scheme, match)
    for scheme in old:
        if scheme.name not in found:
            match = next((c for c in remaining if c.type == scheme.type), None)
            if match is not None:
                take(scheme, match)
    unpaired = [scheme for scheme in old if scheme.name not in found]
    if len(unpaired) == 1 and len(remaining) == 1:
        take(unpaired[0], remaining[0])
    return [(scheme, found.get(scheme.name)) for scheme in old], remaining


def _quote_url(url: str | None) -> str:
    return quote(None if url is None else shown_url(url))
