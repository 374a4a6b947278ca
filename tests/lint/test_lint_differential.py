"""The structural layer against openapi-spec-validator on the reference corpus.

The structural layer is the `structure` rule family: a swagger is rejected when any of its rules
reports a finding (the `default-matches-schema` warnings count, as the validator rejects those
defaults too). Each corpus swagger the tolerant loader can parse is given to both; they must
agree, except where the table below says why they do not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from retarus_connector.core.jsonfile import parse_json
from retarus_connector.lint import engine

# folder name -> (our verdict, the validator's verdict, why they differ)
DISAGREEMENTS: dict[str, tuple[str, str, str]] = {
    "HoneywellForge": (
        "rejects",
        "accepts",
        "an operation's `security` names the scheme 'undefined', which securityDefinitions does "
        "not define; Swagger 2.0 requires each name to match a scheme, and the portal cannot "
        "build the sign-in, but openapi-spec-validator does not check the names",
    ),
}
# swaggers that are not JSON at all: the validator cannot be called, the loader reports them
NOT_JSON = {"CognitiveServicesTextAnalytics", "ZohoSign"}

pytestmark = [pytest.mark.shared, pytest.mark.slow]


def _validator_verdict(document: object) -> str:
    from openapi_spec_validator import validate

    try:
        validate(document)  # type: ignore[arg-type]
    except Exception:
        return "rejects"
    return "accepts"


def test_structure_layer_agrees_with_openapi_spec_validator(corpus_dir: Path) -> None:
    report = engine.lint([corpus_dir], engine.LintOptions(select=("structure",), jobs=1))
    rejected = {Path(finding.file).parent.name for finding in report.findings}
    compared: dict[str, tuple[str, str]] = {}
    unparsed: set[str] = set()
    for swagger in sorted(corpus_dir.rglob("apiDefinition.swagger.json")):
        loaded = parse_json(swagger.read_bytes())
        if loaded.data is None:
            unparsed.add(swagger.parent.name)
            continue
        ours = "rejects" if swagger.parent.name in rejected else "accepts"
        compared[swagger.parent.name] = (ours, _validator_verdict(loaded.data))
    assert unparsed == NOT_JSON
    assert len(compared) == 73
    disagreements = {name: pair for name, pair in compared.items() if pair[0] != pair[1]}
    documented = {name: (ours, theirs) for name, (ours, theirs, _) in DISAGREEMENTS.items()}
    assert disagreements == documented
    # the comparison means something: the validator rejects some swaggers, and so do we
    assert sum(theirs == "rejects" for _, theirs in compared.values()) >= 5


def test_unparsable_swaggers_are_rejected_by_the_loader(corpus_dir: Path) -> None:
    report = engine.lint([corpus_dir], engine.LintOptions(select=("json-syntax",), jobs=1))
    assert {Path(finding.file).parent.name for finding in report.findings} == NOT_JSON
