"""The simulated service: one account, two data centers with their own job stores, and the
delivery lifecycle of every recipient as a function of the clock.

A job's whole timeline is fixed when it is accepted (when each recipient is handed to the
carrier and when it reaches its final status); a status read only compares that timeline with
the clock, so tests move the clock instead of sleeping.
"""

from __future__ import annotations

import dataclasses
import hmac
import math
import random
import re
import secrets
import string
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from retarus_connector.simulator.clock import Clock, SystemClock
from retarus_connector.simulator.errors import ApiError
from retarus_connector.simulator.iso8601 import Interval, format_datetime, safe_add
from retarus_connector.simulator.sms_text import PreparedText, prepare_text
from retarus_connector.simulator.validation import JobOptions, JobRequest

DATACENTERS = ("de1", "de2")
DUPLICATE_WINDOW = timedelta(minutes=10)
DEFAULT_USERNAME = "demo"
DEFAULT_PASSWORD = "demo"  # the documented demo credential of a local simulator
DEFAULT_SENDER = "Simulator"  # the account's sender ID when a job names none

_ID_ALPHABET = string.ascii_letters + string.digits
_NUMBER_SEPARATORS = re.compile(r"[\s\-/().]")
_PHONE_NUMBER = re.compile(r"\+?[0-9]{7,20}", re.ASCII)


@dataclass(frozen=True)
class Outcome:
    """How a recipient's delivery ends, and the path it takes there.

    timeline: "accepted" (OPEN, then final once handed over), "notified" (OPEN, RUNNING once
    sent, final when the delivery notification arrives), "unsent" (OPEN, then final without
    ever being sent), "retrying" (OPEN, then OPEN with `retry_status` while retrying, then final).
    """

    process_status: str
    status: str
    timeline: str
    reason: str
    needs_status_request: bool = False
    retry_status: str = ""


DELIVERED = Outcome(
    "DONE", "SUC_ACC", "accepted", "accepted by the carrier; no delivery notification requested"
)
DELIVERED_NOTIFIED = Outcome(
    "DONE", "SUC_FIN", "notified", "message_state:DELIVERED (final) message delivered to handset"
)
INVALID_NUMBER = Outcome("DONE", "INVALID_DST", "unsent", "the destination is not a valid number")

# Numbers ending in 9999 plus one of these two-digit codes end the way the code says;
# ...999999 is the invalid number of Retarus' own examples.
TEST_NUMBER_OUTCOMES: dict[str, Outcome] = {
    "01": Outcome("DONE", "BLOCKED", "unsent", "the destination is on a blocklist"),
    "02": Outcome(
        "DONE",
        "TIMEOUT",
        "notified",
        "message_state:EXPIRED (final) validity ran out before delivery",
        needs_status_request=True,
    ),
    "03": Outcome(
        "DONE",
        "CON_ERR",
        "retrying",
        "every attempt to reach the carrier failed",
        retry_status="CON_ERR",
    ),
    "04": Outcome(
        "DONE",
        "FAILED_FIN",
        "notified",
        "message_state:UNDELIVERABLE (final) the carrier reported a failed delivery",
        needs_status_request=True,
    ),
    "05": Outcome("DONE", "NOT_ACC_FIN", "unsent", "the carrier did not accept the message"),
    "06": Outcome(
        "DONE", "SEND_ERR", "accepted", "internal error while sending; the SMS probably arrived"
    ),
    "07": Outcome(
        "DONE",
        "STATUS_ERR",
        "notified",
        "internal error while fetching the delivery notification",
        needs_status_request=True,
    ),
    "08": Outcome("CANCELED", "", "unsent", "cancelled before the first attempt"),
    "09": Outcome("CANCELED", "NOT_ACC_REC", "unsent", "cancelled after the first attempt"),
    "10": Outcome(
        "KILL",
        "",
        "notified",
        "cancelled after sending; no delivery notification",
        needs_status_request=True,
    ),
    "99": INVALID_NUMBER,
}


def outcome_for(dst: str, *, status_requested: bool) -> Outcome:
    """The outcome a destination number leads to (see TEST_NUMBER_OUTCOMES)."""
    number = _NUMBER_SEPARATORS.sub("", dst)
    if not _PHONE_NUMBER.fullmatch(number):
        return INVALID_NUMBER
    special = TEST_NUMBER_OUTCOMES.get(number[-2:]) if number[-6:-2] == "9999" else None
    if special is not None and (status_requested or not special.needs_status_request):
        return special
    # Without a delivery notification a carrier-side failure cannot be seen: success.
    return DELIVERED_NOTIFIED if status_requested else DELIVERED


