"""Fixtures shared by the whole suite."""

from __future__ import annotations

from pathlib import Path

import pytest

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPOSITORY_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def repository_root() -> Path:
    return REPOSITORY_ROOT


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only reference material beside the repository; skips the test without it."""
    if not (SHARED_DIR / "corpus").is_dir():
        pytest.skip(
            f"reference material not found at {SHARED_DIR} (../shared beside the repository)"
        )
    return SHARED_DIR


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpus"
