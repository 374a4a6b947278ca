"""How a comparison is shown: text lines or one JSON document, naming the files compared."""

from __future__ import annotations

import json
from collections.abc import Sequence

from retarus_connector.diff.io import PROPERTIES, LoadedVersion
from retarus_connector.diff.model import Change, Document, Side


def properties_compared(old: LoadedVersion, new: LoadedVersion) -> bool:
    return old.properties is not None and new.properties is not None


def unpaired_properties(old: LoadedVersion, new: LoadedVersion) -> str | None:
    """Why the apiProperties files were not compared when only one side has one."""
    if (old.properties is None) == (new.properties is None):
        return None
    present, absent = (old, new) if old.properties is not None else (new, old)
    return (
        f"{PROPERTIES} not compared: {_properties_label(present)} has no counterpart next to"
        f" {absent.swagger.label}"
    )


def _properties_label(version: LoadedVersion) -> str | None:
    return version.properties.label if version.properties is not None else None


def _location(old: LoadedVersion, new: LoadedVersion, change: Change) -> str:
    """The file a change is about, with its pointer unless it is about the whole file."""
    version = old if change.side is Side.OLD else new
    label = version.swagger.label
    if change.document is Document.PROPERTIES and version.properties is not None:
        label = version.properties.label
    elif change.document is Document.SCRIPT and version.script is not None:
        label = version.script.label
    elif change.document is Document.ICON and version.icon is not None:
        label = version.icon.label
    return f"{label}#{change.pointer}" if change.pointer else label


def as_json(old: LoadedVersion, new: LoadedVersion, changes: Sequence[Change]) -> str:
    compared = properties_compared(old, new)
    breaking = sum(change.breaking for change in changes)
    document = {
        "old": old.swagger.label,
        "new": new.swagger.label,
        "oldProperties": _properties_label(old) if compared else None,
        "newProperties": _properties_label(new) if compared else None,
        "changes": [change.as_dict() for change in changes],
        "summary": {"breaking": breaking, "nonBreaking": len(changes) - breaking},
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def as_text(
    old: LoadedVersion, new: LoadedVersion, changes: Sequence[Change], *, show_all: bool
) -> str:
    """One line per breaking change (per change with `show_all`), then a summary line."""
    compared = properties_compared(old, new)
    lines = []
    for change in changes:
        if change.breaking or show_all:
            # a change of the whole connector (host, authentication) names no operation
            operation = f" {change.operation_id}:" if change.operation_id is not None else ""
            lines.append(
                f"{change.severity.value}:{operation} {change.kind.value}:"
                f" {change.message} ({_location(old, new, change)})"
            )
    span = f"from {old.swagger.label} to {new.swagger.label}"
    if compared:
        span += f" and from {_properties_label(old)} to {_properties_label(new)}"
    breaking = sum(change.breaking for change in changes)
    other = len(changes) - breaking
    hint = " (--all lists them)" if other and not show_all else ""
    if breaking:
        lines.append(
            f"{_count(breaking, 'breaking change')} and {_count(other, 'non-breaking change')}"
            f"{hint} {span}."
        )
    else:
        lines.append(f"No breaking changes {span}; {_count(other, 'non-breaking change')}{hint}.")
    return "\n".join(lines) + "\n"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
