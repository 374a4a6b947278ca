"""The in-process adapter and the pytest fixture: what they route, what they expose."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import requests
import requests_mock
from simulator_client import job_body

from retarus_connector.simulator.app import SimulatorApp
from retarus_connector.simulator.clock import ManualClock
from retarus_connector.simulator.mock import MockedSimulator, call_wsgi, register, simulate
from retarus_connector.simulator.state import SimulatorState


def test_the_fixture_exposes_clock_state_and_credentials(
    retarus_simulator: MockedSimulator,
) -> None:
    assert isinstance(retarus_simulator.clock, ManualClock)
    assert isinstance(retarus_simulator.state, SimulatorState)
    assert retarus_simulator.state.clock is retarus_simulator.clock
    assert (retarus_simulator.username, retarus_simulator.password) == ("demo", "demo")
    assert retarus_simulator.urls == {
        "eu": "https://sms4a.eu.retarus.com/rest/v1",
        "de1": "https://sms4a.de1.retarus.com/rest/v1",
        "de2": "https://sms4a.de2.retarus.com/rest/v1",
    }
    before = retarus_simulator.clock.now()
    assert (retarus_simulator.advance(90) - before).total_seconds() == 90
    assert "demo" not in repr(retarus_simulator).replace("username='demo'", "")


@pytest.mark.retarus_simulator(seed=42, start=datetime(2031, 5, 1, 12, 0, tzinfo=UTC))
def test_the_marker_sets_seed_and_start(retarus_simulator: MockedSimulator) -> None:
    assert retarus_simulator.state.seed == 42
    response = requests.post(
        retarus_simulator.urls["de2"] + "/jobs", json=job_body(), auth=retarus_simulator.auth
    )
    assert response.json()["jobId"].startswith("J.20310501-120000.000-")


@pytest.mark.parametrize(
    "url",
    [
        "https://sms4a.eu.retarus.com/rest/v1/version",
        "https://SMS4A.DE1.RETARUS.COM/rest/v1/version",
        "https://sms4a.de2.retarus.com:443/rest/v1/version",
    ],
)
def test_all_three_hosts_are_served(retarus_simulator: MockedSimulator, url: str) -> None:
    assert requests.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "http://sms4a.eu.retarus.com/rest/v1/version",
        "https://sms4a.retarus.com/rest/v1/version",
        "https://sms4a.eu.retarus.com.evil.example/rest/v1/version",
        "https://example.org/",
    ],
)
def test_other_urls_are_not_mocked(retarus_simulator: MockedSimulator, url: str) -> None:
    with pytest.raises(requests_mock.NoMockAddress):
        requests.get(url)


def test_request_bodies_of_every_kind_reach_the_app(retarus_simulator: MockedSimulator) -> None:
    url = retarus_simulator.urls["de1"] + "/jobs"
    text = json.dumps(job_body())
    for data in (text, text.encode(), iter([text[:10].encode(), text[10:].encode()])):
        response = requests.post(url, data=data, auth=retarus_simulator.auth)
        assert response.status_code == 201, response.text


def test_register_works_on_a_plain_adapter() -> None:
    app = SimulatorApp(SimulatorState(clock=ManualClock(), seed=3))
    adapter = requests_mock.Adapter()
    register(adapter, app)
    session = requests.Session()
    session.mount("https://", adapter)
    response = session.get("https://sms4a.de1.retarus.com/rest/v1/version")
    assert response.status_code == 200
    assert "de1" in response.json()["versionInfo"]


def test_call_wsgi_passes_path_query_and_headers() -> None:
    app = SimulatorApp(SimulatorState(clock=ManualClock(), seed=3))
    response = call_wsgi(
        app,
        "GET",
        "https://sms4a.de2.retarus.com/rest/v1/sms?jobId=J.20250106-080000.000-AAAAAAAAAAAAAAAAAA",
        {"Authorization": "Basic ZGVtbzpkZW1v"},
    )
    assert response.status == 404
    assert response.reason == "Not Found"
    assert "de2" in json.loads(response.body)["message"]


def test_simulate_works_without_pytest() -> None:
    with simulate(seed=5, delivery_seconds=0) as simulator:
        job_id = requests.post(
            simulator.urls["eu"] + "/jobs", json=job_body(), auth=simulator.auth
        ).json()["jobId"]
        job = simulator.find_job(job_id)
        assert job is not None
        reports = requests.get(
            simulator.urls[job.datacenter] + "/sms", params={"jobId": job_id}, auth=simulator.auth
        ).json()
        assert reports[0]["status"] == "SUC_ACC"  # delivery_seconds=0: final at once


def test_the_fixture_is_offered_to_users_through_a_pytest11_entry_point(tmp_path: Path) -> None:
    [entry] = [e for e in entry_points(group="pytest11") if e.name == "retarus_simulator"]
    assert entry.value == "retarus_connector.simulator.plugin"
    (tmp_path / "test_user.py").write_text(
        "import requests\n\n"
        "def test_send(retarus_simulator):\n"
        "    url = retarus_simulator.urls['eu'] + '/jobs'\n"
        "    body = {'messages': [{'text': 'Hi', 'recipients': [{'dst': '+4917600000001'}]}]}\n"
        "    assert requests.post(url, json=body, auth=retarus_simulator.auth).status_code == 201\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_user.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_percent_escapes_in_the_path_are_decoded_as_a_server_decodes_them(
    retarus_simulator: MockedSimulator,
) -> None:
    # requests sends "Ä" as %C3%84; the app must see the character, as behind a real server.
    job_id = "J.20250106-080000.000-\u00c4AAAAAAAAAAAAAAAAA"
    response = requests.get(
        retarus_simulator.urls["de1"] + "/jobs/" + job_id, auth=retarus_simulator.auth
    )
    assert response.request.url is not None
    assert "%C3%84" in response.request.url
    assert response.status_code == 404
    assert f"no job '{job_id}'" in response.json()["message"]
    app = SimulatorApp(SimulatorState(clock=ManualClock(), seed=3))
    assert call_wsgi(app, "GET", "https://sms4a.eu.retarus.com/rest/v1/%76ersion", {}).status == 200


def test_responses_carry_their_length_and_raw_utf8() -> None:
    app = SimulatorApp(SimulatorState(clock=ManualClock(), seed=3))
    job_id = "J.20250106-080000.000-\u00c4AAAAAAAAAAAAAAAAA"
    response = call_wsgi(
        app,
        "GET",
        "https://sms4a.de1.retarus.com/rest/v1/jobs/" + job_id.replace("\u00c4", "%C3%84"),
        {"Authorization": "Basic ZGVtbzpkZW1v"},
    )
    assert response.status == 404
    assert ("Content-Length", str(len(response.body))) in response.headers
    assert "\u00c4".encode() in response.body


@pytest.mark.parametrize("site", ["de1", "de2"])
@pytest.mark.parametrize(
    "host",
    ["sms4a.{site}.retarus.com:443", "sms4a.{site}.retarus.com.", "SMS4A.{SITE}.RETARUS.COM.:443"],
)
def test_the_host_names_the_data_center_with_a_port_or_a_final_dot(site: str, host: str) -> None:
    # Both sites: were the host not recognised, the eu fallback would pick one of them at random.
    app = SimulatorApp(SimulatorState(clock=ManualClock(), seed=3))
    url = f"https://{host.format(site=site, SITE=site.upper())}/rest/v1/version"
    response = call_wsgi(app, "GET", url, {})
    assert response.status == 200
    assert site in json.loads(response.body)["versionInfo"]
