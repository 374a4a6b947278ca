"""The package as a whole: the committed files are exactly what the models produce."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from retarus_connector.emitters.readme import connector_readme, connector_readme_sections
from retarus_connector.files.blocks import begin_marker, end_marker, generated_block
from retarus_connector.files.package import (
    README_BLOCK,
    PackageError,
    build,
    check,
    is_repository,
    package_files,
)
from retarus_connector.models import CONNECTOR

PACKAGE_FILES = [
    "apiDefinition.swagger.json",
    "apiProperties.json",
    "icon.png",
    "settings.json",
    "script.csx",
]


def test_regeneration_is_byte_identical_to_the_committed_files(repository_root: Path) -> None:
    assert is_repository(repository_root)
    files = package_files(repository_root)
    assert list(files) == [*PACKAGE_FILES, "README.md"]
    for name, data in files.items():
        assert (repository_root / name).read_bytes() == data, (
            f"{name} is stale; run `retarus-connector build`"
        )


def test_the_generated_files_are_committed(repository_root: Path) -> None:
    git = shutil.which("git")
    if git is None or not (repository_root / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(
        [git, "ls-files", "--", *PACKAGE_FILES],
        cwd=repository_root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert sorted(tracked) == sorted(PACKAGE_FILES)


def test_readme_block_in_the_repository_is_the_connector_readme(repository_root: Path) -> None:
    text = (repository_root / "README.md").read_text(encoding="utf-8")
    block = generated_block(text, README_BLOCK, source="README.md")
    assert block == connector_readme_sections(CONNECTOR)
    assert text.index(end_marker(README_BLOCK)) < text.index("## Quick start")


def test_two_runs_give_the_same_bytes(tmp_path: Path) -> None:
    assert package_files(tmp_path) == package_files(tmp_path)


def test_another_folder_gets_a_complete_connector_folder(tmp_path: Path) -> None:
    files = package_files(tmp_path)
    assert list(files) == [*PACKAGE_FILES, "readme.md"]
    assert files["readme.md"].decode("utf-8") == connector_readme(CONNECTOR)
    assert build(tmp_path) == list(files)
    assert check(tmp_path) == []
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(files)


def test_check_names_hand_edited_and_missing_files(tmp_path: Path) -> None:
    build(tmp_path)
    swagger = tmp_path / "apiDefinition.swagger.json"
    lines = swagger.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace("Retarus", "Retaurs")
    swagger.write_text("".join(lines), encoding="utf-8")
    (tmp_path / "icon.png").unlink()
    found = {difference.name: difference.reason for difference in check(tmp_path)}
    assert found == {
        "apiDefinition.swagger.json": "differs from what the models produce, first at line 4",
        "icon.png": "missing",
    }


def test_an_upper_case_readme_in_another_folder_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("mine\n", encoding="utf-8")
    with pytest.raises(PackageError, match=r"README\.md"):
        package_files(tmp_path)


def _fake_repository(folder: Path, readme: str | None) -> Path:
    (folder / "tools" / "retarus_connector").mkdir(parents=True)
    (folder / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    if readme is not None:
        (folder / "README.md").write_text(readme, encoding="utf-8")
    return folder


def test_repository_readme_gets_the_block_and_keeps_the_rest(tmp_path: Path) -> None:
    readme = f"# Guide\n\nIntro.\n\n{begin_marker(README_BLOCK)}\nold\n{end_marker(README_BLOCK)}\n\n## Quick start\n"
    repository = _fake_repository(tmp_path, readme)
    text = package_files(repository)["README.md"].decode("utf-8")
    assert text.startswith("# Guide\n\nIntro.\n\n")
    assert text.endswith(f"{end_marker(README_BLOCK)}\n\n## Quick start\n")
    assert connector_readme_sections(CONNECTOR) in text
    assert "readme.md" not in package_files(repository)


@pytest.mark.parametrize(
    ("readme", "message"), [(None, r"README\.md: not found"), ("# Guide\n", "marker line")]
)
def test_repository_readme_problems_are_named(
    tmp_path: Path, readme: str | None, message: str
) -> None:
    repository = _fake_repository(tmp_path, readme)
    with pytest.raises(PackageError, match=message):
        package_files(repository)


def test_check_names_a_file_it_cannot_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "connector"
    build(target)
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "apiProperties.json":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert [str(difference) for difference in check(target)] == [
        "apiProperties.json: cannot be read (Permission denied)"
    ]
