"""README.md's quick start is what CI runs."""

from __future__ import annotations

import re
from pathlib import Path


def _quick_start_commands(readme: str) -> list[str]:
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```(?:sh|bash|console)?\n(.*?)```", section, re.S)
    assert block, "the Quick start section has no code block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_has_exactly_two_commands(repository_root: Path) -> None:
    commands = _quick_start_commands((repository_root / "README.md").read_text(encoding="utf-8"))
    assert len(commands) == 2
    assert "retarus-connector build" in commands[0]
    assert "retarus-connector lint" in commands[0]
    assert "[test]" in commands[1]
    assert "pytest" in commands[1]


def test_ci_runs_the_quick_start_test_command_verbatim(repository_root: Path) -> None:
    commands = _quick_start_commands((repository_root / "README.md").read_text(encoding="utf-8"))
    ci_lines = (repository_root / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands[1] in ci_lines
