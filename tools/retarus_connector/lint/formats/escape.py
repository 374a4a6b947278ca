"""Making finding texts safe to print: what a file name or a linted value may hold that a
terminal, a log or a JSON reader must not receive as it is.

- A file name that is not UTF-8 reaches Python with each undecodable byte as a lone surrogate
  (U+DC80 to U+DCFF); no output encoding can carry it. It is shown as `\\xNN`, the byte it
  stands for. Any other lone surrogate (from a `\\ud800` escape in a linted JSON string) is
  shown as `\\uXXXX`.
- In text and GitHub output a control character (C0, DEL, C1) or a line or paragraph
  separator is shown as its escape (`\\n`, `\\t`, `\\x1b`, `\\u2028`), so that a newline in a
  folder name cannot split a finding and an escape sequence cannot drive the terminal.
  JSON escapes control characters itself.

A backslash already in a name is shown as it is; `\\xNN` and `\\uXXXX` are therefore
recognisable as escapes only by their place, which is enough for reading a report.
"""

from __future__ import annotations

import re
from types import MappingProxyType

# Compiling these character classes costs more than most runs spend escaping, and the fast
# tests below settle nearly every text; so they stay text for `re` to compile when needed.
_SURROGATE = "[\ud800-\udfff]"
_UNPRINTABLE = "[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]"
_NAMED = MappingProxyType({"\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _escape(found: re.Match[str]) -> str:
    character = found.group()
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    if character in _NAMED:
        return _NAMED[character]
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def valid_unicode(text: str) -> str:
    """`text` with every lone surrogate shown as its escape: encodable as UTF-8."""
    # isascii() reads a flag of the string: the common case costs nothing
    if text.isascii() or not re.search(_SURROGATE, text):
        return text
    return re.sub(_SURROGATE, _escape, text)


def printable(text: str) -> str:
    """`text` on one line, without control characters or lone surrogates."""
    # isprintable() is false for every character the pattern matches (and for some it leaves,
    # such as a no-break space), so a printable text is left without a regex search
    return text if text.isprintable() else re.sub(_UNPRINTABLE, _escape, text)
