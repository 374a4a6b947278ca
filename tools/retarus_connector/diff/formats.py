"""`diff --format sarif|github`: the comparison in the shapes CI consumes, with the linter's
conventions (SARIF 2.1.0 with one run; GitHub workflow commands).

Each change is a result whose rule is its change kind (`OperationDeleted`, ...): level `error`
when breaking, `note` otherwise (non-breaking changes only with --all, as in text). A result
is placed on the file the change is about; a change found in a committed version (`--git`)
is placed on the same path in the working tree, since `REV:path` is no file a reader can open.
Pointers go into the logical location; results have no line (GitHub then shows line 1).
"""

from __future__ import annotations

import json
from typing import Any

from retarus_connector.diff.io import LoadedVersion
from retarus_connector.diff.model import Change, Document, Side
from retarus_connector.diff.report import as_text
from retarus_connector.diff.versions import Comparison
from retarus_connector.lint.formats.github_format import escape_data, escape_property
from retarus_connector.lint.formats.sarif_format import artifact_uri, fingerprint, sarif_log

TOOL_NAME = "retarus-connector-diff"
FORMATS = ("sarif", "github")


def _file(comparison: Comparison, change: Change, revision: str | None) -> str:
    version: LoadedVersion = comparison.old if change.side is Side.OLD else comparison.new
    document = {
        Document.PROPERTIES: version.properties,
        Document.SCRIPT: version.script,
        Document.ICON: version.icon,
    }.get(change.document)
    label = document.label if document is not None else version.swagger.label
    if revision is not None and change.side is Side.OLD and label.startswith(f"{revision}:"):
        label = label[len(revision) + 1 :]
    return label


def _shown(comparison: Comparison, show_all: bool) -> list[Change]:
    return [change for change in comparison.changes if change.breaking or show_all]


def sarif(comparison: Comparison, *, show_all: bool, revision: str | None = None) -> str:
    changes = _shown(comparison, show_all)
    kinds = sorted({change.kind.value for change in changes})
    index = {kind: position for position, kind in enumerate(kinds)}
    results: list[dict[str, Any]] = []
    for change in changes:
        file = _file(comparison, change, revision)
        location: dict[str, Any] = {
            "physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(file)},
                "region": {"startLine": 1},
            }
        }
        if change.pointer:
            location["logicalLocations"] = [
                {"fullyQualifiedName": change.pointer, "kind": "element"}
            ]
        results.append(
            {
                "ruleId": change.kind.value,
                "ruleIndex": index[change.kind.value],
                "level": "error" if change.breaking else "note",
                "message": {"text": change.message},
                "locations": [location],
                "partialFingerprints": {
                    "connectorDiffChange/v1": fingerprint(
                        change.kind.value, file, change.pointer, change.message
                    )
                },
                "properties": {
                    "breaking": change.breaking,
                    "side": change.side.value,
                    "document": change.document.value,
                    "operationId": change.operation_id,
                },
            }
        )
    rules = [
        {
            "id": kind,
            "name": kind,
            "shortDescription": {"text": kind},
            "defaultConfiguration": {"level": "error"},
        }
        for kind in kinds
    ]
    document = sarif_log(TOOL_NAME, rules, results)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def github(comparison: Comparison, *, show_all: bool, revision: str | None = None) -> str:
    lines = []
    for change in _shown(comparison, show_all):
        command = "error" if change.breaking else "notice"
        file = escape_property(_file(comparison, change, revision))
        title = escape_property(change.kind.value)
        where = f" (at {change.pointer})" if change.pointer else ""
        message = escape_data(change.message + where)
        lines.append(f"::{command} file={file},title={title}::{message}")
    summary = as_text(comparison.old, comparison.new, comparison.changes, show_all=False)
    lines.append(summary.splitlines()[-1])
    return "\n".join(lines) + "\n"
