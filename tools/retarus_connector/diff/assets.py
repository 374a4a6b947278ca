"""The package's files beside the two JSON documents: the custom code (script.csx) and the
icon, compared by content."""

from __future__ import annotations

from collections.abc import Iterator

from retarus_connector.core.png import read_png

from .model import Change, ChangeKind, Document, Severity, Side

BREAKING = Severity.BREAKING
NON_BREAKING = Severity.NON_BREAKING


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
