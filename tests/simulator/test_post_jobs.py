"""POST /jobs through the in-process simulator: authentication, validation errors naming the
field, clamping, invalid characters, duplicate detection and the accepted job."""

from __future__ import annotations

import base64
import io
import json
import re
from typing import Any

import pytest
import requests
from simulator_client import Api, assert_error, job_body

from retarus_connector.simulator.app import SimulatorApp
from retarus_connector.simulator.clock import ManualClock
from retarus_connector.simulator.mock import MockedSimulator
from retarus_connector.simulator.state import SimulatorState

JOB_ID = re.compile(r"J\.\d{8}-\d{6}\.\d{3}-[A-Za-z0-9]{18}")


def test_a_job_is_accepted_with_201_and_a_retarus_style_job_id(api: Api) -> None:
    response = api.post_job(job_body())
    assert response.status_code == 201
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) == {"jobId"}
    assert JOB_ID.fullmatch(body["jobId"])
    assert body["jobId"].startswith("J.20250106-080000.000-")  # the fixture clock's start


@pytest.mark.parametrize(
    "auth",
    [None, ("demo", "wrong"), ("someone", "demo"), ("", "")],
    ids=["none", "wrong-password", "wrong-user", "empty"],
)
def test_requests_without_the_right_credentials_get_401(api: Api, auth: Any) -> None:
    response = api.post_job(job_body(), auth=auth)
    message = assert_error(response, 401, "Authorization")
    assert response.headers["WWW-Authenticate"].startswith("Basic ")
    assert "demo" not in message


@pytest.mark.parametrize(
    "header",
    [
        "Bearer abc",
        "Basic",
        "Basic !!!",
        "Basic ZGVtbw==",
        "Basic /w==",
        "Basic ZGVtbzpkZW1v extra",
    ],
)
def test_malformed_authorization_headers_get_401(api: Api, header: str) -> None:
    response = api.post_job(job_body(), auth=None, headers={"Authorization": header})
    assert_error(response, 401, "Authorization")


@pytest.mark.retarus_simulator(username="jürgen", password="pässwort")
def test_non_ascii_credentials_work_in_utf8_and_latin1(api: Api) -> None:
    assert api.post_job(job_body()).status_code == 201  # requests sends latin-1
    token = base64.b64encode("jürgen:pässwort".encode()).decode()
    response = api.post_job(job_body(), auth=None, headers={"Authorization": f"Basic {token}"})
    assert response.status_code == 201


def test_the_fixture_defaults_to_demo_credentials(retarus_simulator: MockedSimulator) -> None:
    assert retarus_simulator.auth == ("demo", "demo")


@pytest.mark.retarus_simulator(username="acme", password="s3cret")
def test_the_fixture_takes_credentials_from_its_marker(api: Api) -> None:
    assert api.simulator.auth == ("acme", "s3cret")
    assert api.post_job(job_body()).status_code == 201
    assert api.post_job(job_body(), auth=("demo", "demo")).status_code == 401


