"""Linting solution zips, unpacked solutions and certification packages end to end: zip-aware
file names in every format, the connector rules on the connector inside, discovery, hostile
archives and XML, and the real samples in ../shared."""

from __future__ import annotations

import io
import json
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from solution_samples import (
    CONNECTOR,
    FLOW_FILE,
    certification_entries,
    edited,
    solution_entries,
    zip_bytes,
)

from retarus_connector.cli import main
from retarus_connector.lint import engine
from retarus_connector.lint.engine import LintOptions, lint
from retarus_connector.lint.model import Finding
from retarus_connector.lint.solutions.archive import read_archive

SOLUTION_RULES = ("solution", "flow", "certification")
SWAGGER_ENTRY = f"Connector/{CONNECTOR}_openapidefinition.json"
PARAMETERS_ENTRY = f"Connector/{CONNECTOR}_connectionparameters.json"


def _lint(path: Path, *select: str) -> list[Finding]:
    options = LintOptions(select=select or None, jobs=1)
    findings = lint([path], options).findings
    assert [finding for finding in findings if finding.rule == "rule-crashed"] == []
    return findings


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _rules(findings: list[Finding]) -> set[str]:
    return {finding.rule for finding in findings}


# ------------------------------------------------------------------ names and formats


def test_a_clean_solution_zip_has_no_solution_or_flow_finding(tmp_path: Path) -> None:
    path = _write(tmp_path, "ContosoFlows_1_0_0_1.zip", zip_bytes(solution_entries()))
    assert _lint(path, *SOLUTION_RULES) == []


def test_findings_inside_a_zip_name_the_entry_after_an_exclamation_mark(tmp_path: Path) -> None:
    entries = edited(solution_entries(), "solution.xml", "1.0.0.1", "1.0")
    path = _write(tmp_path, "s.zip", zip_bytes(entries))
    (finding,) = [f for f in _lint(path, "solution") if f.rule == "solution-version"]
    assert finding.file == f"{tmp_path.as_posix()}/s.zip!/solution.xml"
    assert finding.pointer == "/ImportExportXml/SolutionManifest/Version"
    assert finding.line == 6


def test_nested_zips_are_chained_in_file_names(tmp_path: Path) -> None:
    flow = json.loads(solution_entries()[FLOW_FILE])
    flow["properties"]["definition"]["actions"]["Check"]["runAfter"] = {"Gone": ["Succeeded"]}
    broken = {**solution_entries(), FLOW_FILE: json.dumps(flow).encode()}
    outer = certification_entries(
        {
            "PkgAssets/ContosoConnector_1_0_0_1.zip": zip_bytes(solution_entries()),
            "PkgAssets/ContosoFlows_1_0_0_1.zip": zip_bytes(broken),
        }
    )
    path = _write(tmp_path, "cert.zip", zip_bytes(outer))
    findings = _lint(path, *SOLUTION_RULES)
    (run_after,) = [f for f in findings if f.rule == "flow-run-after"]
    assert run_after.file == (
        f"{tmp_path.as_posix()}/cert.zip!/package.zip!/PkgAssets/ContosoFlows_1_0_0_1.zip!/"
        + FLOW_FILE
    )
    assert run_after.pointer == "/properties/definition/actions/Check/runAfter/Gone"
    # two flow solutions and no connector-only one: the validator's rule 18
    assert "certification-connector-solution" in _rules(findings)


def test_a_clean_certification_package_passes(tmp_path: Path) -> None:
    path = _write(tmp_path, "cert.zip", zip_bytes(certification_entries()))
    assert _lint(path, *SOLUTION_RULES) == []


