"""Credentials out of finding messages.

Rules quote the values they find wrong, and a wrong value may be a URL that carries a user
name and password (`https://user:secret@host`, or a `host` written `user:secret@host`) or a
token in its query or fragment. The engine passes every message through `redact_urls` before
it becomes a finding, so no rule can print such a credential, whatever field it sits in.
"""

from __future__ import annotations

import re

# the authority's user information of a URL with a scheme, up to its last "@"
_URL_USER_INFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s'\"]*@")
# the query and fragment of a URL with a scheme: shown as "?..."
_URL_QUERY = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^\s'\"?#]*)[?#][^\s'\"]*")
# "user:password@host" without a scheme (how a swagger `host` may hold them); an e-mail
# address has no colon before its "@" and stays
_BARE_USER_INFO = re.compile(r"(?<![\w.+-])[^\s'\"/@:]+:[^\s'\"/@]*@(?=[\w\[])")


def redact_urls(message: str) -> str:
    """`message` with URLs shown without user name, password, query and fragment."""
    if "@" not in message and "://" not in message:
        return message
    message = _URL_USER_INFO.sub(r"\1", message)
    message = _URL_QUERY.sub(r"\1?...", message)
    return _BARE_USER_INFO.sub("", message)
