"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPOSITORY_ROOT.parent / "shared"


def _hypothesis_directory() -> Path:
    """Hypothesis keeps its example database and constants in the user's cache, not in the
    current folder (the checkout), where they would travel with copies of the repository."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "retarus-connector" / "hypothesis"


set_hypothesis_home_dir(_hypothesis_directory())


@pytest.fixture(scope="session")
def repository_root() -> Path:
    return REPOSITORY_ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only reference material beside the repository; skips the test without it."""
    if not (SHARED_DIR / "corpus").is_dir():
        pytest.skip(
            f"reference material not found at {SHARED_DIR}: put the shared folder (with its "
            "corpus of real connector packages) beside the repository as ../shared"
        )
    return SHARED_DIR


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpus"
