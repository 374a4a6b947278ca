"""The delivery lifecycle read through the runtime: the simulator's clock moves, Get status for
all recipients of a job and Get job status report each stage, and every response is held to the
swagger (see contract_calls.call)."""

from __future__ import annotations

from typing import Any

import pytest
from contract_calls import call, home_of, job_body, read, send

from retarus_connector.runtime import Connector
from retarus_connector.simulator.mock import MockedSimulator

DELIVERY_SECONDS = 10
pytestmark = pytest.mark.retarus_simulator(seed=5, delivery_seconds=DELIVERY_SECONDS)

Login = dict[str, str]

# The documented test numbers (docs/simulator.md): the last two digits after
# 9999 pick the outcome. Final (processStatus, status) with and without statusRequested.
TEST_NUMBERS = {
    "+4917600999901": (("DONE", "BLOCKED"), ("DONE", "BLOCKED")),
    "+4917600999902": (("DONE", "TIMEOUT"), ("DONE", "SUC_ACC")),
    "+4917600999903": (("DONE", "CON_ERR"), ("DONE", "CON_ERR")),
    "+4917600999904": (("DONE", "FAILED_FIN"), ("DONE", "SUC_ACC")),
    "+4917600999905": (("DONE", "NOT_ACC_FIN"), ("DONE", "NOT_ACC_FIN")),
    "+4917600999906": (("DONE", "SEND_ERR"), ("DONE", "SEND_ERR")),
    "+4917600999907": (("DONE", "STATUS_ERR"), ("DONE", "SUC_ACC")),
    "+4917600999908": (("CANCELED", ""), ("CANCELED", "")),
    "+4917600999909": (("CANCELED", "NOT_ACC_REC"), ("CANCELED", "NOT_ACC_REC")),
    "+4917600999910": (("KILL", ""), ("DONE", "SUC_ACC")),
    "+4917600999999": (("DONE", "INVALID_DST"), ("DONE", "INVALID_DST")),
    "not a number": (("DONE", "INVALID_DST"), ("DONE", "INVALID_DST")),
    "+4917600000001": (("DONE", "SUC_FIN"), ("DONE", "SUC_ACC")),
}


def recipients(connector: Connector, login: Login, job_id: str) -> dict[str, dict[str, Any]]:
    reports = read(connector, "GetRecipientStatuses", {"jobId": job_id}, login)
    return {report["dst"]: report for report in reports}


def job(connector: Connector, login: Login, job_id: str) -> Any:
    return read(connector, "GetJobStatus", {"jobId": job_id}, login)


def states(reports: dict[str, dict[str, Any]]) -> dict[str, tuple[str, str]]:
    return {dst: (report["processStatus"], report["status"]) for dst, report in reports.items()}


def listed(connector: Connector, login: Login, data_center: str, *, open_jobs: bool) -> set[str]:
    result = call(connector, "ListJobs", {"dataCenter": data_center, "open": open_jobs}, login)
    assert result.status == 200
    return {entry["jobId"] for entry in result.body}


def test_without_notification_open_then_done_suc_acc(
    connector: Connector, retarus_simulator: MockedSimulator, login: Login
) -> None:
    job_id = send(connector, login, job_body("+4917600000001"))
    home = home_of(retarus_simulator, job_id)

    (report,) = recipients(connector, login, job_id).values()
    assert (report["processStatus"], report["status"]) == ("OPEN", "")
    assert "sentTs" not in report
    assert "finishedTs" not in report
    status = job(connector, login, job_id)
    assert "finishedTs" not in status
    assert status["statusRequested"] is False
    assert status["recipientIds"] == [report["smsId"]]
    assert job_id in listed(connector, login, home, open_jobs=True)
    assert job_id not in listed(connector, login, home, open_jobs=False)

    retarus_simulator.advance(DELIVERY_SECONDS)
    (report,) = recipients(connector, login, job_id).values()
    assert (report["processStatus"], report["status"]) == ("DONE", "SUC_ACC")
    assert report["sentTs"] == report["finishedTs"] == "2025-01-06T08:00:10.000Z"
    assert job(connector, login, job_id)["finishedTs"] == "2025-01-06T08:00:10.000Z"
    assert job_id not in listed(connector, login, home, open_jobs=True)
    assert job_id in listed(connector, login, home, open_jobs=False)