@pytest.mark.parametrize("output", ["text", "json", "sarif", "github"])
def test_every_format_shows_the_zip_entry(tmp_path: Path, output: str) -> None:
    entries = edited(solution_entries(), "solution.xml", "<Managed>0", "<Managed>7")
    _write(tmp_path, "s.zip", zip_bytes(entries))
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        result = CliRunner().invoke(
            main,
            ["lint", "s.zip", "--select", "solution,flow,certification", "--format", output],
            catch_exceptions=False,
        )
    assert result.exit_code == 1
    if output == "sarif":
        assert "s.zip%21/solution.xml" in result.output  # a URI: '!' is escaped
    else:
        assert "s.zip!/solution.xml" in result.output
    assert "/ImportExportXml/SolutionManifest/Managed" in result.output


def test_explain_prints_a_solution_rule(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["lint", "--explain", "flow-run-after"])
    assert result.exit_code == 0
    assert "runAfter" in result.output


# ------------------------------------------------------------------ connector rules inside


def test_the_connector_inside_is_checked_by_the_package_rules_under_their_ids(
    tmp_path: Path,
) -> None:
    entries = solution_entries()
    swagger = json.loads(entries[SWAGGER_ENTRY])
    swagger["info"]["title"] = "Contoso Messaging API Connector Deluxe"
    entries[SWAGGER_ENTRY] = json.dumps(swagger, indent=2).encode()
    entries[PARAMETERS_ENTRY] = json.dumps({"api_key": {"type": "password"}}, indent=2).encode()
    entries = edited(entries, "customizations.xml", "#1f6fb2", "#007ee5")
    path = _write(tmp_path, "s.zip", zip_bytes(entries))
    findings = _lint(path, "info", "properties")
    shown = tmp_path.as_posix() + "/s.zip!/"
    by_rule = {finding.rule: finding for finding in findings}
    assert by_rule["info-title-length"].file == shown + SWAGGER_ENTRY
    assert by_rule["info-title-length"].pointer == "/info/title"
    assert by_rule["info-title-length"].line is not None
    assert by_rule["connection-parameter-type"].file == shown + PARAMETERS_ENTRY
    assert by_rule["connection-parameter-type"].pointer == "/api_key/type"
    assert by_rule["connection-parameter-type"].line == 3
    color = by_rule["properties-brand-color-certified"]
    assert color.file == shown + "customizations.xml"
    assert color.pointer == "/ImportExportXml/Connectors/Connector/iconbrandcolor"
    # what a solution does not carry is not asked for
    assert "properties-publisher" not in _rules(_lint(path))


def test_policy_instances_are_read_with_the_keys_exports_spell_them(tmp_path: Path) -> None:
    # An exported _policytemplateinstances.json writes TemplateId, Title and Parameters
    # (microsoft/iom-provider-shopify, Connector/cr1a6_shopify_policytemplateinstances.json).
    entry = f"Connector/{CONNECTOR}_policytemplateinstances.json"
    url = "https://@connectionParameters('api_key')/x"
    good = [{"TemplateId": "dynamichosturl", "Title": "Host", "Parameters": {_URL: url}}]
    bad = [{"TemplateId": "dynamichosturl", "Title": "Host", "Parameters": {}}]
    path = _write(
        tmp_path, "good.zip", zip_bytes({**solution_entries(), entry: json.dumps(good).encode()})
    )
    assert not [f for f in _lint(path) if f.rule.startswith("policy-")]
    data = json.dumps(bad, indent=2).encode()
    path = _write(tmp_path, "bad.zip", zip_bytes({**solution_entries(), entry: data}))
    (finding,) = [f for f in _lint(path) if f.rule == "policy-template-shape"]
    assert (finding.file, finding.pointer, finding.line) == (f"{path}!/{entry}", "/0/Parameters", 5)


_URL = "x-ms-apimTemplateParameter.urlTemplate"


def test_a_broken_openapidefinition_is_a_json_syntax_finding(tmp_path: Path) -> None:
    entries = {**solution_entries(), SWAGGER_ENTRY: b'{"swagger": "2.0",'}
    path = _write(tmp_path, "s.zip", zip_bytes(entries))
    findings = [f for f in _lint(path) if f.rule == "json-syntax"]
    assert [f.file for f in findings] == [f"{tmp_path.as_posix()}/s.zip!/{SWAGGER_ENTRY}"]


