"""Masking on structure: credentials removed where they sit, values that *are* one replaced,
nothing else touched."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from retarus_connector.runtime import Mask

USER = "demo"
LONG = "L0ng-" + "x7Qz" * 60  # 245 characters
SPECIAL = 'pa"ss\\wo\trd'  # a quote, a backslash and a tab: what JSON escapes
UNICODE = "pässwört-✓-𝄞"


def basic_mask(user: str, password: str) -> Mask:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return Mask(frozenset({user, password, token, f"{user}:{password}"}), frozenset({"x-key"}))


def token_of(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.mark.parametrize("password", ["e", LONG, SPECIAL, UNICODE])
def test_only_values_equal_to_a_credential_are_replaced(password: str) -> None:
    mask = basic_mask(USER, password)
    token = token_of(USER, password)
    body: dict[str, Any] = {
        "customerRef": "order-demo-1",
        "buildNumber": "2025.1-beta",
        "versionInfo": f"prefix {password} suffix",
        "nested": [{"user": USER, "password": password}, 7, True, None, 1.5],
        "echo": f"Basic {token}",
        "token": token,
        "pair": f"{USER}:{password}",
    }
    assert mask.json(body) == {
        "customerRef": "order-demo-1",
        "buildNumber": "2025.1-beta",
        "versionInfo": f"prefix {password} suffix",
        "nested": [{"user": "***", "password": "***"}, 7, True, None, 1.5],
        "echo": "***",
        "token": "***",
        "pair": "***",
    }


def test_a_one_letter_password_leaves_field_names_and_urls_alone() -> None:
    mask = basic_mask("login-4711", "e")
    body = {
        "buildNumber": "e",
        "href": "https://sms4a.eu.retarus.com/rest/v1/version",
        "e": "the key is the password",
    }
    masked = mask.json(body)
    assert masked == {
        "buildNumber": "***",
        "href": "https://sms4a.eu.retarus.com/rest/v1/version",
        "***": "the key is the password",
    }


def test_two_keys_that_are_credentials_do_not_merge() -> None:
    mask = basic_mask("u", "p")
    assert mask.json({"u": 1, "p": 2}) == {"***": 1, "****": 2}


@pytest.mark.parametrize(
    "encode",
    [
        base64.b64encode,
        base64.urlsafe_b64encode,
        lambda data: base64.b64encode(data).rstrip(b"="),
        lambda data: base64.urlsafe_b64encode(data).rstrip(b"="),
    ],
)
def test_a_basic_token_is_recognized_however_it_is_encoded(encode: Any) -> None:
    # "~~~" encodes to characters that differ between the two base64 alphabets.
    password = "pw~~~?>"
    mask = basic_mask("ann", password)
    encoded = encode(f"ann:{password}".encode()).decode()
    assert mask.is_secret(encoded)
    assert mask.is_secret(f"bearer {encoded}")
    assert mask.is_secret(encode(password.encode()).decode())
    assert not mask.is_secret(encode(b"ann:other").decode())


def test_composed_and_decomposed_unicode_count_as_the_same_credential() -> None:
    mask = basic_mask("zoe", "p\u00e4ss")  # composed a-umlaut
    assert mask.is_secret("pa\u0308ss")  # decomposed
    assert not mask.is_secret("pass")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("e", "***"),
        ("  e\n", "***"),
        ("error: e", "error: e"),
        ("<html>e</html>", "<html>e</html>"),
    ],
)
def test_a_text_body_is_masked_whole_or_left_exact(text: str, shown: str) -> None:
    mask = basic_mask("ann", "e")
    assert mask.body(text, is_json=False) == shown


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://ann:pw@h.example/x", "https://***@h.example/x"),
        ("https://h.example/order-demo-1?ref=order-demo-1", None),
        ("https://h.example/items/demo?user=demo&x=1", "https://h.example/items/***?user=***&x=1"),
        ("https://h.example/x?key=k%2F1%202&b=2", "https://h.example/x?key=***&b=2"),
        ("https://demo.h.example:8443/x#frag", "https://***.h.example:8443/x#frag"),
        ("http://127.0.0.1:8080/de1/rest/v1?", None),
    ],
)
def test_urls_lose_user_info_and_credential_parts_only(url: str, shown: str | None) -> None:
    mask = Mask(frozenset({"demo", "pw"}), query=frozenset({"key"}))
    assert mask.url(url) == (url if shown is None else shown)


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("Authorization", "Basic dXNlcjpwYXNz", "Basic ***"),
        ("authorization", "Bearer e", "Bearer ***"),
        ("Set-Cookie", "sid=1; Path=/", "***"),
        ("X-Key", "anything", "***"),
        ("X-Echo", "e", "***"),
        ("X-Note", "the password is e", "the password is e"),
        ("Content-Type", "application/json", "application/json"),
    ],
)
def test_headers(name: str, value: str, shown: str) -> None:
    assert basic_mask("ann", "e").header(name, value) == shown


@pytest.mark.parametrize("password", ["e", SPECIAL, UNICODE, "it's"])
def test_messages_mask_quoted_credentials_and_nothing_else(password: str) -> None:
    mask = basic_mask(USER, password)
    message = (
        f"parameter 'limit': expects an integer, got {password!r}; "
        f"customerRef 'order-demo-1' is too long"
    )
    quote = repr(password)[0]  # Python quotes "it's" with double quotes
    assert mask.message(message) == (
        f"parameter 'limit': expects an integer, got {quote}***{quote}; "
        "customerRef 'order-demo-1' is too long"
    )


def test_a_message_shows_the_url_it_quotes_masked() -> None:
    mask = Mask(frozenset({"k-1"}), query=frozenset({"key"}))
    url = "http://127.0.0.1:9/rest/v1/x?key=k-1&limit=5"
    message = f"Max retries exceeded with url: /rest/v1/x?key=k-1&limit=5 (GET {url})"
    assert mask.message(message, urls=[url]) == (
        "Max retries exceeded with url: /rest/v1/x?key=***&limit=5 "
        "(GET http://127.0.0.1:9/rest/v1/x?key=***&limit=5)"
    )


def test_an_empty_mask_changes_nothing() -> None:
    mask = Mask()
    assert mask.json({"a": ["", "b"]}) == {"a": ["", "b"]}
    assert not mask.is_secret("")
