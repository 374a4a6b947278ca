"""How many real certification fixes the linter would have caught: its recall.

Input: a JSON file listing fix commits, `{"fixes": [{"repository": "owner/name", "revision":
"<sha>", "note": "..."}, ...]}` (benchmarks/recall_fixes.json holds ours), and a local clone
of each repository (`--clone owner/name=PATH`; a bare git directory will do, such as the one
the toolkit's mirror gives for microsoft/PowerPlatformConnectors).

For each commit, every connector folder it touched (a folder with an
apiDefinition.swagger.json or apiProperties.json, at the revision or before it) is written out
twice with `git show`, as it was before the commit (`REV^`) and after it (`REV`), and both are
linted with the profile the folder's place implies (certified-connectors and the old
connectors/ folder: certified; independent-publisher-connectors: independent-publisher; else
custom). Findings are compared by rule, file name and JSON pointer, so moved lines do not
count. A commit is caught when some finding of the version before disappears after it: the
linter flagged something the fix removed. Commits that added a connector (nothing before) or
deleted one (nothing after) cannot be judged and are left out of the ratio.

    python benchmarks/recall.py [benchmarks/recall_fixes.json] [--clone owner/name=PATH]
        [--format text|json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY_ROOT / "tools"))

from retarus_connector.lint.engine import LintOptions, lint  # noqa: E402
from retarus_connector.lint.model import Profile  # noqa: E402

DEFAULT_FIXES = Path(__file__).with_name("recall_fixes.json")
# where the toolkit's `fetch` puts its mirror of Microsoft's repository
DEFAULT_CLONES = {
    "microsoft/PowerPlatformConnectors": Path(
        "/work/.mirror/microsoft+PowerPlatformConnectors/repo"
    ),
}
PACKAGE_MARKERS = ("apiDefinition.swagger.json", "apiProperties.json")
FindingKey = tuple[str, str, str]  # rule, file name, pointer


@dataclass
class Outcome:
    """What one fix commit shows: the folders judged, and the findings the fix removed."""

    repository: str
    revision: str
    note: str = ""
    folders: list[str] = field(default_factory=list)
    removed: list[FindingKey] = field(default_factory=list)
    skipped: str = ""  # why the commit could not be judged, if it could not

    @property
    def caught(self) -> bool:
        return bool(self.removed)


def git(clone: Path, *arguments: str) -> bytes:
    """The output of a git command in `clone` (a work tree or a bare git directory)."""
    return subprocess.run(
        ["git", "-C", str(clone), *arguments], check=True, capture_output=True
    ).stdout


def files_at(clone: Path, revision: str, folder: str) -> list[str]:
    """The paths of the files in `folder` at `revision` (none when it did not exist)."""
    try:
        listed = git(clone, "ls-tree", "-r", "--name-only", revision, "--", folder + "/")
    except subprocess.CalledProcessError:
        return []
    return [line for line in listed.decode("utf-8", "surrogateescape").splitlines() if line]


def touched_folders(clone: Path, revision: str) -> list[str]:
    """The connector folders a commit touched: for each changed file, the nearest folder
    above it that holds a package marker before or after the commit."""
    changed = git(
        clone, "diff-tree", "--no-commit-id", "-r", "--name-only", f"{revision}^", revision
    )
    found: set[str] = set()
    for name in changed.decode("utf-8", "surrogateescape").splitlines():
        for folder in PurePosixPath(name).parents:
            if str(folder) == ".":
                break
            present = files_at(clone, f"{revision}^", str(folder)) + files_at(
                clone, revision, str(folder)
            )
            if any(PurePosixPath(path).name in PACKAGE_MARKERS for path in present):
                found.add(str(folder))
                break
    return sorted(found)


def export(clone: Path, revision: str, folder: str, destination: Path) -> bool:
    """Writes the files directly in `folder` at `revision` into `destination`, with `git
    show`; False when the folder held no package then."""
    names = [
        path
        for path in files_at(clone, revision, folder)
        if PurePosixPath(path).parent == PurePosixPath(folder)
    ]
    if not any(PurePosixPath(path).name in PACKAGE_MARKERS for path in names):
        return False
    destination.mkdir(parents=True, exist_ok=True)
    for path in names:
        (destination / PurePosixPath(path).name).write_bytes(
            git(clone, "show", f"{revision}:{path}")
        )
    return True


def profile_of(folder: str) -> Profile:
    top = PurePosixPath(folder).parts[0] if PurePosixPath(folder).parts else ""
    if top in ("certified-connectors", "connectors"):
        return Profile.CERTIFIED
    if top == "independent-publisher-connectors":
        return Profile.INDEPENDENT_PUBLISHER
    return Profile.CUSTOM


def finding_keys(package: Path, profile: Profile) -> set[FindingKey]:
    """The findings of one package folder, keyed without their lines."""
    report = lint([package], LintOptions(profile=profile, jobs=1))
    return {
        (finding.rule, PurePosixPath(finding.file).name, finding.pointer)
        for finding in report.findings
    }


def judge(clone: Path, repository: str, revision: str, note: str = "") -> Outcome:
    """Lints the connector folders a commit touched before and after it."""
    outcome = Outcome(repository, revision, note)
    try:
        folders = touched_folders(clone, revision)
    except subprocess.CalledProcessError as error:
        outcome.skipped = (
            f"git could not read the commit ({error.stderr.decode(errors='replace').strip()})"
        )
        return outcome
    with tempfile.TemporaryDirectory(prefix="recall-") as temporary:
        root = Path(temporary)
        for number, folder in enumerate(folders):
            before, after = root / f"{number}-before", root / f"{number}-after"
            if not export(clone, f"{revision}^", folder, before):
                continue  # a new connector: nothing to compare with
            if not export(clone, revision, folder, after):
                continue  # a deleted connector
            outcome.folders.append(folder)
            profile = profile_of(folder)
            old, new = finding_keys(before, profile), finding_keys(after, profile)
            outcome.removed.extend(sorted(old - new))
    if not outcome.folders:
        outcome.skipped = "no connector folder existed both before and after the commit"
    return outcome


def read_fixes(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    fixes = data.get("fixes") if isinstance(data, dict) else None
    if not isinstance(fixes, list) or not all(
        isinstance(fix, dict) and isinstance(fix.get("revision"), str) for fix in fixes
    ):
        raise SystemExit(f"{path}: expected {{'fixes': [{{'repository', 'revision'}}, ...]}}")
    return fixes


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    judged = [outcome for outcome in outcomes if not outcome.skipped]
    caught = [outcome for outcome in judged if outcome.caught]
    return {
        "commits": len(outcomes),
        "judged": len(judged),
        "caught": len(caught),
        "recall": round(len(caught) / len(judged), 3) if judged else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fixes", nargs="?", type=Path, default=DEFAULT_FIXES)
    parser.add_argument("--clone", action="append", default=[], metavar="OWNER/NAME=PATH")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    options = parser.parse_args(argv)
    clones = dict(DEFAULT_CLONES)
    for entry in options.clone:
        name, equals, path = entry.partition("=")
        if not equals:
            parser.error(f"--clone takes OWNER/NAME=PATH, not {entry!r}")
        clones[name] = Path(path)
    outcomes: list[Outcome] = []
    for fix in read_fixes(options.fixes):
        repository = str(fix.get("repository", "microsoft/PowerPlatformConnectors"))
        clone = clones.get(repository)
        if clone is None or not clone.exists():
            outcome = Outcome(repository, fix["revision"], str(fix.get("note", "")))
            outcome.skipped = f"no local clone of {repository} (give --clone {repository}=PATH)"
        else:
            outcome = judge(clone, repository, fix["revision"], str(fix.get("note", "")))
        outcomes.append(outcome)
    totals = summary(outcomes)
    if options.format == "json":
        report = {
            "outcomes": [
                {
                    "repository": outcome.repository,
                    "revision": outcome.revision,
                    "note": outcome.note,
                    "folders": outcome.folders,
                    "caught": outcome.caught,
                    "skipped": outcome.skipped or None,
                    "removed": [list(key) for key in outcome.removed],
                }
                for outcome in outcomes
            ],
            "summary": totals,
        }
        print(json.dumps(report, indent=2))
    else:
        for outcome in outcomes:
            if outcome.skipped:
                state = f"skipped: {outcome.skipped}"
            else:
                rules = sorted({key[0] for key in outcome.removed})
                state = f"caught ({', '.join(rules)})" if rules else "missed"
            print(f"{outcome.revision[:10]} {outcome.note[:60]:60} {state}")
        print(
            f"recall: {totals['caught']} of {totals['judged']} judged fixes caught"
            f" ({totals['recall']}); {totals['commits'] - totals['judged']} not judged"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
