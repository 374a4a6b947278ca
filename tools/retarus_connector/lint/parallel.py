"""Running the rules over many packages: what each process does with its share (read, look
up in the findings cache, check, store), how many processes to use, and sharing the packages
among worker processes."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from retarus_connector.lint.engine import (
    PackageSource,
    ReadFiles,
    check_package,
    load_package,
    read_package,
    registry,
)
from retarus_connector.lint.model import SEVERITIES, FileKind, Finding, Profile, Rule

if TYPE_CHECKING:
    from retarus_connector.lint.cache import FindingCache


class Work:
    """What each process does with its share of the packages: read, look up, check, store."""

    def __init__(
        self, rules: Sequence[Rule], profile: Profile, cache_folder: Path | None, settings: bytes
    ) -> None:
        self.rules = rules
        self.profile = profile
        self.cache_folder = cache_folder
        self.cache: FindingCache | None = None
        if cache_folder is not None:
            from retarus_connector.lint.cache import FindingCache

            self.cache = FindingCache(cache_folder)
        self.settings = settings

    def cached(self, source: PackageSource) -> list[Finding] | None:
        """The findings the cache holds for the package as it is on disk now, or None (no
        cache, nothing stored, or a package that is never cached)."""
        cache = self.cache
        if cache is None or FileKind.SOLUTION in source.files or source.unlisted is not None:
            return None
        read = read_package(source)
        return cache.get(cache.key(_key_parts(source, read, self.settings)), source.display_root)

    def check(self, sources: Iterable[PackageSource]) -> list[Finding]:
        findings: list[Finding] = []
        cache = self.cache
        for source in sources:
            solution = source.files.get(FileKind.SOLUTION)
            if solution is not None:
                from retarus_connector.lint.solutions.run import check_solution

                findings.extend(check_solution(solution[0], solution[1], self.rules, self.profile))
                continue
            read = read_package(source)
            key = ""
            # a folder that could not be listed is reported anew each run, never from the cache
            if cache is not None and source.unlisted is None:
                key = cache.key(_key_parts(source, read, self.settings))
                cached = cache.get(key, source.display_root)
                if cached is not None:
                    findings.extend(cached)
                    continue
            found = check_package(load_package(source, self.profile, read), self.rules)
            if cache is not None and key:
                cache.put(key, source.display_root, found)
            findings.extend(found)
        return findings


def _key_parts(source: PackageSource, read: ReadFiles, settings: bytes) -> list[bytes]:
    parts = [settings, b"single" if source.single_file else b"folder"]
    for kind in sorted(read):
        raw, issue = read[kind]
        name = source.files[kind][1].rsplit("/", 1)[-1]
        parts += [
            kind.value.encode(),
            name.encode(),
            raw,
            (issue.message if issue else "").encode(),
        ]
    return parts


# below this many packages per process, starting processes costs more than it saves
_PACKAGES_PER_JOB = 4


def job_count(requested: int | None, packages: int) -> int:
    """The processes to share `packages` among: as asked, else one per CPU this process may
    use (at most 8), when each gets a few packages. Other work on the machine does not lower
    the count: processes that wait for a CPU cost little, one process alone cannot use a
    second CPU that becomes free."""
    if requested is not None:
        return max(1, min(requested, packages))
    if not hasattr(os, "fork"):
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8, packages // _PACKAGES_PER_JOB))


# a finding as plain data, the way a worker process hands it back: tuples of strings and
# numbers pickle far faster than objects
_Row = tuple[str, str, str, str, str, int | None, int | None]
# what a worker needs to rebuild the work: rule ids, profile, cache folder, settings
_WorkSpec = tuple[tuple[str, ...], Profile, Path | None, bytes]


def _check_in_worker(spec: _WorkSpec, source: PackageSource) -> list[_Row]:
    """One package checked in a worker process, its findings as rows."""
    rule_ids, profile, cache_folder, settings = spec
    wanted = set(rule_ids)
    work = Work([rule for rule in registry() if rule.id in wanted], profile, cache_folder, settings)
    return [
        (f.rule, f.severity.value, f.file, f.pointer, f.message, f.line, f.column)
        for f in work.check([source])
    ]


def check_in_processes(sources: Sequence[PackageSource], work: Work, jobs: int) -> list[Finding]:
    """Share the packages among `jobs` processes, this one and `jobs - 1` workers, after
    looking up here those the findings cache holds (a package the cache misses is read twice,
    here and in its worker, which costs less than starting processes for a run in which
    nothing changed). This process takes the smallest packages, about its part of the bytes;
    the workers take the others one at a time, largest first, so they end together however
    long each package takes. A package whose task fails (a worker that dies or exits) is
    checked here instead, so a crash costs time, never findings. The workers are forked, so
    they start with the rules already imported; without fork (Windows), or with threads
    running (fork would copy their locks), everything runs here."""
    import threading

    findings: list[Finding] = []
    if work.cache is not None:
        # Packages the cache answers for are done here first: looking one up is cheaper than
        # handing it to a worker, and a run in which most are unchanged starts no process.
        pending: list[PackageSource] = []
        for source in sources:
            hit = work.cached(source)
            if hit is None:
                pending.append(source)
            else:
                findings.extend(hit)
        sources = pending
        if len(sources) < jobs * _PACKAGES_PER_JOB:  # too few left to be worth the processes
            return findings + work.check(sources)
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return findings + work.check(sources)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    sized = sorted(((_size(source), source) for source in sources), key=lambda pair: -pair[0])
    # This process is one of the `jobs`: it takes the smallest packages, about its part of
    # the bytes, and the jobs - 1 workers share the rest, each taking the next largest when
    # it is free. (Handing this process tasks the workers have not started, by cancelling
    # them, would balance better, but a worker that dies then breaks the pool's bookkeeping.)
    budget = sum(size for size, _ in sized) // jobs
    mine: list[PackageSource] = []
    while sized and sized[-1][0] <= budget:
        size, source = sized.pop()
        budget -= size
        mine.append(source)
    # The first of them is checked before the workers are forked: what a first check sets up
    # (modules imported, patterns compiled on first use) is then done once and inherited.
    findings.extend(work.check(mine[:1]))
    spec: _WorkSpec = (
        tuple(rule.id for rule in work.rules),
        work.profile,
        work.cache_folder,
        work.settings,
    )
    failed: list[PackageSource] = []
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(jobs - 1, mp_context=context) as pool:
        tasks = [(source, pool.submit(_check_in_worker, spec, source)) for _, source in sized]
        findings.extend(work.check(mine[1:]))
        for source, task in tasks:
            # exception() waits for the task and, unlike result(), raises nothing: a worker
            # that ran into SystemExit hands that back as its outcome
            if task.exception() is not None:
                failed.append(source)
                continue
            findings.extend(
                Finding(rule_id, SEVERITIES[severity], file, pointer, message, line, column)
                for rule_id, severity, file, pointer, message, line, column in task.result()
            )
    if failed:
        findings.extend(work.check(failed))
    return findings


def _size(source: PackageSource) -> int:
    return sum(_file_size(path) for path, _ in source.files.values())


def _file_size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
