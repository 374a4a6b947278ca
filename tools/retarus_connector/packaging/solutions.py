"""`solution`: the connector solution, the flow solution and the deployment settings.

Everything is generated in memory from the models at the current version, linted, and then
written into one folder atomically (all three files or none). `check_solutions` compares the
folder with what would be written, without writing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from retarus_connector.files.atomic import write_files_atomically
from retarus_connector.files.check import Difference, differences
from retarus_connector.files.solution import SolutionSet, solution_set
from retarus_connector.files.zips import same_entries
from retarus_connector.models.package import Connector
from retarus_connector.models.solutions import retarus_solutions

from .preflight import Preflight, lint_files
from .versioning import current_connector


@dataclass(frozen=True)
class SolutionsResult:
    """What `write_solutions` did: the lint verdict and the files written."""

    files: tuple[str, ...]  # every file name the command owns in the folder
    preflight: Preflight
    written: bool  # False: lint found an error and nothing was written
    changed: tuple[str, ...]  # the names whose bytes changed on disk


def current_solutions(connector: Connector | None = None) -> SolutionSet:
    """Both solutions and the settings for `connector` (default: the current version).
    Raises emitters.flow.FlowError when a flow no longer fits the connector, and ValueError
    when the version cannot be a Dataverse version."""
    connector = connector or current_connector()
    return solution_set(connector, retarus_solutions(connector))


def preflight_solutions(zips: Mapping[str, bytes], display: str) -> Preflight:
    """Lint solution zips (or a certification package) as they will be written, under the
    certified profile: the solution, flow and certification rules, and the connector inside
    under the package rules. Findings name the files as `<display>/<zip>!/<entry>`."""
    return lint_files(zips, display)


def write_solutions(out_dir: Path, connector: Connector | None = None) -> SolutionsResult:
    connector = connector or current_connector()
    solutions = current_solutions(connector)
    files = solutions.files()
    zips = {name: data for name, data in files.items() if name.endswith(".zip")}
    preflight = preflight_solutions(zips, str(out_dir))
    if preflight.blocked:
        return SolutionsResult(tuple(files), preflight, written=False, changed=())
    stale = {d.name for d in check_files(out_dir, files)}
    changed = write_files_atomically(out_dir, {n: d for n, d in files.items() if n in stale})
    return SolutionsResult(tuple(files), preflight, written=True, changed=tuple(changed))


def check_solutions(out_dir: Path, connector: Connector | None = None) -> list[Difference]:
    """The files in `out_dir` that are missing or differ from what would be written."""
    return check_files(out_dir, current_solutions(connector).files())


def check_files(out_dir: Path, files: dict[str, bytes]) -> list[Difference]:
    """Like files.check.differences, but a zip whose entries, order and contents are the same
    counts as current even when another zlib compressed it into other bytes."""
    found = []
    for difference in differences(out_dir, files):
        path = out_dir / difference.name
        if difference.name.endswith(".zip") and not difference.unreadable and path.is_file():
            try:
                if same_entries(path.read_bytes(), files[difference.name]):
                    continue
            except OSError:
                pass
        found.append(difference)
    return found
