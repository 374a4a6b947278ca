"""Request validation for the simulated API: the JobRequest body and the query parameters.

Every rejection is an `ApiError` whose message starts with the offending field, e.g.
`messages[0].recipients[2].dst: is required`. Date-times live in `iso8601`, the text rules in
`sms_text`.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from retarus_connector.core.jsontype import kind_of
from retarus_connector.simulator.errors import bad_request
from retarus_connector.simulator.iso8601 import Interval, parse_datetime, parse_interval

MAX_RECIPIENTS_PER_JOB = 3000
DEFAULT_VALIDITY_MIN = 2880  # what the simulator reports when the provider default applies
MIN_VALIDITY_MIN = 5
MAX_VALIDITY_MIN = 2880
MAX_PARTS_LIMIT = 20
BILLCODE_MAX = 70
RECIPIENT_REF_MAX = 70
JOB_REF_MAX = 70
JOB_REF_MAX_ASCII = 192

ENCODINGS = ("STANDARD", "UTF-16")
INVALID_CHARACTER_POLICIES = ("REFUSE", "REPLACE", "TO_UTF16", "TRANSLITERATE")
QOS_LEVELS = ("EXPRESS", "NORMAL")
# The account setting that applies when a request names no policy: the text goes out intact.
DEFAULT_INVALID_CHARACTERS = "TO_UTF16"

# Numeric: optional "+", 1-20 digits. Alphanumeric: 1-11 of letters, digits, space and ASCII
# punctuation, which together are exactly the printable ASCII range.
SENDER_ID = re.compile(r"\+?[0-9]{1,20}|[\x20-\x7e]{1,11}")

JOB_ID_PATTERN = re.compile(r"J\..{18,38}", re.S)


@dataclass(frozen=True)
class RecipientRequest:
    dst: str
    customer_ref: str | None
    blackout_periods: tuple[Interval, ...] | None  # None: the job's list applies


@dataclass(frozen=True)
class MessageRequest:
    text: str
    recipients: tuple[RecipientRequest, ...]


@dataclass(frozen=True)
class JobOptions:
    src: str | None = None
    encoding: str = "STANDARD"
    billcode: str | None = None
    status_requested: bool = False
    flash: bool = False
    customer_ref: str | None = None
    validity_min: int = DEFAULT_VALIDITY_MIN
    max_parts: int = MAX_PARTS_LIMIT
    invalid_characters: str = DEFAULT_INVALID_CHARACTERS
    qos: str = "NORMAL"
    job_period: datetime | None = None
    duplicate_detection: bool = False
    blackout_periods: tuple[Interval, ...] = ()


@dataclass(frozen=True)
class JobRequest:
    options: JobOptions
    messages: tuple[MessageRequest, ...]
    # sha256 of the request's JSON in canonical form: duplicate detection compares requests
    # without keeping them
    digest: str

    @property
    def recipient_count(self) -> int:
        return sum(len(message.recipients) for message in self.messages)


# --- the JobRequest body ----------------------------------------------------------------------

_TOP_LEVEL_FIELDS = frozenset({"messages", "options"})
_MESSAGE_FIELDS = frozenset({"text", "recipients"})
_RECIPIENT_FIELDS = frozenset({"dst", "customerRef", "blackoutPeriods"})
_OPTION_FIELDS = frozenset(
    {
        "src",
        "encoding",
        "billcode",
        "statusRequested",
        "flash",
        "customerRef",
        "validityMin",
        "maxParts",
        "invalidCharacters",
        "qos",
        "jobPeriod",
        "duplicateDetection",
        "blackoutPeriods",
    }
)


def parse_json(raw: bytes) -> Any:
    """The request body as JSON, or 400 saying why not."""
    if not raw.strip():
        raise bad_request("request body", "is empty; a JSON JobRequest is required")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise bad_request("request body", "is not UTF-8") from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise bad_request(
            "request body",
            f"malformed JSON at line {error.lineno} column {error.colno}: {error.msg}",
        ) from None
    except (ValueError, RecursionError) as error:
        raise bad_request("request body", f"malformed JSON: {error}") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_job_request(raw: bytes, *, strict: bool = False) -> JobRequest:
    """Validate a POST /jobs body. `strict` also rejects properties the API does not define."""
    body = parse_json(raw)
    if not isinstance(body, dict):
        raise bad_request("request body", f"must be a JSON object, not {kind_of(body)}")
    if strict:
        _reject_unknown(body, _TOP_LEVEL_FIELDS, "")
    options_value = body.get("options")
    if options_value is not None and not isinstance(options_value, dict):
        raise bad_request("options", f"must be an object, not {kind_of(options_value)}")
    options = _parse_options(options_value or {}, strict=strict)
    messages_value = _required_array(body.get("messages"), "messages", "message")
    messages = tuple(
        _parse_message(value, f"messages[{index}]", strict=strict)
        for index, value in enumerate(messages_value)
    )
    total = sum(len(message.recipients) for message in messages)
    if total > MAX_RECIPIENTS_PER_JOB:
        raise bad_request(
            "messages",
            f"a job may have at most {MAX_RECIPIENTS_PER_JOB} recipients in all; this one has {total}",
        )
    return JobRequest(options=options, messages=messages, digest=canonical_digest(body))


def canonical_digest(body: Any) -> str:
    """sha256 of `body` as canonical JSON (sorted keys, no blanks, ASCII).

    The canonical text lives only while it is hashed; json's C encoder makes it in one go,
    several times faster than encoding piece by piece.
    """
    try:
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    except (ValueError, RecursionError):
        raise bad_request("request body", "is nested too deeply") from None
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _parse_options(options: dict[str, Any], *, strict: bool) -> JobOptions:
    if strict:
        _reject_unknown(options, _OPTION_FIELDS, "options.")

    src = _optional_string(options.get("src"), "options.src")
    if src is not None and not SENDER_ID.fullmatch(src):
        raise bad_request(
            "options.src",
            f"{src!r} is not a valid sender ID: use a number of 1-20 digits with an optional "
            "leading + or 1-11 letters, digits, spaces or ASCII punctuation",
        )
    billcode = _optional_string(options.get("billcode"), "options.billcode")
    if billcode is not None and len(billcode) > BILLCODE_MAX:
        raise bad_request(
            "options.billcode", f"is {len(billcode)} characters long; at most {BILLCODE_MAX}"
        )
    customer_ref = _optional_string(options.get("customerRef"), "options.customerRef")
    if customer_ref is not None:
        limit = JOB_REF_MAX_ASCII if customer_ref.isascii() else JOB_REF_MAX
        if len(customer_ref) > limit:
            raise bad_request(
                "options.customerRef",
                f"is {len(customer_ref)} characters long; at most {JOB_REF_MAX_ASCII} "
                f"US-ASCII or {JOB_REF_MAX} other characters",
            )
    validity = options.get("validityMin")
    validity_min = DEFAULT_VALIDITY_MIN
    if validity is not None:
        requested = _integer(validity, "options.validityMin")
        if requested != 0:  # 0 asks for the provider default
            validity_min = min(max(requested, MIN_VALIDITY_MIN), MAX_VALIDITY_MIN)
    max_parts_value = options.get("maxParts")
    max_parts = MAX_PARTS_LIMIT
    if max_parts_value is not None:
        max_parts = min(max(_integer(max_parts_value, "options.maxParts"), 1), MAX_PARTS_LIMIT)
    job_period = None
    if options.get("jobPeriod") is not None:
        period_text = _string(options.get("jobPeriod"), "options.jobPeriod")
        try:
            job_period = parse_datetime(period_text)
        except ValueError as error:
            raise bad_request("options.jobPeriod", str(error)) from None
    blackouts = _blackout_list(options.get("blackoutPeriods"), "options.blackoutPeriods")
    return JobOptions(
        src=src,
        encoding=_enum(options.get("encoding"), "options.encoding", ENCODINGS) or "STANDARD",
        billcode=billcode,
        status_requested=_optional_boolean(
            options.get("statusRequested"), "options.statusRequested"
        ),
        flash=_optional_boolean(options.get("flash"), "options.flash"),
        customer_ref=customer_ref,
        validity_min=validity_min,
        max_parts=max_parts,
        invalid_characters=_enum(
            options.get("invalidCharacters"),
            "options.invalidCharacters",
            INVALID_CHARACTER_POLICIES,
        )
        or DEFAULT_INVALID_CHARACTERS,
        qos=_enum(options.get("qos"), "options.qos", QOS_LEVELS) or "NORMAL",
        job_period=job_period,
        duplicate_detection=_optional_boolean(
            options.get("duplicateDetection"), "options.duplicateDetection"
        ),
        blackout_periods=blackouts or (),
    )


def _parse_message(value: Any, field: str, *, strict: bool) -> MessageRequest:
    value = _object(value, field, _MESSAGE_FIELDS, strict=strict)
    text = _required_text(value.get("text"), f"{field}.text")
    recipients = _required_array(value.get("recipients"), f"{field}.recipients", "recipient")
    if len(recipients) > MAX_RECIPIENTS_PER_JOB:
        raise bad_request(
            f"{field}.recipients",
            f"a job may have at most {MAX_RECIPIENTS_PER_JOB} recipients in all; "
            f"this message alone has {len(recipients)}",
        )
    return MessageRequest(
        text=text,
        recipients=tuple(
            _parse_recipient(item, f"{field}.recipients[{index}]", strict=strict)
            for index, item in enumerate(recipients)
        ),
    )


def _parse_recipient(value: Any, field: str, *, strict: bool) -> RecipientRequest:
    value = _object(value, field, _RECIPIENT_FIELDS, strict=strict)
    # anything but an empty dst is accepted; a non-number ends INVALID_DST at delivery
    dst = _required_text(value.get("dst"), f"{field}.dst")
    customer_ref = _optional_string(value.get("customerRef"), f"{field}.customerRef")
    if customer_ref is not None and len(customer_ref) > RECIPIENT_REF_MAX:
        raise bad_request(
            f"{field}.customerRef",
            f"is {len(customer_ref)} characters long; at most {RECIPIENT_REF_MAX}",
        )
    return RecipientRequest(
        dst=dst,
        customer_ref=customer_ref,
        blackout_periods=_blackout_list(value.get("blackoutPeriods"), f"{field}.blackoutPeriods"),
    )


def _blackout_list(value: Any, field: str) -> tuple[Interval, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise bad_request(field, f"must be an array of ISO-8601 intervals, not {kind_of(value)}")
    intervals: list[Interval] = []
    for index, item in enumerate(value):
        text = _string(item, f"{field}[{index}]")
        try:
            intervals.append(parse_interval(text))
        except ValueError as error:
            raise bad_request(f"{field}[{index}]", str(error)) from None
    return tuple(intervals)


def _object(value: Any, field: str, known: frozenset[str], *, strict: bool) -> dict[str, Any]:
    """A message or recipient object; `strict` rejects the properties the API does not define."""
    if not isinstance(value, dict):
        raise bad_request(field, f"must be an object, not {kind_of(value)}")
    if strict:
        _reject_unknown(value, known, f"{field}.")
    return value


def _required_array(value: Any, field: str, item: str) -> list[Any]:
    """A required array of at least one `item`."""
    if value is None:
        raise bad_request(field, "is required")
    if not isinstance(value, list):
        raise bad_request(field, f"must be an array, not {kind_of(value)}")
    if not value:
        raise bad_request(field, f"must contain at least one {item}")
    return value


def _reject_unknown(value: dict[str, Any], known: frozenset[str], prefix: str) -> None:
    for key in value:
        if key not in known:
            raise bad_request(f"{prefix}{key}", "is not a property the API defines")


# --- scalars ----------------------------------------------------------------------------------


def _string(value: Any, field: str) -> str:
    if not isinstance(value, str):
        raise bad_request(field, f"must be a string, not {kind_of(value)}")
    return value


def _required_text(value: Any, field: str) -> str:
    if value is None:
        raise bad_request(field, "is required")
    text = _string(value, field)
    if not text:
        raise bad_request(field, "must not be empty")
    return text


def _optional_string(value: Any, field: str) -> str | None:
    return None if value is None else _string(value, field)


def _optional_boolean(value: Any, field: str) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise bad_request(field, f"must be true or false, not {kind_of(value)}")


def _integer(value: Any, field: str) -> int:
    if isinstance(value, bool):
        raise bad_request(field, "must be an integer, not a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[+-]?[0-9]{1,18}", value):
        return int(value)
    raise bad_request(field, f"must be an integer, not {kind_of(value)}")


def _enum(value: Any, field: str, allowed: tuple[str, ...]) -> str | None:
    """The canonical spelling of an enum value; any letter case is accepted."""
    if value is None:
        return None
    text = _string(value, field)
    for name in allowed:
        if text.isascii() and text.upper() == name:
            return name
    raise bad_request(field, f"{text!r} is not one of {', '.join(allowed)}")


# --- query parameters -------------------------------------------------------------------------


def query_boolean(name: str, value: str) -> bool:
    """A boolean query parameter: true or false in any letter case."""
    lowered = value.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    raise bad_request(name, f"{value!r} is not true or false")


def query_integer(name: str, value: str, *, minimum: int, maximum: int | None = None) -> int:
    text = value.strip()
    if not re.fullmatch(r"[+-]?[0-9]{1,18}", text):
        raise bad_request(name, f"{value!r} is not an integer")
    number = int(text)
    if number < minimum or (maximum is not None and number > maximum):
        bounds = (
            f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        )
        raise bad_request(name, f"must be {bounds}, not {number}")
    return number


def query_datetime(name: str, value: str) -> datetime:
    # An unencoded "+" in a query string arrives as a space; no date-time contains one.
    try:
        return parse_datetime(value.strip().replace(" ", "+"))
    except ValueError as error:
        raise bad_request(name, str(error)) from None
