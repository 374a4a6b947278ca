"""The delivery lifecycle over simulated time: OPEN, RUNNING, the final statuses, the test
numbers, jobPeriod scheduling and blackout periods. The clock only moves when told to."""

from __future__ import annotations

from typing import Any

import pytest
from simulator_client import Api, job_body

from retarus_connector.simulator.state import TEST_NUMBER_OUTCOMES, outcome_for


def statuses(api: Api, job_id: str) -> list[tuple[str, str]]:
    return [(r["processStatus"], r["status"]) for r in api.recipients(job_id)]


def test_without_status_request_open_then_done_suc_acc(api: Api) -> None:
    job_id, _ = api.submit(job_body())
    [report] = api.recipients(job_id)
    assert (report["processStatus"], report["status"]) == ("OPEN", "")
    assert {"sentTs", "finishedTs"}.isdisjoint(report)
    assert "finishedTs" not in api.job(job_id)
    api.simulator.advance(0.999)
    assert statuses(api, job_id) == [("OPEN", "")]
    api.simulator.advance(0.001)
    [report] = api.recipients(job_id)
    assert (report["processStatus"], report["status"]) == ("DONE", "SUC_ACC")
    assert report["sentTs"] == report["finishedTs"] == "2025-01-06T08:00:01.000Z"
    assert report["reason"]
    assert api.job(job_id)["finishedTs"] == "2025-01-06T08:00:01.000Z"


def test_with_status_request_open_running_then_done_suc_fin(api: Api) -> None:
    job_id, _ = api.submit(job_body(statusRequested=True))
    assert statuses(api, job_id) == [("OPEN", "")]
    api.simulator.advance(0.5)
    [report] = api.recipients(job_id)
    assert (report["processStatus"], report["status"]) == ("RUNNING", "")
    assert report["sentTs"] == "2025-01-06T08:00:00.500Z"
    assert "finishedTs" not in report
    assert "finishedTs" not in api.job(job_id)
    api.simulator.advance(0.5)
    [report] = api.recipients(job_id)
    assert (report["processStatus"], report["status"]) == ("DONE", "SUC_FIN")
    assert report["finishedTs"] == "2025-01-06T08:00:01.000Z"


@pytest.mark.retarus_simulator(delivery_seconds=60)
def test_delivery_seconds_sets_the_time_to_the_final_status(api: Api) -> None:
    job_id, _ = api.submit(job_body())
    api.simulator.advance(59)
    assert statuses(api, job_id) == [("OPEN", "")]
    api.simulator.advance(1)
    assert statuses(api, job_id) == [("DONE", "SUC_ACC")]


FINAL_WITH_STATUS_REQUEST = {
    "01": ("DONE", "BLOCKED"),
    "02": ("DONE", "TIMEOUT"),
    "03": ("DONE", "CON_ERR"),
    "04": ("DONE", "FAILED_FIN"),
    "05": ("DONE", "NOT_ACC_FIN"),
    "06": ("DONE", "SEND_ERR"),
    "07": ("DONE", "STATUS_ERR"),
    "08": ("CANCELED", ""),
    "09": ("CANCELED", "NOT_ACC_REC"),
    "10": ("KILL", ""),
    "99": ("DONE", "INVALID_DST"),
}
# Failures only a delivery notification reveals look like success without one.
FINAL_WITHOUT_STATUS_REQUEST = {
    **FINAL_WITH_STATUS_REQUEST,
    "02": ("DONE", "SUC_ACC"),
    "04": ("DONE", "SUC_ACC"),
    "07": ("DONE", "SUC_ACC"),
    "10": ("DONE", "SUC_ACC"),
}


def test_every_test_number_code_is_covered_here() -> None:
    assert set(TEST_NUMBER_OUTCOMES) == set(FINAL_WITH_STATUS_REQUEST)


