"""Fixtures for the runtime tests. Requests never leave the process: they go to requests-mock,
and one that matches nothing registered fails the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import requests_mock
from runtime_packages import PackageFactory, swagger_document, write_package

from retarus_connector.runtime import Connector


@pytest.fixture
def make_connector(tmp_path: Path) -> PackageFactory:
    """make_connector(paths, properties=None, **swagger_root) -> a loaded Connector."""
    counter = iter(range(1000))

    def make(
        paths: dict[str, Any], properties: dict[str, Any] | None = None, **root: Any
    ) -> Connector:
        folder = write_package(
            tmp_path / f"package{next(counter)}", swagger_document(paths, **root), properties
        )
        return Connector.load(folder)

    return make


@pytest.fixture
def mock() -> Iterator[requests_mock.Mocker]:
    with requests_mock.Mocker() as mocker:
        yield mocker


@pytest.fixture
def session() -> Iterator[requests.Session]:
    with requests.Session() as active:
        yield active
