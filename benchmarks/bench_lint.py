"""How fast `retarus-connector lint` is, against openapi-spec-validator in the same run.

Every figure is the wall time of a whole process (interpreter start, imports, reading files,
output), the median of several rounds taken in turn, so that a busy machine slows both sides
alike. Printed:

- the full lint of the reference corpus (`lint --format json CORPUS`): cold (`--no-cache`), in
  one process and with the default sharing among processes, and again with the findings cache
  warm (every package unchanged since the previous run, as in a repeated local or CI run);
- openapi-spec-validator's `validate()` over the same corpus swaggers (those that parse as JSON),
  in one process: the anchor;
- the ratios anchor / lint (the issue asks for at least 20);
- a clean single-package lint of this repository's own package, start-up included (the issue
  asks for under half a second), beside the bare start of Python and of the CLI;
- a floor: a process that does only what every run of the full lint must do, and checks nothing.
  It starts the CLI (interpreter, click, the command group), reads every file of the corpus,
  parses the JSON files shared among as many processes as the lint uses, and writes the lint's
  own report. No implementation of this command in this language can be faster, so anchor /
  floor bounds the ratio any such linter can reach on this machine.

With `--against REV`, the lint commands run twice in every round, once with this checkout's code
and once with the code of the git revision REV (a temporary worktree, removed afterwards), and the
ratios old / new are printed: the way to show that a change keeps the linter's speed, both sides
measured in the same run under the same load.

Wall time on a shared virtual machine can swing by 15% from one run to the next. With
`--against REV --instructions`, the single-process cases are also counted in instructions, under
valgrind's callgrind (which must be installed): the same number on every run, whatever the
load, so a difference of a few percent is real. It counts one process and no waiting for files,
so it complements the wall time and does not replace it.

    python benchmarks/bench_lint.py [--corpus ../shared/corpus] [--rounds 5] [--against REV [--instructions]]
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
TOOLS = REPOSITORY_ROOT / "tools"
DEFAULT_CORPUS = REPOSITORY_ROOT.parent / "shared" / "corpus"

# the anchor: validate each swagger that parses, the way a CI step would do it with this library
VALIDATOR_SCRIPT = """
import json, sys
from pathlib import Path
from openapi_spec_validator import validate
checked = 0
for path in sorted(Path(sys.argv[1]).rglob("apiDefinition.swagger.json")):
    try:
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
    except ValueError:
        continue
    checked += 1
    try:
        validate(document)
    except Exception:
        pass
print(checked)
"""

# the floor: the lint's unavoidable work and nothing more (see the module documentation)
FLOOR_SCRIPT = """
import json, os, sys
from retarus_connector.cli import main  # the start-up of every retarus-connector command
corpus, report = sys.argv[1], sys.argv[2]
paths = sorted(
    os.path.join(folder, name) for folder, _, names in os.walk(corpus) for name in names
)
processes = int(sys.argv[3])
# the best static share: largest file first, each to the least loaded process
shares = [[] for _ in range(processes)]
loads = [0] * processes
for path in sorted(paths, key=os.path.getsize, reverse=True):
    least = loads.index(min(loads))
    shares[least].append(path)
    loads[least] += os.path.getsize(path)

def read_and_parse(share):
    for path in share:
        with open(path, "rb") as stream:
            raw = stream.read()
        if path.endswith(".json"):
            try:
                json.loads(raw.decode("utf-8-sig"))
            except ValueError:
                pass

children = []
for share in shares[1:]:
    pid = os.fork()
    if pid == 0:
        read_and_parse(share)
        os._exit(0)
    children.append(pid)
read_and_parse(shares[0])
for pid in children:
    os.waitpid(pid, 0)
with open(report, "rb") as stream:
    sys.stdout.buffer.write(stream.read())
