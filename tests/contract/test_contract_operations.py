"""Item 6 of issue 4: every operation of the generated swagger, driven through the runtime
against the in-process simulator: the happy paths and every error the simulator gives.

Two catalogues:
- `RUNTIME_SCENARIOS`: inputs the swagger admits. The runtime builds and sends the request; the
  simulator must accept it or refuse it for a reason the swagger cannot express (a 3,001st
  recipient spread over two messages, a blackout period that is no interval, a wrong password,
  a duplicate, a job ID the data center does not hold).
- `REFUSED_SCENARIOS`: inputs the swagger rules out. The runtime refuses them before sending
  (which is the point of the swagger's constraints), so the test sends the runtime's own
  request with the offending part swapped in and holds the simulator's answer to the swagger.

The statuses each operation can give are collected by running both catalogues, not listed by
hand, and compared with the statuses its swagger responses name.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from contract_calls import (
    PLAIN_NUMBER,
    assert_documented,
    call,
    home_of,
    host_of,
    job_body,
    read_with_fallback,
    send,
    send_raw,
    wrong_login,
)

from retarus_connector.runtime import CallResult, Connector, InputError
from retarus_connector.simulator.mock import MockedSimulator, simulate

UNKNOWN_JOB_ID = "J.20250106-080000.000-AAAAAAAAAAAAAAAAAA"
OPERATIONS = ("SendSmsJob", "ListJobs", "GetJobStatus", "GetRecipientStatuses", "GetVersionInfo")

# Documented, but the simulator never answers so. The reference (section 2) only infers that
# GET /version might be anonymous, and the SDKs always send credentials, so the swagger keeps the
# 401 a real account may get while the simulator answers anyone.
DOCUMENTED_BUT_NOT_PRODUCED = {"GetVersionInfo": {401}}

Login = dict[str, str]
RuntimeRun = Callable[[Connector, MockedSimulator, Login], CallResult]


@dataclass(frozen=True)
class RuntimeScenario:
    operation_id: str
    expected_status: int
    run: RuntimeRun

    @property
    def id(self) -> str:
        return f"{self.operation_id}-{self.expected_status}-{self.run.__name__}"


RUNTIME_SCENARIOS: list[RuntimeScenario] = []


def scenario(operation_id: str, expected_status: int) -> Callable[[RuntimeRun], RuntimeRun]:
    def register(run: RuntimeRun) -> RuntimeRun:
        RUNTIME_SCENARIOS.append(RuntimeScenario(operation_id, expected_status, run))
        return run

    return register


def max_length(connector: Connector, *path: str) -> int:
    """maxLength of a JobRequest property, read from the swagger so the test follows it."""
    node: Any = connector.package.swagger["definitions"]["JobRequest"]
    for name in path:
        node = node["items"] if name == "[]" else node["properties"][name]
    limit = node["maxLength"]
    assert isinstance(limit, int)
    return limit


def other_than(data_center: str) -> str:
    return "de1" if data_center == "de2" else "de2"


# --- SendSmsJob ------------------------------------------------------------------------------


@scenario("SendSmsJob", 201)
def minimal_job(connector: Connector, simulator: MockedSimulator, login: Login) -> CallResult:
    return call(connector, "SendSmsJob", {"body": job_body()}, login)


@scenario("SendSmsJob", 201)
def every_option(connector: Connector, simulator: MockedSimulator, login: Login) -> CallResult:
    body = {
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
    return call(connector, "SendSmsJob", {"body": body}, login)


@scenario("SendSmsJob", 201)
def longest_values_the_swagger_admits(
    connector: Connector, simulator: MockedSimulator, login: Login
) -> CallResult:
    # Non-ASCII references: the simulator allows a pure US-ASCII job reference 192 characters,
    # any other only 70, so these are the values that test the swagger's limit.
    job_ref = "ü" * max_length(connector, "options", "customerRef")
    recipient_ref = "é" * max_length(connector, "messages", "[]", "recipients", "[]", "customerRef")
    body = job_body(
        text="x" * 153 * 20,
        src="ABCDEFGHIJK",
        billcode="b" * max_length(connector, "options", "billcode"),
        customerRef=job_ref,
        validityMin=2880,
        maxParts=20,
    )
    body["messages"][0]["recipients"][0]["customerRef"] = recipient_ref
    result = call(connector, "SendSmsJob", {"body": body}, login)
    report = read_with_fallback(connector, "GetJobStatus", {"jobId": result.body["jobId"]}, login)
    assert report[0].body["customerRef"] == job_ref
    return result


@scenario("SendSmsJob", 201)
def numeric_sender_and_several_messages(
    connector: Connector, simulator: MockedSimulator, login: Login
) -> CallResult:
    body = job_body("+4917600000001", "+4917600999901", src="+" + "9" * 20, validityMin=0)
    body["messages"].append(
        {"text": "Grüße \u2013 ça va? 😀", "recipients": [{"dst": "0049 176 000 00002"}]}
    )
    return call(connector, "SendSmsJob", {"body": body}, login)


@scenario("SendSmsJob", 201)
def text_outside_gsm7_with_every_policy_but_refuse(
    connector: Connector, simulator: MockedSimulator, login: Login
) -> CallResult:
    for policy in ("REPLACE", "TRANSLITERATE", "TO_UTF16"):
        body = job_body(text="\u201eGrüße\u201c \u2013 😀", invalidCharacters=policy)
        call(connector, "SendSmsJob", {"body": body}, login)
    return call(connector, "SendSmsJob", {"body": job_body(text="😀", encoding="UTF-16")}, login)


@scenario("SendSmsJob", 400)
def more_than_3000_recipients_over_two_messages(
    connector: Connector, simulator: MockedSimulator, login: Login
) -> CallResult:
    def message(first: int, count: int) -> dict[str, Any]:
        numbers = [f"+49176{number:08d}" for number in range(first, first + count)]
        return {"text": "Hi", "recipients": [{"dst": number} for number in numbers]}

    body = {"messages": [message(0, 1500), message(1500, 1501)]}
    result = call(connector, "SendSmsJob", {"body": body}, login)
    assert "3000" in result.body["message"]
    return result


@scenario("SendSmsJob", 400)
def job_blackout_period_that_is_no_interval(
    connector: Connector, simulator: MockedSimulator, login: Login
) -> CallResult:
    body = job_body(blackoutPeriods=["tonight"])
    result = call(connector, "SendSmsJob", {"body": body}, login)
    assert result.body["message"].startswith("options.blackoutPeriods[0]")
    return result


@scenario("SendSmsJob", 400)
def recipient_blackout_period_ending_before_it_starts(
    connector: Connector, simulator: MockedSimulator, login: Login
) -> CallResult:
    body = job_body()
    body["messages"][0]["recipients"][0]["blackoutPeriods"] = [
        "2030-01-02T07:00Z/2030-01-01T22:00Z"
    ]
    result = call(connector, "SendSmsJob", {"body": body}, login)
    assert result.body["message"].startswith("messages[0].recipients[0].blackoutPeriods[0]")
    return result


@scenario("SendSmsJob", 400)
def job_period_at_a_leap_second(
    connector: Connector, simulator: MockedSimulator, login: Login
) -> CallResult:
    # RFC 3339 (format date-time) admits second 60; Retarus documents Java regexes (reference
    # 3.1), so java.time likely parses its date-times, which does not; the simulator follows.
    result = call(
        connector, "SendSmsJob", {"body": job_body(jobPeriod="2030-06-30T23:59:60Z")}, login
    )
    assert result.body["message"].startswith("options.jobPeriod")
    return result


@scenario("SendSmsJob", 401)
def job_with_a_wrong_password(
    connector: Connector, simulator: MockedSimulator, login: Login
) -> CallResult:
    return call(connector, "SendSmsJob", {"body": job_body()}, wrong_login(login))


@scenario("SendSmsJob", 409)
def same_job_twice_with_duplicate_detection(
    connector: Connector, simulator: MockedSimulator, login: Login
) -> CallResult:
    body = job_body(duplicateDetection=True)
    first = send(connector, login, body)
    result = call(connector, "SendSmsJob", {"body": body}, login)
    assert first in result.body["message"]
    simulator.advance(600)
    send(connector, login, body)  # ten minutes later it is a new job again
    return result


@scenario("SendSmsJob", 422)
def text_outside_gsm7_with_refuse(
    connector: Connector, simulator: MockedSimulator, login: Login
) -> CallResult:
    body = job_body(text="Grüße \u2013 bis bald", invalidCharacters="REFUSE")
    return call(connector, "SendSmsJob", {"body": body}, login)


# --- ListJobs --------------------------------------------------------------------------------


@scenario("ListJobs", 200)
def jobs_of_the_default_data_center(
    connector: Connector, simulator: MockedSimulator, login: Login
) -> CallResult:
    job_ids = {send(connector, login, job_body(text=f"job {n}")) for n in range(4)}
    in_de2 = {job_id for job_id in job_ids if home_of(simulator, job_id) == "de2"}
    result = call(connector, "ListJobs", {}, login)
    assert host_of(result) == "sms4a.de2.retarus.com"
    assert {entry["jobId"] for entry in result.body} == in_de2
    return result


@scenario("ListJobs", 200)
def every_list_parameter(
    connector: Connector, simulator: MockedSimulator, login: Login
) -> CallResult:
    for n in range(6):
        send(connector, login, job_body(text=f"job {n}"))
    inputs = {
        "fromTs": "2025-01-01T00:00:00+01:00",
        "toTs": "2025-01-31T00:00:00+01:00",
        "open": True,
        "offset": 1,
        "limit": 2,
        "dataCenter": "de1",
    }
    result = call(connector, "ListJobs", inputs, login)
    assert host_of(result) == "sms4a.de1.retarus.com"
    assert len(result.body) <= 2
    return result


@scenario("ListJobs", 400)
def window_longer_than_30_days(
    connector: Connector, simulator: MockedSimulator, login: Login
) -> CallResult:
    inputs = {"fromTs": "2025-01-01T00:00:00Z", "toTs": "2025-02-01T00:00:01Z"}
    return call(connector, "ListJobs", inputs, login)


@scenario("ListJobs", 400)
def window_ending_before_it_starts(
    connector: Connector, simulator: MockedSimulator, login: Login
) -> CallResult:
    inputs = {"fromTs": "2025-01-05T00:00:00Z", "toTs": "2025-01-04T00:00:00Z"}
    return call(connector, "ListJobs", inputs, login)


@scenario("ListJobs", 401)
def list_with_a_wrong_password(
    connector: Connector, simulator: MockedSimulator, login: Login
) -> CallResult:
    return call(connector, "ListJobs", {"dataCenter": "de1"}, wrong_login(login))


# --- GetJobStatus and GetRecipientStatuses ---------------------------------------------------


def _read_the_home_data_center(operation_id: str) -> RuntimeRun:
    def read_job_in_its_data_center(
        connector: Connector, simulator: MockedSimulator, login: Login
    ) -> CallResult:
        job_id = send(connector, login, job_body("+4917600000001", "+4917600999999"))
        home = home_of(simulator, job_id)
        result = call(connector, operation_id, {"jobId": job_id, "dataCenter": home}, login)
        assert host_of(result) == f"sms4a.{home}.retarus.com"
        return result

    return read_job_in_its_data_center


def _read_the_other_data_center(operation_id: str) -> RuntimeRun:
    def read_job_in_the_other_data_center(
        connector: Connector, simulator: MockedSimulator, login: Login
    ) -> CallResult:
        job_id = send(connector, login, job_body())
        other = other_than(home_of(simulator, job_id))
        return call(connector, operation_id, {"jobId": job_id, "dataCenter": other}, login)

    return read_job_in_the_other_data_center


def _read_an_unknown_job(operation_id: str) -> RuntimeRun:
    def read_unknown_job(
        connector: Connector, simulator: MockedSimulator, login: Login
    ) -> CallResult:
        return call(connector, operation_id, {"jobId": UNKNOWN_JOB_ID}, login)

    return read_unknown_job


def _read_with_a_wrong_password(operation_id: str) -> RuntimeRun:
    def read_with_wrong_password(
        connector: Connector, simulator: MockedSimulator, login: Login
    ) -> CallResult:
        job_id = send(connector, login, job_body())
        inputs = {"jobId": job_id, "dataCenter": home_of(simulator, job_id)}
        return call(connector, operation_id, inputs, wrong_login(login))

    return read_with_wrong_password


for _operation in ("GetJobStatus", "GetRecipientStatuses"):
    scenario(_operation, 200)(_read_the_home_data_center(_operation))
    scenario(_operation, 404)(_read_the_other_data_center(_operation))
    scenario(_operation, 404)(_read_an_unknown_job(_operation))
    scenario(_operation, 401)(_read_with_a_wrong_password(_operation))


# --- GetVersionInfo --------------------------------------------------------------------------


@scenario("GetVersionInfo", 200)
def version(connector: Connector, simulator: MockedSimulator, login: Login) -> CallResult:
    # Retarus keeps sms4a.eu for sending; the version is read from a data center, de2 first.
    result = call(connector, "GetVersionInfo", {}, login)
    assert host_of(result) == "sms4a.de2.retarus.com"
    return result


@scenario("GetVersionInfo", 200)
def version_from_de1(connector: Connector, simulator: MockedSimulator, login: Login) -> CallResult:
    result = call(connector, "GetVersionInfo", {"dataCenter": "de1"}, login)
    assert host_of(result) == "sms4a.de1.retarus.com"
    return result


@scenario("GetVersionInfo", 200)
def version_with_a_wrong_password(
    connector: Connector, simulator: MockedSimulator, login: Login
) -> CallResult:
    return call(connector, "GetVersionInfo", {}, wrong_login(login))


# --- requests the swagger rules out ----------------------------------------------------------


def with_query(url: str, **changes: str | None) -> str:
    """`url` with query parameters replaced (None removes one)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    return urlunsplit(parts._replace(query=urlencode(query)))