def with_recipient(**fields: Any) -> dict[str, Any]:
    return {"messages": [{"text": "Hi", "recipients": [fields]}]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("{", "request body"),
        ("", "request body"),
        ("[1, 2]", "request body"),
        ('{"messages": NaN}', "request body"),
        (b"\xff\xfe{}", "request body"),
        ({}, "messages"),
        ({"messages": None}, "messages"),
        ({"messages": []}, "messages"),
        ({"messages": {}}, "messages"),
        ({"messages": ["Hi"]}, "messages[0]"),
        ({"messages": [{"recipients": [{"dst": "+4917600000001"}]}]}, "messages[0].text"),
        (
            {"messages": [{"text": "", "recipients": [{"dst": "+4917600000001"}]}]},
            "messages[0].text",
        ),
        (
            {"messages": [{"text": 42, "recipients": [{"dst": "+4917600000001"}]}]},
            "messages[0].text",
        ),
        ({"messages": [{"text": "Hi"}]}, "messages[0].recipients"),
        ({"messages": [{"text": "Hi", "recipients": []}]}, "messages[0].recipients"),
        ({"messages": [{"text": "Hi", "recipients": "+49176"}]}, "messages[0].recipients"),
        (with_recipient(), "messages[0].recipients[0].dst"),
        (with_recipient(dst=None), "messages[0].recipients[0].dst"),
        (with_recipient(dst=""), "messages[0].recipients[0].dst"),
        (with_recipient(dst=4917600000001), "messages[0].recipients[0].dst"),
        (with_recipient(dst="+491", customerRef="x" * 71), "messages[0].recipients[0].customerRef"),
        (
            with_recipient(dst="+491", blackoutPeriods="2030-01-01T12:00Z/2030-01-01T13:00Z"),
            "messages[0].recipients[0].blackoutPeriods",
        ),
        (
            with_recipient(dst="+491", blackoutPeriods=["2030-01-01T12:00Z"]),
            "messages[0].recipients[0].blackoutPeriods[0]",
        ),
        (job_body(src="TwelveLetter"), "options.src"),
        (job_body(src=49176), "options.src"),
        (job_body(encoding="UTF-8"), "options.encoding"),
        (job_body(qos="FAST"), "options.qos"),
        (job_body(invalidCharacters="DROP"), "options.invalidCharacters"),
        (job_body(billcode="b" * 71), "options.billcode"),
        (job_body(customerRef="c" * 193), "options.customerRef"),
        (job_body(customerRef="ü" * 71), "options.customerRef"),
        (job_body(statusRequested="maybe"), "options.statusRequested"),
        (job_body(validityMin="an hour"), "options.validityMin"),
        (job_body(maxParts=2.5), "options.maxParts"),
        (job_body(jobPeriod="next monday"), "options.jobPeriod"),
        (job_body(jobPeriod="2030-02-30T08:00Z"), "options.jobPeriod"),
        (
            job_body(blackoutPeriods=["2030-01-01T22:00Z-2030-01-02T07:00Z"]),
            "options.blackoutPeriods[0]",
        ),
        (
            job_body(blackoutPeriods=["2030-01-01T22:00Z/2030-01-02T07:00Z", "soon/later"]),
            "options.blackoutPeriods[1]",
        ),
        (
            job_body(blackoutPeriods="2030-01-01T22:00Z/2030-01-02T07:00Z"),
            "options.blackoutPeriods",
        ),
        ({"options": [], "messages": []}, "options"),
    ],
)
def test_invalid_requests_get_400_naming_the_field(api: Api, body: Any, field: str) -> None:
    assert_error(api.post_job(body), 400, field)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_a_body_declared_as_anything_but_json_gets_415(api: Api, content_type: str) -> None:
    # Retarus takes the JobRequest as application/json only; a connector whose swagger
    # consumes another media type must fail here, not in production.
    response = api.post_job(json.dumps(job_body()), headers={"Content-Type": content_type})
    message = assert_error(response, 415, "Content-Type")
    assert content_type in message


@pytest.mark.parametrize(
    "content_type",
    [None, "application/json", "Application/JSON; charset=UTF-8", "application/problem+json"],
)
def test_json_bodies_are_accepted_with_or_without_a_content_type(
    api: Api, content_type: str | None
) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}
    response = api.post_job(json.dumps(job_body()).encode(), headers=headers)
    assert response.status_code == 201, response.text


def test_at_most_3000_recipients_in_one_job_across_its_messages(api: Api) -> None:
    def job(*counts: int) -> dict[str, Any]:
        return {
            "messages": [
                {
                    "text": f"m{m}",
                    "recipients": [{"dst": f"+49176{m:02d}{i:06d}"} for i in range(count)],
                }
                for m, count in enumerate(counts)
            ]
        }

    assert api.post_job(job(3000)).status_code == 201
    assert api.post_job(job(1500, 1500)).status_code == 201
    message = assert_error(api.post_job(job(2000, 1001)), 400, "messages")
    assert "3001" in message
    assert_error(api.post_job(job(3001)), 400, "messages[0].recipients")


