"""The generated swagger: valid Swagger 2.0, certification-grade wording, the lead's API shape."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from retarus_connector import __version__
from retarus_connector.emitters.readme import connector_readme
from retarus_connector.emitters.swagger import _enum_values, _scalar, swagger_document
from retarus_connector.models import CONNECTOR
from retarus_connector.models.package import release_status
from retarus_connector.models.schema import EnumValue, Scalar

SWAGGER = swagger_document(CONNECTOR.api)
OPERATIONS = {
    operation["operationId"]: operation
    for methods in SWAGGER["paths"].values()
    for operation in methods.values()
}
READS_BY_DATA_CENTER = {"ListJobs", "GetJobStatus", "GetRecipientStatuses", "GetVersionInfo"}
# A job lives in one data center only, so these reads tell how to fall back after a 404.
JOB_READS = READS_BY_DATA_CENTER - {"GetVersionInfo"}
RESTRICTED_SUMMARY_CHARACTERS = set("/\\<>*%&?")
CAMEL_CASE = re.compile(r"[a-z][A-Z]")


def _walk(node: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    yield pointer, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{pointer}/{index}")


def _properties(schema: dict[str, Any], pointer: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(pointer, name, schema) of every property, inline objects and array items included."""
    for name, prop in schema.get("properties", {}).items():
        yield f"{pointer}/properties/{name}", name, prop
        yield from _properties(prop, f"{pointer}/properties/{name}")
    if isinstance(schema.get("items"), dict):
        yield from _properties(schema["items"], f"{pointer}/items")


def _all_properties() -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for name, definition in SWAGGER["definitions"].items():
        found.extend(_properties(definition, f"/definitions/{name}"))
    return found


def _all_parameters() -> list[tuple[str, dict[str, Any]]]:
    return [
        (operation_id, parameter)
        for operation_id, operation in OPERATIONS.items()
        for parameter in operation.get("parameters", [])
    ]


MINOR_WORDS = {"a", "an", "and", "or", "of", "to", "in", "for"}


def _is_title_case(text: str) -> bool:
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9']*", text)
    return bool(words) and all(
        word[0].isupper() or word[0].isdigit() or (index and word in MINOR_WORDS)
        for index, word in enumerate(words)
    )


def _is_sentence_case(text: str) -> bool:
    first, *rest = text.split()
    return first[0].isupper() and all(word.islower() or word.isupper() for word in rest)


def test_openapi_spec_validator_accepts_the_swagger() -> None:
    from openapi_spec_validator import validate

    validate(SWAGGER)


def test_host_paths_and_security_follow_the_api() -> None:
    assert SWAGGER["swagger"] == "2.0"
    assert SWAGGER["host"] == "sms4a.eu.retarus.com"
    assert SWAGGER["basePath"] == "/rest/v1"
    assert SWAGGER["schemes"] == ["https"]
    assert list(SWAGGER["securityDefinitions"].values()) == [{"type": "basic"}]
    assert SWAGGER["security"] == [{name: []} for name in SWAGGER["securityDefinitions"]]
    routes = {
        (path, method): operation["operationId"]
        for path, methods in SWAGGER["paths"].items()
        for method, operation in methods.items()
    }
    assert routes == {
        ("/jobs", "post"): "SendSmsJob",
        ("/jobs", "get"): "ListJobs",
        ("/jobs/{jobId}", "get"): "GetJobStatus",
        ("/sms", "get"): "GetRecipientStatuses",
        ("/version", "get"): "GetVersionInfo",
    }


def test_info_meets_certification() -> None:
    info = SWAGGER["info"]
    assert len(info["title"]) <= 30
    assert not {"api", "connector"} & set(info["title"].lower().split())
    assert 30 <= len(info["description"]) <= 500
    for product in ("power apps", "power automate", "logic apps", "copilot studio"):
        assert product not in info["description"].lower()
    assert info["contact"] == {
        "name": "Retarus",
        "url": "https://www.retarus.com/",
        "email": "info@retarus.com",
    }
    assert info["version"] == __version__
    assert info["x-ms-api-annotation"] == {"status": release_status(__version__)}


