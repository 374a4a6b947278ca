"""Unit tests of the simulator's request validation: sender IDs, the JobRequest body rules and
the query parameters."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from retarus_connector.simulator.errors import ApiError
from retarus_connector.simulator.iso8601 import Interval
from retarus_connector.simulator.validation import (
    JOB_ID_PATTERN,
    parse_job_request,
    query_boolean,
    query_datetime,
    query_integer,
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def parse(body: Any, *, strict: bool = False) -> Any:
    return parse_job_request(json.dumps(body).encode(), strict=strict)


def minimal(**options: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"messages": [{"text": "Hi", "recipients": [{"dst": "+4917600000001"}]}]}
    if options:
        body["options"] = options
    return body


@pytest.mark.parametrize(
    "src",
    [
        "retarus",
        "ACME",
        "+4917600000000",
        "12345678901234567890",
        "+1",
        "A",
        "Shop & Co.",
        "a!b#c$d%e^f",
    ],
)
def test_valid_sender_ids(src: str) -> None:
    assert parse(minimal(src=src)).options.src == src


@pytest.mark.parametrize(
    "src",
    ["", "TwelveLetter", "+123456789012345678901", "Bäckerei", "tab\there", "Smile🙂", "ACME\n"],
)
def test_invalid_sender_ids_are_refused(src: str) -> None:
    with pytest.raises(ApiError, match=r"^options\.src: ") as caught:
        parse(minimal(src=src))
    assert caught.value.status == 400


def test_defaults_of_a_minimal_request() -> None:
    request = parse(minimal())
    options = request.options
    assert options.encoding == "STANDARD"
    assert options.qos == "NORMAL"
    assert options.validity_min == 2880
    assert options.max_parts == 20
    assert options.invalid_characters == "TO_UTF16"
    assert not options.status_requested
    assert not options.flash
    assert not options.duplicate_detection
    assert request.recipient_count == 1
    assert request.messages[0].recipients[0].blackout_periods is None


@pytest.mark.parametrize(
    ("requested", "effective"),
    [(0, 2880), (1, 5), (4, 5), (5, 5), (60, 60), (2880, 2880), (2881, 2880), (-3, 5), ("90", 90)],
)
def test_validity_is_clamped_to_5_2880_and_0_means_the_default(
    requested: Any, effective: int
) -> None:
    assert parse(minimal(validityMin=requested)).options.validity_min == effective


@pytest.mark.parametrize(
    ("requested", "effective"), [(0, 1), (-1, 1), (1, 1), (7, 7), (20, 20), (21, 20), (7.0, 7)]
)
def test_max_parts_is_clamped_to_1_20(requested: Any, effective: int) -> None:
    assert parse(minimal(maxParts=requested)).options.max_parts == effective


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("qos", "express", "EXPRESS"),
        ("qos", "Normal", "NORMAL"),
        ("encoding", "utf-16", "UTF-16"),
        ("encoding", "standard", "STANDARD"),
        ("invalidCharacters", "to_utf16", "TO_UTF16"),
        ("invalidCharacters", "Transliterate", "TRANSLITERATE"),
    ],
)
def test_enums_accept_any_letter_case(field: str, value: str, expected: str) -> None:
    options = parse(minimal(**{field: value})).options
    attribute = {"qos": "qos", "encoding": "encoding", "invalidCharacters": "invalid_characters"}
    assert getattr(options, attribute[field]) == expected


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("qos", "FAST"),
        ("encoding", "UTF-8"),
        ("encoding", "UTF16"),
        ("invalidCharacters", "DROP"),
        ("qos", 1),
    ],
)
def test_values_outside_enums_are_refused(field: str, value: Any) -> None:
    with pytest.raises(ApiError, match=rf"^options\.{field}: "):
        parse(minimal(**{field: value}))


@pytest.mark.parametrize(
    ("value", "expected"), [(True, True), (False, False), ("TRUE", True), ("false", False)]
)
def test_boolean_options_accept_json_booleans_and_their_words(value: Any, expected: bool) -> None:
    assert parse(minimal(statusRequested=value)).options.status_requested is expected


@pytest.mark.parametrize("value", ["yes", 1, 0, [], {}])
def test_boolean_options_refuse_other_values(value: Any) -> None:
    with pytest.raises(ApiError, match=r"^options\.flash: "):
        parse(minimal(flash=value))


def test_job_period_and_blackouts_are_parsed() -> None:
    options = parse(
        minimal(
            jobPeriod="2030-01-01T08:00:00.000+01:00",
            blackoutPeriods=["2030-01-01T22:00+01:00/2030-01-02T07:00+01:00"],
        )
    ).options
    assert options.job_period == utc(2030, 1, 1, 7)
    assert options.blackout_periods == (Interval(utc(2030, 1, 1, 21), utc(2030, 1, 2, 6)),)


def test_recipient_blackouts_are_kept_apart_from_the_jobs() -> None:
    body = minimal(blackoutPeriods=["2030-01-01T22:00Z/2030-01-02T07:00Z"])
    body["messages"][0]["recipients"].append({"dst": "+4917600000002", "blackoutPeriods": []})
    recipients = parse(body).messages[0].recipients
    assert recipients[0].blackout_periods is None
    assert recipients[1].blackout_periods == ()


def test_unknown_properties_are_ignored_unless_strict() -> None:
    body = minimal(customRef="x")
    body["messages"][0]["recipients"][0]["nickname"] = "Bob"
    assert parse(body).recipient_count == 1
    with pytest.raises(ApiError, match=r"^options\.customRef: "):
        parse(body, strict=True)
    del body["options"]
    with pytest.raises(ApiError, match=r"^messages\[0\]\.recipients\[0\]\.nickname: "):
        parse(body, strict=True)


def test_identical_json_gets_the_same_digest_whatever_the_key_order() -> None:
    first = parse_job_request(
        b'{"options": {"qos": "NORMAL", "flash": false}, "messages": [{"text": "a", "recipients": [{"dst": "+4917600000001"}]}]}'
    )
    second = parse_job_request(
        b'{"messages":[{"recipients":[{"dst":"+4917600000001"}],"text":"a"}],"options":{"flash":false,"qos":"NORMAL"}}'
    )
    third = parse_job_request(
        b'{"messages":[{"recipients":[{"dst":"+4917600000001"}],"text":"b"}],"options":{"flash":false,"qos":"NORMAL"}}'
    )
    assert first.digest == second.digest != third.digest
    assert len(first.digest) == 64  # a sha256, not the request itself


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False)],
)
def test_query_booleans_are_case_insensitive(value: str, expected: bool) -> None:
    assert query_boolean("open", value) is expected


@pytest.mark.parametrize("value", ["", "1", "yes", "truth"])
def test_query_booleans_refuse_other_words(value: str) -> None:
    with pytest.raises(ApiError, match=r"^open: "):
        query_boolean("open", value)


def test_query_integers_respect_their_range() -> None:
    assert query_integer("limit", "1000", minimum=1, maximum=1000) == 1000
    for bad in ("0", "1001", "-1", "ten", "1.5", "", "9" * 30):
        with pytest.raises(ApiError, match=r"^limit: "):
            query_integer("limit", bad, minimum=1, maximum=1000)


def test_query_datetimes_survive_an_unencoded_plus() -> None:
    assert query_datetime("fromTs", "2022-06-13T00:00 02:00") == utc(2022, 6, 12, 22)
    with pytest.raises(ApiError, match=r"^fromTs: "):
        query_datetime("fromTs", "last week")


@pytest.mark.parametrize(("length", "valid"), [(17, False), (18, True), (38, True), (39, False)])
def test_a_job_id_is_j_dot_and_18_to_38_characters(length: int, valid: bool) -> None:
    assert bool(JOB_ID_PATTERN.fullmatch("J." + "A" * length)) is valid


def test_a_body_with_a_byte_order_mark_is_read() -> None:
    raw = b"\xef\xbb\xbf" + json.dumps(minimal()).encode()
    assert parse_job_request(raw).recipient_count == 1


def test_strict_mode_refuses_unknown_top_level_and_message_properties() -> None:
    top = {**minimal(), "priority": "high"}
    with pytest.raises(ApiError, match=r"^priority: is not a property the API defines"):
        parse(top, strict=True)
    in_message = minimal()
    in_message["messages"][0]["subject"] = "x"
    with pytest.raises(ApiError, match=r"^messages\[0\]\.subject: "):
        parse(in_message, strict=True)
    assert parse(top).recipient_count == parse(in_message).recipient_count == 1


def test_a_billcode_takes_up_to_70_characters() -> None:
    assert parse(minimal(billcode="B" * 70)).options.billcode == "B" * 70
    with pytest.raises(ApiError, match=r"^options\.billcode: is 71 characters long"):
        parse(minimal(billcode="B" * 71))


@pytest.mark.parametrize(
    ("reference", "valid"),
    [("r" * 192, True), ("r" * 193, False), ("\u00e9" * 70, True), ("\u00e9" * 71, False)],
)
def test_a_job_reference_takes_192_ascii_or_70_other_characters(
    reference: str, valid: bool
) -> None:
    if valid:
        assert parse(minimal(customerRef=reference)).options.customer_ref == reference
    else:
        with pytest.raises(ApiError, match=r"^options\.customerRef: "):
            parse(minimal(customerRef=reference))


def test_a_boolean_is_named_a_boolean_where_a_string_or_integer_belongs() -> None:
    body = minimal()
    body["messages"][0]["text"] = True
    with pytest.raises(ApiError, match=r"^messages\[0\]\.text: must be a string, not a boolean"):
        parse(body)
    with pytest.raises(ApiError, match=r"^options\.validityMin: must be an integer, not a boolean"):
        parse(minimal(validityMin=True))


def test_query_booleans_ignore_surrounding_blanks() -> None:
    assert query_boolean("open", " TRUE ") is True
    assert query_boolean("open", "false\t") is False
