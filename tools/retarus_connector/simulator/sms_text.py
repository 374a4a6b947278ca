"""SMS text as the simulated API sends it: the GSM-7 and UTF-16 alphabets, the parts a text
needs, and the invalid-character policies and maxParts applied to a message."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from retarus_connector.simulator.errors import ApiError

# GSM 03.38 default alphabet (without the escape code 0x1B) and its extension table, whose
# characters take an escape plus the character, so two septets each.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

SINGLE_PART_UNITS = {"STANDARD": 160, "UTF-16": 70}
MULTI_PART_UNITS = {"STANDARD": 153, "UTF-16": 67}


_TRANSLITERATIONS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "`": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\t": " ",
    "\u2022": "*",
    "\u00b7": ".",
    "\u2122": "TM",
    "\u00a9": "(C)",
    "\u00ae": "(R)",
    "\u00a2": "c",
    "\u00b0": "o",
    "\u00e7": "Ç",
    "\u0153": "oe",
    "\u0152": "OE",
    "\u0142": "l",
    "\u0141": "L",
    "\u0111": "d",
    "\u0110": "D",
    "\u00f0": "d",
    "\u00fe": "th",
    "\u00de": "TH",
}


@dataclass(frozen=True, slots=True)
class PreparedText:
    """A message text as it goes out: after the invalid-character policy and maxParts."""

    text: str
    encoding: str  # "STANDARD" or "UTF-16"
    truncated: bool

    @property
    def parts(self) -> tuple[str, ...]:
        # Derived rather than stored, so a kept job holds each text once: splitting the kept
        # text again gives the same parts, since a truncated text is made of whole parts.
        return split_into_parts(self.text, self.encoding)

    @property
    def part_count(self) -> int:
        return len(self.parts)


def gsm7_units(character: str) -> int | None:
    """Septets a character takes in GSM-7, or None if GSM-7 cannot carry it."""
    if character in GSM7_BASIC:
        return 1
    if character in GSM7_EXTENSION:
        return 2
    return None


def utf16_units(character: str) -> int:
    return 2 if ord(character) > 0xFFFF else 1


def outside_gsm7(text: str) -> list[str]:
    """The distinct characters of `text` that GSM-7 cannot carry, in order of appearance."""
    return list(dict.fromkeys(c for c in text if gsm7_units(c) is None))


def transliterate(text: str) -> str:
    """Replace characters GSM-7 lacks by look-alikes it has; `?` when there is none."""
    out: list[str] = []
    for character in text:
        if gsm7_units(character) is not None:
            out.append(character)
        elif character in _TRANSLITERATIONS:
            out.append(_TRANSLITERATIONS[character])
        else:
            base = "".join(
                c
                for c in unicodedata.normalize("NFKD", character)
                if not unicodedata.combining(c) and gsm7_units(c) is not None
            )
            out.append(base or "?")
    return "".join(out)


def split_into_parts(text: str, encoding: str) -> tuple[str, ...]:
    """The SMS parts `text` needs: one up to 160 (70) units, else parts of 153 (67) units.

    An extension character or a surrogate pair is never split across two parts.
    """
    cost = _unit_cost(encoding)
    if sum(cost(c) for c in text) <= SINGLE_PART_UNITS[encoding]:
        return (text,)
    capacity = MULTI_PART_UNITS[encoding]
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for character in text:
        units = cost(character)
        if used + units > capacity:
            parts.append("".join(current))
            current, used = [], 0
        current.append(character)
        used += units
    parts.append("".join(current))
    return tuple(parts)


def _unit_cost(encoding: str) -> Callable[[str], int]:
    if encoding == "UTF-16":
        return utf16_units
    return lambda c: gsm7_units(c) or 1


def _truncate_to_single_part(text: str, encoding: str) -> str:
    cost = _unit_cost(encoding)
    kept: list[str] = []
    used = 0
    for character in text:
        used += cost(character)
        if used > SINGLE_PART_UNITS[encoding]:
            break
        kept.append(character)
    return "".join(kept)


def prepare_text(
    text: str, *, encoding: str, invalid_characters: str, max_parts: int, field: str
) -> PreparedText:
    """Apply the encoding, the invalid-character policy and maxParts to a message text.

    Raises ApiError 422 when the policy is REFUSE and STANDARD cannot carry the text.
    """
    used_encoding = encoding
    if encoding == "STANDARD":
        invalid = outside_gsm7(text)
        if invalid:
            if invalid_characters == "REFUSE":
                shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in invalid[:10])
                more = f" and {len(invalid) - 10} more" if len(invalid) > 10 else ""
                raise ApiError(
                    422,
                    f"{field}: characters outside the GSM-7 alphabet with encoding STANDARD "
                    f"and invalidCharacters REFUSE: {shown}{more}",
                )
            if invalid_characters == "REPLACE":
                text = "".join(" " if gsm7_units(c) is None else c for c in text)
            elif invalid_characters == "TRANSLITERATE":
                text = transliterate(text)
            else:
                used_encoding = "UTF-16"
    parts = split_into_parts(text, used_encoding)
    if len(parts) <= max_parts:
        return PreparedText(text, used_encoding, truncated=False)
    if max_parts == 1:
        kept = _truncate_to_single_part(text, used_encoding)
        return PreparedText(kept, used_encoding, truncated=True)
    return PreparedText("".join(parts[:max_parts]), used_encoding, truncated=True)
