"""Comparing two loaded versions of a connector: the swaggers always; the apiProperties.json,
script.csx and icon.png when both versions have an apiProperties.json (a package), since a
lone swagger has no package around it to compare."""

from __future__ import annotations

from dataclasses import dataclass

from retarus_connector.diff.compare import compare
from retarus_connector.diff.io import LoadedVersion
from retarus_connector.diff.model import Change
from retarus_connector.diff.report import unpaired_properties


@dataclass(frozen=True, slots=True)
class Comparison:
    """What changed from `old` to `new`, and what was tolerated or left out on the way."""

    old: LoadedVersion
    new: LoadedVersion
    changes: tuple[Change, ...]
    warnings: tuple[str, ...]

    @property
    def breaking(self) -> bool:
        return any(change.breaking for change in self.changes)


def compare_versions(old: LoadedVersion, new: LoadedVersion) -> Comparison:
    warnings = [*old.warnings, *new.warnings]
    unpaired = unpaired_properties(old, new)
    if unpaired is not None:
        warnings.append(unpaired)
    properties = scripts = icons = None
    if old.properties is not None and new.properties is not None:
        properties = (old.properties.data, new.properties.data)
        scripts = (old.script_bytes, new.script_bytes)
        icons = (old.icon_bytes, new.icon_bytes)
    changes = compare(
        old.swagger.data, new.swagger.data, properties=properties, scripts=scripts, icons=icons
    )
    return Comparison(old, new, tuple(changes), tuple(warnings))