@pytest.mark.parametrize(
    ("requested", "reported"), [(None, 2880), (0, 2880), (3, 5), (60, 60), (5000, 2880)]
)
def test_validity_is_clamped_in_the_job_report(api: Api, requested: Any, reported: int) -> None:
    options = {} if requested is None else {"validityMin": requested}
    job_id, _ = api.submit(job_body(**options))
    assert api.job(job_id)["validityMin"] == reported


def test_max_parts_truncates_the_text_that_goes_out(api: Api) -> None:
    job_id, _ = api.submit(job_body(text="x" * 1000, maxParts=2))
    job = api.simulator.find_job(job_id)
    assert job is not None
    assert job.messages[0].text == "x" * 306
    assert job.messages[0].part_count == 2
    job_id, _ = api.submit(job_body(text="x" * 1000, maxParts=99))
    job = api.simulator.find_job(job_id)
    assert job is not None
    assert job.messages[0].part_count == 7


def test_refuse_gives_422_for_characters_outside_gsm7(api: Api) -> None:
    response = api.post_job(job_body(text="Paid ✓", invalidCharacters="REFUSE"))
    message = assert_error(response, 422, "messages[0].text")
    assert "✓" in message
    assert api.simulator.state.datacenters["de1"].jobs == {}
    assert api.simulator.state.datacenters["de2"].jobs == {}


def test_refuse_accepts_gsm7_including_the_extension_table(api: Api) -> None:
    job_id, _ = api.submit(job_body(text="Total: 5€ {ok} [x] ~ | ^ \\", invalidCharacters="REFUSE"))
    assert api.job(job_id)["encoding"] == "standard"


def test_refuse_does_not_apply_to_utf16_jobs(api: Api) -> None:
    job_id, _ = api.submit(job_body(text="Paid ✓", invalidCharacters="refuse", encoding="UTF-16"))
    assert api.job(job_id)["encoding"] == "utf-16"


@pytest.mark.parametrize(
    ("policy", "sent", "encoding"),
    [
        ("REPLACE", "Paid   ok", "STANDARD"),
        ("TRANSLITERATE", "Paid - ok", "STANDARD"),
        ("TO_UTF16", "Paid \u2013 ok", "UTF-16"),
        (None, "Paid \u2013 ok", "UTF-16"),
    ],
)
def test_other_policies_change_the_text_or_the_encoding(
    api: Api, policy: str | None, sent: str, encoding: str
) -> None:
    options = {"invalidCharacters": policy} if policy else {}
    job_id, _ = api.submit(job_body(text="Paid \u2013 ok", **options))
    job = api.simulator.find_job(job_id)
    assert job is not None
    assert (job.messages[0].text, job.messages[0].encoding) == (sent, encoding)
    assert api.job(job_id)["encoding"] == encoding.lower()


def test_duplicate_detection_refuses_the_same_request_for_10_minutes(api: Api) -> None:
    body = job_body(duplicateDetection=True)
    first, _ = api.submit(body)
    response = api.post_job(body)
    message = assert_error(response, 409, "options.duplicateDetection")
    assert first in message
    api.simulator.advance(9 * 60 + 59)
    assert_error(api.post_job(body), 409, "options.duplicateDetection")
    different = job_body("+4917600000002", duplicateDetection=True)
    assert api.post_job(different).status_code == 201
    api.simulator.advance(1)
    second, _ = api.submit(body)
    assert second != first


def test_duplicate_detection_compares_the_json_not_its_spelling(api: Api) -> None:
    api.submit(job_body(duplicateDetection=True, qos="NORMAL"))
    reordered = '{"options": {"qos": "NORMAL", "duplicateDetection": true}, "messages": [{"recipients": [{"dst": "+4917600000001"}], "text": "Hello"}]}'
    assert_error(api.post_job(reordered, headers={"Content-Type": "application/json"}), 409)


def test_without_duplicate_detection_identical_requests_are_all_accepted(api: Api) -> None:
    ids = {api.submit(job_body())[0] for _ in range(3)}
    assert len(ids) == 3


