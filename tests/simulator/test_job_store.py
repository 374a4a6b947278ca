"""What the simulator keeps of an accepted job: the answers' data, in memory proportional to
the recipients and not to the request, and at most `max_jobs` jobs."""

from __future__ import annotations

import gc
import json
import tracemalloc
from typing import Any

import pytest
from simulator_client import Api, assert_error, job_body

from retarus_connector.simulator.clock import ManualClock
from retarus_connector.simulator.state import SimulatorState
from retarus_connector.simulator.validation import parse_job_request

RECIPIENTS = 3000


def full_job(salt: int, *, padded: bool) -> dict[str, Any]:
    """A 3,000-recipient job; `padded` adds what the answers never need (blackout periods on
    every recipient, a text cut down by maxParts), which makes the body about six times larger."""
    periods = [f"2030-01-{day:02d}T00:00:00Z/2030-01-{day:02d}T01:00:00Z" for day in range(1, 13)]
    recipients: list[dict[str, Any]] = []
    for index in range(RECIPIENTS):
        recipient: dict[str, Any] = {
            "dst": f"+4917{salt}{index:08d}",
            "customerRef": f"ref-{index:06d}-" + "x" * 59,
        }
        if padded:
            recipient["blackoutPeriods"] = periods
        recipients.append(recipient)
    text = "Your code is 4711. " * (200 if padded else 1)
    return {"options": {"maxParts": 2}, "messages": [{"text": text, "recipients": recipients}]}


def retained_bytes(body: bytes) -> int:
    """Memory a state still holds after parsing and accepting `body`, the request dropped."""
    state = SimulatorState(clock=ManualClock(), seed=1)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        state.submit("de1", parse_job_request(body))
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def test_a_kept_job_costs_the_same_however_large_its_request_was() -> None:
    lean = json.dumps(full_job(1, padded=False)).encode()
    padded = json.dumps(full_job(1, padded=True)).encode()
    assert len(padded) > 5 * len(lean)
    kept_lean = retained_bytes(lean)
    kept_padded = retained_bytes(padded)
    # A few hundred bytes per recipient (IDs, number, reference, times) and the text as sent,
    # whatever else the body carried; keeping the request would add its whole size.
    assert kept_lean < 600 * RECIPIENTS
    assert kept_padded < kept_lean + 64 * 1024


def test_duplicate_detection_keeps_a_digest_not_the_request() -> None:
    state = SimulatorState(clock=ManualClock(), seed=1)
    request = parse_job_request(json.dumps(job_body(duplicateDetection=True)).encode())
    job = state.submit("de1", request)
    assert job.digest == request.digest
    assert len(job.digest) == 64
    assert not any(hasattr(job, name) for name in ("request", "fingerprint", "body"))
    assert job.options.blackout_periods == ()


@pytest.mark.retarus_simulator(max_jobs=2)
def test_beyond_max_jobs_the_oldest_job_is_forgotten(api: Api) -> None:
    first, first_center = api.submit(job_body(duplicateDetection=True), site="de1")
    second, _ = api.submit(job_body(text="second"), site="de2")
    third, _ = api.submit(job_body(text="third"), site="de1")
    assert api.simulator.find_job(first) is None
    assert {api.simulator.find_job(second), api.simulator.find_job(third)} != {None}
    assert_error(api.get(f"/jobs/{first}", first_center), 404, "jobId")
    assert api.job(second)["jobId"] == second
    listed = api.get("/jobs", "de1").json()
    assert listed == [{"jobId": third}]
    # A forgotten job is no longer the original of a duplicate.
    api.submit(job_body(duplicateDetection=True), site="de1")


def test_max_jobs_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_jobs"):
        SimulatorState(max_jobs=0)
