"""Generated blocks of the repository's documentation that come from outside the models."""

from __future__ import annotations

LINT_RULES_BLOCK = "lint-rules"
LINT_DOC_FILE = "docs/lint.md"


def repository_doc_blocks() -> dict[str, dict[str, str]]:
    """Documentation file (relative to the repository root) -> block name -> content: the
    linter's rules table, rendered from its registry, in the lint page."""
    from retarus_connector.lint import docs, engine

    return {LINT_DOC_FILE: {LINT_RULES_BLOCK: docs.rules_table(engine.registry())}}
