"""ISO-8601 as the simulated API reads and writes it: date-times, durations, intervals (the
blackout periods), and the UTC-with-milliseconds timestamps of its reports.

Parsers raise ValueError saying what is wrong; callers turn that into a 400 naming the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

_DATETIME = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})[Tt]"
    r"(?P<hour>\d{2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?"
    r"(?P<offset>[Zz]|[+-]\d{2}(?::?\d{2})?)?",
    re.ASCII,
)
_DURATION = re.compile(
    r"P(?:(?P<weeks>\d{1,6})W)?(?:(?P<days>\d{1,6})D)?"
    r"(?:T(?:(?P<hours>\d{1,7})H)?(?:(?P<minutes>\d{1,9})M)?"
    r"(?:(?P<seconds>\d{1,10}(?:[.,]\d{1,9})?)S)?)?",
    re.ASCII | re.IGNORECASE,
)


@dataclass(frozen=True)
class Interval:
    """A blackout period as requested: no SMS goes out from `start` until `end`."""

    start: datetime
    end: datetime

    def widened(self) -> Interval:
        """Retarus treats a blackout shorter than an hour as one hour from its start."""
        if self.end - self.start >= timedelta(hours=1):
            return self
        return Interval(self.start, safe_add(self.start, timedelta(hours=1)))


_EARLIEST = datetime(1, 1, 1, tzinfo=UTC)
_LATEST = datetime(9999, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)


def safe_add(moment: datetime, step: timedelta) -> datetime:
    """`moment + step`, held at either end of the calendar instead of overflowing."""
    try:
        return moment + step
    except OverflowError:
        return _LATEST if step > timedelta(0) else _EARLIEST


def parse_datetime(text: str) -> datetime:
    """An ISO-8601 date-time as UTC; without an offset it is read as UTC.

    Accepts `2030-01-01T08:00Z`, `2030-01-01T08:00:00.000+01:00` and the colon-less offset
    `+0100` some clients send. Raises ValueError saying what is wrong.
    """
    match = _DATETIME.fullmatch(text)
    if not match:
        raise ValueError(
            f"{text!r} is not an ISO-8601 date-time such as 2030-01-01T08:00:00.000+01:00"
        )
    fraction = (match["fraction"] or "0")[:6].ljust(6, "0")
    zone = UTC
    offset = match["offset"]
    if offset and offset not in "Zz":
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        if hours > 18 or minutes > 59:
            raise ValueError(f"{text!r} has an impossible UTC offset {offset}")
        zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
    try:
        moment = datetime(
            int(match["year"]),
            int(match["month"]),
            int(match["day"]),
            int(match["hour"]),
            int(match["minute"]),
            int(match["second"] or 0),
            int(fraction),
            tzinfo=zone,
        )
        return moment.astimezone(UTC)
    except (ValueError, OverflowError) as error:
        raise ValueError(f"{text!r} is not a valid date-time ({error})") from None


def parse_duration(text: str) -> timedelta:
    """An ISO-8601 duration in weeks, days, hours, minutes and seconds (PT9H, P1DT2H30M)."""
    match = _DURATION.fullmatch(text)
    if not match or not any(match.groupdict().values()) or text.upper().endswith("T"):
        raise ValueError(
            f"{text!r} is not an ISO-8601 duration such as PT9H (years and months are not supported)"
        )
    seconds = float((match["seconds"] or "0").replace(",", "."))
    try:
        return timedelta(
            weeks=int(match["weeks"] or 0),
            days=int(match["days"] or 0),
            hours=int(match["hours"] or 0),
            minutes=int(match["minutes"] or 0),
            seconds=seconds,
        )
    except OverflowError:
        raise ValueError(f"{text!r} is too long a duration") from None


def parse_interval(text: str) -> Interval:
    """An ISO-8601 interval: start/end, start/duration or duration/end."""
    pieces = text.split("/")
    if len(pieces) != 2 or not all(pieces):
        raise ValueError(
            f"{text!r} is not an ISO-8601 interval such as 2030-10-25T18:00Z/2030-10-26T07:00Z"
        )
    first, second = pieces
    try:
        if first[:1] in "Pp":
            end = parse_datetime(second)
            start = end - parse_duration(first)
        elif second[:1] in "Pp":
            start = parse_datetime(first)
            end = start + parse_duration(second)
        else:
            start, end = parse_datetime(first), parse_datetime(second)
    except OverflowError:
        raise ValueError(f"{text!r} reaches beyond the calendar") from None
    if end < start:
        raise ValueError(f"{text!r} ends before it starts")
    return Interval(start, end)


def format_datetime(moment: datetime) -> str:
    """UTC with milliseconds and `Z`, as Retarus writes timestamps."""
    moment = moment.astimezone(UTC)
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}."
        f"{moment.microsecond // 1000:03d}Z"
    )
