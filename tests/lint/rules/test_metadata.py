"""The connector metadata rules (MD-01 to MD-03): a breaking and a passing fragment each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lint_packages import table_tests

from retarus_connector.lint.model import Rule
from retarus_connector.lint.rules import metadata

Swagger = dict[str, Any]
Change = Callable[[Swagger], None]
POINTER = "/x-ms-connector-metadata"


def entry(name: str, value: Any) -> Change:
    """Set the value of the metadata entry `name` (added when absent)."""

    def change(swagger: Swagger) -> None:
        entries = swagger["x-ms-connector-metadata"]
        for item in entries:
            if item["propertyName"] == name:
                item["propertyValue"] = value
                return
        entries.append({"propertyName": name, "propertyValue": value})

    return change


def without(name: str) -> Change:
    def change(swagger: Swagger) -> None:
        swagger["x-ms-connector-metadata"] = [
            item for item in swagger["x-ms-connector-metadata"] if item["propertyName"] != name
        ]

    return change


def rename(old: str, new: str) -> Change:
    def change(swagger: Swagger) -> None:
        for item in swagger["x-ms-connector-metadata"]:
            if item["propertyName"] == old:
                item["propertyName"] = new

    return change


def drop_all(swagger: Swagger) -> None:
    del swagger["x-ms-connector-metadata"]


def set_block(value: Any) -> Change:
    def change(swagger: Swagger) -> None:
        swagger["x-ms-connector-metadata"] = value

    return change


FAILING: list[tuple[Rule, Change, list[str], str]] = [
    (metadata.metadata_required, drop_all, [""], "'x-ms-connector-metadata' property is required"),
    (metadata.metadata_required, without("Categories"), [POINTER], "'Categories' is required"),
    (metadata.metadata_required, set_block({"Website": "x"}), [POINTER], "must be an array"),
    (
        metadata.metadata_required,
        set_block(["Website"]),
        [f"{POINTER}/0", POINTER, POINTER, POINTER],  # then the three entries it lacks
        "'propertyName'",
    ),
    (
        metadata.metadata_required,
        entry("Website", 42),
        [f"{POINTER}/0"],
        "needs a string 'propertyValue'",
    ),
    (
        metadata.metadata_name_casing,
        rename("Privacy policy", "Privacy Policy"),
        [f"{POINTER}/1/propertyName"],
        "'Privacy policy'",
    ),
    (
        metadata.metadata_categories,
        entry("Categories", "Communication;Data;AI"),
        [f"{POINTER}/2/propertyValue"],
        "at most 2",
    ),
    (
        metadata.metadata_categories,
        entry("Categories", "Messaging"),
        [f"{POINTER}/2/propertyValue"],
        "Unknown connector category 'Messaging'",
    ),
    (
        metadata.metadata_categories,
        entry("Categories", "communication"),
        [f"{POINTER}/2/propertyValue"],
        "write 'Communication'",
    ),
    (
        metadata.metadata_categories,
        entry("Categories", " ; "),
        [f"{POINTER}/2/propertyValue"],
        "empty",
    ),
    (
        metadata.metadata_urls,
        entry("Website", "hhttps://contoso.example"),
        [f"{POINTER}/0/propertyValue"],
        "absolute https URL",
    ),
    (
        metadata.metadata_urls,
        entry("Privacy policy", "http://contoso.example/privacy"),
        [f"{POINTER}/1/propertyValue"],
        "'Privacy policy'",
    ),
]

PASSING: list[tuple[Rule, Change]] = [
    # the validator matches names without regard to case; the casing rule warns separately
    (metadata.metadata_required, rename("Privacy policy", "Privacy Policy")),
    (metadata.metadata_name_casing, entry("Categories", "Data")),
    (metadata.metadata_categories, entry("Categories", "Sales and CRM; Productivity")),
    (metadata.metadata_urls, entry("Website", "https://www.contoso.example/en?x=1")),
    (metadata.metadata_urls, set_block("not a list")),  # metadata-required reports it
]


test_breaking_fragment_is_reported, test_passing_fragment_is_clean = table_tests(FAILING, PASSING)


def test_declared_severities() -> None:
    # each rule's default severity is what users read in the rules table and what the corpus
    # totals are counted in; changing one has to be a deliberate edit of this table too
    assert {rule.id: rule.severity.value for rule in metadata.RULES} == {
        "metadata-required": "error",
        "metadata-name-casing": "warning",
        "metadata-categories": "error",
        "metadata-urls": "warning",
    }
