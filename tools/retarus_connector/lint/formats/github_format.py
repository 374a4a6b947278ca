"""GitHub Actions workflow commands: each finding becomes an annotation on its file and line,
`::error file=F,line=L,col=C,title=RULE::message` (warning and notice for the other levels).
Control characters and undecodable bytes in file names, pointers and messages are shown as
escapes (see `escape`); only a message's own line breaks are kept, as the command's %0A."""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType

from retarus_connector.lint.engine import LintReport
from retarus_connector.lint.formats.escape import printable
from retarus_connector.lint.formats.text_format import summary_line
from retarus_connector.lint.model import Rule, Severity

COMMANDS = MappingProxyType(
    {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: LintReport, rules: Sequence[Rule]) -> str:
    lines = []
    for finding in report.findings:
        properties = [f"file={_property(printable(finding.file))}"]
        if finding.line is not None:
            properties.append(f"line={finding.line}")
            if finding.column is not None:
                properties.append(f"col={finding.column}")
        properties.append(f"title={_property(finding.rule)}")
        message = "\n".join(printable(line) for line in finding.message.splitlines())
        if finding.pointer:
            message += f" (at {printable(finding.pointer)})"
        lines.append(f"::{COMMANDS[finding.severity]} {','.join(properties)}::{_data(message)}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def escape_data(text: str) -> str:
    """A workflow command's message, escaped (diff's github format uses it)."""
    return _data(text)


def escape_property(text: str) -> str:
    """A workflow command's property value, escaped."""
    return _property(text)
