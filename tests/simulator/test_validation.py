"""Unit tests of the simulator's validation: date-times, intervals, sender IDs, GSM-7/UTF-16
part counting, the invalid-character policies and the JobRequest body rules."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from retarus_connector.simulator.errors import ApiError
from retarus_connector.simulator.validation import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    JOB_ID_PATTERN,
    Interval,
    format_datetime,
    outside_gsm7,
    parse_datetime,
    parse_interval,
    parse_job_request,
    prepare_text,
    query_boolean,
    query_datetime,
    query_integer,
    split_into_parts,
    transliterate,
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


# --- date-times and intervals -------------------------------------------------------------------


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


# --- sender IDs ---------------------------------------------------------------------------------


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


# --- GSM-7 and parts ----------------------------------------------------------------------------


def test_gsm7_tables_have_the_standard_sizes() -> None:
    assert len(GSM7_BASIC) == 127  # 128 codes minus the escape
    assert sorted(GSM7_EXTENSION) == sorted("\f^{}\\[~]|€")
    assert not GSM7_BASIC & GSM7_EXTENSION
    assert outside_gsm7("Grüße aus Köln, 5€ [ok]") == []
    assert outside_gsm7("naïve ✓ naïve") == ["ï", "✓"]


@pytest.mark.parametrize(
    ("text", "encoding", "expected_parts"),
    [
        ("a" * 160, "STANDARD", 1),
        ("a" * 161, "STANDARD", 2),
        ("a" * 306, "STANDARD", 2),
        ("a" * 307, "STANDARD", 3),
        ("€" * 80, "STANDARD", 1),
        ("€" * 81, "STANDARD", 2),
        ("a" * 159 + "€", "STANDARD", 2),
        ("a" * 70, "UTF-16", 1),
        ("a" * 71, "UTF-16", 2),
        ("a" * 134, "UTF-16", 2),
        ("a" * 135, "UTF-16", 3),
        ("😀" * 35, "UTF-16", 1),
        ("😀" * 36, "UTF-16", 2),
    ],
)
def test_part_counts_follow_160_153_and_70_67(
    text: str, encoding: str, expected_parts: int
) -> None:
    parts = split_into_parts(text, encoding)
    assert len(parts) == expected_parts
    assert "".join(parts) == text


def test_an_extension_character_is_never_split_across_parts() -> None:
    parts = split_into_parts("a" * 152 + "€" + "b" * 10, "STANDARD")
    assert parts == ("a" * 152, "€" + "b" * 10)
    surrogate = split_into_parts("a" * 66 + "😀" + "bbb", "UTF-16")
    assert surrogate == ("a" * 66, "😀bbb")


def prepared(text: str, **kwargs: Any) -> Any:
    settings = {"encoding": "STANDARD", "invalid_characters": "REFUSE", "max_parts": 20}
    settings.update(kwargs)
    return prepare_text(text, field="messages[0].text", **settings)


def test_refuse_rejects_characters_outside_gsm7_with_422_naming_them() -> None:
    with pytest.raises(ApiError) as caught:
        prepared("Done ✓")
    assert caught.value.status == 422
    assert caught.value.message.startswith("messages[0].text: ")
    assert "U+2713" in caught.value.message


def test_refuse_accepts_the_extension_table() -> None:
    result = prepared("{[~]} | ^ \\ € \f")
    assert result.encoding == "STANDARD"
    assert result.text == "{[~]} | ^ \\ € \f"


def test_replace_puts_a_blank_in_place_of_each_invalid_character() -> None:
    result = prepared("Done ✓ \u2013 ok", invalid_characters="REPLACE")
    assert result.text == "Done     ok"
    assert result.encoding == "STANDARD"


def test_to_utf16_keeps_the_text_and_switches_to_70_67() -> None:
    text = "✓" + "a" * 69
    result = prepared(text, invalid_characters="TO_UTF16")
    assert (result.text, result.encoding, result.part_count) == (text, "UTF-16", 1)
    assert prepared(text + "a", invalid_characters="TO_UTF16").part_count == 2


def test_transliterate_finds_gsm7_look_alikes() -> None:
    result = prepared("„Résumé“ \u2013 naïve… Łódź ✓", invalid_characters="TRANSLITERATE")
    assert result.text == '"Résumé" - naive... Lodz ?'
    assert result.encoding == "STANDARD"
    assert outside_gsm7(transliterate("ÁĆĘŃŚŹŻąćęńśźż œ ™")) == []


def test_utf16_encoding_never_refuses() -> None:
    result = prepared("✓ 你好", encoding="UTF-16")
    assert (result.text, result.encoding) == ("✓ 你好", "UTF-16")


def test_max_parts_truncates_to_whole_parts() -> None:
    result = prepared("a" * 400, max_parts=2)
    assert result.truncated
    assert result.part_count == 2
    assert result.text == "a" * 306
    single = prepared("€" * 100, max_parts=1)
    assert (single.text, single.part_count, single.truncated) == ("€" * 80, 1, True)
    untouched = prepared("a" * 400, max_parts=3)
    assert (untouched.text, untouched.truncated) == ("a" * 400, False)


# --- JobRequest body ----------------------------------------------------------------------------


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


def test_identical_json_gets_the_same_fingerprint_whatever_the_key_order() -> None:
    first = parse_job_request(
        b'{"options": {"qos": "NORMAL", "flash": false}, "messages": [{"text": "a", "recipients": [{"dst": "+4917600000001"}]}]}'
    )
    second = parse_job_request(
        b'{"messages":[{"recipients":[{"dst":"+4917600000001"}],"text":"a"}],"options":{"flash":false,"qos":"NORMAL"}}'
    )
    third = parse_job_request(
        b'{"messages":[{"recipients":[{"dst":"+4917600000001"}],"text":"b"}],"options":{"flash":false,"qos":"NORMAL"}}'
    )
    assert first.fingerprint == second.fingerprint != third.fingerprint


# --- query parameters ---------------------------------------------------------------------------


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


def test_far_future_datetimes_do_not_overflow() -> None:
    interval = parse_interval("9999-12-31T23:30Z/9999-12-31T23:40Z").widened()
    assert interval.end >= interval.start
    assert interval.end - interval.start <= timedelta(hours=1)


# --- edges found by mutation testing --------------------------------------------------------------


@pytest.mark.parametrize(("length", "valid"), [(17, False), (18, True), (38, True), (39, False)])
def test_a_job_id_is_j_dot_and_18_to_38_characters(length: int, valid: bool) -> None:
    assert bool(JOB_ID_PATTERN.fullmatch("J." + "A" * length)) is valid


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


def test_refuse_names_at_most_ten_characters_and_counts_the_rest() -> None:
    text = "".join(chr(0x4E00 + index) for index in range(12))
    with pytest.raises(ApiError) as caught:
        prepare_text(
            text, encoding="STANDARD", invalid_characters="REFUSE", max_parts=20, field="text"
        )
    message = caught.value.message
    assert "U+4E09" in message
    assert "U+4E0A" not in message
    assert message.endswith(" and 2 more")


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