# ------------------------------------------------------------------ unpacked and discovery


def _unpack(entries: dict[str, bytes], folder: Path) -> Path:
    """The pac solution unpack layout of the sample: Other/, Connectors/, Workflows/ and the
    workflow's element in a .data.xml file."""
    customizations = entries["customizations.xml"].decode()
    start = customizations.index("<Workflow ")
    end = customizations.index("</Workflow>") + len("</Workflow>")
    workflow = customizations[start:end]
    customizations = customizations[:start] + customizations[end:]
    start = customizations.index("<Connector>")
    end = customizations.index("</Connector>") + len("</Connector>")
    connector = customizations[start:end]
    customizations = customizations[:start] + customizations[end:]
    files = {
        "Other/Solution.xml": entries["solution.xml"],
        "Other/Customizations.xml": customizations.encode(),
        f"Connectors/{CONNECTOR}.xml": connector.encode(),
        f"{FLOW_FILE}.data.xml": workflow.encode(),
    }
    for name, data in entries.items():
        if name.startswith("Connector/"):
            files["Connectors/" + name.split("/", 1)[1]] = data
        elif name.startswith("Workflows/"):
            files[name] = data
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def test_an_unpacked_solution_folder_is_linted(tmp_path: Path) -> None:
    folder = _unpack(solution_entries(), tmp_path / "src")
    assert _lint(folder, *SOLUTION_RULES) == []
    broken = json.loads((folder / FLOW_FILE).read_text())
    broken["properties"]["definition"]["actions"]["Send_message"]["inputs"]["host"][
        "operationId"
    ] = "Nope"
    (folder / FLOW_FILE).write_text(json.dumps(broken))
    (finding,) = _lint(folder, *SOLUTION_RULES)
    assert finding.rule == "flow-operation"
    assert finding.file == f"{folder.as_posix()}/{FLOW_FILE}"


def test_a_tree_finds_solutions_beside_packages_and_leaves_other_zips(tmp_path: Path) -> None:
    package = tmp_path / "connector"
    package.mkdir()
    (package / "apiDefinition.swagger.json").write_text('{"swagger": "2.0"}')
    _write(tmp_path, "s.zip", zip_bytes(solution_entries()))
    _write(tmp_path, "paconn.zip", zip_bytes({"apiDefinition.swagger.json": b"{}"}))
    _write(tmp_path, "broken.zip", b"<html>not found</html>")
    _unpack(solution_entries(), tmp_path / "unpacked")
    shown = sorted(source.display_root for source in engine.discover(tmp_path))
    root = tmp_path.as_posix()
    assert shown == [f"{root}/broken.zip", f"{root}/connector", f"{root}/s.zip", f"{root}/unpacked"]


def test_a_folder_holding_an_extracted_export_is_a_solution(tmp_path: Path) -> None:
    folder = tmp_path / "extracted"
    for name, data in solution_entries().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    (folder / "README.md").write_text("notes beside the export")  # no part of the solution
    assert [source.display_root for source in engine.discover(tmp_path)] == [
        f"{tmp_path.as_posix()}/extracted"
    ]
    assert _lint(folder, *SOLUTION_RULES) == []
    (folder / "solution.xml").write_text(
        (folder / "solution.xml").read_text().replace("1.0.0.1", "1.0")
    )
    (finding,) = _lint(folder, *SOLUTION_RULES)
    assert (finding.rule, finding.file) == ("solution-version", f"{folder.as_posix()}/solution.xml")


def test_a_folder_without_zips_is_discovered_as_before(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "apiDefinition.swagger.json").write_text("{}")
    (tmp_path / "Other").mkdir()  # an Other folder without Solution.xml is no solution
    sources = engine.discover(tmp_path)
    assert [source.display_root for source in sources] == [f"{tmp_path.as_posix()}/a"]


