"""Helpers for simulator tests: a thin client over the in-process simulator, request bodies
and error assertions."""

from __future__ import annotations

from typing import Any

import requests

from retarus_connector.simulator.mock import MockedSimulator


def job_body(*dsts: str, text: str = "Hello", **options: Any) -> dict[str, Any]:
    """A JobRequest with one message to `dsts` (default one ordinary number)."""
    body: dict[str, Any] = {
        "messages": [
            {"text": text, "recipients": [{"dst": d} for d in dsts or ("+4917600000001",)]}
        ]
    }
    if options:
        body["options"] = options
    return body


class Api:
    """requests against the simulator's real host names, with the simulator's credentials."""

    def __init__(self, simulator: MockedSimulator) -> None:
        self.simulator = simulator

    def url(self, site: str, path: str) -> str:
        return self.simulator.urls[site] + path

    def post_job(self, body: Any, site: str = "eu", **kwargs: Any) -> requests.Response:
        kwargs.setdefault("auth", self.simulator.auth)
        if isinstance(body, str | bytes):
            return requests.post(self.url(site, "/jobs"), data=body, **kwargs)
        return requests.post(self.url(site, "/jobs"), json=body, **kwargs)

    def get(self, path: str, site: str = "de1", **kwargs: Any) -> requests.Response:
        kwargs.setdefault("auth", self.simulator.auth)
        return requests.get(self.url(site, path), **kwargs)

    def submit(self, body: Any, site: str = "eu") -> tuple[str, str]:
        """Post a job that must be accepted; returns (jobId, data center that holds it)."""
        response = self.post_job(body, site)
        assert response.status_code == 201, response.text
        job_id = response.json()["jobId"]
        job = self.simulator.find_job(job_id)
        assert job is not None
        return job_id, job.datacenter

    def job(self, job_id: str) -> dict[str, Any]:
        job = self.simulator.find_job(job_id)
        assert job is not None
        response = self.get(f"/jobs/{job_id}", job.datacenter)
        assert response.status_code == 200, response.text
        report: dict[str, Any] = response.json()
        return report

    def recipients(self, job_id: str) -> list[dict[str, Any]]:
        job = self.simulator.find_job(job_id)
        assert job is not None
        response = self.get("/sms", job.datacenter, params={"jobId": job_id})
        assert response.status_code == 200, response.text
        reports: list[dict[str, Any]] = response.json()
        return reports


def assert_error(response: requests.Response, status: int, field: str | None = None) -> str:
    """The response is a JSON error with `status`, naming `field`; returns its message."""
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"message", "code"}
    assert body["code"] == status
    message: str = body["message"]
    if field is not None:
        assert message.startswith(f"{field}:"), message
    return message
