"""A bounded load test of `retarus-connector mock` on loopback.

Starts the simulator as a subprocess on 127.0.0.1 (a free port), sends at most `--requests`
requests from `--threads` threads for at most `--seconds` seconds, stops the simulator and
prints requests per second, latency percentiles and the simulator's peak resident memory
(VmHWM from /proc, so Linux only; elsewhere it says n/a). Each round of four requests is what
a flow does: POST a job, read its report and its recipients, read /version. Every answer must
be the expected 2xx; anything else counts as an error and makes the exit status 1.

`--job-memory` measures instead, in process with tracemalloc, what the simulator keeps for five
3,000-recipient jobs of about 5 MB each.

    python benchmarks/load_simulator.py [--requests 4000] [--threads 4] [--seconds 60]
    python benchmarks/load_simulator.py --job-memory
"""

from __future__ import annotations

import argparse
import base64
import gc
import http.client
import json
import math
import re
import signal
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

AUTHORIZATION = "Basic " + base64.b64encode(b"demo:demo").decode()
URL_LINE = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")
JOB = {
    "options": {"statusRequested": True},
    "messages": [
        {"text": "Code 4711", "recipients": [{"dst": "+4917600000001"}, {"dst": "+4917600999901"}]}
    ],
}


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: int = 0


@contextmanager
def simulator() -> Iterator[tuple[subprocess.Popen[str], int]]:
    """`retarus-connector mock` on a free loopback port; stopped (and waited for) on exit."""
    process = subprocess.Popen(
        [sys.executable, "-m", "retarus_connector.cli", "mock", "--port", "0", "--seed", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        port = None
        for line in process.stdout:
            match = URL_LINE.search(line)
            if match:
                port = int(match.group(1))
                break
        if port is None:
            raise SystemExit("the simulator did not start")
        yield process, port
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout is not None:
            process.stdout.close()


def call(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Authorization": AUTHORIZATION}
        if body is not None:
            headers["Content-Type"] = "application/json"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def worker(port: int, budget: int, deadline: float, results: Results) -> None:
    job = json.dumps(JOB).encode()
    job_id = ""
    step = 0
    while time.monotonic() < deadline:
        with results.lock:
            if results.sent >= budget:
                return
            results.sent += 1
        if step % 4 == 0 or not job_id:
            method, path, body, expected = "POST", "/de1/rest/v1/jobs", job, 201
        elif step % 4 == 1:
            method, path, body, expected = "GET", f"/de1/rest/v1/jobs/{job_id}", None, 200
        elif step % 4 == 2:
            method, path, body, expected = "GET", f"/de1/rest/v1/sms?jobId={job_id}", None, 200
        else:
            method, path, body, expected = "GET", "/rest/v1/version", None, 200
        step += 1
        started = time.perf_counter()
        try:
            status, answer = call(port, method, path, body)
        except OSError as error:
            with results.lock:
                results.errors.append(f"{method} {path}: {error}")
            continue
        elapsed = time.perf_counter() - started
        with results.lock:
            results.latencies.append(elapsed)
            if status != expected:
                results.errors.append(f"{method} {path}: {status} {answer[:200]!r}")
        if method == "POST" and status == 201:
            job_id = json.loads(answer)["jobId"]


def memory_kib(pid: int, field_name: str) -> int | None:
    """A VmRSS/VmHWM figure of a process in KiB, or None where /proc does not exist."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    match = re.search(rf"^{field_name}:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) if match else None


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


def mib(kib: int | None) -> str:
    return "n/a" if kib is None else f"{kib / 1024:.1f} MiB"


def load_test(requests: int, threads: int, seconds: float) -> int:
    results = Results()
    with simulator() as (process, port):
        start_rss = memory_kib(process.pid, "VmRSS")
        deadline = time.monotonic() + seconds
        started = time.perf_counter()
        pool = [
            threading.Thread(target=worker, args=(port, requests, deadline, results), daemon=True)
            for _ in range(threads)
        ]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join(timeout=seconds + 60)
        wall = time.perf_counter() - started
        peak_rss = memory_kib(process.pid, "VmHWM")
    done = len(results.latencies)
    print(f"requests: {done} in {wall:.2f} s from {threads} threads; errors: {len(results.errors)}")
    if done:
        print(f"throughput: {done / wall:.0f} requests/s")
        print(
            f"latency: p50 {percentile(results.latencies, 0.5) * 1000:.1f} ms, "
            f"p99 {percentile(results.latencies, 0.99) * 1000:.1f} ms, "
            f"max {max(results.latencies) * 1000:.1f} ms"
        )
    print(f"simulator peak RSS: {mib(peak_rss)} (after start: {mib(start_rss)})")
    for error in results.errors[:5]:
        print(f"error: {error}")
    return 1 if results.errors or not done else 0


def job_memory() -> int:
    """What the simulator keeps for five large 3,000-recipient jobs, measured with tracemalloc."""
    from retarus_connector.simulator.app import SimulatorApp
    from retarus_connector.simulator.clock import ManualClock
    from retarus_connector.simulator.mock import call_wsgi
    from retarus_connector.simulator.state import SimulatorState

    periods = [f"2030-01-{day:02d}T00:00:00Z/2030-01-{day:02d}T01:00:00Z" for day in range(1, 29)]
    periods += [f"2030-02-{day:02d}T00:00:00Z/2030-02-{day:02d}T01:00:00Z" for day in range(1, 9)]
    bodies = [
        json.dumps(
            {
                "options": {"customerRef": f"job-{job}", "duplicateDetection": True},
                "messages": [
                    {
                        "text": "Your code is 4711. " * 50,
                        "recipients": [
                            {
                                "dst": f"+49176{job}{index:08d}",
                                "customerRef": f"ref-{index:06d}-" + "x" * 59,
                                "blackoutPeriods": periods,
                            }
                            for index in range(3000)
                        ],
                    }
                ],
            }
        ).encode()
        for job in range(5)
    ]
    app = SimulatorApp(SimulatorState(clock=ManualClock(), seed=1))
    headers = {"Authorization": AUTHORIZATION, "Content-Type": "application/json"}
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for body in bodies:
        answer = call_wsgi(app, "POST", "https://sms4a.de1.retarus.com/rest/v1/jobs", headers, body)
        if answer.status != 201:
            raise SystemExit(f"a job was refused: {answer.body[:200]!r}")
    gc.collect()
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = sum(len(body) for body in bodies) / len(bodies)
    print(f"five jobs of 3,000 recipients, {size / 1e6:.1f} MB of JSON each")
    print(f"kept by the simulator: {(kept - before) / 1e6:.1f} MB")
    print(f"peak while accepting them: {(peak - before) / 1e6:.1f} MB")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=4000, help="at most this many requests")
    parser.add_argument("--threads", type=int, default=4, help="client threads")
    parser.add_argument("--seconds", type=float, default=60.0, help="at most this long")
    parser.add_argument("--job-memory", action="store_true", help="measure kept job memory")
    options = parser.parse_args()
    if options.job_memory:
        return job_memory()
    if options.requests < 1 or not 1 <= options.threads <= 64 or not 0 < options.seconds <= 600:
        parser.error("--requests at least 1, --threads 1-64, --seconds above 0 and at most 600")
    return load_test(options.requests, options.threads, options.seconds)


if __name__ == "__main__":
    sys.exit(main())
