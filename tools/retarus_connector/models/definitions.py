"""The schemas of the Retarus SMS for Applications REST API v1 (`definitions`).

Facts and their sources are in ../shared/reference/retarus-sms-api.md (section numbers below).
Every field the published connector page lists is here under the same key; the descriptions
replace that page's placeholder ("Foo"), its glued sentences and its missing descriptions.

Request fields carry enums and ranges so makers get pickers and early errors. Response fields
carry none: the API reports some values in another letter case than it accepts (section 8.1,
8.2), and a response that fails its own schema would break flows for no gain, so the allowed
values are spelled out in the descriptions instead. For the same reason their optional fields
admit null (x-nullable).
"""

from __future__ import annotations

from dataclasses import replace

from .schema import (
    ArrayOf,
    Definition,
    EnumValue,
    ObjectOf,
    Property,
    Ref,
    Scalar,
    Visibility,
    date_time,
)
from .summaries import GET_JOB_STATUS_SUMMARY, GET_RECIPIENT_STATUSES_SUMMARY

IMPORTANT = Visibility.IMPORTANT
ADVANCED = Visibility.ADVANCED

# Section 3.1: a numeric sender of up to 20 digits with an optional "+", or up to 11 characters
# from letters, digits, space and ASCII punctuation. The vendor gives a Java regex with
# \p{Punct}; ECMA and Python regexes lack that class, and letters, digits, space and
# punctuation together are exactly the printable ASCII range \x20-\x7E.
SENDER_ID_PATTERN = r"^(\+?[0-9]{1,20}|[\x20-\x7E]{1,11})$"

# Section 3.4: J. followed by 18 to 38 characters, e.g. J.20221116-102407.583-0lajfsfmoXIZJO93PQ.
JOB_ID_PATTERN = r"^J\..{18,38}$"
JOB_ID_EXAMPLE = "J.20221116-102407.583-0lajfsfmoXIZJO93PQ"

INTERVAL_EXAMPLE = "2030-01-01T22:00+01:00/2030-01-02T07:00+01:00"

# Sections 3.1, 6 and 8.5: 0 means "the provider's default"; Retarus raises 1..4 to 5 and lowers
# anything above 2880 to 2880. The schema allows 0..2880, so the designer refuses what Retarus
# would silently change at the top, and the description explains the raise at the bottom.
VALIDITY_MINUTES_MIN = 5  # the least validity besides 0, the provider's default
VALIDITY_MINUTES_MAX = 2880
MAX_PARTS_RANGE = (1, 20)
BILLCODE_MAX_LENGTH = 70
# Section 8.3: Retarus recommends at most 64 characters for a reference, its definitions allow 70
# (a job reference 192 when it is pure US-ASCII). The schema takes the 70 both accept, so that no
# value the designer lets through is refused with a 400.
REFERENCE_MAX_LENGTH = 70
MAX_RECIPIENTS_PER_JOB = 3000

ENCODINGS = (
    EnumValue("STANDARD", "Standard (GSM 7-bit, 160 characters per SMS)"),
    EnumValue("UTF-16", "UTF-16 (any character, 70 characters per SMS)"),
)
INVALID_CHARACTER_HANDLING = (
    EnumValue("REFUSE", "Refuse the job"),
    EnumValue("REPLACE", "Replace each with a blank"),
    EnumValue("TO_UTF16", "Send the message as UTF-16"),
    EnumValue("TRANSLITERATE", "Replace each with a similar character"),
)
QUALITIES_OF_SERVICE = (
    EnumValue("EXPRESS", "Express (time-critical messages)"),
    EnumValue("NORMAL", "Normal"),
)

_INT = Scalar("integer", format="int32")
_TEXT = Scalar("string")
_FLAG = Scalar("boolean")
_BLACKOUT_PERIODS = ArrayOf(_TEXT)


RECIPIENT = ObjectOf(
    (
        Property(
            "dst",
            "Recipient Number",
            "The mobile number that receives the message, best in international format such as "
            "+4917600000000; a number without a country code gets the default country code of "
            "the Retarus account.",
            Scalar("string", min_length=1),
            required=True,
            visibility=IMPORTANT,
        ),
        Property(
            "customerRef",
            "Recipient Reference",
            "Your own reference for this recipient, returned in its delivery report: up to "
            f"{REFERENCE_MAX_LENGTH} characters, at most 64 recommended. When left out, Retarus "
            "uses the recipient's number.",
            Scalar("string", max_length=REFERENCE_MAX_LENGTH),
            visibility=ADVANCED,
        ),
        Property(
            "blackoutPeriods",
            "Recipient Blackout Periods",
            "Time intervals in which this recipient must not receive the message, each an ISO "
            f"8601 interval start/end such as {INTERVAL_EXAMPLE}; sending waits until the "
            "interval ends. When given, this list replaces the job's blackout periods for this "
            "recipient.",
            _BLACKOUT_PERIODS,
            visibility=ADVANCED,
        ),
    )
)