def test_connector_metadata() -> None:
    metadata = {
        item["propertyName"]: item["propertyValue"] for item in SWAGGER["x-ms-connector-metadata"]
    }
    assert metadata == {
        "Website": "https://www.retarus.com/",
        "Privacy policy": "https://www.retarus.com/data-privacy-policy/",
        "Categories": "Communication;Marketing",
    }


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_operation_wording_meets_certification(operation_id: str) -> None:
    operation = OPERATIONS[operation_id]
    summary, description = operation["summary"], operation["description"]
    assert re.fullmatch(r"[A-Z][A-Za-z0-9]+", operation_id)
    assert len(summary) <= 80
    assert not RESTRICTED_SUMMARY_CHARACTERS & set(summary)
    assert summary[-1].isalnum(), "summary ends with punctuation or space"
    assert _is_sentence_case(summary), summary
    assert description.endswith(".")
    assert description != summary
    assert "Use it" in description, "the description must say when to use the operation"


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_responses_have_schemas_except_default(operation_id: str) -> None:
    responses = OPERATIONS[operation_id]["responses"]
    assert "schema" not in responses["default"]
    successes = [code for code in responses if code != "default" and code.startswith("2")]
    assert len(successes) == 1
    assert "schema" in responses[successes[0]]
    for code, response in responses.items():
        assert response["description"].endswith(".")
        if code[0] in "45":
            assert response["schema"] == {"$ref": "#/definitions/ErrorResponse"}


def test_error_responses_where_they_apply() -> None:
    errors = {
        operation_id: {code for code in operation["responses"] if code[0] == "4"}
        for operation_id, operation in OPERATIONS.items()
    }
    assert errors == {
        "SendSmsJob": {"400", "401", "409", "422"},
        "ListJobs": {"400", "401"},
        "GetJobStatus": {"400", "401", "404"},
        "GetRecipientStatuses": {"400", "401", "404"},
        "GetVersionInfo": {"401"},
    }


def test_success_codes_and_bodies() -> None:
    def success(operation_id: str) -> tuple[str, dict[str, Any]]:
        responses = OPERATIONS[operation_id]["responses"]
        code = next(code for code in responses if code.startswith("2"))
        return code, responses[code]["schema"]

    assert success("SendSmsJob") == ("201", {"$ref": "#/definitions/JobResponse"})
    assert success("GetJobStatus") == ("200", {"$ref": "#/definitions/JobReport"})
    assert success("ListJobs") == (
        "200",
        {"type": "array", "items": {"$ref": "#/definitions/JobReport"}},
    )
    assert success("GetRecipientStatuses") == (
        "200",
        {"type": "array", "items": {"$ref": "#/definitions/RecipientReport"}},
    )
    assert success("GetVersionInfo") == ("200", {"$ref": "#/definitions/VersionInfoResponse"})
    error_fields = SWAGGER["definitions"]["ErrorResponse"]["properties"]
    assert {name: field["type"] for name, field in error_fields.items()} == {
        "message": "string",
        "code": "integer",
    }


def test_every_parameter_is_explained_and_placed() -> None:
    for operation_id, parameter in _all_parameters():
        where = f"{operation_id}.{parameter['name']}"
        assert _is_title_case(parameter["x-ms-summary"]), where
        assert not CAMEL_CASE.search(parameter["x-ms-summary"]), where
        assert len(parameter["x-ms-summary"]) <= 80, where
        assert parameter["description"].endswith("."), where
        assert parameter["description"] not in {parameter["name"], parameter["x-ms-summary"]}, where
        visibility = parameter["x-ms-visibility"]
        if parameter["required"]:
            assert visibility == "important" or (
                visibility == "internal" and "default" in parameter
            ), where
        else:
            assert visibility == "advanced", where


def test_every_schema_property_is_explained() -> None:
    properties = _all_properties()
    assert len(properties) > 40
    for pointer, name, prop in properties:
        summary, description = prop.get("x-ms-summary"), prop.get("description")
        assert summary, f"{pointer} lacks x-ms-summary"
        assert description, f"{pointer} lacks a description"
        assert _is_title_case(summary), pointer
        assert not CAMEL_CASE.search(summary), pointer
        assert description.endswith("."), pointer
        assert len(description.split()) >= 4, f"{pointer}: {description!r} is not a sentence"
        assert description not in {name, summary}, pointer


