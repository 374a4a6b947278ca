"""Baselines: today's findings recorded, so that a later run reports only new ones.

A finding is keyed on its rule, its file and its JSON pointer, not on its line, so edits that
move lines do not bring old findings back. The file is stored relative to the baseline file's
folder with forward slashes, so the baseline works from any working folder and on any system.
Keys count: when the baseline holds two findings of a key and the run has three, one is
reported.

    {"version": 1, "findings": [{"rule": ..., "file": ..., "pointer": ..., "count": 2}, ...]}
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from retarus_connector.lint.engine import LintReport, LintUsageError
from retarus_connector.lint.model import Finding
from retarus_connector.lint.writing import WriteFailed, write_atomically

VERSION = 1

Key = tuple[str, str, str]


def _file_key(file: str, base: Path, cwd: Path) -> str:
    # a file inside an archive ("a.zip!/customizations.xml") is normalized like a path: the
    # part after the "!" stays as it is
    absolute = os.path.normpath(os.path.join(cwd, file))
    return Path(os.path.relpath(absolute, base)).as_posix()


def key_of(finding: Finding, base: Path, cwd: Path) -> Key:
    return (finding.rule, _file_key(finding.file, base, cwd), finding.pointer)


def keys(report: LintReport, base: Path, cwd: Path) -> Counter[Key]:
    return Counter(key_of(finding, base, cwd) for finding in report.findings)


def write(path: Path, report: LintReport, cwd: Path) -> int:
    """Record the report's findings in `path`; returns how many were recorded."""
    counted = keys(report, path.resolve().parent, cwd)
    entries = [
        {"rule": rule, "file": file, "pointer": pointer, "count": count}
        for (rule, file, pointer), count in sorted(counted.items())
    ]
    text = json.dumps({"version": VERSION, "findings": entries}, indent=2, ensure_ascii=True)
    try:
        write_atomically(path, (text + "\n").encode("ascii"))
    except WriteFailed as error:
        raise LintUsageError(f"baseline {error}") from None
    return sum(counted.values())


def load(path: Path) -> Counter[Key]:
    """The findings a baseline file records; a usage error naming the file when it is missing
    or not a baseline."""
    try:
        document: Any = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise LintUsageError(
            f"baseline {path} does not exist (write one with --write-baseline {path})"
        ) from None
    except OSError as error:
        raise LintUsageError(f"baseline {path} cannot be read ({error.strerror})") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise LintUsageError(f"baseline {path} is not valid JSON ({error})") from None
    entries = document.get("findings") if isinstance(document, dict) else None
    if not isinstance(document, dict) or document.get("version") != VERSION:
        raise LintUsageError(f"baseline {path} is not a version {VERSION} lint baseline")
    if not isinstance(entries, list):
        raise LintUsageError(f"baseline {path} has no 'findings' list")
    counted: Counter[Key] = Counter()
    for number, entry in enumerate(entries):
        fields = (
            [entry.get(name) for name in ("rule", "file", "pointer")]
            if isinstance(entry, dict)
            else []
        )
        count = entry.get("count", 1) if isinstance(entry, dict) else None
        if (
            len(fields) != 3
            or not all(isinstance(value, str) for value in fields)
            or not isinstance(count, int)
            or isinstance(count, bool)
            or count < 1
        ):
            raise LintUsageError(
                f"baseline {path}: finding {number} needs string rule, file and pointer and a"
                " positive count"
            )
        rule, file, pointer = (str(value) for value in fields)
        counted[(rule, file, pointer)] += count
    return counted


def subtract(report: LintReport, known: Counter[Key], base: Path, cwd: Path) -> int:
    """Drop from `report` the findings `known` records (consuming them from `known`, so a
    baseline shared by several reports counts each finding once); returns how many."""
    kept: list[Finding] = []
    for finding in report.findings:
        key = key_of(finding, base, cwd)
        if known[key] > 0:
            known[key] -= 1
        else:
            kept.append(finding)
    suppressed = len(report.findings) - len(kept)
    report.findings[:] = kept
    return suppressed
