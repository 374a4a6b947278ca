"""The read endpoints: GET /jobs (window, paging, open, jobIdsOnly), GET /jobs/{jobId},
GET /sms, GET /version, and the 404/405 answers for what does not exist."""

from __future__ import annotations

import pytest
from simulator_client import Api, assert_error, job_body


def list_jobs(api: Api, site: str = "de1", **params: str) -> list[str]:
    response = api.get("/jobs", site, params={"jobIdsOnly": "true", **params})
    assert response.status_code == 200, response.text
    body = response.json()
    assert all(set(item) == {"jobId"} for item in body)
    return [item["jobId"] for item in body]


def submit_in(api: Api, site: str, count: int, gap_seconds: float = 60) -> list[str]:
    ids = []
    for _ in range(count):
        ids.append(api.submit(job_body(), site=site)[0])
        api.simulator.advance(gap_seconds)
    return ids


def test_jobs_are_listed_oldest_first_with_offset_and_limit(api: Api) -> None:
    ids = submit_in(api, "de1", 5)
    assert list_jobs(api) == ids
    assert list_jobs(api, limit="2") == ids[:2]
    assert list_jobs(api, offset="2", limit="2") == ids[2:4]
    assert list_jobs(api, offset="4", limit="1000") == ids[4:]
    assert list_jobs(api, offset="5") == []


def test_the_default_limit_is_100(api: Api) -> None:
    submit_in(api, "de1", 101, gap_seconds=1)
    assert len(list_jobs(api)) == 100
    assert len(list_jobs(api, limit="1000")) == 101


@pytest.mark.parametrize("value", ["0", "1001", "-1", "many", ""])
def test_limit_must_be_1_to_1000(api: Api, value: str) -> None:
    response = api.get("/jobs", params={"jobIdsOnly": "true", "limit": value})
    assert_error(response, 400, "limit")


@pytest.mark.parametrize("value", ["-1", "first", "1.0"])
def test_offset_must_be_a_non_negative_integer(api: Api, value: str) -> None:
    assert_error(api.get("/jobs", params={"offset": value}), 400, "offset")


@pytest.mark.parametrize("value", ["true", "True", "TRUE", "tRuE"])
def test_job_ids_only_true_in_any_case(api: Api, value: str) -> None:
    [job_id] = submit_in(api, "de1", 1)
    response = api.get("/jobs", params={"jobIdsOnly": value})
    assert response.json() == [{"jobId": job_id}]


def test_job_ids_only_may_be_left_out(api: Api) -> None:
    [job_id] = submit_in(api, "de1", 1)
    assert api.get("/jobs").json() == [{"jobId": job_id}]


@pytest.mark.parametrize("value", ["false", "False", "no", "", "1"])
def test_job_ids_only_other_than_true_is_400(api: Api, value: str) -> None:
    assert_error(api.get("/jobs", params={"jobIdsOnly": value}), 400, "jobIdsOnly")


def test_open_filters_open_and_finished_jobs(api: Api) -> None:
    [finished] = submit_in(api, "de1", 1, gap_seconds=5)
    [still_open] = submit_in(api, "de1", 1, gap_seconds=0)
    assert list_jobs(api, open="true") == [still_open]
    assert list_jobs(api, open="FALSE") == [finished]
    assert list_jobs(api) == [finished, still_open]
    assert_error(api.get("/jobs", params={"open": "sometimes"}), 400, "open")


def test_the_window_selects_by_receipt_time(api: Api) -> None:
    ids = submit_in(api, "de1", 3, gap_seconds=3600)  # 08:00, 09:00, 10:00
    assert list_jobs(api, fromTs="2025-01-06T08:30Z", toTs="2025-01-06T09:30Z") == ids[1:2]
    assert list_jobs(api, fromTs="2025-01-06T09:00:00.000+00:00") == ids[1:]
    assert list_jobs(api, toTs="2025-01-06T09:00Z") == ids[:2]
    # an unencoded "+" arrives as a space
    response = api.get("/jobs?jobIdsOnly=true&fromTs=2025-01-06T10:00:00+01:00")
    assert [item["jobId"] for item in response.json()] == ids[1:]


def test_the_default_window_is_the_last_30_days(api: Api) -> None:
    [old] = submit_in(api, "de1", 1, gap_seconds=0)
    api.simulator.advance(29 * 86400)
    [recent] = submit_in(api, "de1", 1, gap_seconds=0)
    assert list_jobs(api) == [old, recent]
    api.simulator.advance(86400 + 1)
    assert list_jobs(api) == [recent]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"fromTs": "2025-01-01T00:00Z", "toTs": "2025-02-01T00:00Z"}, "fromTs"),
        ({"fromTs": "2024-12-01T00:00Z"}, "fromTs"),
        ({"fromTs": "2025-01-02T00:00Z", "toTs": "2025-01-01T00:00Z"}, "toTs"),
        # The clock stands at 2025-01-06T08:00Z; toTs, left out, is now: fromTs is at fault.
        ({"fromTs": "2025-01-07T00:00Z"}, "fromTs"),
        ({"fromTs": "yesterday"}, "fromTs"),
        ({"toTs": "2025-01-06"}, "toTs"),
    ],
)
def test_bad_windows_are_400(api: Api, params: dict[str, str], field: str) -> None:
    assert_error(api.get("/jobs", params={"jobIdsOnly": "true", **params}), 400, field)


@pytest.mark.parametrize(
    "params",
    [{"toTs": "0001-01-05T00:00Z"}, {"fromTs": "9999-12-30T00:00Z", "toTs": "9999-12-31T23:59Z"}],
)
def test_windows_at_the_ends_of_the_calendar_are_empty(api: Api, params: dict[str, str]) -> None:
    submit_in(api, "de1", 1)
    assert list_jobs(api, **params) == []


