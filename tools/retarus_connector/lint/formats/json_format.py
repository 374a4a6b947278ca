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
    """Indented like `json.dumps(..., indent=2)` down to the findings, each finding on one line:
    readable, and written by the C encoder (which `indent` would turn off)."""
    data = as_data(report)
    findings = ",\n".join(
        "    " + json.dumps(finding, ensure_ascii=False) for finding in data["findings"]
    )
    body = f"[\n{findings}\n  ]" if findings else "[]"
    summary = json.dumps(data["summary"])
    return f'{{\n  "findings": {body},\n  "summary": {summary}\n}}\n'