@dataclass(frozen=True)
class RefusedScenario:
    """A request the swagger rules out: `inputs` (None when inputs cannot even express it)
    must make the runtime refuse; `url`/`body` turn the runtime's request for `valid_inputs`
    into that request."""

    id: str
    operation_id: str
    expected_status: int
    valid_inputs: Mapping[str, Any]
    inputs: Mapping[str, Any] | None
    url: Callable[[str], str] | None = None
    body: bytes | None = None


def _body_scenario(name: str, body: Any) -> RefusedScenario:
    return RefusedScenario(
        name,
        "SendSmsJob",
        400,
        {"body": job_body()},
        {"body": body},
        body=json.dumps(body).encode(),
    )


def _recipient(**fields: Any) -> Any:
    return {"messages": [{"text": "Hi", "recipients": [fields]}]}


REFUSED_SCENARIOS = [
    RefusedScenario(
        "malformed JSON",
        "SendSmsJob",
        400,
        {"body": job_body()},
        None,
        body=b'{"messages": [{"text": "Hi", ',
    ),
    _body_scenario("body not an object", [job_body()]),
    _body_scenario("no messages", {"options": {"flash": True}}),
    _body_scenario("empty messages", {"messages": []}),
    _body_scenario("message without text", {"messages": [{"recipients": [{"dst": "+491"}]}]}),
    _body_scenario("empty text", job_body(text="")),
    _body_scenario("no recipients", {"messages": [{"text": "Hi", "recipients": []}]}),
    _body_scenario("recipient without dst", _recipient(customerRef="r1")),
    _body_scenario("empty dst", _recipient(dst="")),
    _body_scenario(
        "recipient reference too long", _recipient(dst=PLAIN_NUMBER, customerRef="r" * 71)
    ),
    _body_scenario("sender ID too long", job_body(src="ABCDEFGHIJKL")),
    _body_scenario("numeric sender ID too long", job_body(src="1" * 21)),
    _body_scenario("sender ID with a newline", job_body(src="ACME\nX")),
    _body_scenario("unknown encoding", job_body(encoding="UTF-8")),
    _body_scenario("unknown qos", job_body(qos="FAST")),
    _body_scenario("unknown invalidCharacters", job_body(invalidCharacters="DROP")),
    _body_scenario("billcode too long", job_body(billcode="b" * 71)),
    _body_scenario("job reference too long", job_body(customerRef="ü" * 71)),
    _body_scenario("validityMin not a number", job_body(validityMin="two days")),
    _body_scenario("flag not a boolean", job_body(statusRequested="yes")),
    _body_scenario("jobPeriod not a date-time", job_body(jobPeriod="next Monday")),
    _body_scenario("blackoutPeriods not an array", job_body(blackoutPeriods="tonight")),
    RefusedScenario(
        "jobIdsOnly false",
        "ListJobs",
        400,
        {},
        {"jobIdsOnly": False},
        url=lambda url: with_query(url, jobIdsOnly="false"),
    ),
    RefusedScenario(
        "limit 0", "ListJobs", 400, {}, {"limit": 0}, url=lambda url: with_query(url, limit="0")
    ),
    RefusedScenario(
        "limit 1001",
        "ListJobs",
        400,
        {},
        {"limit": 1001},
        url=lambda url: with_query(url, limit="1001"),
    ),
    RefusedScenario(
        "negative offset",
        "ListJobs",
        400,
        {},
        {"offset": -1},
        url=lambda url: with_query(url, offset="-1"),
    ),
    RefusedScenario(
        "open not a boolean",
        "ListJobs",
        400,
        {},
        {"open": "maybe"},
        url=lambda url: with_query(url, open="maybe"),
    ),
    RefusedScenario(
        "fromTs not a date-time",
        "ListJobs",
        400,
        {},
        {"fromTs": "yesterday"},
        url=lambda url: with_query(url, fromTs="yesterday"),
    ),
    RefusedScenario(
        "malformed job ID",
        "GetJobStatus",
        400,
        {"jobId": UNKNOWN_JOB_ID},
        {"jobId": "J.12345"},
        url=lambda url: url.replace(UNKNOWN_JOB_ID, "J.12345"),
    ),
    RefusedScenario(
        "no job ID",
        "GetRecipientStatuses",
        400,
        {"jobId": UNKNOWN_JOB_ID},
        {},
        url=lambda url: with_query(url, jobId=None),
    ),
    RefusedScenario(
        "malformed job ID",
        "GetRecipientStatuses",
        400,
        {"jobId": UNKNOWN_JOB_ID},
        {"jobId": "12345"},
        url=lambda url: with_query(url, jobId="12345"),
    ),
]