def test_a_window_left_open_at_the_end_says_that_it_ends_now(api: Api) -> None:
    response = api.get("/jobs", params={"fromTs": "2024-12-01T00:00Z"})
    assert "toTs (now, when left out)" in assert_error(response, 400, "fromTs")
    response = api.get("/jobs", params={"fromTs": "2025-01-07T00:00Z"})
    assert "toTs (now, when left out)" in assert_error(response, 400, "fromTs")


def test_a_window_of_exactly_30_days_is_fine(api: Api) -> None:
    assert list_jobs(api, fromTs="2025-01-01T00:00Z", toTs="2025-01-31T00:00Z") == []


def test_get_job_404_for_an_unknown_job(api: Api) -> None:
    response = api.get("/jobs/J.20250106-080000.000-AAAAAAAAAAAAAAAAAA")
    assert_error(response, 404, "jobId")


def test_get_sms_needs_a_job_id(api: Api) -> None:
    assert_error(api.get("/sms"), 400, "jobId")
    assert_error(api.get("/sms", params={"jobId": ""}), 400, "jobId")
    assert_error(api.get("/sms", params={"jobId": "12345"}), 400, "jobId")
    assert_error(
        api.get("/sms", params={"jobId": "J.20250106-080000.000-AAAAAAAAAAAAAAAAAA"}), 404, "jobId"
    )


def test_reads_need_credentials(api: Api) -> None:
    job_id, datacenter = api.submit(job_body())
    assert_error(api.get(f"/jobs/{job_id}", datacenter, auth=None), 401)
    assert_error(api.get("/sms", datacenter, params={"jobId": job_id}, auth=("demo", "x")), 401)
    assert_error(api.get("/jobs", datacenter, auth=None), 401)


@pytest.mark.parametrize("site", ["eu", "de1", "de2"])
def test_version_is_anonymous(api: Api, site: str) -> None:
    for auth in (None, api.simulator.auth, ("wrong", "credentials")):
        response = api.get("/version", site, auth=auth)
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {
            "buildNumber",
            "buildTimestamp",
            "majorVersion",
            "minorVersion",
            "versionInfo",
        }
        assert isinstance(body["buildNumber"], int)
        assert isinstance(body["majorVersion"], int)
        assert isinstance(body["minorVersion"], int)
        assert isinstance(body["buildTimestamp"], str)
        assert isinstance(body["versionInfo"], str)
    if site != "eu":
        assert site in response.json()["versionInfo"]


@pytest.mark.parametrize(
    "path",
    ["/", "/job", "/jobs/", "/jobs/J.1/recipients", "/SMS", "/versions", "/rest/v1"],
)
def test_unknown_paths_are_404_json(api: Api, path: str) -> None:
    assert_error(api.get(path), 404, "path")


def test_paths_outside_the_api_are_404_json(api: Api) -> None:
    import requests

    for url in (
        "https://sms4a.eu.retarus.com/",
        "https://sms4a.de1.retarus.com/rest/v2/jobs",
        "https://sms4a.de2.retarus.com/de1/rest/v1/jobs",
    ):
        assert_error(requests.get(url, auth=api.simulator.auth), 404, "path")


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/jobs", "GET, POST"),
        ("PUT", "/jobs", "GET, POST"),
        ("POST", "/jobs/J.20250106-080000.000-AAAAAAAAAAAAAAAAAA", "GET"),
        ("DELETE", "/jobs/J.20250106-080000.000-AAAAAAAAAAAAAAAAAA", "GET"),
        ("POST", "/sms", "GET"),
        ("PATCH", "/version", "GET"),
        ("OPTIONS", "/jobs", "GET, POST"),
    ],
)
def test_methods_an_endpoint_lacks_are_405_with_allow(
    api: Api, method: str, path: str, allow: str
) -> None:
    import requests

    response = requests.request(method, api.url("de1", path), auth=api.simulator.auth)
    assert_error(response, 405, "method")
    assert response.headers["Allow"] == allow


def test_head_gets_405_without_a_body(api: Api) -> None:
    import requests

    response = requests.head(api.url("de1", "/version"))
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"
    assert response.content == b""


def test_jobs_received_in_the_same_millisecond_are_listed_in_the_order_received(
    api: Api,
) -> None:
    ids = [api.submit(job_body(), "de1")[0] for _ in range(6)]
    assert [job["jobId"] for job in api.get("/jobs", "de1").json()] == ids


def test_the_default_window_still_holds_a_job_exactly_30_days_old(api: Api) -> None:
    [old] = submit_in(api, "de1", 1, gap_seconds=0)
    api.simulator.advance(30 * 86400)
    assert list_jobs(api) == [old]


def test_a_window_that_starts_where_it_ends_is_fine(api: Api) -> None:
    [job_id] = submit_in(api, "de1", 1, gap_seconds=0)
    assert list_jobs(api, fromTs="2025-01-06T08:00Z", toTs="2025-01-06T08:00Z") == [job_id]


def test_get_sms_without_a_job_id_says_it_is_required(api: Api) -> None:
    assert assert_error(api.get("/sms"), 400, "jobId") == "jobId: is required"


@pytest.mark.parametrize("path", ["/jobs/", "/sms?jobId="])
def test_a_job_id_longer_than_38_characters_after_j_dot_is_400(api: Api, path: str) -> None:
    too_long = "J.20250106-080000.000-" + "A" * 18 + "B"  # 39 characters after "J."
    assert_error(api.get(path + too_long), 400, "jobId")
