"""The whole set of files is replaced, or nothing is: failures are injected at every step."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from retarus_connector.files.atomic import WriteError, changed_files, write_files_atomically

OLD = {"a.json": b"old a\n", "b.png": b"\x89old b", "c.md": b"old c\n"}
NEW = {"a.json": b"new a\n", "b.png": b"\x89new b", "c.md": b"old c\n", "d.json": b"new d\n"}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def _seed(folder: Path) -> dict[str, bytes]:
    folder.mkdir(exist_ok=True)
    for name, data in OLD.items():
        (folder / name).write_bytes(data)
    (folder / "unrelated.txt").write_bytes(b"not ours")
    return _snapshot(folder)


def _fail_on_call(
    real: Callable[..., Any], failing_call: int, error: BaseException
) -> Callable[..., Any]:
    calls = {"count": 0}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls["count"] += 1
        if calls["count"] == failing_call:
            raise error
        return real(*args, **kwargs)

    return wrapper


def test_writes_a_new_folder(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "package"
    assert write_files_atomically(target, NEW) == list(NEW)
    assert _snapshot(target) == dict(sorted(NEW.items()))


def test_only_changed_files_are_replaced(tmp_path: Path) -> None:
    _seed(tmp_path)
    untouched = (tmp_path / "c.md").stat()
    changed = write_files_atomically(tmp_path, NEW)
    assert changed == ["a.json", "b.png", "d.json"]
    assert (tmp_path / "c.md").stat().st_ino == untouched.st_ino
    assert (tmp_path / "c.md").stat().st_mtime_ns == untouched.st_mtime_ns
    assert {name: (tmp_path / name).read_bytes() for name in NEW} == NEW
    assert (tmp_path / "unrelated.txt").read_bytes() == b"not ours"
    assert write_files_atomically(tmp_path, NEW) == []
    assert changed_files(tmp_path, NEW) == []


@pytest.mark.parametrize("failing_rename", [1, 2, 3])
def test_a_failed_rename_restores_every_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing_rename: int
) -> None:
    before = _seed(tmp_path)
    error = OSError(errno.EIO, "injected failure", str(tmp_path / "b.png"))
    monkeypatch.setattr(os, "replace", _fail_on_call(os.replace, failing_rename, error))
    with pytest.raises(WriteError, match="no file was changed"):
        write_files_atomically(tmp_path, NEW)
    assert _snapshot(tmp_path) == before, "originals restored, new files removed, no temp files"


def test_a_failure_while_staging_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _seed(tmp_path)
    monkeypatch.setattr(os, "fsync", _fail_on_call(os.fsync, 2, OSError(errno.ENOSPC, "disk full")))
    with pytest.raises(WriteError, match="disk full"):
        write_files_atomically(tmp_path, NEW)
    assert _snapshot(tmp_path) == before


def test_an_interrupt_mid_way_is_rolled_back_and_re_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _seed(tmp_path)
    monkeypatch.setattr(os, "replace", _fail_on_call(os.replace, 2, KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        write_files_atomically(tmp_path, NEW)
    assert _snapshot(tmp_path) == before


def test_without_hard_links_the_backup_is_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _seed(tmp_path)
    monkeypatch.setattr(os, "link", _fail_on_call(os.link, 1, OSError(errno.EPERM, "no links")))
    monkeypatch.setattr(os, "replace", _fail_on_call(os.replace, 3, OSError(errno.EIO, "late")))
    with pytest.raises(WriteError):
        write_files_atomically(tmp_path, NEW)
    assert _snapshot(tmp_path) == before


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_an_existing_files_mode_is_kept(tmp_path: Path) -> None:
    _seed(tmp_path)
    (tmp_path / "a.json").chmod(0o640)
    write_files_atomically(tmp_path, NEW)
    assert (tmp_path / "a.json").stat().st_mode & 0o777 == 0o640


def test_a_target_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(WriteError, match=str(target)):
        write_files_atomically(target, NEW)


def test_names_must_be_plain_file_names(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="plain file name"):
        write_files_atomically(tmp_path, {"../escape.json": b"x"})


def test_an_unreadable_current_file_is_a_write_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _seed(tmp_path)
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "b.png":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(WriteError, match=r"b\.png: cannot be read \(Permission denied\)") as info:
        write_files_atomically(tmp_path, NEW)
    assert info.value.path == tmp_path / "b.png"
    monkeypatch.undo()
    assert _snapshot(tmp_path) == before


def _leftovers(folder: Path) -> dict[str, bytes]:
    """What an interrupted run leaves: staged copies and backups of the files it owns, beside
    look-alikes that are not its own."""
    made = {
        ".a.json.0123abcd.new.tmp": b"half a",
        ".d.json.89abcdef.new.tmp": b"half d",
        ".b.png.deadbeef.old.tmp": b"\x89old b",
        ".unrelated.txt.0123abcd.new.tmp": b"not a name of the set",
        ".a.json.not-hex.new.tmp": b"not our pattern",
        ".a.json.0123abcd.new.tmp.keep": b"not our pattern",
    }
    for name, data in made.items():
        (folder / name).write_bytes(data)
    return made


@pytest.mark.parametrize(
    ("files", "removed"),
    [
        (NEW, {".a.json.0123abcd.new.tmp", ".d.json.89abcdef.new.tmp", ".b.png.deadbeef.old.tmp"}),
        # Nothing to write: the leftovers of the set's names go all the same; d.json is not one.
        (OLD, {".a.json.0123abcd.new.tmp", ".b.png.deadbeef.old.tmp"}),
    ],
    ids=["changes", "nothing-changes"],
)
def test_leftovers_of_an_interrupted_run_are_removed(
    tmp_path: Path, files: dict[str, bytes], removed: set[str]
) -> None:
    before = _seed(tmp_path)
    made = _leftovers(tmp_path)
    write_files_atomically(tmp_path, files)
    kept = {name: data for name, data in made.items() if name not in removed}
    assert _snapshot(tmp_path) == dict(sorted({**before, **files, **kept}.items()))


def test_a_killed_run_leaves_temporary_files_the_next_run_removes(tmp_path: Path) -> None:
    _seed(tmp_path)
    # The process dies between two renames, as a killed build would: no roll-back runs.
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from retarus_connector.files import atomic\n"
        "real = os.replace\n"
        "calls = []\n"
        "def dying(*args):\n"
        "    calls.append(args)\n"
        "    if len(calls) == 2:\n"
        "        os._exit(9)\n"
        "    real(*args)\n"
        "atomic.os.replace = dying\n"
        f"atomic.write_files_atomically(Path(sys.argv[1]), {NEW!r})\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 9, done.stderr
    left = sorted(path.name for path in tmp_path.glob(".*.tmp"))
    assert any(name.endswith(".new.tmp") for name in left)
    assert any(name.endswith(".old.tmp") for name in left)
    write_files_atomically(tmp_path, NEW)
    assert not list(tmp_path.glob(".*.tmp"))
    assert {name: data for name, data in _snapshot(tmp_path).items() if name in NEW} == NEW


def test_git_ignores_the_temporary_files(repository_root: Path) -> None:
    names = [".apiDefinition.swagger.json.0123abcd.new.tmp", ".icon.png.deadbeef.old.tmp"]
    for name in names:
        ignored = subprocess.run(
            ["git", "-C", str(repository_root), "check-ignore", "--no-index", "-q", name],
            capture_output=True,
            check=False,
        )
        assert ignored.returncode == 0, f"{name} is not ignored by .gitignore"
