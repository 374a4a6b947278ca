"""No finding message shows a URL's user name, password, query or fragment, or a value of
megabytes, whichever rule quotes the value: the engine redacts and shortens every message."""

from __future__ import annotations

from typing import Any

import pytest
from lint_packages import make_package

from retarus_connector.lint import engine
from retarus_connector.lint.redaction import MAX_MESSAGE_CHARACTERS, redact_urls, shorten


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("not 'https://u:pw@login.example/oauth'", "not 'https://login.example/oauth'"),
        ("at 'https://login.example/t?code=abc&x=1'.", "at 'https://login.example/t?...'."),
        ('"ftp://u:p@a@h.example/#access_token=t"', '"ftp://h.example/?..."'),
        ('host "u:pw@api.example:443".', 'host "api.example:443".'),
        # what is no credential stays: e-mail addresses, expressions, plain paths
        ("write to a@contoso.example", "write to a@contoso.example"),
        ("'@connectionParameters('key')'", "'@connectionParameters('key')'"),
        ("the path '/items?api-version=1'", "the path '/items?api-version=1'"),
        ("https://contoso.example/privacy", "https://contoso.example/privacy"),
    ],
)
def test_redact_urls(message: str, shown: str) -> None:
    assert redact_urls(message) == shown


SECRET_URL = "http://user:pw0SECRET@contoso.example/?token=tok0SECRET"


def _set_host(swagger: dict[str, Any]) -> None:
    swagger["host"] = "user:pw0SECRET@api.contoso.example"


def _set_contact(swagger: dict[str, Any]) -> None:
    swagger["info"]["contact"]["url"] = "ftp" + SECRET_URL[4:]


def _set_website(swagger: dict[str, Any]) -> None:
    swagger["x-ms-connector-metadata"] = [{"propertyName": "Website", "propertyValue": SECRET_URL}]


@pytest.mark.parametrize(
    ("edit", "rule_id"),
    [
        (_set_host, "swagger-types"),
        (_set_contact, "info-contact-fields"),
        (_set_website, "metadata-urls"),
    ],
)
def test_rules_that_quote_a_url_do_not_show_its_credentials(
    minimal_swagger: dict[str, Any], edit: Any, rule_id: str
) -> None:
    edit(minimal_swagger)
    rules = [engine.find_rule(rule_id)]
    findings = engine.check_package(make_package(minimal_swagger), [r for r in rules if r])
    assert [finding.rule for finding in findings] == [rule_id]
    assert "contoso.example" in findings[0].message
    assert "SECRET" not in findings[0].message


def test_policy_values_do_not_show_credentials() -> None:
    properties = {
        "properties": {
            "policyTemplateInstances": [
                {
                    "templateId": "setheader",
                    "title": "key",
                    "parameters": {
                        "x-ms-apimTemplateParameter.name": "X-Key",
                        "x-ms-apimTemplateParameter.value": "v",
                        "x-ms-apimTemplateParameter.existsAction": SECRET_URL,
                        "x-ms-apimTemplate-policySection": "Request",
                    },
                }
            ]
        }
    }
    rule = engine.find_rule("policy-parameter-values")
    assert rule is not None
    findings = engine.check_package(make_package({"swagger": "2.0"}, properties), [rule])
    assert [finding.rule for finding in findings] == ["policy-parameter-values"]
    assert "SECRET" not in findings[0].message


def test_a_message_up_to_the_limit_is_kept_whole() -> None:
    message = "m" * MAX_MESSAGE_CHARACTERS
    assert shorten(message) is message


def test_a_longer_message_keeps_its_start_and_end_and_counts_what_it_left_out() -> None:
    message = "START " + "x" * 5000 + " END"
    shown = shorten(message)
    assert shown.startswith("START x")
    assert shown.endswith("x END")
    assert len(shown) < MAX_MESSAGE_CHARACTERS + 50
    left_out = len(message) - 900
    assert f"[... {left_out:,} characters left out ...]" in shown


def test_a_rule_quoting_a_megabyte_value_gives_a_short_message(
    minimal_swagger: dict[str, Any],
) -> None:
    minimal_swagger["host"] = "h" * 1_000_000 + ":x"
    rule = engine.find_rule("swagger-types")
    assert rule is not None
    findings = engine.check_package(make_package(minimal_swagger), [rule])
    assert findings
    assert all(len(finding.message) <= MAX_MESSAGE_CHARACTERS + 50 for finding in findings)
    assert any("characters left out" in finding.message for finding in findings)
