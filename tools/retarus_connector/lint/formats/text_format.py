"""Plain text: `file:line:column: severity [rule] message (at pointer)`, then a summary line.
Each finding is one line: control characters and undecodable bytes are shown as escapes (see
`escape`)."""

from __future__ import annotations

from collections.abc import Sequence

from retarus_connector.lint.engine import LintReport
from retarus_connector.lint.formats.escape import printable
from retarus_connector.lint.model import Rule


def render(report: LintReport, rules: Sequence[Rule]) -> str:
    lines = []
    for finding in report.findings:
        place = printable(finding.file)
        if finding.line is not None:
            place += f":{finding.line}"
            if finding.column is not None:
                place += f":{finding.column}"
        where = f" (at {printable(finding.pointer)})" if finding.pointer else ""
        # a message's own line breaks become spaces; any other control character an escape
        message = printable(" ".join(finding.message.splitlines()))
        lines.append(f"{place}: {finding.severity.value} [{finding.rule}] {message}{where}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def summary_line(report: LintReport) -> str:
    counts = report.counts()
    packages = f"{report.packages} package{'s' if report.packages != 1 else ''}"
    files = f"{report.files} file{'s' if report.files != 1 else ''}"
    found = ", ".join(f"{count} {severity.value}" for severity, count in counts.items())
    return f"{packages}, {files}: {found}"
