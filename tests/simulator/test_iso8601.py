"""Unit tests of the simulator's ISO-8601 date-times, durations, intervals and timestamps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from retarus_connector.simulator.iso8601 import (
    Interval,
    format_datetime,
    parse_datetime,
    parse_interval,
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018-07-09T11:25:24.683+02:00", datetime(2018, 7, 9, 9, 25, 24, 683000, tzinfo=UTC)),
        ("2018-10-25T18:00Z", utc(2018, 10, 25, 18, 0)),
        ("2030-01-01T22:00+01:00", utc(2030, 1, 1, 21, 0)),
        ("2030-01-01T08:00:00-0700", utc(2030, 1, 1, 15, 0)),
        ("2030-01-01T08:00:00+05", utc(2030, 1, 1, 3, 0)),
        ("2030-01-01T08:00:00", utc(2030, 1, 1, 8, 0)),
        ("2030-01-01T08:00:00.123456789Z", datetime(2030, 1, 1, 8, 0, 0, 123456, tzinfo=UTC)),
    ],
)
def test_datetimes_in_the_forms_clients_send(text: str, expected: datetime) -> None:
    assert parse_datetime(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "tomorrow",
        "2030-01-01",
        "2030-13-01T00:00Z",
        "2030-02-30T00:00Z",
        "2030-01-01T24:00Z",
        "2030-01-01T08:00+19:00",
        "2030-01-01T08:00:00.Z",
        "0001-01-01T00:00+01:00",
        "٢٠٣٠-01-01T00:00Z",
    ],
)
def test_malformed_datetimes_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"date-time|UTC offset"):
        parse_datetime(text)


def test_timestamps_are_written_in_utc_with_milliseconds() -> None:
    assert (
        format_datetime(parse_datetime("2030-01-01T08:00:01.5+01:00")) == "2030-01-01T07:00:01.500Z"
    )


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2030-10-25T18:00Z/2030-10-26T07:00Z", utc(2030, 10, 25, 18), utc(2030, 10, 26, 7)),
        ("2030-10-25T18:00Z/PT13H", utc(2030, 10, 25, 18), utc(2030, 10, 26, 7)),
        ("P1DT1H/2030-10-26T07:00Z", utc(2030, 10, 25, 6), utc(2030, 10, 26, 7)),
        ("2030-10-25T18:00Z/P1W", utc(2030, 10, 25, 18), utc(2030, 11, 1, 18)),
    ],
)
def test_intervals_with_end_or_duration(text: str, start: datetime, end: datetime) -> None:
    assert parse_interval(text) == Interval(start, end)


@pytest.mark.parametrize(
    "text",
    [
        "2030-10-25T18:00Z",
        "2030-10-25T18:00Z/",
        "/2030-10-25T18:00Z",
        "2030-10-26T07:00Z/2030-10-25T18:00Z",
        "2030-10-25T18:00Z/P1Y",
        "2030-10-25T18:00Z/PT",
        "PT1H/PT2H",
        "2030-10-25T18:00Z/2030-10-26T07:00Z/2030-10-27T07:00Z",
        "9999-12-31T18:00Z/P9999W",
    ],
)
def test_malformed_intervals_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"interval|duration|date-time|ends before|beyond"):
        parse_interval(text)


def test_blackouts_shorter_than_an_hour_are_widened_to_one_hour_from_their_start() -> None:
    short = parse_interval("2030-01-01T17:10Z/2030-01-01T17:20Z")
    assert short.widened() == Interval(utc(2030, 1, 1, 17, 10), utc(2030, 1, 1, 18, 10))
    long = parse_interval("2030-01-01T17:10Z/2030-01-01T19:00Z")
    assert long.widened() == long


def test_far_future_datetimes_do_not_overflow() -> None:
    interval = parse_interval("9999-12-31T23:30Z/9999-12-31T23:40Z").widened()
    assert interval.end >= interval.start
    assert interval.end - interval.start <= timedelta(hours=1)


def test_an_offset_with_more_than_59_minutes_is_refused() -> None:
    with pytest.raises(ValueError, match="impossible UTC offset"):
        parse_datetime("2030-01-01T08:00+01:60")
    assert parse_datetime("2030-01-01T08:00+01:59") == utc(2030, 1, 1, 6, 1)


def test_a_duration_ending_in_t_is_refused() -> None:
    with pytest.raises(ValueError, match="not an ISO-8601 duration"):
        parse_interval("2030-10-25T18:00Z/P1DT")


def test_duration_seconds_take_a_decimal_comma() -> None:
    interval = parse_interval("2030-10-25T18:00Z/PT1,5S")
    assert interval.end - interval.start == timedelta(seconds=1.5)


@pytest.mark.parametrize("text", ["2030-10-25T18:00Z/", "/2030-10-25T18:00Z"])
def test_an_interval_with_an_empty_side_is_named_an_interval(text: str) -> None:
    with pytest.raises(ValueError, match="is not an ISO-8601 interval"):
        parse_interval(text)


def test_a_timestamp_in_another_zone_is_written_in_utc() -> None:
    moment = datetime(2030, 1, 1, 9, 30, 0, 250000, tzinfo=timezone(timedelta(hours=2)))
    assert format_datetime(moment) == "2030-01-01T07:30:00.250Z"