@pytest.mark.parametrize("status_requested", [True, False])
@pytest.mark.parametrize("code", sorted(FINAL_WITH_STATUS_REQUEST))
def test_test_numbers_end_in_their_documented_status(
    api: Api, code: str, status_requested: bool
) -> None:
    dst = f"+49176009999{code}"
    job_id, _ = api.submit(job_body(dst, "+4917600000001", statusRequested=status_requested))
    api.simulator.advance(1)
    expected = (FINAL_WITH_STATUS_REQUEST if status_requested else FINAL_WITHOUT_STATUS_REQUEST)[
        code
    ]
    ordinary = ("DONE", "SUC_FIN" if status_requested else "SUC_ACC")
    assert statuses(api, job_id) == [expected, ordinary]
    [special, _] = api.recipients(job_id)
    assert special["dst"] == dst
    assert special["reason"]
    assert special["finishedTs"] == "2025-01-06T08:00:01.000Z"
    sent = (
        expected[1] in {"SUC_ACC", "SUC_FIN", "TIMEOUT", "FAILED_FIN", "SEND_ERR", "STATUS_ERR"}
        or expected[0] == "KILL"
    )
    assert ("sentTs" in special) is sent


def test_a_connection_error_retries_while_open(api: Api) -> None:
    job_id, _ = api.submit(job_body("+4917600999903"))
    assert statuses(api, job_id) == [("OPEN", "")]
    api.simulator.advance(0.5)
    assert statuses(api, job_id) == [("OPEN", "CON_ERR")]
    api.simulator.advance(0.5)
    assert statuses(api, job_id) == [("DONE", "CON_ERR")]


@pytest.mark.parametrize(
    "dst", ["999999", "12345", "hello", " ", "+49 176 00999999", "+4917600000000123456789"]
)
def test_things_that_are_no_valid_number_end_in_invalid_dst(dst: str) -> None:
    assert outcome_for(dst, status_requested=False).status == "INVALID_DST"


def test_a_job_to_no_valid_number_is_accepted_and_ends_invalid_dst(api: Api) -> None:
    job_id, _ = api.submit(job_body("call me", " "))
    api.simulator.advance(1)
    assert statuses(api, job_id) == [("DONE", "INVALID_DST")] * 2
    assert all("sentTs" not in report for report in api.recipients(job_id))


@pytest.mark.parametrize(
    "dst", ["+4917600000001", "0049 176 0000 0001", "(0176) 000-00-01", "+49176009999011"]
)
def test_ordinary_numbers_succeed(dst: str) -> None:
    assert outcome_for(dst, status_requested=True).status == "SUC_FIN"


def test_job_finished_ts_waits_for_the_last_recipient(api: Api) -> None:
    body = job_body(
        "+4917600000001",
        blackoutPeriods=["2025-01-06T08:00Z/2025-01-06T09:00Z"],
    )
    body["messages"][0]["recipients"].append({"dst": "+4917600000002", "blackoutPeriods": []})
    job_id, _ = api.submit(body)
    api.simulator.advance(1)
    assert statuses(api, job_id) == [("OPEN", ""), ("DONE", "SUC_ACC")]
    assert "finishedTs" not in api.job(job_id)
    api.simulator.advance(3600)
    assert statuses(api, job_id) == [("DONE", "SUC_ACC"), ("DONE", "SUC_ACC")]
    assert api.job(job_id)["finishedTs"] == "2025-01-06T09:00:01.000Z"


def test_a_future_job_period_keeps_recipients_open_until_then(api: Api) -> None:
    job_id, _ = api.submit(job_body(jobPeriod="2025-01-06T10:00:00.000+01:00"))
    api.simulator.advance(3599)
    assert statuses(api, job_id) == [("OPEN", "")]
    api.simulator.advance(2)
    [report] = api.recipients(job_id)
    assert (report["processStatus"], report["status"]) == ("DONE", "SUC_ACC")
    assert report["finishedTs"] == "2025-01-06T09:00:01.000Z"


def test_a_past_job_period_sends_at_once(api: Api) -> None:
    job_id, _ = api.submit(job_body(jobPeriod="2020-01-01T00:00Z"))
    api.simulator.advance(1)
    assert statuses(api, job_id) == [("DONE", "SUC_ACC")]


def final_times(api: Api, job_id: str) -> list[str]:
    api.simulator.advance(7 * 24 * 3600)
    return [r["finishedTs"] for r in api.recipients(job_id)]