"""


def cli_command() -> list[str]:
    script = shutil.which("retarus-connector")
    return [script] if script else [sys.executable, "-m", "retarus_connector.cli"]


# Installed packages run from cached bytecode; an environment that forbids writing it would time
# the compiler instead of the tools, so the children may write and reuse it (after a warm-up).
# The findings cache goes to a folder of this run, not to the user's cache.
CACHE_HOME = tempfile.mkdtemp(prefix="bench-lint-cache-")
CHILD_ENVIRONMENT = {
    **{name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"},
    "XDG_CACHE_HOME": CACHE_HOME,
}


def code_command(tools: Path) -> list[str]:
    """The CLI run from the sources in `tools` rather than the installed console script, so two
    revisions are started the same way."""
    start = (
        f"import sys; sys.path.insert(0, {str(tools)!r}); "
        "from retarus_connector.cli import main; sys.argv[0] = 'retarus-connector'; main()"
    )
    return [sys.executable, "-c", start]


def cpu_seconds() -> float:
    """User and system time of the finished child processes (and of theirs) so far."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one whole process."""
    cpu_before = cpu_seconds()
    start = time.perf_counter()
    completed = subprocess.run(
        command, capture_output=True, cwd=REPOSITORY_ROOT, env=CHILD_ENVIRONMENT, check=False
    )
    elapsed = time.perf_counter() - start
    if completed.returncode not in (0, 1):
        raise SystemExit(
            f"{' '.join(command)} exited {completed.returncode}:\n{completed.stderr.decode()}"
        )
    return elapsed, cpu_seconds() - cpu_before


def time_by_stage(corpus: Path, rounds: int) -> dict[str, float]:
    """In this process: seconds (best of `rounds`) spent loading, in the index the swagger
    rules share, in each rule family, in locating the findings and in writing the json output,
    for the whole corpus."""
    from retarus_connector.lint import engine
    from retarus_connector.lint.formats import render
    from retarus_connector.lint.rules import _walk

    rules = engine.registry()
    sources = engine.discover(corpus)
    best: dict[str, float] = {}
    # as in the lint command: the parsed documents hold no cycles, the collector only slows
    gc.disable()
    try:
        for _ in range(rounds):
            _one_round(engine, render, _walk, rules, sources, best)
    finally:
        gc.enable()
    return best


def _one_round(
    engine: Any, render: Any, walk: Any, rules: Any, sources: Any, best: dict[str, float]
) -> None:
    """One round of `time_by_stage`, keeping the best time of each stage in `best`."""
    spent: dict[str, float] = {}
    start = time.perf_counter()
    packages = [engine.load_package(source, engine.DEFAULT_PROFILE) for source in sources]
    spent["load"] = time.perf_counter() - start
    problems: list[Any] = []
    for package in packages:
        found: list[Any] = []
        # the walk the swagger rules share, built by whichever rule asks first
        start = time.perf_counter()
        walk.index(package)
        spent["index (shared walk)"] = spent.get("index (shared walk)", 0.0) + (
            time.perf_counter() - start
        )
        for rule in rules:
            start = time.perf_counter()
            if rule.applies_to(package):
                found.extend(rule.run(package))
            family = f"rules: {rule.family}"
            spent[family] = spent.get(family, 0.0) + time.perf_counter() - start
        problems.append((package, found))
    start = time.perf_counter()
    for package, found in problems:
        engine.problem_places(package, found)
    spent["locate findings"] = time.perf_counter() - start
    findings = [f for package in packages for f in engine.check_package(package, rules)]
    report = engine.LintReport(sorted(findings, key=engine.sort_key), len(packages), 0)
    start = time.perf_counter()
    render("json", report, rules)
    spent["json output"] = time.perf_counter() - start
    for stage, seconds in spent.items():
        best[stage] = min(best.get(stage, seconds), seconds)


def instructions(command: list[str]) -> int:
    """The instructions one process of `command` executes, counted by valgrind's callgrind."""
    completed = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        capture_output=True,
        cwd=REPOSITORY_ROOT,
        env=CHILD_ENVIRONMENT,
        text=True,
        check=False,
    )
    for line in completed.stderr.splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1])
    raise SystemExit(f"valgrind counted nothing for {' '.join(command)}:\n{completed.stderr}")


