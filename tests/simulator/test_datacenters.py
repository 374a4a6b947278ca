"""Two data centers behind the eu facade: where jobs land, who knows them, and the seed."""

from __future__ import annotations

from collections import Counter

import requests
from simulator_client import Api, assert_error, job_body

from retarus_connector.simulator.mock import simulate


def test_a_job_sent_through_eu_lives_in_exactly_one_data_center(api: Api) -> None:
    job_id, holder = api.submit(job_body())
    other = "de2" if holder == "de1" else "de1"
    assert api.get(f"/jobs/{job_id}", holder).status_code == 200
    assert_error(api.get(f"/jobs/{job_id}", other), 404, "jobId")
    assert api.get("/sms", holder, params={"jobId": job_id}).status_code == 200
    assert_error(api.get("/sms", other, params={"jobId": job_id}), 404, "jobId")


def test_eu_spreads_jobs_over_both_data_centers(api: Api) -> None:
    holders = Counter(api.submit(job_body())[1] for _ in range(40))
    assert set(holders) == {"de1", "de2"}


def test_each_data_center_lists_only_its_own_jobs(api: Api) -> None:
    placed = {"de1": set(), "de2": set()}
    for _ in range(20):
        job_id, holder = api.submit(job_body())
        placed[holder].add(job_id)
    for datacenter, ids in placed.items():
        response = api.get("/jobs", datacenter, params={"jobIdsOnly": "true"})
        assert {item["jobId"] for item in response.json()} == ids


def test_a_direct_post_to_a_data_center_stays_there(api: Api) -> None:
    for datacenter in ("de1", "de2", "de2", "de1"):
        _, holder = api.submit(job_body(), site=datacenter)
        assert holder == datacenter


def test_reads_through_eu_reach_a_random_data_center(api: Api) -> None:
    job_id, _ = api.submit(job_body(), site="de2")
    answers = Counter(api.get(f"/jobs/{job_id}", "eu").status_code for _ in range(40))
    assert set(answers) == {200, 404}
    listed = Counter(len(api.get("/jobs", "eu").json()) for _ in range(40))
    assert set(listed) == {0, 1}


def run_scenario(seed: int) -> list[tuple[str, str]]:
    with simulate(seed=seed) as simulator:
        results = []
        for _ in range(5):
            response = requests.post(
                simulator.urls["eu"] + "/jobs", json=job_body(), auth=simulator.auth
            )
            job_id = response.json()["jobId"]
            job = simulator.find_job(job_id)
            assert job is not None
            results.append((job_id, job.datacenter))
            simulator.advance(1)
        return results


def test_the_same_seed_gives_the_same_ids_and_data_centers() -> None:
    assert run_scenario(7) == run_scenario(7)
    assert run_scenario(7) != run_scenario(8)
