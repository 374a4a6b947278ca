"""What a plain `lint` run imports: every run pays for every module, class and pattern the lint
path defines, so the costly ones stay off it (ARCHITECTURE.md, "Rules that hold everywhere")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]


def _imported_by_lint(tmp_path: Path, *arguments: str) -> set[str]:
    """The modules a whole `lint` process imports, read from `python -X importtime`."""
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "retarus_connector.cli", "lint", *arguments],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "", "PYTHONPATH": str(REPOSITORY_ROOT / "tools"), "HOME": str(tmp_path)},
        check=False,
    )
    assert completed.returncode in (0, 1), completed.stderr[-2000:]
    return {
        line.rsplit("|", 1)[1].strip()
        for line in completed.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


@pytest.fixture(scope="module")
def plain_run(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    package = REPOSITORY_ROOT  # this repository's own connector package
    return _imported_by_lint(tmp_path_factory.mktemp("run"), "--no-cache", str(package))


def test_a_plain_run_defines_no_dataclass(plain_run: set[str]) -> None:
    # a frozen dataclass costs about 1 ms to define: the lint path uses NamedTuples instead
    assert "retarus_connector.lint.engine" in plain_run  # the run did import the linter
    assert "dataclasses" not in plain_run


@pytest.mark.parametrize(
    "module",
    [
        "retarus_connector.lint.solutions.model",  # solution readers: only for a solution
        "retarus_connector.lint.solutions.discover",  # only to look for solutions in a tree
        "retarus_connector.lint.baseline",  # only with --baseline / --write-baseline
        "retarus_connector.lint.statistics",  # only with --statistics
        "retarus_connector.lint.writing",  # only with --output or --fix
        "concurrent.futures",  # only when several processes share the packages
    ],
)
def test_a_plain_run_leaves_out_what_only_other_runs_need(plain_run: set[str], module: str) -> None:
    assert module not in plain_run


def test_a_parallel_run_imports_no_process_pool_library(tmp_path: Path) -> None:
    # the workers are forked and fed through a pipe (lint/parallel.py): importing
    # concurrent.futures and multiprocessing would cost every parallel run about 35 ms
    tree = tmp_path / "tree"
    for number in range(8):
        folder = tree / f"package{number}"
        folder.mkdir(parents=True)
        for name in ("apiDefinition.swagger.json", "apiProperties.json"):
            (folder / name).write_bytes((REPOSITORY_ROOT / name).read_bytes())
    imported = _imported_by_lint(tmp_path, "--no-cache", "--jobs", "2", str(tree))
    assert "retarus_connector.lint.parallel" in imported  # the packages were shared
    assert "concurrent.futures" not in imported
    assert "multiprocessing" not in imported
