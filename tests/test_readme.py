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


def test_diff_example_copies_every_file_the_diff_reads_from_a_folder(
    repository_root: Path,
) -> None:
    # OLD is a folder made of `git show HEAD:<file>` copies; a file of the package left out
    # of it shows up as added (IconAdded), a change that the example's reader never made
    section = (repository_root / "docs" / "diff.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the diff section has no sh example"
    copied = set(re.findall(r"git show HEAD:(\S+) > /tmp/old/\1", block.group(1)))
    compared = {"apiDefinition.swagger.json", "apiProperties.json", "icon.png", "script.csx"}
    in_package = {name for name in compared if (repository_root / name).is_file()}
    assert copied == in_package


def test_user_documentation_never_points_at_the_reference_folder(repository_root: Path) -> None:
    # users have a clone of this repository, not the material beside it
    pages = [repository_root / "README.md", *sorted((repository_root / "docs").glob("*.md"))]
    pointing = [page.name for page in pages if "../shared" in page.read_text(encoding="utf-8")]
    assert not pointing, f"user documentation points at ../shared: {pointing}"


def test_readme_is_a_front_door_that_maps_every_docs_page(repository_root: Path) -> None:
    readme = (repository_root / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 300
    pages = sorted(path.name for path in (repository_root / "docs").glob("*.md"))
    unlisted = [name for name in pages if f"(docs/{name})" not in readme]
    assert not unlisted, f"README.md's map of docs/ misses {unlisted}"


def test_hypothesis_keeps_its_database_outside_the_checkout(repository_root: Path) -> None:
    from hypothesis import settings
    from hypothesis.configuration import storage_directory
    from hypothesis.database import DirectoryBasedExampleDatabase

    constants = storage_directory("constants", intent_to_write=False).path
    assert not Path(constants).resolve().is_relative_to(repository_root)
    # on CI Hypothesis's own profile keeps no database at all; elsewhere it is a folder
    database = settings().database
    if isinstance(database, DirectoryBasedExampleDatabase):
        assert not Path(database.path).resolve().is_relative_to(repository_root)
    else:
        assert database is None