@dataclass(frozen=True)
class RecipientStatus:
    """A recipient's state at one moment, as GET /sms reports it."""

    process_status: str
    status: str
    sent_ts: datetime | None
    finished_ts: datetime | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class Recipient:
    sms_id: str
    dst: str
    customer_ref: str
    outcome: Outcome
    scheduled_at: datetime  # start of processing: after jobPeriod and blackout periods
    sent_at: datetime | None  # handed to the carrier, if it ever is
    final_at: datetime

    def status_at(self, now: datetime) -> RecipientStatus:
        outcome = self.outcome
        if now >= self.final_at:
            return RecipientStatus(
                outcome.process_status, outcome.status, self.sent_at, self.final_at, outcome.reason
            )
        midway = self.scheduled_at + (self.final_at - self.scheduled_at) / 2
        if outcome.timeline == "notified" and self.sent_at is not None and now >= self.sent_at:
            return RecipientStatus("RUNNING", "", self.sent_at, None, "sent; awaiting notification")
        if outcome.timeline == "retrying" and now >= midway:
            return RecipientStatus("OPEN", outcome.retry_status, None, None, "retrying")
        return RecipientStatus("OPEN", "", None, None, None)


@dataclass(frozen=True)
class Job:
    """What the answers about an accepted job need, and no more: the request itself is not kept
    (its options without blackout periods, which only ever move the recipients' times)."""

    job_id: str
    datacenter: str
    receipt_ts: datetime
    options: JobOptions
    sender: str
    messages: tuple[PreparedText, ...]
    recipients: tuple[Recipient, ...]
    digest: str  # of the request, for duplicate detection

    @property
    def encoding(self) -> str:
        """The encoding the job went out in: UTF-16 as soon as one message needed it."""
        if any(message.encoding == "UTF-16" for message in self.messages):
            return "UTF-16"
        return "STANDARD"

    def finished_ts(self, now: datetime) -> datetime | None:
        """When the last recipient reached its final status; None while any is still open."""
        last = max(recipient.final_at for recipient in self.recipients)
        return last if now >= last else None

    def is_open(self, now: datetime) -> bool:
        return self.finished_ts(now) is None