def test_request_inputs_are_important_when_required_and_advanced_otherwise() -> None:
    request = SWAGGER["definitions"]["JobRequest"]
    for pointer, name, prop in _properties(request, "/definitions/JobRequest"):
        parent = pointer.rsplit("/properties/", 1)[0]
        required = name in _at(parent)["required"] if "required" in _at(parent) else False
        assert prop["x-ms-visibility"] == ("important" if required else "advanced"), pointer


def _at(pointer: str) -> dict[str, Any]:
    node: Any = SWAGGER
    for part in pointer.strip("/").split("/"):
        node = node[part]
    return node  # type: ignore[no-any-return]


def test_no_empty_strings_anywhere() -> None:
    empty = [pointer for pointer, value in _walk(SWAGGER) if value == ""]
    assert not empty


def test_data_center_parameter_on_the_reads_only() -> None:
    for operation_id, operation in OPERATIONS.items():
        data_center = [p for p in operation.get("parameters", []) if p["name"] == "dataCenter"]
        if operation_id not in READS_BY_DATA_CENTER:
            assert not data_center, operation_id
            continue
        (parameter,) = data_center
        assert parameter["in"] == "header"
        assert parameter["enum"] == ["de1", "de2"]
        assert parameter["default"] == "de2"
        assert parameter["required"] is False
        assert parameter["x-ms-visibility"] == "advanced"
        assert [item["value"] for item in parameter["x-ms-enum-values"]] == ["de1", "de2"]
        assert ("404" in parameter["description"]) == (operation_id in JOB_READS), operation_id


def test_request_constraints_follow_the_reference() -> None:
    options = SWAGGER["definitions"]["JobRequest"]["properties"]["options"]["properties"]
    assert options["encoding"]["enum"] == ["STANDARD", "UTF-16"]
    assert options["invalidCharacters"]["enum"] == [
        "REFUSE",
        "REPLACE",
        "TO_UTF16",
        "TRANSLITERATE",
    ]
    assert options["qos"]["enum"] == ["EXPRESS", "NORMAL"]
    assert (options["maxParts"]["minimum"], options["maxParts"]["maximum"]) == (1, 20)
    assert (options["validityMin"]["minimum"], options["validityMin"]["maximum"]) == (0, 2880)
    assert options["billcode"]["maxLength"] == 70
    assert options["jobPeriod"]["format"] == "date-time"
    for enum_property in ("encoding", "invalidCharacters", "qos"):
        labels = options[enum_property]["x-ms-enum-values"]
        assert [label["value"] for label in labels] == options[enum_property]["enum"]
    parameters = {p["name"]: p for p in OPERATIONS["ListJobs"]["parameters"]}
    assert (parameters["limit"]["minimum"], parameters["limit"]["maximum"]) == (1, 1000)
    assert parameters["limit"]["default"] == 100
    jobs_only = parameters["jobIdsOnly"]
    assert (jobs_only["required"], jobs_only["default"], jobs_only["enum"]) == (True, True, [True])
    assert parameters["fromTs"]["format"] == parameters["toTs"]["format"] == "date-time"


def test_agents_must_confirm_sending_only() -> None:
    for operation_id, operation in OPERATIONS.items():
        data = operation["x-ms-openai-data"]
        assert data["openai-enabled"] is True
        assert data["operations"] == [
            {
                "operationId": operation_id,
                "x-ms-require-user-confirmation": operation_id == "SendSmsJob",
            }
        ]
    manifest = SWAGGER["x-ms-openai-manifest"]
    assert set(manifest) == {"humanName", "modelDescription", "contactEmail", "legalUrl"}


def test_published_page_defects_are_fixed() -> None:
    """Issue 2 item 5: "Foo", missing descriptions, undocumented responses, no enums."""
    message = SWAGGER["definitions"]["JobRequest"]["properties"]["messages"]["items"]
    assert "foo" not in message["properties"]["text"]["description"].lower()
    for operation_id in ("GetVersionInfo", "GetRecipientStatuses", "ListJobs"):
        assert "schema" in OPERATIONS[operation_id]["responses"]["200"]
    enums = [
        pointer for pointer, node in _walk(SWAGGER) if isinstance(node, dict) and "enum" in node
    ]
    assert len(enums) >= 5


def _request_validator() -> Any:
    from jsonschema import Draft4Validator

    schema = {"$ref": "#/definitions/JobRequest", "definitions": SWAGGER["definitions"]}
    return Draft4Validator(schema)


