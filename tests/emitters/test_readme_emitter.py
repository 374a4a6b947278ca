"""The connector readme has the certified sections and one subsection per operation."""

from __future__ import annotations

import re

from retarus_connector.emitters.readme import connector_readme, connector_readme_sections
from retarus_connector.models import CONNECTOR

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
