"""Replace a set of files in one folder all together or not at all.

Power Platform rejects a package whose swagger and apiProperties disagree, so a build that
stops half-way must not leave new files beside old ones. The writer stages every new file in
the target folder (same file system, so renames are atomic), keeps a hard link to every file
it replaces, renames the staged files into place and, if anything fails before the last
rename, puts every original back and removes what it created.

A run that is killed cannot clean up after itself, so each run removes what an earlier one
left of the same files: staged copies (`.<name>.<hex>.new.tmp`) before it starts, and backups
(`.<name>.<hex>.old.tmp`) once its own set is in place and they are no longer a way back.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

_HEX_DIGITS = 8  # secrets.token_hex(4)
_TEMPORARY = re.compile(rf"\.(?P<name>.+)\.[0-9a-f]{{{_HEX_DIGITS}}}\.(?P<role>new|old)\.tmp")


class WriteError(OSError):
    """Writing the set failed; the folder was left as it was before the call."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}; no file was changed")
        self.path = path


def changed_files(target: Path, files: Mapping[str, bytes]) -> list[str]:
    """The names whose content on disk differs from `files` (missing files included)."""
    return [name for name, data in files.items() if _read(target / name) != data]


def write_files_atomically(target: Path, files: Mapping[str, bytes]) -> list[str]:
    """Write `files` (name -> bytes) into `target`; returns the names that changed.

    Files whose bytes are already on disk are not touched, so their times stay as they are."""
    for name in files:
        if Path(name).name != name:
            raise ValueError(f"{name!r} is not a plain file name")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WriteError(target, f"cannot create the folder ({error.strerror or error})") from error
    if not target.is_dir():
        raise WriteError(target, "is not a folder")
    _remove_leftovers(target, files, "new")
    changed = changed_files(target, files)
    if not changed:
        _remove_leftovers(target, files, "old")
        return []
    transaction = _Transaction(target)
    try:
        for name in changed:
            transaction.stage(name, files[name])
        for name in changed:
            transaction.keep_original(name)
        for name in changed:
            transaction.put_in_place(name)
    except OSError as error:
        transaction.roll_back()
        path = Path(error.filename) if error.filename else target
        raise WriteError(path, error.strerror or str(error)) from error
    except BaseException:
        transaction.roll_back()
        raise
    transaction.finish()
    _remove_leftovers(target, files, "old")
    return changed


def _remove_leftovers(target: Path, files: Mapping[str, bytes], role: str) -> None:
    """Remove the temporary files an interrupted run left for `files` in `target`."""
    try:
        entries = list(os.scandir(target))
    except OSError:
        return
    for entry in entries:
        found = _TEMPORARY.fullmatch(entry.name)
        if found and found["role"] == role and found["name"] in files:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


@dataclass
class _Transaction:
    target: Path
    staged: dict[str, Path] = field(default_factory=dict)
    originals: dict[str, Path | None] = field(default_factory=dict)  # None: there was none
    placed: list[str] = field(default_factory=list)

    def stage(self, name: str, data: bytes) -> None:
        path = self._unique(name, "new")
        # os.open with 0o666 lets the umask decide the mode, as for any file the user writes.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o666)
        self.staged[name] = path
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        final = self.target / name
        if final.exists():
            shutil.copymode(final, path)

    def keep_original(self, name: str) -> None:
        final = self.target / name
        if not final.exists():
            self.originals[name] = None
            return
        backup = self._unique(name, "old")
        try:
            os.link(final, backup)
        except OSError:  # file systems without hard links
            shutil.copy2(final, backup)
        self.originals[name] = backup

    def put_in_place(self, name: str) -> None:
        os.replace(self.staged[name], self.target / name)
        del self.staged[name]  # only now: a failed rename leaves it for the roll-back
        self.placed.append(name)

    def roll_back(self) -> None:
        """Best effort by design: each step runs even if an earlier one failed. A backup that
        could not be moved back stays on disk, so no original is ever lost."""
        for name in reversed(self.placed):
            backup = self.originals.pop(name, None)
            with contextlib.suppress(OSError):
                if backup is None:
                    (self.target / name).unlink()
                else:
                    os.replace(backup, self.target / name)
        for path in (*self.staged.values(), *self.originals.values()):
            if path is not None:
                with contextlib.suppress(OSError):
                    path.unlink()

    def finish(self) -> None:
        for backup in self.originals.values():
            if backup is not None:
                with contextlib.suppress(OSError):
                    backup.unlink()
        _sync_folder(self.target)

    def _unique(self, name: str, role: str) -> Path:
        return self.target / f".{name}.{secrets.token_hex(_HEX_DIGITS // 2)}.{role}.tmp"


_BINARY = getattr(os, "O_BINARY", 0)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):  # no file stands there: the name has changed
        return None
    except OSError as error:  # unreadable: comparing is impossible, so nothing is written
        raise WriteError(path, f"cannot be read ({error.strerror or error})") from error


def _sync_folder(folder: Path) -> None:
    """Make the renames durable where the platform allows syncing a directory."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
