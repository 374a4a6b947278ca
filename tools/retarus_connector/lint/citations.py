"""Public Microsoft pages behind the rules.

The rule docstrings cite the requirement they check by a short id (OP-01, PRM-03, ...) or a
section of the rules reference the linter was written from; users have no copy of that
reference, so `--explain` replaces each citation by the public page that states the
requirement and lists those pages' addresses at the end.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

_LEARN = "https://learn.microsoft.com/en-us/connectors/custom-connectors/"

# short title -> address; every page here was looked up, none is guessed
PAGES: Mapping[str, str] = MappingProxyType(
    {
        "certification submission": _LEARN + "certification-submission",
        "string guidance": _LEARN + "connector-string-guidance",
        "coding standards": _LEARN + "coding-standards",
        "OpenAPI extensions": _LEARN + "openapi-extensions",
        "paconn CLI": _LEARN + "paconn-cli",
        "custom code": _LEARN + "write-code",
        "Set host URL policy": _LEARN + "policy-templates/dynamichosturl/dynamichosturl",
    }
)

# requirement id -> the page that states it
_BY_ID: Mapping[str, str] = MappingProxyType(
    {
        "SW-01": "paconn CLI",  # Swagger 2.0 only, checked by `paconn validate`
        "SW-02": "string guidance",
        "SW-03": "string guidance",
        "SW-04": "certification submission",
        "SW-05": "certification submission",
        "SW-06": "string guidance",
        "SW-07": "certification submission",
        "MD-01": "certification submission",
        "MD-02": "certification submission",
        "MD-03": "certification submission",
        "OP-01": "string guidance",
        "OP-02": "string guidance",
        "OP-03": "string guidance",
        "OP-04": "string guidance",
        "OP-05": "string guidance",
        "OP-06": "coding standards",
        "OP-07": "string guidance",
        "OP-08": "coding standards",
        "OP-09": "coding standards",
        "OP-10": "coding standards",
        "OP-11": "coding standards",
        "OP-12": "OpenAPI extensions",
        "PRM-01": "string guidance",
        "PRM-02": "string guidance",
        "PRM-03": "paconn CLI",
        "PRM-04": "OpenAPI extensions",
        "SCH-01": "string guidance",
        "SCH-02": "string guidance",
        "SCH-03": "coding standards",
        "SCH-04": "paconn CLI",
        "SCH-05": "OpenAPI extensions",
        "REF-01": "OpenAPI extensions",
        "REF-02": "Set host URL policy",
        "REF-03": "paconn CLI",
        "AP-01": "paconn CLI",
        "AP-02": "certification submission",
        "AP-03": "certification submission",
        "ICON-01": "certification submission",
        "RM-01": "certification submission",
        "CSX-01": "custom code",
        "AI-01": "certification submission",
        "AI-02": "certification submission",
    }
)

# sections of the rules reference: 1 the package's files, 2 apiProperties, 3 the swagger and
# its extensions, 4 the certification checklist
_BY_SECTION: Mapping[str, str] = MappingProxyType(
    {
        "1": "paconn CLI",
        "2": "paconn CLI",
        "3": "OpenAPI extensions",
        "4": "certification submission",
    }
)

_ID = r"(?:" + "|".join(sorted(_BY_ID, key=len, reverse=True)) + r")"
_SECTION = r"sections? \d[a-z]?(?: and \d[a-z]?)*(?: table)?"
_TOKEN = rf"(?:{_ID}|{_SECTION})"
# "reference X", "reference X, Y and Z", "reference X to Y"
_CITATION = re.compile(rf"\breference {_TOKEN}(?:(?:, | and |, and | to ){_TOKEN})*")
_LOOSE = re.compile(rf"\b{_TOKEN}\b")


def _titles(text: str) -> list[str]:
    titles: list[str] = []
    for token in re.findall(_TOKEN, text):
        if token in _BY_ID:
            found = [_BY_ID[token]]
        else:
            found = [_BY_SECTION[number[0]] for number in re.findall(r"\d[a-z]?", token)]
        titles.extend(title for title in found if title not in titles)
    return titles


def cite(text: str) -> tuple[str, list[str]]:
    """The text with each internal citation replaced by the title of its public page, and the
    titles cited, in order of first use."""
    cited: list[str] = []

    def replace(match: re.Match[str]) -> str:
        titles = _titles(match.group(0))
        cited.extend(title for title in titles if title not in cited)
        return "see " + ", ".join(f"Microsoft's {title}" for title in titles)

    text = _CITATION.sub(replace, text)

    def replace_loose(match: re.Match[str]) -> str:
        titles = _titles(match.group(0))
        cited.extend(title for title in titles if title not in cited)
        return ", ".join(f"Microsoft's {title}" for title in titles)

    return _LOOSE.sub(replace_loose, text), cited


def addresses(titles: list[str]) -> list[str]:
    return [PAGES[title] for title in titles]
