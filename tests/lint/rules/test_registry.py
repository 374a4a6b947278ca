"""The registry lists every rule: a rule written in a family but left out of its RULES, or a
family module left out of FAMILIES, would never run and nothing else would notice."""

from __future__ import annotations

import pkgutil

import pytest

from retarus_connector.lint import rules
from retarus_connector.lint.model import Rule
from retarus_connector.lint.rules import FAMILIES


@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family.__name__.rsplit(".")[-1])
def test_every_rule_a_family_defines_is_in_its_rules(family: object) -> None:
    defined = {value.id for value in vars(family).values() if isinstance(value, Rule)}
    listed = {rule.id for rule in family.RULES}  # type: ignore[attr-defined]
    assert defined - listed == set(), "defined with @rule but not listed in RULES"
    assert listed - defined == set(), "listed in RULES but defined in another module"


def test_every_public_module_under_rules_is_a_registered_family() -> None:
    modules = {
        info.name for info in pkgutil.iter_modules(rules.__path__) if not info.name.startswith("_")
    }
    registered = {family.__name__.rsplit(".", 1)[-1] for family in FAMILIES}
    assert modules == registered