# ------------------------------------------------------------------ hostile input


def _zip_with(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name; that is the point
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members:
                archive.writestr(name, data)
    return buffer.getvalue()


BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">'.encode()
        for n in range(1, 10)
    )
    + b"]><ImportExportXml>&lol9;</ImportExportXml>"
)
EXTERNAL = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    b"<ImportExportXml>&e;</ImportExportXml>"
)


@pytest.mark.parametrize(
    ("data", "rule", "fragment"),
    [
        (b"", "solution-zip-invalid", "empty"),
        (b"this is no zip at all", "solution-zip-invalid", "not a readable zip"),
        (zip_bytes(solution_entries())[:300], "solution-zip-invalid", "truncated"),
        (_zip_with(("../evil.xml", b"x")), "solution-zip-unsafe", "'..'"),
        (_zip_with(("/etc/evil.xml", b"x")), "solution-zip-unsafe", "absolute"),
        (_zip_with(("C:\\evil.xml", b"x")), "solution-zip-unsafe", "absolute"),
        (
            _zip_with(("solution.xml", b"<a/>"), ("Solution.xml", b"<b/>")),
            "solution-zip-unsafe",
            "given twice",
        ),
        (_zip_with(("zeros.json", bytes(3 * 1024 * 1024))), "solution-zip-limits", "zip bomb"),
        (_zip_with(("solution.xml", BOMB)), "solution-xml-unsafe", "DTD"),
        (_zip_with(("customizations.xml", EXTERNAL)), "solution-xml-unsafe", "DTD"),
        (_zip_with(("solution.xml", b"<a><b></a>")), "solution-xml-invalid", "mismatched"),
        (
            _zip_with(("solution.xml", b"<a>" * 300 + b"</a>" * 300)),
            "solution-xml-invalid",
            "deeper",
        ),
    ],
    ids=[
        "empty",
        "not-a-zip",
        "truncated",
        "parent",
        "absolute",
        "drive",
        "duplicate",
        "bomb",
        "xml-bomb",
        "external-entity",
        "xml-syntax",
        "xml-depth",
    ],
)
def test_hostile_input_is_a_finding(tmp_path: Path, data: bytes, rule: str, fragment: str) -> None:
    path = _write(tmp_path, "hostile.zip", data)
    findings = _lint(path)
    matching = [finding for finding in findings if finding.rule == rule]
    assert matching, [(f.rule, f.message) for f in findings]
    assert any(fragment in finding.message for finding in matching)


def test_an_entry_that_fails_its_checksum_is_reported(tmp_path: Path) -> None:
    raw = bytearray(_zip_with(("solution.xml", b"<ImportExportXml/>" * 50)))
    start = raw.index(b"solution.xml") + len(b"solution.xml")  # the local header's name ends
    raw[start + 5] ^= 0xFF
    findings = _lint(_write(tmp_path, "s.zip", bytes(raw)), "solution")
    assert any(
        f.rule == "solution-zip-invalid" and "cannot be unpacked" in f.message for f in findings
    )


def test_limits_on_entry_count_and_nesting() -> None:
    many = _zip_with(*((f"f{n}.txt", b"") for n in range(5001)))
    archive = read_archive(many)
    assert len(archive.entries) == 5000
    assert any("5001 entries" in issue.message for issue in archive.issues)
    deep = read_archive(zip_bytes({"a": b""}), depth=5)
    assert deep.entries == {}
    assert any("nested deeper" in issue.message for issue in deep.issues)


