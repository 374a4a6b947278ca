"""README.md's diff section names every kind of change the diff reports."""

from __future__ import annotations

from pathlib import Path

from retarus_connector.diff.model import ChangeKind


def test_readme_lists_every_kind(repository_root: Path) -> None:
    readme = (repository_root / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Compare two versions: breaking changes", 1)[1].split("\n## ", 1)[0]
    missing = [kind.value for kind in ChangeKind if f"`{kind.value}`" not in section]
    assert not missing, f"README's diff section does not list {missing}"
