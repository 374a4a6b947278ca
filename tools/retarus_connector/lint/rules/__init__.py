"""The one registry of lint rules: every rule family module, in the order they run.

A family is a module under `lint/rules/` that exposes `RULES: tuple[Rule, ...]`. To add a family,
import it here and append it to `FAMILIES`; nothing else discovers rules.
"""

from __future__ import annotations

from types import ModuleType

from retarus_connector.lint.rules import (
    certification,
    copilot,
    extensions,
    files,
    flow,
    icon,
    info,
    labels,
    metadata,
    operations,
    parameters,
    policies,
    properties,
    readme,
    references,
    schemas,
    script,
    secrets,
    solution,
    structure,
    versioning,
)

FAMILIES: tuple[ModuleType, ...] = (
    files,
    structure,
    info,
    metadata,
    operations,
    parameters,
    schemas,
    extensions,
    references,
    properties,
    policies,
    secrets,
    icon,
    readme,
    script,
    labels,
    versioning,
    copilot,
    solution,
    flow,
    certification,
)