_NAMES = st.sampled_from(
    ["solution.xml", "customizations.xml", "[Content_Types].xml", FLOW_FILE, SWAGGER_ENTRY, "x"]
)
_XMLISH = st.one_of(
    st.binary(max_size=200),
    st.sampled_from(list(solution_entries().values())).map(lambda raw: raw[: len(raw) // 2]),
    st.text(alphabet="<>/=\"' abcxyzConectorWkflws{}", max_size=200).map(str.encode),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(_NAMES, _XMLISH, max_size=5))
def test_arbitrary_solution_content_never_crashes(tmp_path: Path, files: dict[str, bytes]) -> None:
    entries = {**solution_entries(), **files}
    _lint(_write(tmp_path, "fuzz.zip", zip_bytes(entries)))


# ------------------------------------------------------------------ real samples


def _sample_zip(samples: Path, folder: Path) -> Path:
    """The iom-shopify connector solution as a zip: its three XML files and connector files of
    our own (the repository's package) under the names its customizations.xml gives."""
    root = Path(__file__).resolve().parents[2]
    properties: dict[str, Any] = json.loads((root / "apiProperties.json").read_text())["properties"]
    entries = {
        "customizations.xml": (samples / "iom-shopify__customizations.xml").read_bytes(),
        "[Content_Types].xml": (samples / "iom-shopify__[Content_Types].xml").read_bytes(),
        "solution.xml": (samples / "iom-shopify__solution.xml").read_bytes(),
        "Connector/cr1a6_shopify_openapidefinition.json": (
            root / "apiDefinition.swagger.json"
        ).read_bytes(),
        "Connector/cr1a6_shopify_connectionparameters.json": json.dumps(
            properties["connectionParameters"]
        ).encode(),
        "Connector/cr1a6_shopify_policytemplateinstances.json": json.dumps(
            properties.get("policyTemplateInstances")
        ).encode(),
        "Connector/cr1a6_shopify_iconblob.Png": (root / "icon.png").read_bytes(),
    }
    return _write(folder, "ShopifyCustomProvider_1_0_0_3.zip", zip_bytes(entries))


def _sample_folder(samples: Path, folder: Path) -> Path:
    """The fordosa90 unpacked flow solution. Its Solution.xml is not among the samples, so the
    test writes one from the shopify manifest with fordosa90's prefix and flow as root."""
    flow = "Test-LanguageTool-D9BD8EBC-61A1-ED11-AAD1-000D3A17A337.json"
    manifest = (samples / "iom-shopify__solution.xml").read_text(encoding="utf-8-sig")
    manifest = re.sub(
        r"<RootComponents>.*?</RootComponents>",
        '<RootComponents><RootComponent type="29" id="{d9bd8ebc-61a1-ed11-aad1-000d3a17a337}"'
        ' behavior="0" /></RootComponents>',
        manifest,
        flags=re.S,
    ).replace(">cr1a6<", ">fa<")
    (folder / "Other").mkdir(parents=True)
    (folder / "Workflows").mkdir()
    (folder / "Other" / "Solution.xml").write_text(manifest, encoding="utf-8")
    (folder / "Other" / "Customizations.xml").write_bytes(
        (samples / "fordosa90__Other_Customizations.xml").read_bytes()
    )
    for suffix in ("", ".data.xml"):
        (folder / "Workflows" / f"{flow}{suffix}").write_bytes(
            (samples / f"fordosa90__Workflows_{flow}{suffix}").read_bytes()
        )
    return folder


@pytest.mark.shared
def test_the_real_samples_have_no_solution_or_flow_error(shared_dir: Path, tmp_path: Path) -> None:
    samples = shared_dir / "reference" / "solution-samples"
    if not samples.is_dir():
        pytest.skip(f"no solution samples at {samples}")
    for path in (_sample_zip(samples, tmp_path), _sample_folder(samples, tmp_path / "fordosa")):
        findings = _lint(path, *SOLUTION_RULES)
        assert [f for f in findings if f.severity.value == "error"] == [], path
    # the shopify export keeps the default brand color, which certification forbids
    shopify = _lint(
        _sample_zip(samples, tmp_path / "again")
        if False
        else tmp_path / "ShopifyCustomProvider_1_0_0_3.zip"
    )
    assert "properties-brand-color-certified" in _rules(shopify)
