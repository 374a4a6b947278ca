"""The development variant: pointed at another host, still lint-clean, and its data-center
routing reaches the right data center of the simulator through the runtime."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import requests

from retarus_connector.files.package import build, package_files
from retarus_connector.models import CONNECTOR
from retarus_connector.models.package import DynamicHostPolicy
from retarus_connector.packaging.custom_code import stand_in_for_package
from retarus_connector.packaging.development import (
    DEV_TITLE_SUFFIX,
    DevTarget,
    DevTargetError,
    check_development_folder,
    development_connector,
)
from retarus_connector.packaging.preflight import lint_files
from retarus_connector.runtime import Connector
from retarus_connector.simulator.app import SimulatorApp
from retarus_connector.simulator.mock import MockedSimulator, call_wsgi
from retarus_connector.simulator.server import SimulatorServer
from retarus_connector.simulator.state import SimulatorState

ROUTED_READS = {"GetJobStatus", "GetRecipientStatuses", "GetVersionInfo", "ListJobs"}
JOB = {"messages": [{"text": "Hello", "recipients": [{"dst": "+4917600000000"}]}]}


def _dev(host: str = "abc.tunnel.example", **options: str) -> Any:
    return development_connector(CONNECTOR, DevTarget(host, **options))


def _base_urls(connector: Any) -> dict[str, str]:
    """Where the custom code sends the reads for each Data Center value."""
    assert connector.host_choice is not None
    return dict(connector.host_choice.base_urls)


# --------------------------------------------------------------------------- the variant


def test_variant_points_everything_at_the_host() -> None:
    dev = _dev("abc.tunnel.example")
    assert dev.api.host == "abc.tunnel.example"
    assert dev.api.base_path == "/rest/v1"
    assert dev.api.schemes == ("https",)
    assert dev.api.title == CONNECTOR.api.title + DEV_TITLE_SUFFIX == "Retarus SMS Dev"
    assert len(dev.api.title) <= 30
    assert _base_urls(dev) == {
        "de1": "https://abc.tunnel.example/de1/rest/v1",
        "de2": "https://abc.tunnel.example/de2/rest/v1",
    }
    # the operations the custom code routes, and everything else, are the release's
    assert dev.host_choice is not None
    assert CONNECTOR.host_choice is not None
    assert set(dev.host_choice.operation_ids) == ROUTED_READS
    assert dev.host_choice.operation_ids == CONNECTOR.host_choice.operation_ids
    assert dev.api.operations == CONNECTOR.api.operations
    assert replace(dev, api=CONNECTOR.api, host_choice=CONNECTOR.host_choice) == CONNECTOR


def test_http_scheme_and_base_path() -> None:
    dev = _dev("127.0.0.1:8080", scheme="http", base_path="/sim/rest/v1/")
    assert dev.api.schemes == ("http",)
    assert dev.api.base_path == "/sim/rest/v1"
    assert _base_urls(dev)["de2"] == "http://127.0.0.1:8080/de2/sim/rest/v1"


def test_root_base_path_does_not_double_the_slash() -> None:
    dev = _dev("h.example", base_path="/")
    assert _base_urls(dev)["de1"] == "https://h.example/de1"
    assert dev.host_choice is not None
    assert dev.host_choice.base_path == "/"


def test_a_policy_that_picks_a_host_becomes_a_path_prefix() -> None:
    """Connectors that still route with a dynamichosturl policy keep working in a variant."""
    policy = DynamicHostPolicy(
        "Route", "https://api.@headers('region','eu').example.com/v1", ("GetJobStatus",)
    )
    dev = development_connector(replace(CONNECTOR, policies=(policy,)), DevTarget("h.example"))
    (retargeted,) = dev.policies
    assert retargeted.url_template == "https://h.example/@headers('region','eu')/rest/v1"


@pytest.mark.parametrize(
    ("options", "option"),
    [
        ({"host": "https://abc.example"}, "--host"),
        ({"host": "abc.example/rest"}, "--host"),
        ({"host": "abc example"}, "--host"),
        ({"host": ""}, "--host"),
        ({"host": "h:port"}, "--host"),
        ({"host": "h", "base_path": "rest/v1"}, "--base-path"),
        ({"host": "h", "base_path": "/a b"}, "--base-path"),
        ({"host": "h", "base_path": "/x?y=1"}, "--base-path"),
        ({"host": "h", "scheme": "ftp"}, "--scheme"),
    ],
)
def test_bad_targets_name_the_option(options: dict[str, str], option: str) -> None:
    with pytest.raises(DevTargetError, match=re.escape(option)):
        DevTarget(**options)


def test_ipv6_host_is_accepted() -> None:
    assert DevTarget("[::1]:8080").host == "[::1]:8080"


def test_a_title_too_long_for_the_suffix_is_refused() -> None:
    long_title = replace(CONNECTOR, api=replace(CONNECTOR.api, title="A" * 27))
    with pytest.raises(DevTargetError, match="30"):
        development_connector(long_title, DevTarget("h.example"))


def test_the_repository_is_never_a_development_folder(
    repository_root: Path, tmp_path: Path
) -> None:
    with pytest.raises(DevTargetError, match="--out"):
        check_development_folder(repository_root)
    check_development_folder(tmp_path)  # any other folder is fine


# --------------------------------------------------------------------------- lint


def _findings(connector: Any, tmp_path: Path) -> list[tuple[str, str, str]]:
    files = package_files(tmp_path / "unused", connector)  # what `build --out` writes
    report = lint_files(files, "dev").report
    return [(f.severity.value, f.rule, f.pointer) for f in report.findings]


def test_https_variant_lints_like_the_release(tmp_path: Path) -> None:
    release = _findings(CONNECTOR, tmp_path)
    assert _findings(_dev("abc.tunnel.example"), tmp_path) == release
    assert not [finding for finding in release if finding[0] == "error"]


def test_http_variant_may_only_warn_about_the_scheme(tmp_path: Path) -> None:
    """A plain-http variant is for the local simulator; it must not lint with errors, and
    whatever it adds to the release's findings is about the scheme."""
    release = _findings(CONNECTOR, tmp_path)
    dev = _findings(_dev("127.0.0.1:8080", scheme="http"), tmp_path)
    assert not [finding for finding in dev if finding[0] == "error"]
    added = [finding for finding in dev if finding not in release]
    assert all(pointer.startswith("/schemes") for _, _, pointer in added), added


