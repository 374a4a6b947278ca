"""Running the rules over many packages: what each process does with its share (read, look
up in the findings cache, check, store), how many processes to use, and sharing the packages
among worker processes."""

from __future__ import annotations

import marshal
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from retarus_connector.lint.engine import (
    PackageSource,
    ReadFiles,
    check_package,
    load_package,
    read_package,
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


# a finding as plain data, the way a worker process hands it back: marshal writes and reads
# tuples of strings and numbers many times faster than pickle does objects
_Row = tuple[str, str, str, str, str, int | None, int | None]
# at most this many numbers wait in the queue pipe (4 bytes each): writing them all before any
# process reads never blocks, as every system's pipe holds more than 4 KiB
_QUEUE_SLOTS = 1000


def check_in_processes(sources: Sequence[PackageSource], work: Work, jobs: int) -> list[Finding]:
    """Share the packages among `jobs` processes, this one and `jobs - 1` forked workers, after
    looking up here those the findings cache holds (a package the cache misses is read twice,
    here and in its worker, which costs less than starting processes for a run in which
    nothing changed).

    The packages wait in a queue, largest first, and every process takes the next one when it
    is free, this one included, so all end together however long each package takes. The queue
    is a pipe holding package numbers: a read of one number is never split between two
    readers, and the pipe ends when it is empty. A worker hands back its findings as rows when
    its queue runs dry. A worker that fails (exits, raises, dies) costs time, never findings:
    every package it may have taken is checked here. When no pipe or process can be had (a
    limit on open files or processes), fewer workers, or none, share the packages.

    Why not `concurrent.futures`: importing it and `multiprocessing` costs about 35 ms before
    the first worker starts, on the path every parallel run waits for, and its tasks are fixed
    when submitted; the pipe needs neither (see docs/lint.md, "Speed"). The workers are forked,
    so they start with the rules already imported; without fork (Windows), or with threads
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
    order = sorted(sources, key=_size, reverse=True)
    if not order:
        return findings
    # The smallest is checked before the workers are forked: what a first check sets up
    # (modules imported, patterns compiled on first use) is then done once and inherited.
    findings.extend(work.check(order[-1:]))
    order = order[:-1]
    try:
        queue = _Queue(len(order))
    except OSError:  # no pipe to be had (too many open files): everything runs here
        return findings + work.check(order)
    workers: list[_Worker] = []
    try:
        for _ in range(jobs - 1):
            try:
                workers.append(_Worker.fork(work, order, queue))
            except OSError:  # no process to be had (a limit on processes or memory)
                break  # fewer workers, or none: this process takes what they leave
        done: set[int] = set()
        for number in queue.take():
            findings.extend(work.check([order[number]]))
            done.add(number)
        queue.close()
        failed = False
        for worker in workers:
            handed = worker.collect()
            if handed is None:
                failed = True  # what it took is not known: every package not done is checked
                continue
            checked, rows = handed
            done.update(checked)
            findings.extend(
                Finding(rule_id, SEVERITIES[severity], file, pointer, message, line, column)
                for rule_id, severity, file, pointer, message, line, column in rows
            )
        if failed:
            findings.extend(work.check([s for n, s in enumerate(order) if n not in done]))
    finally:
        queue.close()
        for worker in workers:
            worker.stop()
    return findings


class _Queue:
    """The numbers 0 .. count - 1 in a pipe, each standing for a run of consecutive numbers
    when there are more than `_QUEUE_SLOTS`; written whole before any process reads."""

    def __init__(self, count: int) -> None:
        length = -(-count // _QUEUE_SLOTS) or 1
        self.runs = [range(start, min(start + length, count)) for start in range(0, count, length)]
        self.read_end, write_end = os.pipe()
        os.write(write_end, b"".join(n.to_bytes(4, "little") for n in range(len(self.runs))))
        os.close(write_end)  # reading past the last number then ends

    def take(self) -> Iterator[int]:
        """The next number while there is one, in this process."""
        while True:
            taken = os.read(self.read_end, 4)  # at most PIPE_BUF bytes: never split
            if len(taken) < 4:
                return
            yield from self.runs[int.from_bytes(taken, "little")]

    def close(self) -> None:
        if self.read_end >= 0:
            os.close(self.read_end)
            self.read_end = -1


class _Worker:
    """A forked process that checks packages from the queue and hands back what it checked
    and found through its own pipe, in one marshal'd message when the queue is empty."""

    def __init__(self, pid: int, read_end: int) -> None:
        self.pid = pid
        self.read_end = read_end
        self.reaped = False

    @classmethod
    def fork(cls, work: Work, order: Sequence[PackageSource], queue: _Queue) -> _Worker:
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            raise
        if pid == 0:  # pragma: no cover - the child, which always leaves through os._exit
            status = 1
            try:
                os.close(read_end)
                checked: list[int] = []
                rows: list[_Row] = []
                for number in queue.take():
                    checked.append(number)
                    rows.extend(
                        (f.rule, f.severity.value, f.file, f.pointer, f.message, f.line, f.column)
                        for f in work.check([order[number]])
                    )
                with os.fdopen(write_end, "wb") as out:
                    out.write(marshal.dumps((checked, rows)))
                status = 0
            finally:
                # never back into the caller's code, its atexit handlers or its buffers
                os._exit(status)
        os.close(write_end)
        return cls(pid, read_end)

    def collect(self) -> tuple[list[int], list[_Row]] | None:
        """What the worker checked and found, once it is done; None when it failed."""
        with os.fdopen(self.read_end, "rb") as stream:
            self.read_end = -1
            payload = stream.read()
        _, status = os.waitpid(self.pid, 0)
        self.reaped = True
        if os.waitstatus_to_exitcode(status) != 0:
            return None
        try:
            handed: tuple[list[int], list[_Row]] = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return None
        return handed

    def stop(self) -> None:
        """End a worker that was not collected (this process is being interrupted)."""
        if self.read_end >= 0:
            os.close(self.read_end)
            self.read_end = -1
        if not self.reaped:
            import signal  # only an interrupted run gets here; the module defines enums

            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.reaped = True


def _size(source: PackageSource) -> int:
    return sum(_file_size(path) for path, _ in source.files.values())


def _file_size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
