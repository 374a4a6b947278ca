"""Placeholder; filled in by the engine work of issue 3."""

from __future__ import annotations

from retarus_connector.lint.model import Rule

RULES: tuple[Rule, ...] = ()