MINIMAL_JOB = {"messages": [{"text": "Code 4711", "recipients": [{"dst": "+4917600000001"}]}]}
FULL_JOB = {
    "options": {
        "src": "ACME",
        "encoding": "STANDARD",
        "billcode": "CC-42",
        "statusRequested": True,
        "flash": False,
        "customerRef": "order-99",
        "validityMin": 60,
        "maxParts": 3,
        "invalidCharacters": "REPLACE",
        "qos": "EXPRESS",
        "jobPeriod": "2030-01-01T08:00:00.000+01:00",
        "duplicateDetection": True,
        "blackoutPeriods": ["2030-01-01T22:00+01:00/2030-01-02T07:00+01:00"],
    },
    "messages": [
        {
            "text": "Hi",
            "recipients": [
                {
                    "dst": "+4917600000001",
                    "customerRef": "r1",
                    "blackoutPeriods": ["2030-01-01T12:00Z/2030-01-01T13:00Z"],
                }
            ],
        }
    ],
}


@pytest.mark.parametrize("job", [MINIMAL_JOB, FULL_JOB], ids=["minimal", "full"])
def test_reference_examples_fit_the_request_schema(job: dict[str, Any]) -> None:
    errors = list(_request_validator().iter_errors(job))
    assert not errors, [error.message for error in errors]


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("maxParts", 21),
        ("maxParts", 0),
        ("validityMin", 2881),
        ("validityMin", -1),
        ("encoding", "UTF8"),
        ("qos", "express"),
        ("invalidCharacters", "IGNORE"),
        ("billcode", "x" * 71),
        ("src", "TwelveChars!"),
        ("src", "+" + "1" * 21),
        ("src", "Ünïcode"),
    ],
)
def test_out_of_range_options_are_rejected(option: str, value: object) -> None:
    job = {**MINIMAL_JOB, "options": {option: value}}
    assert list(_request_validator().iter_errors(job)), f"{option}={value!r} was accepted"


@pytest.mark.parametrize(
    "sender", ["retarus", "+491234567890123456", "A.B-C d!", "12345678901234567890"]
)
def test_valid_sender_ids_are_accepted(sender: str) -> None:
    job = {**MINIMAL_JOB, "options": {"src": sender}}
    assert not list(_request_validator().iter_errors(job))


@pytest.mark.parametrize(
    "job",
    [
        {"messages": []},
        {"messages": [{"text": "Hi", "recipients": []}]},
        {"messages": [{"recipients": [{"dst": "+4917600000001"}]}]},
        {"messages": [{"text": "Hi", "recipients": [{"customerRef": "r1"}]}]},
        {"options": {}},
    ],
    ids=["no-messages", "no-recipients", "no-text", "no-dst", "no-messages-key"],
)
def test_incomplete_jobs_are_rejected(job: dict[str, Any]) -> None:
    assert list(_request_validator().iter_errors(job))


# Reference 3.3: a JobReport's customerRef defaults to null, and Retarus's service writes the
# options a job left unset as null rather than leaving them out.
JOB_REPORT_WITH_NULLS = {
    "jobId": "J.20221116-102407.583-0lajfsfmoXIZJO93PQ",
    "src": None,
    "encoding": "standard",
    "billcode": None,
    "statusRequested": False,
    "flash": False,
    "validityMin": 2880,
    "customerRef": None,
    "qos": "NORMAL",
    "receiptTs": "2022-09-28T10:58:30.022Z",
    "finishedTs": None,
    "recipientIds": ["S.20220928-125820.022-0l8likueyRB3CT8FTG"],
}
RECIPIENT_REPORT_WITH_NULLS = {
    "smsId": "S.20220928-125820.022-0l8likueyRB3CT8FTG",
    "dst": "+4917600000000",
    "processStatus": "OPEN",
    "status": None,
    "customerRef": None,
    "reason": None,
    "sentTs": None,
    "finishedTs": None,
}


