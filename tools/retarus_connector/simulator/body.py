"""Reading a request body within the simulator's size limit.

A body over the limit is refused (413) from its declared Content-Length before any of it is
read; a chunked body is counted while it arrives and cut off at the limit. The environ key
BODY_READ tells the server that the body was consumed, so it knows whether unread bytes may
still be on their way (and the connection must be drained before it is closed).
"""

from __future__ import annotations

import re
from typing import Any

from retarus_connector.simulator.errors import ApiError, bad_request

# The largest plausible legal job, 3,000 single-recipient messages each with a full 20-part
# GSM-7 text and the longest references, is about 10 MB of JSON; 16 MiB leaves room for it.
DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024
BODY_READ = "retarus_simulator.body_read"

_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,8}")


def too_large(limit: int, detail: str) -> ApiError:
    return ApiError(413, f"request body: {detail} is over the simulator's limit of {limit} bytes")


def read_body(environ: dict[str, Any], limit: int) -> bytes:
    """The request body from environ["wsgi.input"], at most `limit` bytes.

    ApiError: 413 over the limit, 400 for a malformed length or chunked coding or a body
    that ends early, 408 when it does not arrive in time.
    """
    stream = environ["wsgi.input"]
    try:
        if "chunked" in str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower():
            data = _read_chunked(stream, limit)
        else:
            data = _read_sized(stream, str(environ.get("CONTENT_LENGTH") or "").strip(), limit)
    except TimeoutError:
        raise ApiError(
            408, "request body: did not arrive in time; the connection is closed"
        ) from None
    except OSError as error:  # the client went away while sending
        raise bad_request(
            "request body", f"the connection failed while it was read ({error.strerror or error})"
        ) from None
    environ[BODY_READ] = True
    return data


def _read_sized(stream: Any, declared: str, limit: int) -> bytes:
    if not declared:
        return b""
    if not declared.isdigit() or not declared.isascii():
        raise bad_request("Content-Length", f"{declared[:40]!r} is not a number of bytes")
    length = int(declared)
    if length > limit:
        raise too_large(limit, f"Content-Length {length}")
    data: bytes = stream.read(length) if length else b""
    if len(data) < length:
        raise bad_request("request body", f"ended after {len(data)} of {length} bytes")
    return data


def _read_chunked(stream: Any, limit: int) -> bytes:
    """A body in HTTP/1.1 chunked transfer coding (RFC 9112, 7.1), trailers skipped."""
    data = bytearray()
    while True:
        size_line = stream.readline(1024)
        size_text = size_line.split(b";", 1)[0].strip()
        if not _CHUNK_SIZE.fullmatch(size_text):
            raise bad_request("request body", "malformed chunked transfer coding: bad chunk size")
        size = int(size_text, 16)
        if size == 0:
            for _ in range(100):  # trailer fields, as many as headers may be
                if not stream.readline(8192).strip():
                    return bytes(data)
            raise bad_request("request body", "malformed chunked transfer coding: endless trailer")
        if len(data) + size > limit:
            raise too_large(limit, f"a chunked body of more than {len(data) + size} bytes")
        chunk = stream.read(size)
        if len(chunk) < size or stream.readline(1024).strip():
            raise bad_request(
                "request body", "malformed chunked transfer coding: a chunk ends early"
            )
        data += chunk
