"""Output formats of `lint`: each module has `render(report, rules) -> str`.

text: one line per finding, for people; json: one object for scripts; sarif: SARIF 2.1.0 for
GitHub code scanning; github: workflow commands that annotate a pull request.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from retarus_connector.lint.engine import LintReport
    from retarus_connector.lint.model import Rule

FORMATS = ("text", "json", "sarif", "github")


def render(name: str, report: LintReport, rules: Sequence[Rule]) -> str:
    """The report in the named format (one of FORMATS)."""
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    module = importlib.import_module(f"retarus_connector.lint.formats.{name}_format")
    text: str = module.render(report, rules)
    return text