@pytest.mark.parametrize(
    ("operation_id", "body"),
    [
        ("GetJobStatus", JOB_REPORT_WITH_NULLS),
        ("ListJobs", [JOB_REPORT_WITH_NULLS]),
        ("GetRecipientStatuses", [RECIPIENT_REPORT_WITH_NULLS]),
        ("GetVersionInfo", {"majorVersion": 2016, "minorVersion": 6, "message": None}),
    ],
)
def test_optional_outputs_may_be_null(operation_id: str, body: Any) -> None:
    from retarus_connector.runtime.package import ConnectorPackage
    from retarus_connector.runtime.responses import DecodedBody, response_problems

    package = ConnectorPackage(SWAGGER, None)
    decoded = DecodedBody(body, is_json=True, empty=False)
    problems = list(response_problems(package, package.operation(operation_id), 200, decoded))
    assert not problems, [str(problem) for problem in problems]


def test_required_outputs_stay_non_null() -> None:
    for name, definition in SWAGGER["definitions"].items():
        required = set(definition.get("required", []))
        for field, prop in definition["properties"].items():
            if name == "JobRequest":
                assert "x-nullable" not in prop, f"{name}.{field}: inputs are never null"
            else:
                assert prop.get("x-nullable", False) is (field not in required), f"{name}.{field}"


def test_open_filter_label_names_what_no_means() -> None:
    """open=false lists only completed jobs, not all of them (reference 3.2): a label such as
    "Open Jobs Only" lets a maker pick No and silently miss the running jobs."""
    (open_filter,) = [p for p in OPERATIONS["ListJobs"]["parameters"] if p["name"] == "open"]
    label = open_filter["x-ms-summary"]
    assert "Open (Yes)" in label, label
    assert "Completed (No)" in label, label
    assert "leave it out to list both" in open_filter["description"]


def test_requests_and_responses_are_json() -> None:
    assert SWAGGER["consumes"] == ["application/json"]
    assert SWAGGER["produces"] == ["application/json"]


def test_a_pre_release_is_annotated_as_preview() -> None:
    preview = swagger_document(CONNECTOR.with_version("1.1.0rc1").api)
    assert preview["info"]["x-ms-api-annotation"] == {"status": "Preview"}


def test_every_scalar_constraint_is_written() -> None:
    scalar = Scalar(
        "string", format="date-time", default="x", min_length=1, max_length=5, pattern="^x"
    )
    assert _scalar(scalar) == {
        "type": "string",
        "format": "date-time",
        "default": "x",
        "minLength": 1,
        "maxLength": 5,
        "pattern": "^x",
    }
    assert _scalar(Scalar("integer", minimum=0, maximum=9)) == {
        "type": "integer",
        "minimum": 0,
        "maximum": 9,
    }


def test_picker_labels_for_string_enums_only() -> None:
    labelled = Scalar("string", enum=(EnumValue("DE1", "Frankfurt (de1)"),))
    assert _enum_values(labelled) == {
        "x-ms-enum-values": [{"value": "DE1", "displayName": "Frankfurt (de1)"}]
    }
    assert _enum_values(Scalar("boolean", enum=(EnumValue(True, "Yes"),))) == {}


def _recipients(count: int, first: int = 0) -> list[dict[str, str]]:
    return [{"dst": f"+49176{number:08d}"} for number in range(first, first + count)]


def test_each_message_takes_at_most_3000_recipients() -> None:
    messages = SWAGGER["definitions"]["JobRequest"]["properties"]["messages"]
    recipients = messages["items"]["properties"]["recipients"]
    assert (recipients["minItems"], recipients["maxItems"]) == (1, 3000)
    # the limit per job, over all messages, is beyond a schema: the descriptions say it
    assert "3,000 recipients over all" in recipients["description"]
    assert "3,000 recipients over all" in messages["description"]
    validator = _request_validator()
    full = {"messages": [{"text": "Hi", "recipients": _recipients(3000)}]}
    assert not list(validator.iter_errors(full))
    over = {"messages": [{"text": "Hi", "recipients": _recipients(3001)}]}
    assert [error.validator for error in validator.iter_errors(over)] == ["maxItems"]
    split = {
        "messages": [
            {"text": "Hi", "recipients": _recipients(1500)},
            {"text": "Hi", "recipients": _recipients(1501, 1500)},
        ]
    }
    assert not list(validator.iter_errors(split)), "the job total is Retarus's to refuse"
    readme = connector_readme(CONNECTOR)
    assert "at most 3,000 recipients, counted over all its messages" in readme
    assert "refuses more than 3,000 in one message" in readme
