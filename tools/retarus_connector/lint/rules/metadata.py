"""`x-ms-connector-metadata`: website, privacy policy and categories (reference MD-01 to MD-03)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import MappingProxyType
from typing import Any

from retarus_connector.lint.model import Package, Problem, Rule, Severity, rule
from retarus_connector.lint.rules._profiles import CUSTOM_INFO, CUSTOM_WARNING
from retarus_connector.lint.rules._walk import as_dict, join, text

METADATA_POINTER = "/x-ms-connector-metadata"
REQUIRED_NAMES = ("Website", "Privacy policy", "Categories")
CATEGORIES = frozenset(
    {
        "AI",
        "Business Management",
        "Business Intelligence",
        "Collaboration",
        "Commerce",
        "Communication",
        "Content and Files",
        "Finance",
        "Data",
        "Human Resources",
        "Internet of Things",
        "IT Operations",
        "Lifestyle and Entertainment",
        "Marketing",
        "Productivity",
        "Sales and CRM",
        "Security",
        "Social Media",
        "Website",
    }
)
_CATEGORIES_BY_LOWER = MappingProxyType({category.lower(): category for category in CATEGORIES})
MAX_CATEGORIES = 2
_HTTPS_URL = re.compile(r"^https://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)


def _entries(package: Package) -> Iterator[tuple[str, Any, str]]:
    """(propertyName, propertyValue, pointer of the entry) for each well-formed entry."""
    metadata = as_dict(package.swagger).get("x-ms-connector-metadata")
    if not isinstance(metadata, list):
        return
    for index, entry in enumerate(metadata):
        name = text(as_dict(entry).get("propertyName"))
        if name is not None:
            yield name, as_dict(entry).get("propertyValue"), join(METADATA_POINTER, index)


@rule("metadata-required", Severity.ERROR, severities=CUSTOM_WARNING)
def metadata_required(package: Package) -> Iterator[Problem]:
    """The swagger has `x-ms-connector-metadata` with `Website`, `Privacy policy` and `Categories`.

    What: certification fails without the block, and for each missing entry with "The connector
    metadata property 'Categories' is required" (reference MD-01). The block is an array of
    `{"propertyName": ..., "propertyValue": ...}` objects.
    Why: the gallery shows the website, privacy policy and categories of every certified
    connector.
    Fix: add the three entries to the root of the swagger.
    """
    swagger = as_dict(package.swagger)
    if not isinstance(package.swagger, dict):
        return
    metadata = swagger.get("x-ms-connector-metadata")
    if metadata is None:
        yield Problem("The 'x-ms-connector-metadata' property is required", "")
        return
    if not isinstance(metadata, list):
        yield Problem("The 'x-ms-connector-metadata' must be an array", METADATA_POINTER)
        return
    for index, entry in enumerate(metadata):
        if not isinstance(entry, dict) or not isinstance(entry.get("propertyName"), str):
            yield Problem(
                "Each connector metadata entry must be an object with a string 'propertyName'",
                join(METADATA_POINTER, index),
            )
        elif not isinstance(entry.get("propertyValue"), str):
            yield Problem(
                f"The connector metadata property '{entry['propertyName']}' needs a string "
                f"'propertyValue'",
                join(METADATA_POINTER, index),
            )
    present = {name.lower() for name, _, _ in _entries(package)}
    for name in REQUIRED_NAMES:
        if name.lower() not in present:
            yield Problem(f"The connector metadata property '{name}' is required", METADATA_POINTER)


@rule("metadata-name-casing", Severity.WARNING, severities=CUSTOM_INFO)
def metadata_name_casing(package: Package) -> Iterator[Problem]:
    """Connector metadata names use their exact casing: `Website`, `Privacy policy`, `Categories`.

    What: a name such as "Privacy Policy" is matched by the validator today, but the documented
    and most used spelling is "Privacy policy" (reference MD-01; 506 against 59 certified
    connectors).
    Why: one spelling keeps tools that match names exactly working.
    Fix: rename the `propertyName` to the exact casing.
    """
    canonical = {name.lower(): name for name in REQUIRED_NAMES}
    for name, _, pointer in _entries(package):
        expected = canonical.get(name.lower())
        if expected is not None and name != expected:
            yield Problem(
                f"The connector metadata property {name!r} should be spelled {expected!r}",
                join(pointer, "propertyName"),
            )


@rule("metadata-categories", Severity.ERROR, severities=CUSTOM_WARNING)
def metadata_categories(package: Package) -> Iterator[Problem]:
    """`Categories` holds one or two known categories separated by `;`.

    What: the value is a `;`-separated list of one or two of: AI, Business Management, Business
    Intelligence, Collaboration, Commerce, Communication, Content and Files, Finance, Data, Human
    Resources, Internet of Things, IT Operations, Lifestyle and Entertainment, Marketing,
    Productivity, Sales and CRM, Security, Social Media, Website (reference MD-02).
    Why: the gallery files connectors under these categories only.
    Fix: pick at most two categories from the list, spelled exactly, e.g. "Communication;Data".
    """
    for name, value, pointer in _entries(package):
        if name.lower() != "categories" or not isinstance(value, str):
            continue
        value_pointer = join(pointer, "propertyValue")
        categories = [part.strip() for part in value.split(";") if part.strip()]
        if not categories:
            yield Problem("The connector metadata 'Categories' is empty", value_pointer)
        elif len(categories) > MAX_CATEGORIES:
            yield Problem(
                f"The connector metadata 'Categories' allows at most {MAX_CATEGORIES} values, "
                f"found {len(categories)}: {value!r}",
                value_pointer,
            )
        for category in categories:
            if category in CATEGORIES:
                continue
            known = _CATEGORIES_BY_LOWER.get(category.lower())
            hint = f" (write {known!r})" if known else ""
            yield Problem(f"Unknown connector category {category!r}{hint}", value_pointer)


@rule("metadata-urls", Severity.WARNING, severities=CUSTOM_INFO)
def metadata_urls(package: Package) -> Iterator[Problem]:
    """`Website` and `Privacy policy` are absolute https URLs.

    What: both values are links users follow from the gallery (reference MD-03).
    Why: a typo such as "hhttps://" or a plain-http link is a broken or insecure link.
    Fix: use the full https address, e.g. "https://contoso.example/privacy".
    """
    for name, value, pointer in _entries(package):
        if name.lower() not in ("website", "privacy policy") or not isinstance(value, str):
            continue
        if not _HTTPS_URL.match(value.strip()):
            yield Problem(
                f"The connector metadata property '{name}' is not an absolute https URL: {value!r}",
                join(pointer, "propertyValue"),
            )


RULES: tuple[Rule, ...] = (
    metadata_required,
    metadata_name_casing,
    metadata_categories,
    metadata_urls,
)
