"""The connector readme has the certified sections and one subsection per operation."""

from __future__ import annotations

import re

import pytest

from retarus_connector.emitters.readme import connector_readme, connector_readme_sections
from retarus_connector.models import CONNECTOR
from retarus_connector.models.summaries import (
    GET_JOB_STATUS_SUMMARY,
    GET_RECIPIENT_STATUSES_SUMMARY,
    LIST_JOBS_SUMMARY,
)

REQUIRED_SECTIONS = [
    "Publisher: retarus GmbH",
    "Prerequisites",
    "Supported Operations",
    "Obtaining Credentials",
    "Getting Started",
    "Known Issues and Limitations",
    "Deployment Instructions",
]


def _headings(text: str, level: int) -> list[str]:
    return re.findall(rf"^{'#' * level} (.+)$", text, flags=re.M)


def test_full_readme_has_title_paragraph_and_every_section_in_order() -> None:
    text = connector_readme(CONNECTOR)
    assert text.startswith(f"# {CONNECTOR.api.title}\n\n{CONNECTOR.api.description}\n")
    assert _headings(text, 2) == REQUIRED_SECTIONS
    assert text.endswith("\n")
    assert not text.endswith("\n\n")


def test_one_subsection_per_operation_with_its_description() -> None:
    text = connector_readme_sections(CONNECTOR)
    supported = text.split("## Supported Operations", 1)[1].split("\n## ", 1)[0]
    assert _headings(supported, 3) == [op.summary for op in CONNECTOR.api.operations]
    for operation in CONNECTOR.api.operations:
        assert operation.description in supported


def test_embedded_sections_leave_the_title_to_the_host_readme() -> None:
    sections = connector_readme_sections(CONNECTOR)
    assert not _headings(sections, 1)
    assert connector_readme(CONNECTOR).endswith(sections)


def test_readme_tells_makers_about_the_data_center_fallback() -> None:
    text = connector_readme(CONNECTOR)
    assert "de1" in text
    assert "de2" in text
    assert "404" in text


def _known_issues() -> str:
    text = connector_readme_sections(CONNECTOR)
    return text.split("## Known Issues and Limitations\n", 1)[1].split("\n## ", 1)[0]


# Section 8 of ../shared/reference/retarus-sms-api.md lists where Retarus's sources disagree;
# the readme tells makers which reading the connector took. Question number -> words that
# state the decision.
OPEN_QUESTION_DECISIONS = {
    1: ["EXPRESS", "NORMAL", "upper case"],
    2: ["standard", "utf-16", "lower case"],
    3: ["70 characters", "64"],
    4: ["3,000 recipients", "over all its messages"],
    5: ["Validity Minutes", "2880", "Maximum Parts", "1 to 20", "clamp"],
    6: ["Maximum Results", "1 to 1000", "0"],
    7: ["job IDs only", "only the job ID"],
    8: ["201", "200"],
    9: ["error", "message", "code", "plain text"],
    10: ["Finished Time", "whole job"],
    11: ["version information", "SOAP", "signs in"],
    12: ["Retarus SMS", "SMS for Applications"],
    13: ["+01:00", "Z", "offset"],
    14: ["de2", "primary"],
}


@pytest.mark.parametrize("question", sorted(OPEN_QUESTION_DECISIONS))
def test_known_issues_state_each_open_question_decision(question: int) -> None:
    issues = _known_issues()
    missing = [words for words in OPEN_QUESTION_DECISIONS[question] if words not in issues]
    assert not missing, f"open question {question}: {missing} not in Known Issues"


def test_known_issues_name_the_validity_values_retarus_changes() -> None:
    """The schema lets through every validity from its minimum up, and Retarus raises those
    between 0 and the least real validity; Known Issues must not claim that nothing changes."""
    from retarus_connector.models.definitions import JOB_REQUEST, VALIDITY_MINUTES_MIN
    from retarus_connector.models.schema import ObjectOf, Scalar

    options = JOB_REQUEST.property("options").value
    assert isinstance(options, ObjectOf)
    (validity,) = [prop.value for prop in options.properties if prop.name == "validityMin"]
    assert isinstance(validity, Scalar)
    assert validity.minimum is not None
    raised = range(max(validity.minimum, 1), VALIDITY_MINUTES_MIN)
    issues = _known_issues()
    assert raised, "the schema no longer lets through values Retarus raises"
    assert f"Validity Minutes {raised[0]} to {raised[-1]}" in issues
    assert f"raises them to {VALIDITY_MINUTES_MIN}" in issues
    assert "no value changes silently" not in issues


def test_known_issues_describe_the_protection_of_the_data_center_choice() -> None:
    """The Data Center value no longer becomes part of a host name: Known Issues says what the
    custom code does with other values instead of warning makers about them."""
    issues = " ".join(_known_issues().split())
    assert "custom code" in issues
    assert "400 (Bad Request) before anything is sent" in issues
    assert "to another host" in issues
    assert "part of the host name" not in issues


def test_the_fallback_recipe_is_in_the_packaged_readme() -> None:
    """The de2-then-de1 steps travel with the connector (readme.md in the zip and the certified
    connector folder), not only with this repository's documentation."""
    text = connector_readme(CONNECTOR)
    getting_started = text.split("## Getting Started\n", 1)[1].split("\n## ", 1)[0]
    recipe = getting_started.split("### Falling back from de2 to de1\n", 1)[1]
    assert "`outputs('Status_from_de2')?['statusCode']`" in recipe
    assert "Data Center `de1`" in recipe
    for summary in (GET_JOB_STATUS_SUMMARY, GET_RECIPIENT_STATUSES_SUMMARY, LIST_JOBS_SUMMARY):
        assert f"**{summary}**" in recipe