def compare_with_revision(
    corpus: Path, rounds: int, revision: str, count_instructions: bool = False
) -> None:
    """Time the lint commands of this checkout and of `revision` in turn, round by round, and
    print old / new for each: above 1 the change made it faster, below 0.91 more than 10%
    slower."""
    worktree = Path(tempfile.mkdtemp(prefix="bench-lint-against-"))
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(worktree), revision],
        cwd=REPOSITORY_ROOT,
        capture_output=True,
        check=True,
    )
    try:
        sides = {"old": code_command(worktree / "tools"), "new": code_command(TOOLS)}
        cases = {
            "lint, own package": ["--no-cache", str(REPOSITORY_ROOT)],
            "lint corpus, default": ["--no-cache", str(corpus)],
            "lint corpus, 1 process": ["--no-cache", "--jobs", "1", str(corpus)],
            "lint corpus, cache warm": [str(corpus)],
        }
        commands = {
            (case, side): [*cli, "lint", "--format", "json", *arguments]
            for case, arguments in cases.items()
            for side, cli in sides.items()
        }
        walls: dict[tuple[str, str], list[float]] = {key: [] for key in commands}
        cpus: dict[tuple[str, str], list[float]] = {key: [] for key in commands}
        for command in commands.values():  # warm-up, and fills the findings cache of each side
            measure(command)
        for number in range(rounds):
            for case in cases:
                # which side runs first alternates, so that neither always follows the other
                order = ("old", "new") if number % 2 == 0 else ("new", "old")
                for side in order:
                    wall, cpu = measure(commands[(case, side)])
                    walls[(case, side)].append(wall)
                    cpus[(case, side)].append(cpu)
        counted = {
            key: instructions(command)
            for key, command in commands.items()
            if count_instructions and key[0] in _ONE_PROCESS_CASES
        }
    finally:
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(worktree)],
            cwd=REPOSITORY_ROOT,
            capture_output=True,
            check=False,
        )
    print(f"this checkout against {revision}, {rounds} rounds, median wall time:")
    print(f"  {'':<26} {'old':>8}    {'new':>8}    old / new")
    for case in cases:
        old = statistics.median(walls[(case, "old")])
        new = statistics.median(walls[(case, "new")])
        verdict = "within 10%" if old / new >= 1 / 1.1 else "MORE THAN 10% SLOWER"
        print(
            f"  {case:<26} {old * 1000:8.0f} ms {new * 1000:8.0f} ms    {old / new:.2f} ({verdict})"
        )
    # CPU time (user and system, of every process of the run) moves less than wall time when
    # the machine's other work comes and goes
    print("median CPU time:")
    for case in cases:
        old = statistics.median(cpus[(case, "old")])
        new = statistics.median(cpus[(case, "new")])
        print(f"  {case:<26} {old * 1000:8.0f} ms {new * 1000:8.0f} ms    {old / new:.2f}")
    if counted:
        print("instructions (callgrind), one process:")
        for case in _ONE_PROCESS_CASES:
            old_count, new_count = counted[(case, "old")], counted[(case, "new")]
            verdict = "within 10%" if old_count / new_count >= 1 / 1.1 else "MORE THAN 10% MORE"
            print(
                f"  {case:<26} {old_count / 1e6:7.0f} M  {new_count / 1e6:7.0f} M    "
                f"{old_count / new_count:.2f} ({verdict})"
            )