def test_duplicates_are_caught_across_data_centers(api: Api) -> None:
    body = job_body(duplicateDetection=True)
    _, datacenter = api.submit(body, site="de1")
    assert datacenter == "de1"
    assert_error(api.post_job(body, site="de2"), 409, "options.duplicateDetection")


def test_the_job_report_echoes_the_options(api: Api) -> None:
    job_id, _ = api.submit(
        {
            "options": {
                "src": "ACME",
                "encoding": "STANDARD",
                "billcode": "CC-42",
                "statusRequested": True,
                "flash": True,
                "customerRef": "order-99",
                "validityMin": 60,
                "maxParts": 3,
                "invalidCharacters": "REPLACE",
                "qos": "express",
                "jobPeriod": "2030-01-01T08:00:00.000+01:00",
                "duplicateDetection": True,
                "blackoutPeriods": ["2030-01-01T22:00+01:00/2030-01-02T07:00+01:00"],
            },
            "messages": [
                {
                    "text": "Hi",
                    "recipients": [
                        {"dst": "+4917600000001", "customerRef": "r1"},
                        {"dst": "+4917600000002"},
                    ],
                }
            ],
        }
    )
    report = api.job(job_id)
    job = api.simulator.find_job(job_id)
    assert job is not None
    assert report == {
        "jobId": job_id,
        "src": "ACME",
        "encoding": "standard",
        "billcode": "CC-42",
        "statusRequested": True,
        "flash": True,
        "validityMin": 60,
        "customerRef": "order-99",
        "qos": "EXPRESS",
        "receiptTs": "2025-01-06T08:00:00.000Z",
        "recipientIds": [recipient.sms_id for recipient in job.recipients],
    }
    assert [r["customerRef"] for r in api.recipients(job_id)] == ["r1", "+4917600000002"]


def test_a_job_without_sender_reports_the_accounts_default(api: Api) -> None:
    job_id, _ = api.submit(job_body())
    report = api.job(job_id)
    assert report["src"] == "Simulator"
    assert "billcode" not in report
    assert "customerRef" not in report


def test_strict_mode_refuses_unknown_properties() -> None:
    from retarus_connector.simulator.mock import simulate

    body = job_body(customRef="typo")
    with simulate(strict=True) as simulator:
        response = requests.post(simulator.urls["eu"] + "/jobs", json=body, auth=simulator.auth)
        assert_error(response, 400, "options.customRef")
    with simulate() as simulator:
        response = requests.post(simulator.urls["eu"] + "/jobs", json=body, auth=simulator.auth)
        assert response.status_code == 201


def test_a_job_goes_out_in_utf16_when_any_of_its_messages_needs_it(api: Api) -> None:
    body = job_body(text="Hello")
    body["messages"].append({"text": "\u65e5\u672c", "recipients": [{"dst": "+4917600000002"}]})
    job_id, _ = api.submit(body)
    assert api.job(job_id)["encoding"] == "utf-16"


def test_the_receipt_time_is_kept_to_the_millisecond(api: Api) -> None:
    # Ids, reports and the list window all speak milliseconds; a job received at .123456 must
    # be found by a window ending at its own reported receiptTs.
    api.simulator.advance(0.123456)
    job_id, datacenter = api.submit(job_body())
    receipt = api.job(job_id)["receiptTs"]
    assert receipt == "2025-01-06T08:00:00.123Z"
    assert job_id.startswith("J.20250106-080000.123-")
    listed = api.get("/jobs", datacenter, params={"toTs": receipt}).json()
    assert {"jobId": job_id} in listed


def test_a_duplicate_is_told_when_it_will_be_accepted_again(api: Api) -> None:
    body = job_body(duplicateDetection=True)
    api.submit(body)
    message = assert_error(api.post_job(body), 409, "options.duplicateDetection")
    assert message.endswith("refused until 2025-01-06T08:10:00.000Z")


@pytest.mark.parametrize("seconds", [float("nan"), float("inf"), -1.0])
def test_delivery_seconds_must_be_finite_and_not_negative(seconds: float) -> None:
    with pytest.raises(ValueError, match="delivery_seconds"):
        SimulatorState(delivery_seconds=seconds)


