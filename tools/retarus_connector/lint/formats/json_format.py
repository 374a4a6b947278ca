"""One JSON object: `findings` (rule, severity, file, pointer, line, column, message) and
`summary` (packages, files, and the count of each severity)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from retarus_connector.lint.engine import LintReport
from retarus_connector.lint.model import Rule


def as_data(report: LintReport) -> dict[str, Any]:
    findings = [
        {
            "rule": finding.rule,
            "severity": finding.severity.value,
            "file": finding.file,
            "pointer": finding.pointer,
            "line": finding.line,
            "column": finding.column,
            "message": finding.message,
        }
        for finding in report.findings
    ]
    summary: dict[str, int] = {"packages": report.packages, "files": report.files}
    summary.update((severity.value, count) for severity, count in report.counts().items())
    return {"findings": findings, "summary": summary}


def render(report: LintReport, rules: Sequence[Rule]) -> str:
    return json.dumps(as_data(report), indent=2, ensure_ascii=False) + "\n"