# --------------------------------------------------------------------------- routing


def _send_and_locate(connector: Connector, login: dict[str, str], session: Any) -> dict[str, str]:
    """job id -> the data center whose read answered 200, for a few jobs."""
    found: dict[str, str] = {}
    for _ in range(6):
        sent = connector.operation("SendSmsJob").call({"body": JOB}, login, session=session)
        assert (sent.ok, sent.problems) == (True, ()), sent.body
        job_id = sent.body["jobId"]
        answers = {}
        for data_center in ("de2", "de1"):
            read = connector.operation("GetJobStatus").call(
                {"jobId": job_id, "dataCenter": data_center}, login, session=session
            )
            assert read.request.url.split("/jobs/")[0].endswith(f"/{data_center}/rest/v1")
            answers[data_center] = read.status
        assert sorted(answers.values()) == [200, 404], answers
        found[job_id] = next(dc for dc, status in answers.items() if status == 200)
    return found


@pytest.fixture
def simulator_server() -> Iterator[tuple[SimulatorServer, SimulatorState]]:
    state = SimulatorState(seed=3)
    with SimulatorServer(SimulatorApp(state), host="127.0.0.1", port=0) as server:
        yield server, state


def test_dev_variant_reaches_the_right_data_center_of_a_real_server(
    tmp_path: Path, simulator_server: tuple[SimulatorServer, SimulatorState]
) -> None:
    server, state = simulator_server
    folder = tmp_path / "dev"
    build(folder, _dev(f"127.0.0.1:{server.port}", scheme="http"))
    # the variant's own script is recognised and played, as the gateway would run it
    connector = Connector.load(folder, custom_code=stand_in_for_package(folder))
    assert connector.custom_code is not None
    login = {"username": state.username, "password": state.password}
    with requests.Session() as session:
        located = _send_and_locate(connector, login, session)
        for job_id, data_center in located.items():
            job = state.find_job(job_id)
            assert job is not None
            assert job.datacenter == data_center
        assert set(located.values()) == {"de1", "de2"}  # both routes were taken
        # the other routed reads follow the same header
        job_id, data_center = next(iter(located.items()))
        reports = connector.operation("GetRecipientStatuses").call(
            {"jobId": job_id, "dataCenter": data_center}, login, session=session
        )
        assert (reports.status, reports.problems) == (200, ())
        listed = connector.operation("ListJobs").call(
            {"dataCenter": data_center}, login, session=session
        )
        assert listed.status == 200
        assert job_id in str(listed.body)


def test_dev_variant_through_the_in_process_simulator(
    tmp_path: Path, retarus_simulator: MockedSimulator
) -> None:
    """The same over https, with the tunnel host routed into the simulator's WSGI app."""
    import requests_mock

    tunnel = "retarus-dev.tunnel.example"

    def respond(request: Any, context: Any) -> bytes:
        answer = call_wsgi(
            retarus_simulator.app, request.method, request.url, request.headers, request.body
        )
        context.status_code = answer.status
        context.headers.update(dict(answer.headers))
        return answer.body

    retarus_simulator.mocker.register_uri(
        requests_mock.ANY, re.compile(rf"^https://{re.escape(tunnel)}/"), content=respond
    )
    folder = tmp_path / "dev"
    build(folder, _dev(tunnel))
    connector = Connector.load(folder, custom_code=stand_in_for_package(folder))
    assert connector.custom_code is not None
    login = {"username": retarus_simulator.username, "password": retarus_simulator.password}
    located = _send_and_locate(connector, login, requests.Session())
    for job_id, data_center in located.items():
        job = retarus_simulator.find_job(job_id)
        assert job is not None
        assert job.datacenter == data_center
