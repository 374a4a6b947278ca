"""Rule documentation generated from the registry, and the lint page's copy of it."""

from __future__ import annotations

from pathlib import Path

from retarus_connector.files.blocks import generated_block
from retarus_connector.lint import docs, engine
from retarus_connector.lint.model import Profile, Severity, rule
from retarus_connector.packaging.doc_blocks import LINT_DOC_FILE, LINT_RULES_BLOCK

REFRESH = "retarus-connector build  # refreshes the generated blocks of the documentation"


def test_lint_page_rules_table_is_generated_from_the_registry(repository_root: Path) -> None:
    page = (repository_root / LINT_DOC_FILE).read_text(encoding="utf-8")
    table = generated_block(page, LINT_RULES_BLOCK, source=LINT_DOC_FILE)
    assert table == docs.rules_table(engine.registry()), (
        f"{LINT_DOC_FILE}'s lint rules table is out of date; regenerate it from the repository root "
        f"with:\n{REFRESH}"
    )


def test_the_table_has_a_row_per_rule_with_severity_and_family() -> None:
    table = docs.rules_table(engine.registry())
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert len(rows) == len(engine.registry())
    ref_row = next(row for row in rows if row.startswith("| `ref-target` "))
    assert "| error | structure |" in ref_row


def test_profile_notes_and_escaped_pipes() -> None:
    @rule(
        "test-doc",
        Severity.WARNING,
        profiles=[Profile.CERTIFIED],
        severities={Profile.CUSTOM: Severity.INFO},
    )
    def documented(package):  # type: ignore[no-untyped-def]
        """Checks a | b.

        Longer text."""
        yield from ()

    row = docs.rules_table([documented]).splitlines()[2]
    assert (
        row
        == "| `test-doc` | warning (only certified; custom: info) | test_lint_docs | Checks a \\| b. |"
    )
    text = docs.explain(documented)
    assert text.startswith("test-doc (test_lint_docs)\ndefault severity: warning\n")
    assert "Longer text." in text
