"""What the comparisons (operations, the connector's authentication, apiProperties.json) share
when they build changes: how values are quoted and rendered, DescriptionChanged for texts, and
OAuth scope changes, which follow one rule in the swagger and in oAuthSettings alike."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from .model import Change, ChangeKind, Document, Severity, Side
from .swagger import child

# How a comparison makes one of its changes (kind, severity, pointer, message, side): it
# knows the operation the change names and the document the pointer points into.
ChangeMaker = Callable[[ChangeKind, Severity, str, str, Side], Change]


def change_maker(
    operation_id: str | None, document: Document = Document.SWAGGER
) -> Callable[..., Change]:
    """A function that makes the changes of one operation (None: of the whole connector) in
    one document, from kind, severity, pointer, message and, optionally, the side it is on."""

    def change(
        kind: ChangeKind, severity: Severity, pointer: str, message: str, side: Side = Side.NEW
    ) -> Change:
        return Change(kind, severity, operation_id, pointer, message, side, document)

    return change


# Why an added scope breaks: RFC 6749, section 6, lets a refresh ask for no scope the user
# did not grant.
REFRESH_CANNOT_WIDEN = (
    " Existing connections were granted only the old scopes and a token refresh cannot widen"
    " them, so their users must sign in again to consent."
)


def render(value: Any) -> str:
    """A JSON value as one canonical text: how enum and allowed values compare and are shown."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def quote(value: str | None) -> str:
    return "absent" if value is None else f"'{value}'"


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def text_changes(
    make: ChangeMaker,
    keys: tuple[str, ...],
    old: dict[str, Any],
    old_pointer: str,
    new: dict[str, Any],
    new_pointer: str,
    what: str,
) -> Iterator[Change]:
    """A DescriptionChanged for each of the text `keys` that differs between `old` and `new`,
    pointing at the text where it still is. The texts themselves are not quoted: they are
    long, and the pointer finds them."""
    for key in keys:
        if old.get(key) == new.get(key):
            continue
        if key in new:
            verb = "changed" if key in old else "been added"
            yield make(
                ChangeKind.DESCRIPTION_CHANGED,
                Severity.NON_BREAKING,
                child(new_pointer, key),
                f"The {key} of {what} has {verb}.",
                Side.NEW,
            )
        else:
            yield make(
                ChangeKind.DESCRIPTION_CHANGED,
                Severity.NON_BREAKING,
                child(old_pointer, key),
                f"The {key} of {what} has been removed.",
                Side.OLD,
            )


def scope_changes(
    make: ChangeMaker,
    old: dict[str, str],
    new: dict[str, str],
    what: str,
    *,
    added: tuple[Severity, str] = (Severity.BREAKING, REFRESH_CANNOT_WIDEN),
) -> Iterator[Change]:
    """OAuthScopeAdded and OAuthScopeRemoved between two maps of scope -> the pointer where it
    is written; `added` is the severity of added scopes and the sentence that says why."""
    if added_scopes := [scope for scope in new if scope not in old]:
        severity, why = added
        yield make(
            ChangeKind.OAUTH_SCOPE_ADDED,
            severity,
            new[added_scopes[0]],
            f"OAuth scopes have been added to {what}: {', '.join(sorted(added_scopes))}." + why,
            Side.NEW,
        )
    if removed := [scope for scope in old if scope not in new]:
        yield make(
            ChangeKind.OAUTH_SCOPE_REMOVED,
            Severity.NON_BREAKING,
            old[removed[0]],
            f"OAuth scopes have been removed from {what}: {', '.join(sorted(removed))};"
            " existing connections keep tokens that allow more than is needed.",
            Side.OLD,
        )