def run_refused(connector: Connector, case: RefusedScenario, login: Login) -> tuple[int, Any]:
    """Check that the runtime refuses the inputs, then send the request anyway."""
    operation = connector.operation(case.operation_id)
    if case.inputs is not None:
        with pytest.raises(InputError):
            operation.prepare(case.inputs, login)
    prepared = operation.prepare(case.valid_inputs, login)
    url = case.url(prepared.url) if case.url else None
    response = send_raw(prepared, url=url, body=case.body)
    return response.status_code, response.json()


# --- the tests -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", RUNTIME_SCENARIOS, ids=lambda case: case.id)
def test_swagger_admitted_request_gets_its_documented_answer(
    case: RuntimeScenario,
    connector: Connector,
    retarus_simulator: MockedSimulator,
    login: Login,
) -> None:
    result = case.run(connector, retarus_simulator, login)
    assert result.request.operation_id == case.operation_id
    assert result.status == case.expected_status, result.body
    if result.status >= 400:
        assert result.body["code"] == result.status
        assert result.body["message"]


@pytest.mark.parametrize(
    "case", REFUSED_SCENARIOS, ids=lambda case: f"{case.operation_id}-{case.id.replace(' ', '_')}"
)
def test_request_the_swagger_rules_out_is_refused_by_both_sides(
    case: RefusedScenario,
    connector: Connector,
    retarus_simulator: MockedSimulator,
    login: Login,
) -> None:
    status, body = run_refused(connector, case, login)
    assert status == case.expected_status, body
    assert_documented(connector, case.operation_id, status)
    assert connector.operation(case.operation_id).check_response(status, body) == ()