MESSAGE = ObjectOf(
    (
        Property(
            "text",
            "Message Text",
            "The text to send. A standard SMS holds 160 characters (153 per part when a longer "
            "text is split), a UTF-16 SMS holds 70 (67 per part); longer texts are sent in "
            "several parts up to the maximum parts option and cut off beyond it.",
            Scalar("string", min_length=1),
            required=True,
            visibility=IMPORTANT,
        ),
        Property(
            "recipients",
            "Recipients",
            "The mobile numbers that receive this message, at most "
            f"{MAX_RECIPIENTS_PER_JOB:,}; the whole job may address at most "
            f"{MAX_RECIPIENTS_PER_JOB:,} recipients over all its messages.",
            # The limit per job cannot be said in a schema; per message it can.
            ArrayOf(RECIPIENT, min_items=1, max_items=MAX_RECIPIENTS_PER_JOB),
            required=True,
            visibility=IMPORTANT,
        ),
    )
)

OPTIONS = ObjectOf(
    (
        Property(
            "src",
            "Sender ID",
            "The sender shown to recipients: up to 11 letters, digits, spaces or punctuation "
            "characters, or a number of up to 20 digits with an optional leading plus sign.",
            Scalar("string", pattern=SENDER_ID_PATTERN),
            visibility=ADVANCED,
        ),
        Property(
            "encoding",
            "Encoding",
            "The character set of the messages: STANDARD (the GSM 7-bit alphabet, 160 "
            "characters per SMS) or UTF-16 (any character, 70 characters per SMS). Retarus "
            "uses STANDARD when it is left out.",
            Scalar("string", enum=ENCODINGS),
            visibility=ADVANCED,
        ),
        Property(
            "billcode",
            "Billing Code",
            f"A code of up to {BILLCODE_MAX_LENGTH} characters that assigns the cost of the "
            "job, for example a cost center.",
            Scalar("string", max_length=BILLCODE_MAX_LENGTH),
            visibility=ADVANCED,
        ),
        Property(
            "statusRequested",
            "Delivery Notification",
            "Whether to ask the carrier for a delivery notification. With it, a delivered "
            "message ends in status SUC_FIN; without it, in SUC_ACC (accepted by the carrier).",
            _FLAG,
            visibility=ADVANCED,
        ),
        Property(
            "flash",
            "Flash SMS",
            "Whether to send a flash SMS, which appears directly on the recipient's screen. "
            "It costs extra and not every country supports it.",
            _FLAG,
            visibility=ADVANCED,
        ),
        Property(
            "customerRef",
            "Job Reference",
            f"Your own reference for the whole job, returned by {GET_JOB_STATUS_SUMMARY}: up to "
            f"{REFERENCE_MAX_LENGTH} characters, at most 64 recommended.",
            Scalar("string", max_length=REFERENCE_MAX_LENGTH),
            visibility=ADVANCED,
        ),
        Property(
            "validityMin",
            "Validity Minutes",
            "How many minutes the carrier keeps trying to deliver each message. 0 uses the "
            f"provider's default; otherwise the validity runs from {VALIDITY_MINUTES_MIN} to "
            f"{VALIDITY_MINUTES_MAX} minutes (two days), and Retarus raises 1 to "
            f"{VALIDITY_MINUTES_MIN - 1} to {VALIDITY_MINUTES_MIN}.",
            Scalar("integer", format="int32", minimum=0, maximum=VALIDITY_MINUTES_MAX),
            visibility=ADVANCED,
        ),
        Property(
            "maxParts",
            "Maximum Parts",
            f"The most SMS parts a long message may be split into, from {MAX_PARTS_RANGE[0]} "
            f"to {MAX_PARTS_RANGE[1]}; text beyond them is cut off.",
            Scalar(
                "integer", format="int32", minimum=MAX_PARTS_RANGE[0], maximum=MAX_PARTS_RANGE[1]
            ),
            visibility=ADVANCED,
        ),
        Property(
            "invalidCharacters",
            "Invalid Characters Handling",
            "What to do with characters the chosen encoding cannot represent: REFUSE rejects "
            "the job (error 422), REPLACE puts a blank in their place, TO_UTF16 sends the "
            "message as UTF-16 instead, TRANSLITERATE replaces them with similar characters.",
            Scalar("string", enum=INVALID_CHARACTER_HANDLING),
            visibility=ADVANCED,
        ),
        Property(
            "qos",
            "Service Quality",
            "The delivery priority: EXPRESS for time-critical messages such as one-time "
            "passwords, NORMAL for everything else.",
            Scalar("string", enum=QUALITIES_OF_SERVICE),
            visibility=ADVANCED,
        ),
        Property(
            "jobPeriod",
            "Scheduled Start",
            "When Retarus should start sending, as an ISO 8601 date and time with offset such "
            "as 2030-01-01T08:00:00.000+01:00. Leave it out to send at once.",
            date_time(),
            visibility=ADVANCED,
        ),
        Property(
            "duplicateDetection",
            "Duplicate Detection",
            "Whether to refuse the job (error 409) when an identical request was accepted in "
            "the last 10 minutes, which protects against sending twice when a run is retried.",
            _FLAG,
            visibility=ADVANCED,
        ),
        Property(
            "blackoutPeriods",
            "Blackout Periods",
            "Time intervals in which no message of the job may be sent, each an ISO 8601 "
            f"interval start/end such as {INTERVAL_EXAMPLE}. Sending waits until the interval "
            "ends; intervals shorter than one hour are extended to one hour.",
            _BLACKOUT_PERIODS,
            visibility=ADVANCED,
        ),
    )
)

