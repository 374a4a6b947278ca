"""The readme rules (RM-01): a breaking and a passing fragment each, per profile."""

from __future__ import annotations

from typing import Any

import pytest
from certification_samples import CLEAN_README
from lint_packages import case_ids, make_package, run_rule

from retarus_connector.lint.model import FileKind, Profile, Rule
from retarus_connector.lint.rules import readme


def problems(
    rule: Rule, text: str | None, swagger: Any, profile: Profile = Profile.CERTIFIED
) -> list[str]:
    found = run_rule(rule, make_package(swagger, readme=text, profile=profile))
    assert all(problem.file is FileKind.README for problem in found)
    return [problem.message for problem in found]


def without(section: str, text: str = CLEAN_README) -> str:
    """The readme with the section that starts with `section` removed up to the next one."""
    head, _, rest = text.partition(section)
    _, _, tail = rest.partition("\n## ")
    return head + ("## " + tail if tail else "")


FAILING: list[tuple[Rule, str, Profile, str]] = [
    (readme.readme_sections, without("## Prerequisites"), Profile.CERTIFIED, "'Prerequisites'"),
    (
        readme.readme_sections,
        without("## Known Issues and Limitations"),
        Profile.CERTIFIED,
        "'Known Issues and Limitations'",
    ),
    (
        readme.readme_sections,
        without("## Deployment Instructions"),
        Profile.CERTIFIED,
        "'Deployment Instructions'",
    ),
    (
        readme.readme_sections,
        CLEAN_README.replace("# Contoso Messages\n", "Contoso Messages\n"),
        Profile.CERTIFIED,
        "'# Title'",
    ),
    (
        readme.readme_sections,
        CLEAN_README.replace("Contoso Messages sends and tracks text messages.\n", ""),
        Profile.CERTIFIED,
        "introductory paragraph",
    ),
    (readme.readme_publisher, without("## Publisher: Contoso"), Profile.CERTIFIED, "publisher"),
    (
        readme.readme_operations,
        CLEAN_README.replace("### Get a message", "### Fetch"),
        Profile.CERTIFIED,
        "does not describe 1 of 1 operations under 'Supported Operations': 'Get a message'",
    ),
    (  # an action named only among the triggers is not documented as an action
        readme.readme_operations,
        CLEAN_README.replace(
            "### Get a message", "### Actions\n\nNone yet.\n\n### Triggers\n\n* Get a message"
        ),
        Profile.CERTIFIED,
        "'Get a message'",
    ),
]

PASSING: list[tuple[Rule, str, Profile]] = [
    # the independent-publisher template makes deployment instructions optional
    (readme.readme_sections, without("## Deployment Instructions"), Profile.INDEPENDENT_PUBLISHER),
    # common variants of the headings
    (
        readme.readme_sections,
        CLEAN_README.replace("## Prerequisites", "## Pre-requisites").replace(
            "## Known Issues and Limitations", "Known issues\n------------"
        ),
        Profile.CERTIFIED,
    ),
    (
        readme.readme_sections,
        CLEAN_README.replace("## Obtaining Credentials", "## Authentication"),
        Profile.CERTIFIED,
    ),
    (
        readme.readme_publisher,
        without("## Publisher: Contoso").replace(
            "## Prerequisites", "**Publisher:** Contoso\n\n## Prerequisites"
        ),
        Profile.CERTIFIED,
    ),
    (
        readme.readme_publisher,
        CLEAN_README.replace("## Publisher: Contoso", "## Publisher\n\nContoso Ltd."),
        Profile.CERTIFIED,
    ),
    (  # the section's last line directly above the next heading still belongs to it
        readme.readme_publisher,
        CLEAN_README.replace("## Publisher: Contoso\n", "## Publisher\nContoso Ltd.\n").replace(
            "Contoso Ltd.\n\n", "Contoso Ltd.\n"
        ),
        Profile.CERTIFIED,
    ),
    (
        readme.readme_operations,
        CLEAN_README.replace("### Get a message", "* `GetMessage`: returns one message"),
        Profile.CERTIFIED,
    ),
    # letter case, punctuation and articles do not matter; nor does an operationId in words
    (
        readme.readme_operations,
        CLEAN_README.replace("### Get a message", "* **Get Message:** returns one"),
        Profile.CERTIFIED,
    ),
    (
        readme.readme_operations,
        CLEAN_README.replace("### Get a message", "### The get-message operation"),
        Profile.CERTIFIED,
    ),
    # a custom connector's readme is not reviewed
    (readme.readme_sections, "just text", Profile.CUSTOM),
]