def test_every_status_the_simulator_gives_is_documented_and_every_documented_one_is_given(
    connector: Connector,
) -> None:
    given: dict[str, set[int]] = defaultdict(set)
    for runtime_case in RUNTIME_SCENARIOS:
        with simulate(seed=11) as simulator:
            login = {"username": simulator.username, "password": simulator.password}
            given[runtime_case.operation_id].add(
                runtime_case.run(connector, simulator, login).status
            )
    for refused_case in REFUSED_SCENARIOS:
        with simulate(seed=11) as simulator:
            login = {"username": simulator.username, "password": simulator.password}
            given[refused_case.operation_id].add(run_refused(connector, refused_case, login)[0])
    assert set(given) == set(OPERATIONS)
    for operation_id in OPERATIONS:
        documented = {
            int(key)
            for key in connector.operation(operation_id).documented_statuses()
            if key.isdigit()
        }
        assert given[operation_id] <= documented, operation_id
        assert documented - given[operation_id] == DOCUMENTED_BUT_NOT_PRODUCED.get(
            operation_id, set()
        ), operation_id


def test_method_the_swagger_does_not_document_is_405_outside_the_contract(
    connector: Connector, retarus_simulator: MockedSimulator, login: Login
) -> None:
    # 405 cannot be reached through the swagger (every operation uses its own method); the
    # swagger's paths and the simulator's endpoints agree on which methods exist.
    prepared = connector.operation("GetJobStatus").prepare({"jobId": UNKNOWN_JOB_ID}, login)
    documented_methods = {
        path: {method.upper() for method in item if method != "parameters"}
        for path, item in connector.package.swagger["paths"].items()
    }
    import requests

    for path, methods in documented_methods.items():
        url = f"https://sms4a.de2.retarus.com/rest/v1{path.replace('{jobId}', UNKNOWN_JOB_ID)}"
        for method in ("GET", "POST", "PUT", "DELETE", "PATCH"):
            response = requests.request(method, url, headers=dict(prepared.headers), timeout=10)
            if method in methods:
                assert response.status_code != 405, (method, path)
            else:
                assert response.status_code == 405, (method, path)
                assert set(response.headers["Allow"].split(", ")) == methods


def test_runtime_refuses_a_value_that_only_matches_a_pattern_before_a_final_newline(
    connector: Connector, retarus_simulator: MockedSimulator, login: Login
) -> None:
    with pytest.raises(InputError):
        connector.operation("SendSmsJob").prepare({"body": job_body(src="ACME\n")}, login)
