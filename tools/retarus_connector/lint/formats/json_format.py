"""One JSON object: `findings` (rule, severity, file, pointer, line, column, message) and
`summary` (packages, files, and the count of each severity). The output is always valid UTF-8
holding only valid Unicode: a byte of a file name that is not UTF-8 is shown as `\\xNN`, any
other lone surrogate as `\\uXXXX` (see `escape`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from retarus_connector.lint.engine import LintReport
from retarus_connector.lint.formats.escape import valid_unicode
from retarus_connector.lint.model import Rule


def as_data(report: LintReport) -> dict[str, Any]:
    findings = [
        {
            "rule": finding.rule,
            "severity": finding.severity.value,
            "file": valid_unicode(finding.file),
            "pointer": valid_unicode(finding.pointer),
            "line": finding.line,
            "column": finding.column,
            "message": valid_unicode(finding.message),
        }
        for finding in report.findings
    ]
    summary: dict[str, int] = {"packages": report.packages, "files": report.files}
    summary.update((severity.value, count) for severity, count in report.counts().items())
    return {"findings": findings, "summary": summary}


def render(report: LintReport, rules: Sequence[Rule]) -> str:
    """Indented like `json.dumps(..., indent=2)` down to the findings, each finding on one line:
    readable, and quick to write (a large tree has thousands of findings)."""
    # the start of a line is the same for every finding of one rule in one file: encoded once
    starts: dict[tuple[str, str, str], str] = {}
    lines: list[str] = []
    for f in report.findings:
        start = starts.get((f.rule, f.severity, f.file))
        if start is None:
            start = starts[f.rule, f.severity, f.file] = (
                f'    {{"rule": {_string(f.rule)}, "severity": "{f.severity.value}", '
                f'"file": {_string(valid_unicode(f.file))}, "pointer": '
            )
        lines.append(
            f'{start}{_string(valid_unicode(f.pointer))}, "line": {_number(f.line)}, '
            f'"column": {_number(f.column)}, "message": {_string(valid_unicode(f.message))}}}'
        )
    body = "[\n" + ",\n".join(lines) + "\n  ]" if lines else "[]"
    counts = {severity.value: count for severity, count in report.counts().items()}
    summary = json.dumps({"packages": report.packages, "files": report.files, **counts})
    return f'{{\n  "findings": {body},\n  "summary": {summary}\n}}\n'


# the standard library's string encoder (its C version), as json.dumps(ensure_ascii=False) uses it
_string = json.encoder.encode_basestring


def _number(value: int | None) -> str:
    return "null" if value is None else str(value)
