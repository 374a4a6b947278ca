"""Property-based: whatever arrives (method, host, path, query, body, credentials), the
simulator answers without a 5xx, in JSON, with a `{"message", "code"}` body for errors."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retarus_connector.simulator.app import SimulatorApp
from retarus_connector.simulator.clock import ManualClock
from retarus_connector.simulator.mock import WsgiResponse, call_wsgi
from retarus_connector.simulator.state import SimulatorState

GOOD_AUTH = "Basic " + base64.b64encode(b"demo:demo").decode()
SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False),
    st.text(max_size=30),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=15,
)
datetimes_text = st.one_of(
    st.sampled_from(
        [
            "2025-01-06T08:00Z",
            "2030-01-01T08:00:00.000+01:00",
            "2025-01-06T07:59:59-0700",
            "9999-12-31T23:59Z",
            "0001-01-01T00:00Z",
        ]
    ),
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    st.text(max_size=25),
)
intervals_text = st.one_of(
    st.builds(lambda a, b: f"{a}/{b}", datetimes_text, datetimes_text),
    st.builds(lambda a, d: f"{a}/PT{d}H", datetimes_text, st.integers(0, 10**8)),
    st.text(max_size=40),
)
dsts = st.one_of(
    st.builds(lambda code: f"+49176009999{code:02d}", st.integers(0, 99)),
    st.from_regex(r"\+?[0-9]{1,22}", fullmatch=True),
    st.text(max_size=20),
)
option_values = {
    "src": st.one_of(st.text(max_size=14), st.from_regex(r"\+?[0-9]{1,21}", fullmatch=True)),
    "encoding": st.sampled_from(["STANDARD", "UTF-16", "utf-16", "standard", "UTF16", ""]),
    "billcode": st.text(max_size=80),
    "statusRequested": st.one_of(st.booleans(), st.sampled_from(["true", "False", "x"])),
    "flash": st.booleans(),
    "customerRef": st.text(max_size=200),
    "validityMin": st.one_of(st.integers(-(10**30), 10**30), st.floats(), st.text(max_size=5)),
    "maxParts": st.one_of(st.integers(-5, 40), st.floats(), st.text(max_size=5)),
    "invalidCharacters": st.sampled_from(
        ["REFUSE", "REPLACE", "TO_UTF16", "TRANSLITERATE", "refuse", "X"]
    ),
    "qos": st.sampled_from(["EXPRESS", "NORMAL", "express", "SLOW"]),
    "jobPeriod": datetimes_text,
    "duplicateDetection": st.booleans(),
    "blackoutPeriods": st.one_of(st.lists(intervals_text, max_size=3), intervals_text),
}
recipients = st.fixed_dictionaries(
    {"dst": st.one_of(dsts, json_scalars)},
    optional={
        "customerRef": st.text(max_size=75),
        "blackoutPeriods": st.lists(intervals_text, max_size=2),
    },
)
messages = st.fixed_dictionaries(
    {
        "text": st.one_of(
            st.text(max_size=400), st.text(alphabet="€{}[]~|^\\a", max_size=400), json_scalars
        ),
        "recipients": st.one_of(st.lists(recipients, max_size=4), json_values),
    }
)
job_requests = st.fixed_dictionaries(
    {"messages": st.one_of(st.lists(messages, max_size=3), json_values)},
    optional={"options": st.fixed_dictionaries({}, optional=option_values)},
)
valid_intervals = st.builds(
    lambda start, hours: f"{start.isoformat()}/PT{hours}H",
    st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2025, 2, 1), timezones=st.just(UTC)
    ),
    st.integers(0, 48),
)
valid_job_requests = st.fixed_dictionaries(
    {
        "messages": st.lists(
            st.fixed_dictionaries(
                {
                    "text": st.text(min_size=1, max_size=500),
                    "recipients": st.lists(
                        st.fixed_dictionaries(
                            {"dst": dsts.filter(lambda dst: dst != "")},
                            optional={"blackoutPeriods": st.lists(valid_intervals, max_size=2)},
                        ),
                        min_size=1,
                        max_size=4,
                    ),
                }
            ),
            min_size=1,
            max_size=3,
        )
    },
    optional={
        "options": st.fixed_dictionaries(
            {},
            optional={
                "encoding": st.sampled_from(["STANDARD", "UTF-16", "utf-16"]),
                "statusRequested": st.booleans(),
                "validityMin": st.integers(-10, 5000),
                "maxParts": st.integers(-2, 25),
                "invalidCharacters": st.sampled_from(
                    ["REFUSE", "REPLACE", "TO_UTF16", "TRANSLITERATE"]
                ),
                "qos": st.sampled_from(["EXPRESS", "normal"]),
                "jobPeriod": valid_intervals.map(lambda interval: interval.split("/")[0]),
                "duplicateDetection": st.booleans(),
                "blackoutPeriods": st.lists(valid_intervals, max_size=3),
            },
        )
    },
)
bodies = st.one_of(
    valid_job_requests.map(lambda body: json.dumps(body).encode()),
    job_requests.map(lambda body: json.dumps(body).encode()),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=200),
    st.just(b"[" * 5000 + b"]" * 5000),
    st.just(b'{"a":' * 3000 + b"1" + b"}" * 3000),
)
KNOWN_PARAMETERS = ["jobIdsOnly", "fromTs", "toTs", "open", "offset", "limit", "jobId"]
queries = st.one_of(
    st.dictionaries(
        st.one_of(st.sampled_from(KNOWN_PARAMETERS), st.text(max_size=8)),
        st.one_of(
            st.sampled_from(["true", "TRUE", "false", "0", "1", "1000", "1001", "-1", ""]),
            datetimes_text,
            st.text(max_size=40),
        ),
        max_size=5,
    ).map(urlencode),
    st.text(max_size=40).map(lambda text: quote(text, safe="=&%+")),
)
paths = st.one_of(
    st.sampled_from(
        [
            "/rest/v1/jobs",
            "/rest/v1/sms",
            "/rest/v1/version",
            "/de1/rest/v1/jobs",
            "/de2/rest/v1/sms",
        ]
    ),
    st.builds(
        lambda prefix, text: prefix + quote(text, safe="/"),
        st.sampled_from(["/rest/v1/jobs/", "/de2/rest/v1/jobs/", "/", "/rest/v1/", "/de1/"]),
        st.text(max_size=50),
    ),
)
hosts = st.sampled_from(
    [
        "sms4a.eu.retarus.com",
        "sms4a.de1.retarus.com",
        "sms4a.de2.retarus.com",
        "127.0.0.1:8080",
        "[::1]:1",
    ]
)
methods = st.sampled_from(
    ["GET", "GET", "GET", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
)
authorizations = st.one_of(
    st.just(GOOD_AUTH),
    st.just(GOOD_AUTH),
    st.none(),
    st.text(max_size=30).map(lambda text: text.encode("latin-1", "replace").decode("latin-1")),
)


def new_app() -> tuple[SimulatorApp, ManualClock]:
    clock = ManualClock()
    return SimulatorApp(SimulatorState(clock=clock, seed=1)), clock


def assert_well_formed(response: WsgiResponse, method: str) -> Any:
    assert response.status < 500, response.body[:500]
    headers = dict(response.headers)
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    if method == "HEAD":
        assert response.body == b""
        return None
    body = json.loads(response.body)
    if response.status >= 400:
        assert set(body) == {"message", "code"}
        assert body["code"] == response.status
        assert isinstance(body["message"], str)
        assert body["message"]
    if response.status == 405:
        assert headers["Allow"]
    return body


@SETTINGS
@given(
    method=methods, host=hosts, path=paths, query=queries, body=bodies, authorization=authorizations
)
def test_no_request_gets_a_5xx(
    method: str, host: str, path: str, query: str, body: bytes, authorization: str | None
) -> None:
    app, _ = new_app()
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    url = f"https://{host}{path}" + (f"?{query}" if query else "")
    assert_well_formed(call_wsgi(app, method, url, headers, body), method)


@SETTINGS
@given(
    requests=st.lists(job_requests, min_size=1, max_size=4),
    waits=st.lists(st.floats(0, 10**7), max_size=4),
)
def test_job_requests_get_only_documented_answers_and_stay_readable(
    requests: list[dict[str, Any]], waits: list[float]
) -> None:
    app, clock = new_app()
    auth = {"Authorization": GOOD_AUTH}
    accepted = []
    for request in requests:
        response = call_wsgi(
            app, "POST", "https://sms4a.eu.retarus.com/rest/v1/jobs", auth, json.dumps(request)
        )
        body = assert_well_formed(response, "POST")
        assert response.status in (201, 400, 409, 422)
        if response.status == 201:
            accepted.append(body["jobId"])
    for wait in [0.0, *waits]:
        clock.advance(wait)
        for job_id in accepted:
            for site in ("de1", "de2"):
                report = call_wsgi(
                    app, "GET", f"https://sms4a.{site}.retarus.com/rest/v1/jobs/{job_id}", auth
                )
                job = assert_well_formed(report, "GET")
                recipients = call_wsgi(
                    app,
                    "GET",
                    f"https://sms4a.{site}.retarus.com/rest/v1/sms?jobId={quote(job_id)}",
                    auth,
                )
                reports = assert_well_formed(recipients, "GET")
                assert report.status == recipients.status
                if report.status == 200:
                    assert [r["smsId"] for r in reports] == job["recipientIds"]
                    all_final = all(
                        r["processStatus"] in ("DONE", "CANCELED", "KILL") for r in reports
                    )
                    assert ("finishedTs" in job) is all_final
            listing = call_wsgi(
                app,
                "GET",
                "https://sms4a.de1.retarus.com/rest/v1/jobs?jobIdsOnly=true&limit=1000",
                auth,
            )
            assert listing.status == 200
