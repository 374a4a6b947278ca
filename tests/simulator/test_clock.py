"""The simulator's manual clock: aware times only, and never backwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from retarus_connector.simulator.clock import ManualClock

START = datetime(2030, 1, 1, 8, 0, tzinfo=UTC)


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ManualClock(datetime(2030, 1, 1, 8, 0))


def test_advancing_by_a_negative_step_is_refused() -> None:
    clock = ManualClock(START)
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(-1)
    with pytest.raises(ValueError, match="backwards"):
        clock.advance(timedelta(microseconds=-1))
    assert clock.now() == START
    assert clock.advance(0) == START


def test_setting_the_current_time_again_is_fine_but_earlier_is_not() -> None:
    clock = ManualClock(START)
    clock.set(START)
    assert clock.now() == START
    with pytest.raises(ValueError, match="backwards"):
        clock.set(START - timedelta(microseconds=1))
    clock.set(START + timedelta(hours=1))
    assert clock.now() == START + timedelta(hours=1)
