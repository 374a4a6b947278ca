"""The info rules (SW-02 to SW-07, https schemes): a breaking and a passing fragment each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lint_packages import make_package, run_rule, table_tests

from retarus_connector.lint.model import Profile, Rule
from retarus_connector.lint.rules import info

Swagger = dict[str, Any]
Change = Callable[[Swagger], None]


def set_info(key: str, value: Any) -> Change:
    def change(swagger: Swagger) -> None:
        swagger["info"][key] = value

    return change


def drop_info(key: str) -> Change:
    def change(swagger: Swagger) -> None:
        del swagger["info"][key]

    return change


def set_root(key: str, value: Any) -> Change:
    def change(swagger: Swagger) -> None:
        swagger[key] = value

    return change


def set_contact(key: str, value: Any) -> Change:
    def change(swagger: Swagger) -> None:
        swagger["info"]["contact"][key] = value

    return change


# (rule, change, expected pointers, a fragment of the first message)
FAILING: list[tuple[Rule, Change, list[str], str]] = [
    (info.title_version, set_info("title", "Contoso 1.2"), ["/info/title"], "a version ('1.2')"),
    (info.title_version, set_info("title", "Contoso v1"), ["/info/title"], "a version"),
    (info.title_version, set_info("title", "Contoso May 2024"), ["/info/title"], "a date"),
    (info.title_version, set_info("title", "Contoso 2024-05-01"), ["/info/title"], "a date"),
    (info.title_length, set_info("title", "A" * 31), ["/info/title"], "limit '30'"),
    (info.title_words, set_info("title", "Contoso API"), ["/info/title"], "'API'"),
    (info.title_words, set_info("title", "Contoso Connector"), ["/info/title"], "Connector"),
    (info.title_words, set_info("title", "Contoso for Power Automate"), ["/info/title"], "Power"),
    (info.title_format, set_info("title", "Contoso."), ["/info/title"], "end in a letter"),
    (info.title_format, set_info("title", "Contoso "), ["/info/title"], "whitespace"),
    (info.description_length, set_info("description", "Too short."), ["/info/description"], "'30'"),
    (info.description_length, set_info("description", "x" * 501), ["/info/description"], "'500'"),
    (info.description_length, drop_info("description"), ["/info"], "required"),
    (
        info.description_products,
        set_info("description", "Send messages from Power Automate flows with Contoso's API."),
        ["/info/description"],
        "Power Automate",
    ),
    (
        info.description_products,
        set_info("description", "Use Contoso messages in Copilot Studio agents and elsewhere."),
        ["/info/description"],
        "Copilot Studio",
    ),
    (info.contact_required, drop_info("contact"), ["/info"], "'contact' property is required"),
    (info.contact_fields, set_contact("email", "nobody"), ["/info/contact/email"], "email"),
    (info.contact_fields, set_contact("url", "contoso.example"), ["/info/contact/url"], "URL"),
    (info.contact_fields, set_contact("name", ""), ["/info/contact"], "'name'"),
    (info.https_only, set_root("schemes", ["http", "https"]), ["/schemes/0"], "'http'"),
]

PASSING: list[tuple[Rule, Change]] = [
    # a major version from 2 on names a connector that replaces an older one
    (info.title_version, set_info("title", "Contoso Messages V2")),
    (info.title_version, set_info("title", "Contoso 365")),
    (info.title_length, set_info("title", "A" * 30)),
    (info.title_words, set_info("title", "Apiary Messages")),  # "Api" inside a word is fine
    (info.title_format, set_info("title", "Contoso 365")),
    (info.description_length, set_info("description", "x" * 30)),
    (info.description_products, set_info("description", "Send messages from any flow or app.")),
    (info.contact_required, set_info("contact", {"name": "Contoso"})),
    (info.contact_fields, set_contact("url", "http://contoso.example/support")),
    (info.https_only, set_root("schemes", ["https"])),
    # malformed documents are other rules' findings, never a crash here
    (info.title_length, set_info("title", 42)),
    (info.contact_fields, set_info("contact", "nobody")),
    (info.description_length, set_info("description", ["not", "a", "string"])),
]


test_breaking_fragment_is_reported, test_passing_fragment_is_clean = table_tests(FAILING, PASSING)


def test_independent_publisher_suffix_only_under_that_profile(minimal_swagger: Swagger) -> None:
    minimal_swagger["info"]["title"] = "Contoso (Independent Publisher)"
    ip = make_package(minimal_swagger, profile=Profile.INDEPENDENT_PUBLISHER)
    (problem,) = run_rule(info.title_publisher_suffix, ip)
    assert problem.pointer == "/info/title"
    assert run_rule(info.title_format, ip) == []  # the dedicated rule reports it, once
    assert run_rule(info.title_publisher_suffix, make_package(minimal_swagger)) == []
    minimal_swagger["info"]["title"] = "Contoso"
    ip = make_package(minimal_swagger, profile=Profile.INDEPENDENT_PUBLISHER)
    assert run_rule(info.title_publisher_suffix, ip) == []


def test_declared_severities() -> None:
    # each rule's default severity is what users read in the rules table and what the corpus
    # totals are counted in; changing one has to be a deliberate edit of this table too
    assert {rule.id: rule.severity.value for rule in info.RULES} == {
        "info-title-length": "error",
        "info-title-words": "error",
        "info-title-format": "warning",
        "info-title-version": "warning",
        "info-title-publisher-suffix": "warning",
        "info-description-length": "error",
        "info-description-products": "error",
        "info-contact-required": "error",
        "info-contact-fields": "warning",
        "info-https-only": "warning",
    }
