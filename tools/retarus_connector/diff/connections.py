"""Comparing two versions' connection parameters and parameter sets (read by settings.py). The severities follow the rules listed in
properties.py."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Protocol

from retarus_connector.core.properties import ConnectionParameter, OAuthSettings
from retarus_connector.core.properties import read as read_properties

from .messages import capitalized, change_maker, quote, render, scope_changes, text_changes
from .model import Change, ChangeKind, Document, Severity, Side
from .settings import (
    CLIENT_ID_PLACEHOLDER,
    TEXT_KEYS,
    TOKEN_PARAMETERS,
    allowed_values,
    oauth_settings,
    parameter_sets,
    parameters_of,
    use_of,
    used_parameters,
)
from .swagger import as_dict, as_text, child, url_key

BREAKING = Severity.BREAKING
NON_BREAKING = Severity.NON_BREAKING


# comparing -----------------------------------------------------------------------------------


class Located(Protocol):
    """A view of core's read model: the object it was read from, and where that is written."""

    @property
    def node(self) -> Any: ...

    @property
    def pointer(self) -> str: ...


class ConnectionComparison:
    """The changes of two apiProperties.json files' connection parameters and parameter sets;
    properties.py extends it with the rest of the file."""

    def __init__(self, old: Any, new: Any, old_swagger: Any, new_swagger: Any) -> None:
        self.old = read_properties(old)
        self.new = read_properties(new)
        self.old_used = used_parameters(old, self.old, old_swagger)
        self.new_used = used_parameters(new, self.new, new_swagger)

    change = staticmethod(change_maker(None, Document.PROPERTIES))

    def member_change(
        self,
        kind: ChangeKind,
        severity: Severity,
        key: str,
        old: Located,
        new: Located,
        message: str,
    ) -> Change:
        """A change of the member `key` of two views, reported where `member_at` says."""
        pointer, side = member_at(key, old.node, old.pointer, new.node, new.pointer)
        return self.change(kind, severity, pointer, message, side)

    def _texts(
        self, old: Any, old_pointer: str, new: Any, new_pointer: str, what: str
    ) -> Iterator[Change]:
        """DescriptionChanged for the displayName, description and tooltip of a
        `uiDefinition` (the pointers are those of the uiDefinitions)."""
        yield from text_changes(
            self.change, TEXT_KEYS, as_dict(old), old_pointer, as_dict(new), new_pointer, what
        )

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
        still_used = use_of(old.name, self.new_used)
        was_used = use_of(old.name, self.old_used)
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
            yield self.member_change(
                ChangeKind.CONNECTION_PARAMETER_TYPE_CHANGED,
                BREAKING,
                "type",
                old,
                new,
                f"The type of {what} has changed: {quote(old.type)} is now {quote(new.type)}."
                " Existing connections hold a value of the old type; their users must edit or"
                " re-create them.",
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
        old_values, new_values = allowed_values(old), allowed_values(new)
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
            old_entry, old_pointer = old_values[key]
            if as_dict(old_entry).get("text") != as_dict(entry).get("text"):
                pointer, side = member_at("text", old_entry, old_pointer, entry, entry_pointer)
                yield self.change(
                    ChangeKind.DESCRIPTION_CHANGED,
                    NON_BREAKING,
                    pointer,
                    f"The text the connection dialog shows for the value {key} of {what} has"
                    " changed.",
                    side,
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

    def _oauth(
        self, old: ConnectionParameter, new: ConnectionParameter, what: str
    ) -> Iterator[Change]:
        old_oauth, new_oauth = oauth_settings(old), oauth_settings(new)
        old_settings, old_pointer = old_oauth.node, old_oauth.pointer
        new_settings, new_pointer = new_oauth.node, new_oauth.pointer

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
            old_oauth.scopes(),
            new_oauth.scopes(),
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
        yield from self._custom_parameters(old_oauth, new_oauth, what)

    def _client_id(
        self,
        old_settings: Mapping[str, Any],
        new_settings: Mapping[str, Any],
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
        old_settings: OAuthSettings,
        new_settings: OAuthSettings,
        what: str,
    ) -> Iterator[Change]:
        old_custom = _custom(old_settings)
        new_custom = _custom(new_settings)
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
        breaking = key in TOKEN_PARAMETERS
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
            set_name
            for set_name, parameter_set in parameter_sets(self.new).items()
            if any(parameter.name == name for parameter in parameters_of(parameter_set.parameters))
        ]

    def _sets(self) -> Iterator[Change]:
        old_sets, new_sets = parameter_sets(self.old), parameter_sets(self.new)
        for name, old in old_sets.items():
            new = new_sets.get(name)
            if new is None:
                yield self.change(
                    ChangeKind.CONNECTION_PARAMETER_SET_REMOVED,
                    BREAKING,
                    old.pointer,
                    f"The connection parameter set '{name}' has been removed; connections"
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
                f"the connection parameter set '{name}'",
            )
            yield from self._parameter_map(
                parameters_of(old.parameters), parameters_of(new.parameters), name
            )
        for name, new in new_sets.items():
            if name in old_sets:
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
                f"The connection parameter set '{name}' has been added; new connections"
                " can choose it." + note,
            )


def member_at(key: str, old: Any, old_pointer: str, new: Any, new_pointer: str) -> tuple[str, Side]:
    """Where a change of the member `key` of two objects is reported: at the new version's
    member when it has one, else at the old version's (the member was removed)."""
    if isinstance(new, Mapping) and key in new:
        return child(new_pointer, key), Side.NEW
    return child(old_pointer, key), Side.OLD


def _custom(settings: OAuthSettings) -> dict[str, tuple[str, Any, str]]:
    """customParameters by lower-case name: (name as written, entry, pointer); a name written
    again in other letter case counts the first time."""
    found: dict[str, tuple[str, Any, str]] = {}
    for custom in settings.custom_parameters:
        found.setdefault(custom.name.lower(), (custom.name, custom.node, custom.pointer))
    return found


def _custom_value(entry: Any) -> object:
    value = as_dict(entry).get("value")
    if isinstance(value, str) and set(as_dict(entry)) == {"value"}:
        return url_key(value)
    return render(entry)


def _is_placeholder(client_id: Any) -> bool:
    return not isinstance(client_id, str) or bool(CLIENT_ID_PLACEHOLDER.search(client_id))


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