JOB_REQUEST = Definition(
    "JobRequest",
    "An SMS job: one or more messages, each with its own recipients, and options that apply "
    "to the whole job.",
    (
        Property(
            "messages",
            "Messages",
            "The messages of the job; each has its own text and its own recipients, at most "
            f"{MAX_RECIPIENTS_PER_JOB:,} recipients over all messages.",
            ArrayOf(MESSAGE, min_items=1),
            required=True,
            visibility=IMPORTANT,
        ),
        Property(
            "options",
            "Job Options",
            "Settings for every message of the job. Retarus applies the defaults of the Login "
            "ID to every option left out.",
            OPTIONS,
            visibility=ADVANCED,
        ),
    ),
)


def _output(name: str, description: str, properties: tuple[Property, ...]) -> Definition:
    """A definition Retarus returns. Its optional fields admit null: the service writes options
    a job left unset as null (a JobReport's customerRef defaults to null, section 3.3) and
    values not known yet may come the same way, and a null must not fail the schema of the
    answer it sits in (see the module docstring)."""
    return Definition(
        name,
        description,
        tuple(replace(prop, nullable=not prop.required) for prop in properties),
    )


JOB_RESPONSE = _output(
    "JobResponse",
    "The identifier of a job Retarus has just accepted.",
    (
        Property(
            "jobId",
            "Job ID",
            f"The identifier of the new job; pass it to {GET_JOB_STATUS_SUMMARY} and to "
            f"{GET_RECIPIENT_STATUSES_SUMMARY}.",
            _TEXT,
            required=True,
        ),
    ),
)

JOB_REPORT = _output(
    "JobReport",
    "The state of one job and the options it was sent with.",
    (
        Property("jobId", "Job ID", "The identifier of the job.", _TEXT, required=True),
        Property("src", "Sender ID", "The sender ID the job was sent with.", _TEXT),
        Property(
            "encoding",
            "Encoding",
            "The character set of the job in the lower case Retarus reports it in: standard "
            "or utf-16.",
            _TEXT,
        ),
        Property("billcode", "Billing Code", "The billing code given for the job.", _TEXT),
        Property(
            "statusRequested",
            "Delivery Notification",
            "Whether delivery notifications were requested from the carrier.",
            _FLAG,
        ),
        Property("flash", "Flash SMS", "Whether the job was sent as flash SMS.", _FLAG),
        Property(
            "validityMin",
            "Validity Minutes",
            "How many minutes the carrier keeps trying to deliver each message.",
            _INT,
        ),
        Property(
            "customerRef",
            "Job Reference",
            "Your own reference for the job, when one was given.",
            _TEXT,
        ),
        Property(
            "qos",
            "Service Quality",
            "The delivery priority of the job: EXPRESS or NORMAL.",
            _TEXT,
        ),
        Property(
            "receiptTs",
            "Received Time",
            "When Retarus received the job (ISO 8601 date and time).",
            date_time(),
        ),
        Property(
            "finishedTs",
            "Finished Time",
            "When every message of the job had reached its final status (ISO 8601 date and "
            "time); missing while the job is still running.",
            date_time(),
        ),
        Property(
            "recipientIds",
            "SMS IDs",
            f"The identifiers of the job's SMS, one per recipient; {GET_RECIPIENT_STATUSES_SUMMARY} "
            "returns their delivery reports.",
            ArrayOf(_TEXT),
        ),
    ),
)

