"""Output formats: SARIF against the official 2.1.0 schema, GitHub annotations, text, JSON."""

from __future__ import annotations

import json
import re

import pytest

from retarus_connector.lint import engine
from retarus_connector.lint.formats import render
from retarus_connector.lint.model import Finding, Severity
from sarif_schema import sarif_errors

REPORT = engine.LintReport(
    findings=[
        Finding(
            "ref-target",
            Severity.ERROR,
            "pkg a/apiDefinition.swagger.json",
            "/x/$ref",
            "bad, ref: 100%\nsecond line",
            3,
            7,
        ),
        Finding("file-bom", Severity.WARNING, "pkg a/readme.md", "", "BOM", 1, 1),
        Finding(
            "package-missing-swagger", Severity.INFO, "pkg b/apiDefinition.swagger.json", "", "none"
        ),
    ],
    packages=2,
    files=3,
)


def test_sarif_is_valid_against_the_official_schema() -> None:
    document = json.loads(render("sarif", REPORT, engine.registry()))
    assert sarif_errors(document) == []
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [rule.id for rule in engine.registry()]
    assert all(rule["help"]["text"] for rule in rules)
    first, _, third = run["results"]
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "pkg%20a/apiDefinition.swagger.json"
    assert location["region"] == {"startLine": 3, "startColumn": 7}
    assert rules[first["ruleIndex"]]["id"] == "ref-target"
    # GitHub places a result only with a start line: whole-file findings go on line 1
    assert third["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert third["level"] == "note"


def test_sarif_rule_help_cites_public_pages_not_internal_ids() -> None:
    document = json.loads(render("sarif", REPORT, engine.registry()))
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    internal = re.compile(r"\b(?:SW|MD|OP|PRM|SCH|REF|AP|ICON|RM|CSX|AI)-\d{2}\b")
    for rule in rules:
        texts = [
            rule["shortDescription"]["text"],
            rule["fullDescription"]["text"],
            rule["help"]["text"],
            rule["help"]["markdown"],
        ]
        assert not any(internal.search(text) for text in texts), rule["id"]
    cited = [rule for rule in rules if "helpUri" in rule]
    assert cited, "no rule names a Microsoft page"
    for rule in cited:
        assert rule["helpUri"].startswith("https://learn.microsoft.com/")
        assert rule["helpUri"] in rule["help"]["text"]
        assert rule["helpUri"] in rule["help"]["markdown"]


def test_sarif_locates_a_file_whose_name_is_not_utf8() -> None:
    # Python reads the name's byte 0xFF as the lone surrogate U+DCFF; a message may quote a
    # lone surrogate from a JSON escape in the swagger
    report = engine.LintReport(
        findings=[
            Finding("info-title", Severity.ERROR, "pk\udcff g/apiDefinition.swagger.json", "", "x"),
            Finding("info-title", Severity.ERROR, "/abs/pk\udcff/a.json", "", "'\ud800'"),
        ],
        packages=2,
        files=2,
    )
    document = json.loads(render("sarif", report, engine.registry()))
    assert sarif_errors(document) == []
    uris = [
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for result in document["runs"][0]["results"]
    ]
    assert uris == ["pk%FF%20g/apiDefinition.swagger.json", "file:///abs/pk%FF/a.json"]


def test_sarif_schema_check_rejects_a_broken_log() -> None:
    document = json.loads(render("sarif", REPORT, engine.registry()))
    document["runs"][0]["results"][0]["level"] = "fatal"
    assert sarif_errors(document)


def test_github_annotations_escape_their_properties_and_data() -> None:
    lines = render("github", REPORT, engine.registry()).splitlines()
    assert lines[0] == (
        "::error file=pkg a/apiDefinition.swagger.json,line=3,col=7,title=ref-target"
        "::bad, ref: 100%25%0Asecond line (at /x/$ref)"
    )
    assert lines[1].startswith("::warning file=pkg a/readme.md,line=1,col=1,title=file-bom::")
    assert (
        lines[2]
        == "::notice file=pkg b/apiDefinition.swagger.json,title=package-missing-swagger::none"
    )
    assert lines[3] == "2 packages, 3 files: 1 error, 1 warning, 1 info"


def test_json_has_the_documented_shape() -> None:
    document = json.loads(render("json", REPORT, engine.registry()))
    assert document["summary"] == {"packages": 2, "files": 3, "error": 1, "warning": 1, "info": 1}
    assert list(document["findings"][0]) == [
        "rule",
        "severity",
        "file",
        "pointer",
        "line",
        "column",
        "message",
    ]
    assert document["findings"][2]["line"] is None


def test_text_lists_place_severity_rule_and_message() -> None:
    lines = render("text", REPORT, engine.registry()).splitlines()
    assert lines[0].startswith("pkg a/apiDefinition.swagger.json:3:7: error [ref-target] bad, ref")
    assert lines[2] == "pkg b/apiDefinition.swagger.json: info [package-missing-swagger] none"


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render("xml", REPORT, [])


@pytest.mark.parametrize(
    ("text", "valid", "shown"),
    [
        ("plain/apiDefinition.swagger.json", None, None),
        ("caf\udce9/x", "caf\\xe9/x", "caf\\xe9/x"),  # the byte 0xE9 of a Latin-1 name
        ("'\ud800'", "'\\ud800'", "'\\ud800'"),  # a lone surrogate from a JSON escape
        ("a\nb\tc\x1b[31m\x7f\x85\u2028", None, "a\\nb\\tc\\x1b[31m\\x7f\\x85\\u2028"),
        ("no-break\u00a0space, zw\u200dj, ü", None, None),  # printable enough: left alone
    ],
)
def test_escapes_keep_output_valid_and_on_one_line(
    text: str, valid: str | None, shown: str | None
) -> None:
    from retarus_connector.lint.formats.escape import printable, valid_unicode

    assert valid_unicode(text) == (text if valid is None else valid)
    assert printable(text) == (text if shown is None else shown)
    printable(text).encode("utf-8")
