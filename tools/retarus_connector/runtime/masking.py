"""Keeping credentials out of what the runtime shows, decided on structure rather than on text.

A credential is removed where the request puts it (a credential header, the user info of a URL,
a query parameter set from one), and anything else, a response value or a header value, is
replaced only when it *is* a credential: equal to one, equal to the Basic token or to what a
base64 text decodes to, or one of those after an authentication scheme word ("Basic ...").
Parts of unrelated values are never touched: with the user name `demo`, `order-demo-1` stays
as it is, and a one-letter password does not eat that letter out of every field name (where
the stars fell would tell the password).

Only strings are compared; numbers, booleans and null are printed as they came. A JSON object
key that is a credential is masked like a value.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import unquote, unquote_plus, urlsplit

REDACTED = "***"
# Headers that carry a credential whatever the connector says about them.
CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
_AUTH_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*")
# Authentication schemes a credential follows in a header value ("Basic <token>"): the IANA
# registry and the common vendor ones. Any other word before a credential makes another value.
AUTH_SCHEMES = frozenset(
    {
        "apikey",
        "basic",
        "bearer",
        "digest",
        "hoba",
        "key",
        "mutual",
        "negotiate",
        "ntlm",
        "oauth",
        "scram-sha-1",
        "scram-sha-256",
        "sharedaccesssignature",
        "sso-key",
        "ssws",
        "token",
        "vapid",
    }
)
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]{2,}={0,2}")


@dataclass(frozen=True)
class Mask:
    """What must not be shown of one call, and the functions that hide it.

    `values` are the credentials as given, the Basic token as sent and the `user:password` text
    it encodes; `headers` (lower case) and `query` name the request headers and query
    parameters whose whole value came from a credential.
    """

    values: frozenset[str] = field(default=frozenset(), repr=False)
    headers: frozenset[str] = frozenset()
    query: frozenset[str] = frozenset()

    @cached_property
    def _normalized(self) -> frozenset[str]:
        # A server may hand back the composed form of what it was sent decomposed, or the reverse.
        return frozenset(unicodedata.normalize("NFC", value) for value in self.values if value)

    @cached_property
    def _longest_encoded(self) -> int:
        longest = max((len(value.encode("utf-8")) for value in self._normalized), default=0)
        return 4 * (longest // 3 + 1)

    def is_secret(self, text: str) -> bool:
        """Whether `text` is a credential: one of them, one behind an authentication scheme
        ("Bearer <token>"), or the base64 encoding of one (standard or URL-safe alphabet,
        padded or not)."""
        if not text or not self._normalized:
            return False
        if self._equals(text) or self._encodes(text):
            return True
        scheme, blank, rest = text.partition(" ")
        rest = rest.strip(" ")
        if blank and rest and scheme.lower() in AUTH_SCHEMES:
            return self._equals(rest) or self._encodes(rest)
        return False

    def _equals(self, text: str) -> bool:
        if text in self.values:
            return True
        return not text.isascii() and unicodedata.normalize("NFC", text) in self._normalized

    def _encodes(self, text: str) -> bool:
        if len(text) > self._longest_encoded or not _BASE64.fullmatch(text):
            return False
        stripped = text.rstrip("=")
        padded = stripped + "=" * (-len(stripped) % 4)
        alphabet = b"-_" if "-" in padded or "_" in padded else None
        try:
            decoded = base64.b64decode(padded, altchars=alphabet, validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            return False
        return self._equals(decoded)

    def json(self, value: Any) -> Any:
        """A parsed JSON value with every string (value or key) that is a credential replaced."""
        if isinstance(value, str):
            return REDACTED if self.is_secret(value) else value
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, dict):
            masked: dict[str, Any] = {}
            for key, item in value.items():
                shown = key
                if self.is_secret(key):
                    shown = REDACTED
                    # Two keys that are credentials (user and password) must not merge.
                    while shown in masked or shown in value:
                        shown += "*"
                masked[shown] = self.json(item)
            return masked
        return value

    def text(self, text: str) -> str:
        """A body that is not JSON: masked whole when, blanks around it aside, it is a
        credential; exact otherwise."""
        return REDACTED if self.is_secret(text.strip()) else text

    def body(self, value: Any, *, is_json: bool) -> Any:
        if is_json:
            return self.json(value)
        return self.text(value) if isinstance(value, str) else value

    def header(self, name: str, value: str) -> str:
        """A header value to show: a credential header keeps at most its scheme word."""
        if name.lower() in CREDENTIAL_HEADERS | self.headers:
            scheme = self._scheme(name, value)
            return f"{scheme} {REDACTED}" if scheme else REDACTED
        return REDACTED if self.is_secret(value.strip(" \t")) else value

    def _scheme(self, name: str, value: str) -> str:
        """The word before a credential ("Basic", "Bearer", "Token"), safe to show; empty in a
        cookie, when the word is no scheme token, or when a credential begins with it (the
        first word of a passphrase)."""
        if name.lower() in {"cookie", "set-cookie"} or " " not in value.strip(" "):
            return ""
        scheme = value.strip(" ").split(" ", 1)[0]
        if not _AUTH_SCHEME.fullmatch(scheme) or self._equals(scheme):
            return ""
        if any(secret.startswith(f"{scheme} ") for secret in self.values):
            return ""
        return scheme

    def headers_shown(self, headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(name, self.header(name, value)) for name, value in headers]

    def url(self, url: str) -> str:
        """`url` without user info, with every path segment and query value that is a
        credential (or whose parameter was set from one) masked; the rest unchanged."""
        parts = urlsplit(url)
        shown = f"{parts.scheme}:" if parts.scheme else ""
        if parts.netloc or url[len(shown) :].startswith("//"):
            userinfo, at, host = parts.netloc.rpartition("@")
            name, colon, port = host.rpartition(":") if host.count(":") == 1 else (host, "", "")
            labels = ".".join(
                REDACTED if self.is_secret(label) else label for label in name.split(".")
            )
            shown += f"//{REDACTED + at if userinfo or at else ''}{labels}{colon}{port}"
        shown += "/".join(
            REDACTED if self.is_secret(unquote(segment)) else segment
            for segment in parts.path.split("/")
        )
        if "?" in url.split("#", 1)[0]:
            shown += "?" + "&".join(self._query_pair(pair) for pair in parts.query.split("&"))
        if "#" in url:
            shown += "#" + parts.fragment
        return shown

    def _query_pair(self, pair: str) -> str:
        name, equals, value = pair.partition("=")
        if not equals:
            return REDACTED if self.is_secret(unquote_plus(name)) else pair
        if unquote_plus(name) in self.query or self.is_secret(unquote_plus(value)):
            return f"{name}={REDACTED}"
        return pair

    def message(self, text: str, urls: Iterable[str] = ()) -> str:
        """A diagnostic (an error, a warning) with every credential quoted in it masked.

        Messages quote values as Python or JSON strings ('value', "value"), so those quoted
        forms are what is replaced, never a bare substring of a word. `urls` are URLs the
        message may show as they were sent; they are shown masked, and also their path and
        query alone, as HTTP libraries print them.
        """
        for url in urls:
            parts = urlsplit(url)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            shown = urlsplit(self.url(url))
            shown_target = shown.path + (f"?{shown.query}" if shown.query else "")
            text = text.replace(url, self.url(url))
            if target and target != shown_target:
                text = text.replace(target, shown_target)
        forms: dict[str, str] = {}
        for secret in self.values:
            if not secret:
                continue
            for quoted in (
                f"'{secret}'",
                f'"{secret}"',
                json.dumps(secret),
                json.dumps(secret, ensure_ascii=False),
                repr(secret),
            ):
                forms[quoted] = f"{quoted[0]}{REDACTED}{quoted[0]}"
        for quoted in sorted(forms, key=len, reverse=True):
            text = text.replace(quoted, forms[quoted])
        return text
