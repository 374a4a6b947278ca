"""SARIF 2.1.0 for GitHub code scanning: one run, the enabled rules with their documentation
in `tool.driver.rules`, one result per finding located by file, line and column.

GitHub places a result only when its region has a start line, so a finding without a line
(a missing file, a whole-file problem) is placed on line 1. Columns count characters
(`columnKind: unicodeCodePoints`). The JSON pointer goes into the result's logical location and
into a partial fingerprint, which keeps an alert the same alert when lines move.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Any
from urllib.parse import quote

from retarus_connector import __version__
from retarus_connector.lint.citations import cite
from retarus_connector.lint.docs import explain_data
from retarus_connector.lint.engine import LintReport
from retarus_connector.lint.formats.escape import valid_unicode
from retarus_connector.lint.model import Rule, Severity

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = MappingProxyType(
    {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
)
TOOL_NAME = "retarus-connector-lint"


def _utf8(text: str) -> bytes:
    """The bytes of a text that may carry a file name's undecodable bytes as lone surrogates
    (Python's reading of a POSIX path that is not UTF-8): those bytes come back as they were."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that no path reading produces
        return text.encode("utf-8", "backslashreplace")


def _uri(file: str) -> str:
    # a URI percent-encodes the bytes of the name, including those that are not UTF-8
    if PurePosixPath(file).is_absolute():
        return "file://" + quote(_utf8(file))
    return quote(_utf8(file))


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    # the documentation as `--explain` shows it: citations name Microsoft's public pages, not
    # the ids of a reference users do not have, and the pages' addresses follow
    explained = explain_data(rule)
    documentation: str = explained["documentation"]
    references: list[str] = explained["references"]
    summary, _ = cite(rule.summary)
    text = documentation
    markdown = documentation
    if references:
        text += "\n\nReferences:\n" + "".join(f"  {url}\n" for url in references)
        markdown += "\n\nReferences:\n\n" + "".join(f"- <{url}>\n" for url in references)
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": documentation},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.family]},
    }
    if references:
        descriptor["helpUri"] = references[0]
    return descriptor


def as_data(report: LintReport, rules: Sequence[Rule]) -> dict[str, Any]:
    descriptors = [_rule_descriptor(rule) for rule in rules]
    index = {rule.id: position for position, rule in enumerate(rules)}
    results = []
    for finding in report.findings:
        region: dict[str, int] = {"startLine": finding.line or 1}
        if finding.line is not None and finding.column is not None:
            region["startColumn"] = finding.column
        location: dict[str, Any] = {
            "physicalLocation": {
                "artifactLocation": {"uri": _uri(finding.file)},
                "region": region,
            }
        }
        if finding.pointer:
            location["logicalLocations"] = [
                {"fullyQualifiedName": valid_unicode(finding.pointer), "kind": "element"}
            ]
        identity = f"{finding.rule}\0{finding.file}\0{finding.pointer}\0{finding.message}"
        result: dict[str, Any] = {
            "ruleId": finding.rule,
            "level": LEVELS[finding.severity],
            "message": {"text": valid_unicode(finding.message)},
            "locations": [location],
            "partialFingerprints": {
                "connectorLintFinding/v1": hashlib.sha256(_utf8(identity)).hexdigest()
            },
        }
        if finding.rule in index:
            result["ruleIndex"] = index[finding.rule]
        results.append(result)
    return sarif_log(TOOL_NAME, descriptors, results, column_kind="unicodeCodePoints")


def sarif_log(
    tool_name: str,
    rules: list[dict[str, Any]],
    results: list[dict[str, Any]],
    *,
    column_kind: str | None = None,
) -> dict[str, Any]:
    """A SARIF 2.1.0 log of one run of the toolkit's tool `tool_name` (lint's and diff's)."""
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": tool_name,
                "version": __version__,
                "semanticVersion": __version__,
                "rules": rules,
            }
        },
    }
    if column_kind is not None:
        run["columnKind"] = column_kind
    run["results"] = results
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: LintReport, rules: Sequence[Rule]) -> str:
    return json.dumps(as_data(report, rules), indent=2, ensure_ascii=False) + "\n"


def artifact_uri(file: str) -> str:
    """The SARIF artifact URI of a file name as the toolkit shows it (diff's SARIF uses it)."""
    return _uri(file)


def fingerprint(*parts: str) -> str:
    """A partial fingerprint over the parts that identify a result, whatever its line."""
    return hashlib.sha256(_utf8("\0".join(parts))).hexdigest()