def test_with_notification_open_then_running_then_suc_fin(
    connector: Connector, retarus_simulator: MockedSimulator, login: Login
) -> None:
    job_id = send(connector, login, job_body("+4917600000001", statusRequested=True))
    seen = []
    for _ in range(3):
        (report,) = recipients(connector, login, job_id).values()
        seen.append((report["processStatus"], report["status"], "finishedTs" in report))
        retarus_simulator.advance(DELIVERY_SECONDS / 2)
    assert seen == [("OPEN", "", False), ("RUNNING", "", False), ("DONE", "SUC_FIN", True)]
    assert report["sentTs"] == "2025-01-06T08:00:05.000Z"
    assert job(connector, login, job_id)["statusRequested"] is True


@pytest.mark.parametrize("status_requested", [True, False], ids=["notified", "not notified"])
def test_test_numbers_end_in_their_statuses(
    connector: Connector,
    retarus_simulator: MockedSimulator,
    login: Login,
    status_requested: bool,
) -> None:
    body = job_body(*TEST_NUMBERS, statusRequested=status_requested)
    job_id = send(connector, login, body)
    assert set(states(recipients(connector, login, job_id)).values()) == {("OPEN", "")}

    retarus_simulator.advance(DELIVERY_SECONDS / 2)
    midway = states(recipients(connector, login, job_id))
    assert midway["+4917600999903"] == ("OPEN", "CON_ERR")  # retrying
    assert "finishedTs" not in job(connector, login, job_id)

    retarus_simulator.advance(DELIVERY_SECONDS / 2)
    final = recipients(connector, login, job_id)
    expected = {dst: ends[0 if status_requested else 1] for dst, ends in TEST_NUMBERS.items()}
    assert states(final) == expected
    assert all(report["finishedTs"] == "2025-01-06T08:00:10.000Z" for report in final.values())
    assert all(report["reason"] for report in final.values())
    assert job(connector, login, job_id)["finishedTs"] == "2025-01-06T08:00:10.000Z"


def test_scheduled_job_stays_open_until_its_period_and_widened_blackout_end(
    connector: Connector, retarus_simulator: MockedSimulator, login: Login
) -> None:
    body = job_body(
        "+4917600000001",
        jobPeriod="2025-01-06T10:00:00.000+01:00",  # 09:00Z, an hour after the clock's start
        # shorter than an hour, so it lasts an hour: until 10:00Z
        blackoutPeriods=["2025-01-06T09:00Z/2025-01-06T09:30Z"],
    )
    job_id = send(connector, login, body)
    retarus_simulator.advance(2 * 60 * 60 - 1)
    (report,) = recipients(connector, login, job_id).values()
    assert report["processStatus"] == "OPEN"
    retarus_simulator.advance(1 + DELIVERY_SECONDS)
    (report,) = recipients(connector, login, job_id).values()
    assert (report["processStatus"], report["status"]) == ("DONE", "SUC_ACC")
    assert report["finishedTs"] == "2025-01-06T10:00:10.000Z"
    status = job(connector, login, job_id)
    assert status["receiptTs"] == "2025-01-06T08:00:00.000Z"
    assert status["finishedTs"] == "2025-01-06T10:00:10.000Z"


def test_job_report_gives_back_the_options_as_retarus_applied_them(
    connector: Connector, retarus_simulator: MockedSimulator, login: Login
) -> None:
    options = {
        "src": "ACME",
        "billcode": "CC-42",
        "customerRef": "order-99",
        "flash": True,
        "validityMin": 3,
        "qos": "EXPRESS",
        "encoding": "UTF-16",
    }
    status = job(connector, login, send(connector, login, job_body(**options)))
    assert {key: status[key] for key in options} == {
        **options,
        "validityMin": 5,  # raised to the minimum, as the swagger's description says
        "encoding": "utf-16",  # reported in lower case (Known Issues in the connector readme)
    }
