"""`--statistics`: how many findings each rule has, at each severity, instead of the findings.

Rows are sorted by count (most first), then rule id, then severity, so two runs over the same
tree print the same table.
"""

from __future__ import annotations

import json
from collections import Counter

from retarus_connector.lint.engine import LintReport

FORMATS = ("text", "json")


def rows(report: LintReport) -> list[tuple[str, str, int]]:
    """(rule, severity, count) for every rule and severity that has findings."""
    counted = Counter((finding.rule, finding.severity.value) for finding in report.findings)
    return sorted(
        ((rule, severity, count) for (rule, severity), count in counted.items()),
        key=lambda row: (-row[2], row[0], row[1]),
    )


def render(name: str, report: LintReport) -> str:
    if name not in FORMATS:
        raise ValueError(f"statistics come as {' or '.join(FORMATS)}, not {name!r}")
    table = rows(report)
    counts = {severity.value: count for severity, count in report.counts().items()}
    if name == "json":
        document = {
            "statistics": [
                {"rule": rule, "severity": severity, "count": count}
                for rule, severity, count in table
            ],
            "summary": {"packages": report.packages, "files": report.files, **counts},
        }
        return json.dumps(document, indent=2) + "\n"
    width = max((len(str(count)) for _, _, count in table), default=1)
    rule_width = max((len(rule) for rule, _, _ in table), default=0)
    lines = [
        f"{count:>{width}}  {rule:<{rule_width}}  {severity}" for rule, severity, count in table
    ]
    packages = f"{report.packages} package{'s' if report.packages != 1 else ''}"
    files = f"{report.files} file{'s' if report.files != 1 else ''}"
    found = ", ".join(f"{count} {severity}" for severity, count in counts.items())
    lines.append(f"{packages}, {files}: {found}")
    return "\n".join(lines) + "\n"