@pytest.mark.parametrize(("rule", "text", "profile", "fragment"), FAILING, ids=case_ids(FAILING))
def test_breaking_fragment_is_reported(
    rule: Rule, text: str, profile: Profile, fragment: str, minimal_swagger: Any
) -> None:
    messages = problems(rule, text, minimal_swagger, profile)
    assert len(messages) == 1
    assert fragment in messages[0]


@pytest.mark.parametrize(("rule", "text", "profile"), PASSING, ids=case_ids(PASSING))
def test_passing_fragment_is_clean(
    rule: Rule, text: str, profile: Profile, minimal_swagger: Any
) -> None:
    assert problems(rule, text, minimal_swagger, profile) == []


def test_headings_inside_code_blocks_do_not_count(minimal_swagger: Any) -> None:
    text = without("## Prerequisites") + "\n```\n## Prerequisites\n```\n"
    assert "'Prerequisites'" in " ".join(problems(readme.readme_sections, text, minimal_swagger))


def test_independent_publisher_oauth_needs_numbered_steps(minimal_swagger: Any) -> None:
    minimal_swagger["securityDefinitions"] = {
        "oauth": {
            "type": "oauth2",
            "flow": "accessCode",
            "authorizationUrl": "https://login.contoso.example/authorize",
            "tokenUrl": "https://login.contoso.example/token",
            "scopes": {},
        }
    }
    ip = Profile.INDEPENDENT_PUBLISHER
    (message,) = problems(readme.readme_sections, CLEAN_README, minimal_swagger, ip)
    assert "step by step" in message
    steps = CLEAN_README.replace(
        "Sign up at contoso.example and use your user name and password.",
        "1. Register an app at contoso.example.\n2. Copy its client id.",
    )
    assert problems(readme.readme_sections, steps, minimal_swagger, ip) == []


def test_internal_and_deprecated_operations_need_no_readme_entry(minimal_swagger: Any) -> None:
    operation = minimal_swagger["paths"]["/messages/{id}"]["get"]
    text = CLEAN_README.replace("### Get a message", "### Fetch")
    operation["deprecated"] = True
    assert problems(readme.readme_operations, text, minimal_swagger) == []
    del operation["deprecated"]
    operation["x-ms-visibility"] = "internal"
    assert problems(readme.readme_operations, text, minimal_swagger) == []


def test_triggers_are_found_under_their_own_heading(minimal_swagger: Any) -> None:
    minimal_swagger["paths"]["/hooks"] = {
        "post": {
            "operationId": "OnMessage",
            "summary": "When a message arrives",
            "x-ms-trigger": "single",
            "responses": {"201": {"description": "Subscribed."}},
        }
    }
    text = CLEAN_README.replace(
        "## Obtaining Credentials",
        "## Supported Triggers\n\n* `When a message arrives`: fires per message.\n\n"
        "## Obtaining Credentials",
    )
    assert problems(readme.readme_operations, text, minimal_swagger) == []
    # the trigger is not documented by the actions section alone
    (message,) = problems(readme.readme_operations, CLEAN_README, minimal_swagger)
    assert "1 of 2 operations" in message
    assert "'When a message arrives'" in message


def test_readme_missing_only_for_package_folders(minimal_swagger: Any) -> None:
    assert problems(readme.readme_missing, None, minimal_swagger) == [
        "The package has no readme.md"
    ]
    assert problems(readme.readme_missing, CLEAN_README, minimal_swagger) == []
    single = make_package(minimal_swagger)
    single.single_file = True
    assert run_rule(readme.readme_missing, single) == []


def test_declared_severities() -> None:
    # each rule's default severity is what users read in the rules table and what the corpus
    # totals are counted in; changing one has to be a deliberate edit of this table too
    assert {rule.id: rule.severity.value for rule in readme.RULES} == {
        "readme-sections": "warning",
        "readme-publisher": "warning",
        "readme-operations": "warning",
        "readme-missing": "warning",
    }
