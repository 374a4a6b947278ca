"""Generated blocks of the repository's README.md that come from outside the models."""

from __future__ import annotations

LINT_RULES_BLOCK = "lint-rules"


def repository_readme_blocks() -> dict[str, str]:
    """Block name -> content: the linter's rules table, rendered from its registry."""
    from retarus_connector.lint import docs, engine

    return {LINT_RULES_BLOCK: docs.rules_table(engine.registry())}
