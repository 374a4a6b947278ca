"""Unit tests of the simulator's SMS text rules: the GSM-7 tables, GSM-7/UTF-16 part counting,
the invalid-character policies and maxParts."""

from __future__ import annotations

from typing import Any

import pytest

from retarus_connector.simulator.errors import ApiError
from retarus_connector.simulator.sms_text import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    outside_gsm7,
    prepare_text,
    split_into_parts,
    transliterate,
)


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