MAX_BODY_BYTES = 16 * 1024 * 1024  # the simulator's request body limit


def padded_job(size: int) -> bytes:
    """A valid job request, padded with JSON whitespace to exactly `size` bytes."""
    text = json.dumps(job_body()).encode()
    return text + b" " * (size - len(text))


def test_a_body_of_exactly_16_mib_is_read_and_one_byte_more_is_refused(api: Api) -> None:
    assert api.post_job(padded_job(MAX_BODY_BYTES)).status_code == 201
    message = assert_error(api.post_job(padded_job(MAX_BODY_BYTES + 1)), 413, "request body")
    assert message == (
        f"request body: Content-Length {MAX_BODY_BYTES + 1} is over the simulator's limit of "
        f"{MAX_BODY_BYTES} bytes"
    )


def post_chunked(body: bytes, **app_options: Any) -> tuple[str, dict[str, Any]]:
    """POST /jobs with the body in 1 MiB chunks, straight into the WSGI app."""
    piece = 1024 * 1024
    encoded = b"".join(
        b"%x\r\n%s\r\n" % (len(body[i : i + piece]), body[i : i + piece])
        for i in range(0, len(body), piece)
    )
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/rest/v1/jobs",
        "QUERY_STRING": "",
        "HTTP_HOST": "sms4a.de1.retarus.com",
        "CONTENT_TYPE": "application/json",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"demo:demo").decode(),
        "wsgi.input": io.BytesIO(encoded + b"0\r\n\r\n"),
        "wsgi.errors": io.StringIO(),
    }
    started: list[str] = []
    app = SimulatorApp(SimulatorState(clock=ManualClock(), seed=6), **app_options)
    payload = b"".join(app(environ, lambda status, headers, *_: started.append(status)))
    return started[0], json.loads(payload)


def test_a_chunked_body_has_the_same_16_mib_limit() -> None:
    status, _ = post_chunked(padded_job(MAX_BODY_BYTES))
    assert status.startswith("201")
    status, body = post_chunked(padded_job(MAX_BODY_BYTES + 1))
    assert status.startswith("413")
    assert body["message"].startswith("request body: a chunked body of more than ")
    assert body["message"].endswith(f" is over the simulator's limit of {MAX_BODY_BYTES} bytes")


def test_the_body_limit_is_configurable() -> None:
    body = padded_job(2000)
    assert post_chunked(body, max_body_bytes=2000)[0].startswith("201")
    status, answer = post_chunked(body, max_body_bytes=1999)
    assert (status[:3], answer["code"]) == ("413", 413)
    with pytest.raises(ValueError, match="max_body_bytes"):
        SimulatorApp(SimulatorState(), max_body_bytes=0)


def test_the_basic_scheme_is_case_insensitive(api: Api) -> None:
    token = base64.b64encode(b"demo:demo").decode()
    for scheme in ("basic", "BASIC"):
        response = api.post_job(
            job_body(), auth=None, headers={"Authorization": f"{scheme} {token}"}
        )
        assert response.status_code == 201, response.text


def test_credentials_with_characters_outside_base64_get_401(api: Api) -> None:
    token = base64.b64encode(b"demo:demo").decode()
    for noisy in (f"{token}!!", f"{token[:4]}*{token[4:]}"):
        response = api.post_job(job_body(), auth=None, headers={"Authorization": f"Basic {noisy}"})
        assert_error(response, 401, "Authorization")


@pytest.mark.retarus_simulator(username="demo", password="")
def test_credentials_without_a_colon_get_401_even_for_an_empty_password(api: Api) -> None:
    without_colon = base64.b64encode(b"demo").decode()
    response = api.post_job(
        job_body(), auth=None, headers={"Authorization": f"Basic {without_colon}"}
    )
    assert_error(response, 401, "Authorization")
    with_colon = base64.b64encode(b"demo:").decode()
    response = api.post_job(job_body(), auth=None, headers={"Authorization": f"Basic {with_colon}"})
    assert response.status_code == 201, response.text