def test_a_blackout_moves_sending_to_its_end(api: Api) -> None:
    job_id, _ = api.submit(job_body(blackoutPeriods=["2025-01-06T07:00Z/2025-01-06T12:00Z"]))
    assert final_times(api, job_id) == ["2025-01-06T12:00:01.000Z"]


def test_a_short_blackout_counts_as_one_hour_from_its_start(api: Api) -> None:
    job_id, _ = api.submit(job_body(blackoutPeriods=["2025-01-06T07:30Z/2025-01-06T07:40Z"]))
    assert final_times(api, job_id) == ["2025-01-06T08:30:01.000Z"]


def test_chained_blackouts_are_all_skipped(api: Api) -> None:
    job_id, _ = api.submit(
        job_body(
            blackoutPeriods=[
                "2025-01-06T09:00Z/2025-01-06T10:00Z",
                "2025-01-06T08:00Z/2025-01-06T09:00Z",
                "2025-01-06T10:00Z/PT2H",
            ]
        )
    )
    assert final_times(api, job_id) == ["2025-01-06T12:00:01.000Z"]


def test_blackouts_apply_after_the_job_period(api: Api) -> None:
    job_id, _ = api.submit(
        job_body(
            jobPeriod="2025-01-06T20:00Z",
            blackoutPeriods=["2025-01-06T18:00Z/2025-01-07T07:00Z"],
        )
    )
    assert final_times(api, job_id) == ["2025-01-07T07:00:01.000Z"]


def test_a_blackout_before_the_send_time_changes_nothing(api: Api) -> None:
    job_id, _ = api.submit(job_body(blackoutPeriods=["2025-01-05T07:00Z/2025-01-05T12:00Z"]))
    assert final_times(api, job_id) == ["2025-01-06T08:00:01.000Z"]


def test_a_recipients_own_list_replaces_the_jobs_list(api: Api) -> None:
    recipients: list[dict[str, Any]] = [
        {"dst": "+4917600000001"},
        {"dst": "+4917600000002", "blackoutPeriods": ["2025-01-06T08:00Z/2025-01-06T08:30Z"]},
        {"dst": "+4917600000003", "blackoutPeriods": []},
    ]
    job_id, _ = api.submit(
        {
            "options": {"blackoutPeriods": ["2025-01-06T07:00Z/2025-01-06T12:00Z"]},
            "messages": [{"text": "Hi", "recipients": recipients}],
        }
    )
    assert final_times(api, job_id) == [
        "2025-01-06T12:00:01.000Z",
        "2025-01-06T09:00:01.000Z",
        "2025-01-06T08:00:01.000Z",
    ]


def test_recipients_of_several_messages_are_reported_in_request_order(api: Api) -> None:
    job_id, _ = api.submit(
        {
            "messages": [
                {
                    "text": "one",
                    "recipients": [{"dst": "+4917600000001"}, {"dst": "+4917600000002"}],
                },
                {"text": "two", "recipients": [{"dst": "+4917600000003"}]},
            ]
        }
    )
    reports = api.recipients(job_id)
    assert [r["dst"] for r in reports] == ["+4917600000001", "+4917600000002", "+4917600000003"]
    assert [r["smsId"] for r in reports] == api.job(job_id)["recipientIds"]
    assert len({r["smsId"] for r in reports}) == 3
    assert all(r["smsId"].startswith("S.20250106-080000.000-") for r in reports)


@pytest.mark.parametrize(
    ("dst", "status"),
    [
        ("1234567", "SUC_ACC"),  # 7 digits: the shortest number
        ("123456", "INVALID_DST"),
        ("+" + "1" * 20, "SUC_ACC"),  # 20 digits: the longest
        ("1" * 21, "INVALID_DST"),
        ("+49.176.0000.0001", "SUC_ACC"),  # dots separate digit groups too
        ("+491701899901", "SUC_ACC"),  # ...899901: not a test number (they end 9999 + code)
        ("+491701999901", "BLOCKED"),
    ],
)
def test_what_counts_as_a_number_and_as_a_test_number(dst: str, status: str) -> None:
    assert outcome_for(dst, status_requested=False).status == status
