"""Item 8 of issue 4: the data-center fallback of a flow, through the runtime.

Send an SMS job goes to the eu host, which hands the job to de1 or de2 (the simulator's seed
decides). A flow then reads with the Data Center parameter at its default, de2, and repeats the
read with de1 when that answers 404 (the connector readme's recipe). The custom code
(script.csx, played by its Python stand-in) picks the host from its table by the parameter's
value; the tests check the URLs it produced, in process (requests-mock on the real hosts) and over real sockets (the
simulator's HTTP server, reached through the host map of `call --simulator`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass

import pytest
import requests_mock
from contract_calls import (
    Attempt,
    call,
    job_body,
    read_with_fallback,
    send,
    wrong_login,
)

from retarus_connector.runtime import Connector
from retarus_connector.simulator.app import SimulatorApp
from retarus_connector.simulator.clock import ManualClock
from retarus_connector.simulator.hosts import simulator_host_map
from retarus_connector.simulator.mock import simulate
from retarus_connector.simulator.server import SimulatorServer
from retarus_connector.simulator.state import SimulatorState

READS = ("GetJobStatus", "GetRecipientStatuses")
RETARUS_URL = re.compile(r"^https?://[^/]*retarus\.com", re.IGNORECASE)
SEEDS_TRIED = range(64)


@dataclass(frozen=True)
class Simulator:
    """A running simulator as the runtime reaches it."""

    state: SimulatorState
    clock: ManualClock
    host_overrides: Mapping[str, str] | None

    @property
    def login(self) -> dict[str, str]:
        return {"username": self.state.username, "password": self.state.password}

    def base_url(self, data_center: str) -> str:
        """Where requests for the Retarus host of `data_center` end up."""
        host = f"sms4a.{data_center}.retarus.com"
        prefix = self.host_overrides[host] if self.host_overrides else f"https://{host}"
        return prefix + "/rest/v1/"

    def home_of(self, job_id: str) -> str:
        job = self.state.find_job(job_id)
        assert job is not None
        return job.datacenter


@contextmanager
def in_process(seed: int) -> Iterator[Simulator]:
    with simulate(seed=seed) as simulator:
        yield Simulator(simulator.state, simulator.clock, None)


@contextmanager
def over_sockets(seed: int) -> Iterator[Simulator]:
    clock = ManualClock()
    state = SimulatorState(clock=clock, seed=seed, delivery_seconds=1)
    with (
        SimulatorServer(SimulatorApp(state)) as server,
        requests_mock.Mocker(real_http=True) as guard,
    ):
        # Only loopback goes out; a request that missed the host map must not reach Retarus.
        guard.register_uri(requests_mock.ANY, RETARUS_URL, exc=AssertionError("left the host map"))
        yield Simulator(state, clock, simulator_host_map(server.url))


Transport = Callable[[int], AbstractContextManager[Simulator]]
TRANSPORTS = {"in process": in_process, "over sockets": over_sockets}


def seed_sending_to(connector: Connector, transport: Transport, data_center: str) -> int:
    """The first seed for which the first job sent lands in `data_center`."""
    for seed in SEEDS_TRIED:
        with transport(seed) as simulator:
            job_id = send(connector, simulator.login, job_body(), simulator.host_overrides)
            if simulator.home_of(job_id) == data_center:
                return seed
    raise AssertionError(f"no seed in {SEEDS_TRIED} sends the first job to {data_center}")


@pytest.mark.parametrize("operation_id", READS)
@pytest.mark.parametrize("transport_name", list(TRANSPORTS))
def test_fallback_reads_de2_first_and_de1_after_a_404(
    connector: Connector, transport_name: str, operation_id: str
) -> None:
    transport = TRANSPORTS[transport_name]
    seeds = {dc: seed_sending_to(connector, transport, dc) for dc in ("de2", "de1")}
    assert seeds["de1"] != seeds["de2"]
    for data_center, seed in seeds.items():
        with transport(seed) as simulator:
            job_id = send(
                connector, simulator.login, job_body("+4917600000001"), simulator.host_overrides
            )
            assert simulator.home_of(job_id) == data_center
            simulator.clock.advance(1)
            result, attempts = read_with_fallback(
                connector,
                operation_id,
                {"jobId": job_id},
                simulator.login,
                simulator.host_overrides,
            )
            assert [attempt.status for attempt in attempts] == (
                [200] if data_center == "de2" else [404, 200]
            )
            assert [_site(simulator, attempt) for attempt in attempts] == (
                ["de2"] if data_center == "de2" else ["de2", "de1"]
            )
            if operation_id == "GetJobStatus":
                assert result.body["jobId"] == job_id
            else:
                assert [(r["processStatus"], r["status"]) for r in result.body] == [
                    ("DONE", "SUC_ACC")
                ]


def _site(simulator: Simulator, attempt: Attempt) -> str:
    sites = [dc for dc in ("de1", "de2") if attempt.url.startswith(simulator.base_url(dc))]
    assert len(sites) == 1, attempt.url
    return sites[0]


@pytest.mark.parametrize("operation_id", READS)
def test_fallback_stops_at_an_error_other_than_404_which_de1_repeats(
    connector: Connector, operation_id: str
) -> None:
    with in_process(seed_sending_to(connector, in_process, "de1")) as simulator:
        job_id = send(connector, simulator.login, job_body())
        wrong = wrong_login(simulator.login)
        result, attempts = read_with_fallback(connector, operation_id, {"jobId": job_id}, wrong)
        assert [attempt.status for attempt in attempts] == [401]
        # Retrying would not have helped: the other data center refuses the same way.
        again = call(connector, operation_id, {"jobId": job_id, "dataCenter": "de1"}, wrong)
        assert again.status == result.status == 401


@pytest.mark.parametrize("transport_name", list(TRANSPORTS))
def test_each_data_center_lists_only_its_own_jobs(
    connector: Connector, transport_name: str
) -> None:
    with TRANSPORTS[transport_name](3) as simulator:
        sent = [
            send(connector, simulator.login, job_body(text=f"job {n}"), simulator.host_overrides)
            for n in range(8)
        ]
        listed = {}
        for data_center in ("de2", "de1"):
            result = call(
                connector,
                "ListJobs",
                {"dataCenter": data_center},
                simulator.login,
                simulator.host_overrides,
            )
            assert result.request.url.startswith(simulator.base_url(data_center))
            listed[data_center] = [entry["jobId"] for entry in result.body]
            assert listed[data_center] == [
                job_id for job_id in sent if simulator.home_of(job_id) == data_center
            ]
        assert listed["de1"]
        assert listed["de2"]
