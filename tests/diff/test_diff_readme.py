"""docs/diff.md names every kind of change the diff reports."""

from __future__ import annotations

from pathlib import Path

from retarus_connector.diff.model import ChangeKind


def test_readme_lists_every_kind(repository_root: Path) -> None:
    section = (repository_root / "docs" / "diff.md").read_text(encoding="utf-8")
    missing = [kind.value for kind in ChangeKind if f"`{kind.value}`" not in section]
    assert not missing, f"docs/diff.md does not list {missing}"
