"""`certification`: the package a verified publisher uploads after the pull request."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from retarus_connector.files.atomic import write_files_atomically
from retarus_connector.files.certification import CertificationPackage, certification_package
from retarus_connector.files.solution import solution_set
from retarus_connector.models.package import Connector
from retarus_connector.models.solutions import retarus_solutions

from .preflight import Preflight
from .solutions import preflight_solutions
from .versioning import current_connector


@dataclass(frozen=True)
class CertificationResult:
    name: str
    preflight: Preflight
    path: Path | None  # None: lint found an error and nothing was written
    changed: bool


def current_certification(connector: Connector | None = None) -> CertificationPackage:
    """The certification package for `connector` (default: the current version)."""
    connector = connector or current_connector()
    solutions = retarus_solutions(connector)
    return certification_package(connector, solutions, solution_set(connector, solutions))


def write_certification(out_dir: Path, connector: Connector | None = None) -> CertificationResult:
    """Build the package in memory, lint it, and write it into `out_dir` atomically."""
    connector = connector or current_connector()
    package = current_certification(connector)
    preflight = preflight_solutions({package.name: package.data}, str(out_dir))
    if preflight.blocked:
        return CertificationResult(package.name, preflight, path=None, changed=False)
    changed = write_files_atomically(out_dir, {package.name: package.data})
    return CertificationResult(package.name, preflight, out_dir / package.name, bool(changed))
