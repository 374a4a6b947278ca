"""Where the three Retarus hosts go when a running simulator stands in for them."""

from __future__ import annotations

import pytest

from retarus_connector.simulator.hosts import simulator_host_map


@pytest.mark.parametrize(
    "base_url",
    [
        "http://127.0.0.1:8080",
        "http://127.0.0.1:8080/",
        "http://127.0.0.1:8080/rest/v1",
        " http://127.0.0.1:8080/rest/v1/ ",
    ],
)
def test_hosts_map_onto_the_simulators_paths(base_url: str) -> None:
    assert simulator_host_map(base_url) == {
        "sms4a.eu.retarus.com": "http://127.0.0.1:8080",
        "sms4a.de1.retarus.com": "http://127.0.0.1:8080/de1",
        "sms4a.de2.retarus.com": "http://127.0.0.1:8080/de2",
    }


def test_a_prefix_path_is_kept() -> None:
    assert simulator_host_map("https://proxy.example/sim")["sms4a.de2.retarus.com"] == (
        "https://proxy.example/sim/de2"
    )


@pytest.mark.parametrize(
    "base_url", ["", "127.0.0.1:8080", "ftp://host", "http://", "http://h/?x=1"]
)
def test_bad_urls_are_refused_by_name(base_url: str) -> None:
    with pytest.raises(ValueError, match="simulator URL"):
        simulator_host_map(base_url)
