"""The `info` block and the root settings certification looks at: title, description, contact,
schemes (reference section 4, SW-02 to SW-07)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from retarus_connector.core.names import TITLE_LIMIT
from retarus_connector.lint.model import Package, Problem, Profile, Rule, Severity, rule
from retarus_connector.lint.rules._profiles import CUSTOM_INFO, CUSTOM_WARNING
from retarus_connector.lint.rules._walk import as_dict, text

DESCRIPTION_RANGE = (30, 500)

# Microsoft's validator lists "api, connector"; the certification guidance adds the names of
# Copilot Studio and the Power Platform products.
_TITLE_WORDS = re.compile(r"\b(api|apis|connector|connectors)\b", re.IGNORECASE)
_PRODUCT_NAMES = re.compile(
    r"\b(power\s*apps|power\s*automate|logic\s*apps?|copilot(?:\s*studio)?|power\s*platform"
    r"|power\s*bi|power\s*pages|power\s*virtual\s*agents?|microsoft\s*flow)\b",
    re.IGNORECASE,
)
# the description rule names the products the validator quotes, plus Copilot Studio
_DESCRIPTION_PRODUCTS = re.compile(
    r"\b(power\s*apps|power\s*automate|logic\s*apps?|copilot\s*studio)\b", re.IGNORECASE
)
# what makes a title carry a version or a date; a major version suffix from 2 on ("V2") is
# how Microsoft names a connector that replaces an older one, and is accepted
_TITLE_VERSION = re.compile(
    r"\b(?:v(?:er(?:sion)?)?\.?\s*\d+(?:\.\d+)+|v(?:er(?:sion)?)?\.?\s*[01]\b|"
    r"ver(?:sion)?\.?\s*\d+|\d+\.\d+(?:\.\d+)*)",
    re.IGNORECASE,
)
_TITLE_DATE = re.compile(
    r"\b(?:(?:19|20)\d{2}(?:[-/.](?:0?[1-9]|1[0-2])(?:[-/.]\d{1,2})?)?|"
    r"\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)?\d{2}|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?:\d{1,2},?\s+)?(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_IP_SUFFIX = re.compile(r"\(\s*independent\s+publisher\s*\)\s*$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ABSOLUTE_URL = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)


def _info(package: Package) -> dict[str, Any]:
    return as_dict(as_dict(package.swagger).get("info"))


def _found(value: str | None, *patterns: re.Pattern[str]) -> Iterator[str]:
    """What each of the patterns finds in `value`, a text of the info block (None: nothing)."""
    if value is not None:
        for pattern in patterns:
            match = pattern.search(value)
            if match:
                yield match.group(0)


@rule("info-title-length", Severity.ERROR, severities=CUSTOM_WARNING)
def title_length(package: Package) -> Iterator[Problem]:
    """The connector title (`info.title`) is at most 30 characters.

    What: Microsoft's certification validator rejects a longer title with "The 'title' value goes
    over the character limit '30'" (reference SW-02).
    Why: the title is the connector's display name in every designer, where space is short.
    Fix: shorten `info.title` to the product or organisation name, 30 characters or fewer.
    """
    title = text(_info(package).get("title"))
    if title is not None and len(title) > TITLE_LIMIT:
        yield Problem(
            f"The 'title' value goes over the character limit '{TITLE_LIMIT}' ({len(title)} characters: {title!r})",
            "/info/title",
        )


@rule("info-title-words", Severity.ERROR, severities=CUSTOM_WARNING)
def title_words(package: Package) -> Iterator[Problem]:
    """The title contains neither "API" nor "Connector" nor a Microsoft product name.

    What: the validator rejects titles containing the words "api, connector"; the certification
    guidance also forbids Copilot Studio and Power Platform product names (Power Apps, Power
    Automate, Logic Apps, Power BI, Copilot...) in the title (reference SW-03).
    Why: every connector is an API connector, and product names suggest Microsoft owns the service.
    Fix: name the service or the organisation only, e.g. "Contoso Messages".
    """
    title = text(_info(package).get("title"))
    for found in _found(title, _TITLE_WORDS, _PRODUCT_NAMES):
        yield Problem(
            f"The 'title' must not contain the words 'api, connector' or product names; found {found!r} in {title!r}",
            "/info/title",
        )


@rule("info-title-version", Severity.WARNING, severities=CUSTOM_INFO)
def title_version(package: Package) -> Iterator[Problem]:
    """The title carries neither a version number nor a date.

    What: `info.title` names the service; "Contoso 1.2", "Contoso v1", "Contoso version 3",
    "Contoso 2024" or "Contoso 2024-05-01" are reported. A major version suffix from 2 on
    ("Contoso V2") is accepted: it is how a new connector that replaces an older one of the
    same name is told apart, as in Microsoft's own "Microsoft Translator V3" and "Azure IoT
    Central V3" (15 of the 992 titles in microsoft/PowerPlatformConnectors, October 2024, end
    that way; none carries a date or a dotted version). The version of the definition
    belongs in `info.version`, the change history in the readme
    (https://learn.microsoft.com/en-us/connectors/custom-connectors/certification-submission).
    Why: the title is the connector's name in every designer and in the documentation; a
    version or a date in it goes stale with the next update, and the name cannot change then
    without breaking users' search.
    Fix: remove the version or date from `info.title`; keep the version in `info.version`.
    """
    title = text(_info(package).get("title"))
    if not title:
        return
    for label, pattern in (("a version", _TITLE_VERSION), ("a date", _TITLE_DATE)):
        match = pattern.search(title)
        if match:
            yield Problem(
                f"The 'title' carries {label} ({match.group(0)!r}): {title!r}", "/info/title"
            )
            return


@rule("info-title-format", Severity.WARNING, severities=CUSTOM_INFO)
def title_format(package: Package) -> Iterator[Problem]:
    """The title ends in a letter or digit, with no surrounding spaces or line breaks.

    What: certification asks for a title that does not end in punctuation, a space or a newline
    (reference SW-04).
    Why: the title is shown as a name; trailing characters look like mistakes.
    Fix: remove the trailing character or whitespace from `info.title`.
    """
    title = text(_info(package).get("title"))
    if not title or _IP_SUFFIX.search(title):
        return  # empty titles belong to schema-empty-text, the suffix to its own rule
    if title != title.strip():
        yield Problem(f"The 'title' has leading or trailing whitespace: {title!r}", "/info/title")
    elif not title[-1].isalnum():
        yield Problem(
            f"The 'title' must end in a letter or digit, not {title[-1]!r}: {title!r}",
            "/info/title",
        )


@rule(
    "info-title-publisher-suffix",
    Severity.WARNING,
    profiles=(Profile.INDEPENDENT_PUBLISHER,),
)
def title_publisher_suffix(package: Package) -> Iterator[Problem]:
    """An independent-publisher title does not carry the "(Independent Publisher)" suffix.

    What: the suffix belongs to the pull-request title, not to `info.title` (none of the 385
    independent-publisher swaggers in Microsoft's repository carries it).
    Why: the platform adds the publisher marking itself; the suffix would also count against
    the 30-character limit.
    Fix: remove " (Independent Publisher)" from `info.title`.
    """
    title = text(_info(package).get("title"))
    if title and _IP_SUFFIX.search(title):
        yield Problem(
            f"The 'title' must not end in '(Independent Publisher)': {title!r}", "/info/title"
        )


@rule("info-description-length", Severity.ERROR, severities=CUSTOM_WARNING)
def description_length(package: Package) -> Iterator[Problem]:
    """The connector description (`info.description`) is present and 30 to 500 characters long.

    What: the validator reports "The 'description' property is required" or that the description
    "must be between '30' and '500' characters" (reference SW-05); paconn create/update also
    fail without it.
    Why: the description introduces the connector in the gallery and to Copilot.
    Fix: write one or two sentences on what the service does, 30 to 500 characters.
    """
    info = _info(package)
    if not isinstance(as_dict(package.swagger).get("info"), dict):
        return  # a missing or malformed info block is a structure finding
    description = info.get("description")
    if description is None:
        yield Problem("The 'description' property is required in 'info'", "/info")
    elif isinstance(description, str):  # other types are the structure rules' finding
        low, high = DESCRIPTION_RANGE
        length = len(description.strip())
        if not low <= length <= high:
            yield Problem(
                f"The 'description' must be between '{low}' and '{high}' characters (it has {length})",
                "/info/description",
            )


@rule("info-description-products", Severity.ERROR, severities=CUSTOM_WARNING)
def description_products(package: Package) -> Iterator[Problem]:
    """The connector description names no Microsoft product such as Power Automate.

    What: the validator rejects descriptions that contain "power apps, power automate, logic
    apps"; the string guidance adds Copilot Studio (reference SW-06).
    Why: the connector works in all of them; naming some suggests it works only there, and it
    must not name products whose backend you do not own.
    Fix: describe the service itself, without the Microsoft product names.
    """
    for found in _found(text(_info(package).get("description")), _DESCRIPTION_PRODUCTS):
        yield Problem(
            f"The 'description' must not contain the words 'power apps, power automate, logic apps' or 'copilot studio'; found {found!r}",
            "/info/description",
        )


@rule("info-contact-required", Severity.ERROR, severities=CUSTOM_WARNING)
def contact_required(package: Package) -> Iterator[Problem]:
    """The swagger has an `info.contact` object.

    What: the certification validator fails with "The 'contact' property is required"
    (reference SW-07).
    Why: reviewers and users need to know who maintains the connector.
    Fix: add `"contact": {"name": ..., "url": ..., "email": ...}` to `info`.
    """
    if not isinstance(as_dict(package.swagger).get("info"), dict):
        return
    if "contact" not in _info(package):
        yield Problem("The 'contact' property is required in 'info'", "/info")


@rule("info-contact-fields", Severity.WARNING, severities=CUSTOM_INFO)
def contact_fields(package: Package) -> Iterator[Problem]:
    """The contact names a person or team, a web address and an email address.

    What: the certified and independent-publisher templates fill `name`, `url` (an absolute URL)
    and `email` (an address) in `info.contact` (reference SW-07).
    Why: an incomplete contact leaves users without a way to report problems.
    Fix: fill all three fields with real values.
    """
    contact = _info(package).get("contact")
    if not isinstance(contact, dict):
        return
    for field in ("name", "url", "email"):
        value = contact.get(field)
        if not isinstance(value, str) or not value.strip():
            yield Problem(f"The contact '{field}' is missing or empty", "/info/contact")
        elif field == "url" and not _ABSOLUTE_URL.match(value):
            yield Problem(
                f"The contact 'url' is not an absolute URL: {value!r}", "/info/contact/url"
            )
        elif field == "email" and not _EMAIL.match(value):
            yield Problem(
                f"The contact 'email' is not an email address: {value!r}", "/info/contact/email"
            )


@rule("info-https-only", Severity.WARNING)
def https_only(package: Package) -> Iterator[Problem]:
    """The swagger's `schemes` list only `https`.

    What: plain `http` (or `ws`) sends the connection's credentials and data unencrypted; the
    backend URL is built from the first scheme (reference section 3; 596 of 607 certified
    connectors use `["https"]`).
    Why: Power Platform connects to the backend over the public internet.
    Fix: serve the API over TLS and set `"schemes": ["https"]`.
    """
    schemes = as_dict(package.swagger).get("schemes")
    if not isinstance(schemes, list):
        return
    for index, scheme in enumerate(schemes):
        if scheme in ("http", "ws"):
            yield Problem(
                f"The scheme '{scheme}' is not encrypted; use 'https' only", f"/schemes/{index}"
            )


RULES: tuple[Rule, ...] = (
    title_length,
    title_words,
    title_format,
    title_version,
    title_publisher_suffix,
    description_length,
    description_products,
    contact_required,
    contact_fields,
    https_only,
)
