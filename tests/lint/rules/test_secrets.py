"""The secret rule: committed keys, tokens and passwords, by shape and by name."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from certification_samples import clean_properties
from lint_packages import make_package, run_rule

from retarus_connector.lint.model import FileKind, Problem
from retarus_connector.lint.rules import secrets

Swagger = dict[str, Any]
Change = Callable[[Swagger, dict[str, Any]], None]
PARAM = "/paths/~1messages~1{id}/get/parameters/0"
POLICY = "/properties/policyTemplateInstances/0/parameters"
# made-up values of the right shape; none is a live credential
AWS = "AKIA" + "Q3EGRT5HJ7KL2MN4"
GITHUB = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
SLACK = "xoxb-" + "123456789012-abcdefABCDEF"
GOOGLE = "AIza" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"
JWT = (
    "eyJhbGciOiJIUzI1NiJ9."
    + "eyJzdWIiOiIxMjM0NTY3ODkwIn0."
    + "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
)
PRIVATE_KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow..."
RANDOM_KEY = "q8Zt3LmW9xR2vK7pN4sD6fH1jB5gC0yE"
HEX_KEY = "77e1c83b7bb0437bbc50a7a58e5660ac"


def header_default(name: str, value: str) -> Change:
    def change(swagger: Swagger, properties: dict[str, Any]) -> None:
        swagger["paths"]["/messages/{id}"]["get"]["parameters"][0].update(
            {"name": name, "default": value}
        )

    return change


def policy_value(header: str, value: str) -> Change:
    def change(swagger: Swagger, properties: dict[str, Any]) -> None:
        parameters = properties["properties"]["policyTemplateInstances"][0]["parameters"]
        parameters["x-ms-apimTemplateParameter.name"] = header
        parameters["x-ms-apimTemplateParameter.value"] = value

    return change


def property_example(name: str, value: Any) -> Change:
    def change(swagger: Swagger, properties: dict[str, Any]) -> None:
        swagger["definitions"]["Message"]["properties"][name] = {
            "type": "string",
            "example": value,
        }

    return change


def connection_default(value: str) -> Change:
    def change(swagger: Swagger, properties: dict[str, Any]) -> None:
        ui = properties["properties"]["connectionParameters"]["password"]["uiDefinition"]
        ui["defaultValue"] = value

    return change


FAILING: list[tuple[Change, str, FileKind, str]] = [
    (header_default("X-Token", AWS), f"{PARAM}/default", FileKind.SWAGGER, "AWS access key"),
    (property_example("note", GITHUB), "/definitions/Message/properties/note/example", FileKind.SWAGGER, "GitHub token"),
    (property_example("hook", SLACK), "/definitions/Message/properties/hook/example", FileKind.SWAGGER, "Slack token"),
    (property_example("maps", GOOGLE), "/definitions/Message/properties/maps/example", FileKind.SWAGGER, "Google API key"),
    (header_default("Authorization", "Bearer " + JWT), f"{PARAM}/default", FileKind.SWAGGER, "JSON Web Token"),
    (property_example("pem", PRIVATE_KEY), "/definitions/Message/properties/pem/example", FileKind.SWAGGER, "private key"),
    # random-looking values under a secret's name: the recall misses that motivated the rule
    (policy_value("X-API-Key", RANDOM_KEY), f"{POLICY}/x-ms-apimTemplateParameter.value", FileKind.PROPERTIES, "'X-API-Key'"),
    (header_default("api_key", HEX_KEY), f"{PARAM}/default", FileKind.SWAGGER, "'api_key'"),
    (header_default("code", "qnualzAh650xkmyp1lEjPeqC0Whyym__8alSmgSYODDZAzFuvGLTng=="), f"{PARAM}/default", FileKind.SWAGGER, "'code'"),
    (connection_default("Zx81kPq0Lr7sT2vW9yB4nC6m"), "/properties/connectionParameters/password/uiDefinition/defaultValue", FileKind.PROPERTIES, "'password'"),
    (header_default("Authorization", "Basic YWxpY2U6czNjcjN0UGFzcw=="), f"{PARAM}/default", FileKind.SWAGGER, "'Authorization'"),
]  # fmt: skip

PASSING: list[Change] = [
    header_default("X-API-Key", "your-api-key"),
    header_default("X-API-Key", "<api key>"),
    header_default("X-API-Key", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
    header_default("Authorization", "Bearer {token}"),
    policy_value("X-API-Key", "@connectionParameters('api_key')"),
    policy_value("X-Client", "Contoso-Power-Platform-Connector-1.0"),
    # random-looking values whose name says nothing of a secret are identifiers
    property_example("messageId", RANDOM_KEY),
    property_example("tenant", "3f2504e0-4f89-11d3-9a0c-0305e82c3301"),
    # words are not keys, and the documentation's example keys are not keys either
    property_example("secret_rank", "Top100kCommonPasswords"),
    property_example("access_key_id", "AKIAIOSFODNN7EXAMPLE"),
    header_default("Authorization", "Basic dXNlcjpwYXNzd29yZA=="),  # "user:password"
]


def _problems(change: Change, minimal_swagger: Swagger) -> list[Problem]:
    swagger = copy.deepcopy(minimal_swagger)
    properties = clean_properties()
    change(swagger, properties)
    return run_rule(secrets.secret_committed, make_package(swagger, properties))


@pytest.mark.parametrize(("change", "pointer", "file", "fragment"), FAILING)
def test_committed_secret_is_reported_without_its_value(
    change: Change, pointer: str, file: FileKind, fragment: str, minimal_swagger: Swagger
) -> None:
    (problem,) = _problems(change, minimal_swagger)
    assert (problem.pointer, problem.file) == (pointer, file)
    assert fragment in problem.message
    for secret in (AWS, GITHUB, SLACK, GOOGLE, JWT, RANDOM_KEY, HEX_KEY, "qnualzAh"):
        assert secret not in problem.message


@pytest.mark.parametrize("change", PASSING)
def test_placeholders_identifiers_and_words_are_not_secrets(
    change: Change, minimal_swagger: Swagger
) -> None:
    assert _problems(change, minimal_swagger) == []


def test_script_literals_are_searched_for_key_shapes(minimal_swagger: Swagger) -> None:
    script = f'var client = "x";\nvar key = "{AWS}";\nvar doc = "AKIAIOSFODNN7EXAMPLE";\n'
    package = make_package(minimal_swagger, script=script)
    (problem,) = run_rule(secrets.secret_committed, package)
    assert (problem.file, problem.line) == (FileKind.SCRIPT, 2)
    assert AWS not in problem.message


def test_entropy_separates_random_from_repetitive() -> None:
    assert secrets.entropy("aaaaaaaaaaaaaaaa") == 0
    assert secrets.entropy(RANDOM_KEY) >= secrets.ENTROPY_THRESHOLD
    assert not secrets.random_secret("abcabcabcabcabc123abc")


def test_declared_severities() -> None:
    assert {rule.id: rule.severity.value for rule in secrets.RULES} == {"secret-committed": "error"}