RECIPIENT_REPORT = _output(
    "RecipientReport",
    "The delivery report for one recipient of a job.",
    (
        Property(
            "smsId",
            "SMS ID",
            "The identifier of the SMS sent to this recipient.",
            _TEXT,
            required=True,
        ),
        Property(
            "dst",
            "Recipient Number",
            "The mobile number of the recipient.",
            _TEXT,
            required=True,
        ),
        Property(
            "processStatus",
            "Process Status",
            "Where processing stands: OPEN (waiting or retrying), RUNNING (sent, waiting for "
            "the delivery notification), DONE (finished), CANCELED or KILL (stopped).",
            _TEXT,
            required=True,
        ),
        Property(
            "status",
            "Delivery Status",
            "The outcome, empty while unknown: SUC_FIN (delivered and confirmed), SUC_ACC "
            "(accepted by the carrier, no notification requested), INVALID_DST (invalid "
            "number), BLOCKED (number blocked), TIMEOUT (validity expired), FAILED_FIN "
            "(delivery failed), CON_ERR, NOT_ACC_FIN, NOT_ACC_REC, SEND_ERR or STATUS_ERR.",
            _TEXT,
        ),
        Property(
            "customerRef",
            "Recipient Reference",
            "Your own reference for this recipient, or its number when none was given.",
            _TEXT,
        ),
        Property(
            "reason",
            "Status Reason",
            "The detail text the carrier gave for the status, if any.",
            _TEXT,
        ),
        Property(
            "sentTs",
            "Sent Time",
            "When the SMS was handed to the carrier (ISO 8601 date and time).",
            date_time(),
        ),
        Property(
            "finishedTs",
            "Finished Time",
            "When the SMS reached its final status (ISO 8601 date and time).",
            date_time(),
        ),
    ),
)

# Section 3.5: Retarus publishes no REST schema for /version; these are the fields of the SOAP
# getVersionInfo answer, which the published connector's definition name matches.
VERSION_INFO_RESPONSE = _output(
    "VersionInfoResponse",
    "Version details of the Retarus SMS service.",
    (
        Property("buildNumber", "Build Number", "The build number of the service.", _INT),
        Property(
            "buildTimestamp",
            "Build Timestamp",
            "When the running build of the service was made, as text.",
            _TEXT,
        ),
        Property("majorVersion", "Major Version", "The major version number of the service.", _INT),
        Property("minorVersion", "Minor Version", "The minor version number of the service.", _INT),
        Property(
            "versionInfo",
            "Version Text",
            "The version of the service as readable text.",
            _TEXT,
        ),
        Property("message", "Service Message", "An optional note from the service.", _TEXT),
    ),
)

# Section 4: the body shape Retarus SDKs parse; clients must also cope with plain text.
ERROR_RESPONSE = _output(
    "ErrorResponse",
    "An error reported by Retarus.",
    (
        Property("message", "Error Message", "What went wrong, in words.", _TEXT),
        Property("code", "Error Code", "The HTTP status code of the error.", _INT),
    ),
)

DEFINITIONS = (
    JOB_REQUEST,
    JOB_RESPONSE,
    JOB_REPORT,
    RECIPIENT_REPORT,
    VERSION_INFO_RESPONSE,
    ERROR_RESPONSE,
)

JOB_REQUEST_REF = Ref(JOB_REQUEST.name)
JOB_RESPONSE_REF = Ref(JOB_RESPONSE.name)
JOB_REPORT_REF = Ref(JOB_REPORT.name)
RECIPIENT_REPORT_REF = Ref(RECIPIENT_REPORT.name)
VERSION_INFO_REF = Ref(VERSION_INFO_RESPONSE.name)
ERROR_REF = Ref(ERROR_RESPONSE.name)