class DataCenter:
    """One data center's job store. Only the owning SimulatorState changes it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.jobs: dict[str, Job] = {}

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)


class SimulatorState:
    """The account, both data centers, the clock and the seeded randomness.

    Thread-safe: the real HTTP server calls it from one thread per request.
    """

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        seed: int | None = None,
        username: str = DEFAULT_USERNAME,
        password: str = DEFAULT_PASSWORD,
        delivery_seconds: float = 1.0,
        default_sender: str = DEFAULT_SENDER,
        strict: bool = False,
        max_jobs: int | None = None,
    ) -> None:
        if max_jobs is not None and max_jobs < 1:
            raise ValueError("max_jobs must be 1 or more, or None for no limit")
        if not math.isfinite(delivery_seconds) or delivery_seconds < 0:
            raise ValueError("delivery_seconds must be a finite number of seconds, 0 or more")
        if not username:
            raise ValueError("username must not be empty")
        self.clock: Clock = clock or SystemClock()
        self.seed = seed if seed is not None else secrets.randbits(32)
        self.username = username
        self._password = password
        self.delivery = timedelta(seconds=delivery_seconds)
        self.default_sender = default_sender
        self.strict = strict
        self.datacenters = {name: DataCenter(name) for name in DATACENTERS}
        self._random = random.Random(self.seed)
        self._lock = threading.RLock()
        self._accepted: dict[str, tuple[datetime, str]] = {}  # digest -> (receipt, jobId)
        self.max_jobs = max_jobs
        self._arrivals: deque[tuple[str, str]] = deque()  # (data center, jobId), oldest first

    @property
    def password(self) -> str:
        return self._password

    def __repr__(self) -> str:  # keeps the password out of tracebacks and logs
        return f"SimulatorState(username={self.username!r}, seed={self.seed})"

    def now(self) -> datetime:
        return self.clock.now()

    def credentials_match(self, username: str, password: str) -> bool:
        return hmac.compare_digest(username.encode(), self.username.encode()) & hmac.compare_digest(
            password.encode(), self._password.encode()
        )

    def pick_datacenter(self) -> str:
        """The data center DNS balancing sends the next request on the eu host to."""
        with self._lock:
            return self._random.choice(DATACENTERS)

    def submit(self, datacenter: str, request: JobRequest) -> Job:
        """Accept a validated job in `datacenter`; ApiError 422 or 409 when Retarus refuses it."""
        options = request.options
        messages = tuple(
            prepare_text(
                message.text,
                encoding=options.encoding,
                invalid_characters=options.invalid_characters,
                max_parts=options.max_parts,
                field=f"messages[{index}].text",
            )
            for index, message in enumerate(request.messages)
        )
        with self._lock:
            now = self.now()
            receipt = now.replace(microsecond=now.microsecond // 1000 * 1000)
            self._forget_old_requests(receipt)
            previous = self._accepted.get(request.digest)
            if options.duplicate_detection and previous is not None:
                raise ApiError(
                    409,
                    "options.duplicateDetection: an identical request was accepted as job "
                    f"{previous[1]} at {format_datetime(previous[0])}; it is refused until "
                    f"{format_datetime(previous[0] + DUPLICATE_WINDOW)}",
                )
            job_id = self._new_id("J", receipt)
            start = receipt
            if options.job_period is not None and options.job_period > start:
                start = options.job_period
            recipients: list[Recipient] = []
            # Recipients scheduled alike share their moments instead of a copy each.
            moments: dict[datetime, datetime] = {}
            for message in request.messages:
                for wanted in message.recipients:
                    blackouts = (
                        wanted.blackout_periods
                        if wanted.blackout_periods is not None
                        else options.blackout_periods
                    )
                    recipients.append(
                        self._schedule(
                            sms_id=self._new_id("S", receipt),
                            dst=wanted.dst,
                            customer_ref=wanted.customer_ref
                            if wanted.customer_ref is not None
                            else wanted.dst,
                            outcome=outcome_for(
                                wanted.dst, status_requested=options.status_requested
                            ),
                            scheduled_at=after_blackouts(start, blackouts),
                            moments=moments,
                        )
                    )
            job = Job(
                job_id=job_id,
                datacenter=datacenter,
                receipt_ts=receipt,
                options=dataclasses.replace(options, blackout_periods=()),
                sender=options.src if options.src is not None else self.default_sender,
                messages=messages,
                recipients=tuple(recipients),
                digest=request.digest,
            )
            self.datacenters[datacenter].jobs[job_id] = job
            self._accepted[request.digest] = (receipt, job_id)
            self._arrivals.append((datacenter, job_id))
            self._evict_oldest()
            return job

    def _evict_oldest(self) -> None:
        """Forget the oldest jobs beyond `max_jobs`, as if their retention had run out.

        Reads of a forgotten job answer 404 like any unknown one, and it no longer counts as
        the original of a duplicate; refusing new jobs instead would be an answer Retarus
        never gives.
        """
        if self.max_jobs is None:
            return
        while len(self._arrivals) > self.max_jobs:
            datacenter, job_id = self._arrivals.popleft()
            job = self.datacenters[datacenter].jobs.pop(job_id, None)
            if job is not None and self._accepted.get(job.digest, (None, ""))[1] == job_id:
                del self._accepted[job.digest]

    def _schedule(
        self,
        *,
        sms_id: str,
        dst: str,
        customer_ref: str,
        outcome: Outcome,
        scheduled_at: datetime,
        moments: dict[datetime, datetime],
    ) -> Recipient:
        scheduled_at = moments.setdefault(scheduled_at, scheduled_at)
        final_at = safe_add(scheduled_at, self.delivery)
        final_at = moments.setdefault(final_at, final_at)
        sent_at: datetime | None = None
        if outcome.timeline == "notified":
            sent_at = safe_add(scheduled_at, self.delivery / 2)
            sent_at = moments.setdefault(sent_at, sent_at)
        elif outcome.timeline == "accepted":
            sent_at = final_at
        return Recipient(sms_id, dst, customer_ref, outcome, scheduled_at, sent_at, final_at)

    def _forget_old_requests(self, now: datetime) -> None:
        expired = [key for key, (at, _) in self._accepted.items() if now - at >= DUPLICATE_WINDOW]
        for key in expired:
            del self._accepted[key]

    def _new_id(self, prefix: str, moment: datetime) -> str:
        # Retarus ids: prefix, receipt time to the millisecond, 18 random letters and digits.
        stamp = (
            f"{moment.year:04d}{moment.month:02d}{moment.day:02d}-"
            f"{moment.hour:02d}{moment.minute:02d}{moment.second:02d}."
            f"{moment.microsecond // 1000:03d}"
        )
        while True:
            suffix = "".join(self._random.choice(_ID_ALPHABET) for _ in range(18))
            candidate = f"{prefix}.{stamp}-{suffix}"
            if prefix != "J" or self.find_job(candidate) is None:
                return candidate

    def job(self, datacenter: str, job_id: str) -> Job | None:
        with self._lock:
            return self.datacenters[datacenter].get(job_id)

    def find_job(self, job_id: str) -> Job | None:
        """The job in whichever data center holds it (for tests; the API never looks across)."""
        with self._lock:
            for center in self.datacenters.values():
                job = center.get(job_id)
                if job is not None:
                    return job
            return None

    def list_jobs(
        self,
        datacenter: str,
        *,
        from_ts: datetime,
        to_ts: datetime,
        open_only: bool | None,
        offset: int,
        limit: int,
    ) -> list[Job]:
        """A data center's jobs received in [from_ts, to_ts], oldest first, one page of them.

        open_only: True for jobs still open, False for finished ones, None for both.
        """
        with self._lock:
            now = self.now()
            jobs = sorted(
                (
                    job
                    for job in self.datacenters[datacenter].jobs.values()
                    if from_ts <= job.receipt_ts <= to_ts
                    and (open_only is None or job.is_open(now) == open_only)
                ),
                key=lambda job: job.receipt_ts,
            )
            return jobs[offset : offset + limit]


def after_blackouts(moment: datetime, blackouts: Iterable[Interval]) -> datetime:
    """The first moment from `moment` on outside every (widened) blackout period."""
    periods = sorted((period.widened() for period in blackouts), key=lambda p: p.start)
    moved = True
    while moved:
        moved = False
        for period in periods:
            if period.start <= moment < period.end:
                moment = period.end
                moved = True
    return moment