# the cases one process runs whole (the default shares the corpus among several)
_ONE_PROCESS_CASES = ("lint, own package", "lint corpus, 1 process")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--stages", action="store_true", help="also time each stage and rule family in-process"
    )
    parser.add_argument(
        "--against",
        metavar="REV",
        help="compare the lint of this checkout with that of a git revision, side by side",
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="with --against: also count the instructions of the one-process cases (valgrind)",
    )
    arguments = parser.parse_args()
    corpus: Path = arguments.corpus.resolve()
    if not corpus.is_dir():
        raise SystemExit(f"corpus not found at {corpus} (pass --corpus)")
    if arguments.against:
        compare_with_revision(corpus, arguments.rounds, arguments.against, arguments.instructions)
        return
    swaggers = sorted(corpus.rglob("apiDefinition.swagger.json"))
    parsed = subprocess.run(
        [sys.executable, "-c", VALIDATOR_SCRIPT.replace("validate(document)", "pass"), corpus],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    cli = cli_command()
    lint = [*cli, "lint"]
    report = Path(CACHE_HOME) / "corpus-report.json"
    report.write_bytes(
        subprocess.run(
            [*lint, "--format", "json", "--no-cache", str(corpus)],
            capture_output=True,
            cwd=REPOSITORY_ROOT,
            env=CHILD_ENVIRONMENT,
            check=False,
        ).stdout
    )
    from retarus_connector.lint.parallel import job_count

    lint_processes = job_count(None, len(swaggers))  # as many as the default lint uses
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "retarus-connector --version": [*cli, "--version"],
        "lint, own package": [*lint, "--format", "json", "--no-cache", str(REPOSITORY_ROOT)],
        "lint corpus, 1 process": [
            *lint,
            "--format",
            "json",
            "--no-cache",
            "--jobs",
            "1",
            str(corpus),
        ],
        "lint corpus, default": [*lint, "--format", "json", "--no-cache", str(corpus)],
        "lint corpus, cache warm": [*lint, "--format", "json", str(corpus)],
        "openapi-spec-validator": [sys.executable, "-c", VALIDATOR_SCRIPT, str(corpus)],
        "floor (no checks)": [
            sys.executable,
            "-c",
            FLOOR_SCRIPT,
            str(corpus),
            str(report),
            str(lint_processes),
        ],
    }
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():  # warm-up: bytecode caches and the disk cache
        measure(command)
    for _ in range(arguments.rounds):
        for name, command in commands.items():
            wall, cpu = measure(command)
            walls[name].append(wall)
            cpus[name].append(cpu)
    median = {name: statistics.median(times) for name, times in walls.items()}
    median_cpu = {name: statistics.median(times) for name, times in cpus.items()}

    print(f"corpus: {len(swaggers)} packages, {parsed} swaggers parse as JSON")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"rounds: {arguments.rounds} (median wall time of whole processes); "
        f"{os.cpu_count()} CPUs, load average {load:.1f} at the end"
    )
    print(f"  {'':<30} {'wall':>8}    {'CPU':>8}")
    for name, seconds in median.items():
        print(f"  {name:<30} {seconds * 1000:8.0f} ms {median_cpu[name] * 1000:8.0f} ms")
    anchor = median["openapi-spec-validator"]
    anchor_cpu = median_cpu["openapi-spec-validator"]
    for name in ("lint corpus, default", "lint corpus, 1 process", "lint corpus, cache warm"):
        ratio = anchor / median[name]
        verdict = "meets" if ratio >= 20 else "misses"
        print(
            f"ratio openapi-spec-validator / {name}: {ratio:.1f}x wall ({verdict} the 20x "
            f"target), {anchor_cpu / median_cpu[name]:.1f}x CPU"
        )
    floor = median["floor (no checks)"]
    print(
        f"ratio openapi-spec-validator / floor: {anchor / floor:.1f}x wall: the most any "
        f"linter run as this CLI can reach here ({lint_processes} processes); at 20x, "
        f"{(anchor / 20 - floor) * 1000:.0f} ms of wall time are left for all checks"
    )
    single = median["lint, own package"]
    startup = median["retarus-connector --version"] - median["python -c pass"]
    print(
        f"single package: {single * 1000:.0f} ms "
        f"({'under' if single < 0.5 else 'over'} the 500 ms target); "
        f"CLI start-up beyond the interpreter: {startup * 1000:.0f} ms"
    )
    if arguments.stages:
        print("in-process stages over the corpus (best of the rounds, CPU-bound):")
        for stage, seconds in sorted(
            time_by_stage(corpus, arguments.rounds).items(), key=lambda pair: -pair[1]
        ):
            print(f"  {stage:<30} {seconds * 1000:8.0f} ms")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(CACHE_HOME, ignore_errors=True)
