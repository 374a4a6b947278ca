"""Finding messages safe to print: no credentials, no value of megabytes.

Rules quote the values they find wrong, and a wrong value may be a URL that carries a user
name and password (`https://user:secret@host`, or a `host` written `user:secret@host`) or a
token in its query or fragment. The engine passes every message through `redact_urls` before
it becomes a finding, so no rule can print such a credential, whatever field it sits in.

Rules also quote values whole, and a value may be a whole file's worth of text (a 1 MB `host`
or default). `shorten` keeps a message's start and end, where rules put the field and the
advice, and says how much it left out, so one such value cannot flood a terminal or a report.
"""

from __future__ import annotations

import re

# Patterns as text: `re` compiles them the first time a message holds a URL or an "@".
# the authority's user information of a URL with a scheme, up to its last "@"
_URL_USER_INFO = r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s'\"]*@"
# the query and fragment of a URL with a scheme: shown as "?..."
_URL_QUERY = r"(?i)(\b[a-z][a-z0-9+.-]*://[^\s'\"?#]*)[?#][^\s'\"]*"
# "user:password@host" without a scheme (how a swagger `host` may hold them); an e-mail
# address has no colon before its "@" and stays
_BARE_USER_INFO = r"(?<![\w.+-])[^\s'\"/@:]+:[^\s'\"/@]*@(?=[\w\[])"


def redact_urls(message: str) -> str:
    """`message` with URLs shown without user name, password, query and fragment."""
    if "@" not in message and "://" not in message:
        return message
    message = re.sub(_URL_USER_INFO, r"\1", message)
    message = re.sub(_URL_QUERY, r"\1?...", message)
    return re.sub(_BARE_USER_INFO, "", message)


# the longest message in the reference corpus has about 320 characters
MAX_MESSAGE_CHARACTERS = 1000
_KEPT_START = 600
_KEPT_END = 300


def shorten(message: str) -> str:
    """`message` itself, or its start and end around a note of what was left out when it is
    longer than `MAX_MESSAGE_CHARACTERS`."""
    if len(message) <= MAX_MESSAGE_CHARACTERS:
        return message
    left_out = len(message) - _KEPT_START - _KEPT_END
    return (
        f"{message[:_KEPT_START]} [... {left_out:,} characters left out ...] {message[-_KEPT_END:]}"
    )
