"""Reading a package file within a size limit (core/jsonfile.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from retarus_connector.core.jsonfile import LoadIssueKind, read_bytes


def _stat_saying(size: int, real: os.stat_result) -> os.stat_result:
    fields = list(real[:10])
    fields[6] = size  # st_size
    return os.stat_result(fields)


def test_a_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b'{"a": 1}\n' * 1000)
    assert read_bytes(path) == (b'{"a": 1}\n' * 1000, None)


def _grown_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, said: int) -> Path:
    """A file of 5,000 bytes whose size, when asked, is `said` (as if it grew since)."""
    path = tmp_path / "a.json"
    path.write_bytes(b"x" * 5000)
    real_stat = Path.stat
    monkeypatch.setattr(Path, "stat", lambda self: _stat_saying(said, real_stat(self)))
    return path


@pytest.mark.parametrize("said", [0, 1, 10])
def test_a_file_that_grew_since_its_size_was_read_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, said: int
) -> None:
    assert read_bytes(_grown_file(tmp_path, monkeypatch, said)) == (b"x" * 5000, None)


@pytest.mark.parametrize("said", [10, 100, 101, 5000])
def test_a_file_over_the_limit_is_reported_whatever_its_size_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, said: int
) -> None:
    raw, issue = read_bytes(_grown_file(tmp_path, monkeypatch, said), limit=100)
    assert raw == b""
    assert issue is not None
    assert issue.kind is LoadIssueKind.TOO_LARGE


def test_a_file_at_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"x" * 100)
    assert read_bytes(path, limit=100) == (b"x" * 100, None)
