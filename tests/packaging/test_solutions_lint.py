"""What `solution` and `certification` write passes the linter's solution, flow and
certification rules and the certified profile, and a defect in a zip stops the command."""

from __future__ import annotations

from pathlib import Path

import pytest

from retarus_connector.lint.engine import LintOptions, lint
from retarus_connector.lint.model import Profile
from retarus_connector.packaging.certification import current_certification
from retarus_connector.packaging.solutions import current_solutions, preflight_solutions

SOLUTION_FAMILIES = ("solution", "flow", "certification")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dist")
    built = current_solutions()
    for name, data in built.files().items():
        (folder / name).write_bytes(data)
    package = current_certification()
    (folder / package.name).write_bytes(package.data)
    return folder


def test_no_solution_flow_or_certification_finding(written: Path) -> None:
    findings = lint([written], LintOptions(select=SOLUTION_FAMILIES, jobs=1)).findings
    assert findings == []


def test_the_certified_profile_finds_nothing_at_all(written: Path) -> None:
    report = lint([written], LintOptions(profile=Profile.CERTIFIED, jobs=1))
    assert report.findings == []
    # both solutions and the certification package were read, not skipped
    assert report.packages >= 3


def test_the_preflight_reads_the_zips_and_stops_a_defect() -> None:
    built = current_solutions()
    clean = preflight_solutions({built.flow_solution.name: built.flow_solution.data}, "dist")
    assert not clean.blocked
    broken = preflight_solutions({built.flow_solution.name: b"PK\x03\x04 not a zip"}, "dist")
    assert broken.blocked
    assert all(
        f.file.startswith(f"dist/{built.flow_solution.name}") for f in broken.report.findings
    )
