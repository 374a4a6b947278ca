"""Lint a package before it leaves the machine (`package`, `publish`, `solution`,
`certification`).

Generated files exist only in memory until they pass, so they are written to a temporary
folder for the lint engine, which reads packages from disk, and the findings are reported under
the name the package will have (`retarus-sms-1.0.0.zip/Retarus SMS/...`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from retarus_connector.lint.engine import LintOptions, LintReport, enabled_rules, lint
from retarus_connector.lint.model import Profile, Rule, Severity

# The strictest route: a package that passes it passes the others too.
PREFLIGHT_PROFILE = Profile.CERTIFIED
BLOCKING = Severity.ERROR


@dataclass(frozen=True)
class Preflight:
    """The lint report on a package and the rules that made it (for rendering)."""

    report: LintReport
    rules: tuple[Rule, ...]

    @property
    def blocked(self) -> bool:
        """Whether an error-severity finding stops the package from going out."""
        return self.report.reaches(BLOCKING)


def lint_folder(folder: Path, display: str | None = None) -> Preflight:
    """Lint the connector package(s) in `folder` under the certified profile, in this process
    and without the findings cache (a package about to leave is checked afresh)."""
    options = LintOptions(profile=PREFLIGHT_PROFILE, jobs=1)
    return Preflight(lint([folder], options, display=display), enabled_rules(options))


def lint_files(files: Mapping[str, bytes], display: str) -> Preflight:
    """Lint a package given as name -> bytes, showing its files under `display`."""
    with tempfile.TemporaryDirectory(prefix="retarus-connector-preflight-") as scratch:
        folder = Path(scratch) / "package"
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        return lint_folder(folder, display)
