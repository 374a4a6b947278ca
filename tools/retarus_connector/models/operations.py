"""The five operations of the Retarus SMS for Applications REST API v1.

Descriptions are written for two readers: a maker choosing an action in the designer and a
Copilot Studio agent choosing a tool. Each says when to use the operation and what it returns.
"""

from __future__ import annotations

import enum

from .definitions import (
    ERROR_REF,
    JOB_ID_EXAMPLE,
    JOB_ID_PATTERN,
    JOB_REPORT_REF,
    JOB_REQUEST_REF,
    JOB_RESPONSE_REF,
    RECIPIENT_REPORT_REF,
    VERSION_INFO_REF,
)
from .operation import Location, Method, Operation, Parameter, Response
from .schema import ArrayOf, EnumValue, Scalar, Visibility, date_time
from .summaries import (
    GET_JOB_STATUS_SUMMARY,
    GET_RECIPIENT_STATUSES_SUMMARY,
    GET_VERSION_INFO_SUMMARY,
    LIST_JOBS_SUMMARY,
    SEND_SMS_JOB_SUMMARY,
)


class DataCenter(enum.StrEnum):
    """The two Retarus data centers; a job exists only in the one that accepted it."""

    DE1 = "de1"
    DE2 = "de2"


SEND_HOST = "sms4a.eu.retarus.com"  # load-balanced over de1 and de2; meant for sending only
BASE_PATH = "/rest/v1"
PRIMARY_DATA_CENTER = DataCenter.DE2  # Retarus's own docs call de2 primary (reference 1, 8.14)
DATA_CENTER_HEADER = "dataCenter"
LIST_LIMIT_DEFAULT = 100
LIST_LIMIT_MAX = 1000
LIST_WINDOW_DAYS = 30


# Retarus answers 404 in the data center that did not accept the job, so every read names
# the data center; the descriptions tell makers and agents how to fall back.
_FALLBACK = (
    "A job exists only in the data center that accepted it and the other one answers 404 (not "
    "found), so ask de2 first and de1 after a 404."
)

_DATA_CENTER_CHOICE = (
    "The Retarus data center to ask: de2 (primary, the default) or de1 (secondary)."
)


def _data_center(description: str) -> Parameter:
    return Parameter(
        DATA_CENTER_HEADER,
        Location.HEADER,
        "Data Center",
        description,
        Scalar(
            "string",
            enum=(
                EnumValue(DataCenter.DE1.value, "de1 (secondary data center)"),
                EnumValue(DataCenter.DE2.value, "de2 (primary data center)"),
            ),
            default=PRIMARY_DATA_CENTER.value,
        ),
        required=False,
        visibility=Visibility.ADVANCED,
    )


DATA_CENTER = _data_center(f"{_DATA_CENTER_CHOICE} {_FALLBACK}")
# The version is the same in both data centers; the choice lets a maker check each one.
VERSION_DATA_CENTER = _data_center(
    f"{_DATA_CENTER_CHOICE} Both run the same service; choose de1 to check that the secondary "
    "data center can be reached."
)

_JOB_ID_DESCRIPTION = f"The job ID that {SEND_SMS_JOB_SUMMARY} returned, such as {JOB_ID_EXAMPLE}."


def _job_id(location: Location) -> Parameter:
    return Parameter(
        "jobId",
        location,
        "Job ID",
        _JOB_ID_DESCRIPTION,
        Scalar("string", pattern=JOB_ID_PATTERN),
        required=True,
        visibility=Visibility.IMPORTANT,
    )


def _error(status: int, description: str) -> Response:
    return Response(status, description, ERROR_REF)


_UNAUTHORIZED = _error(401, "The Login ID or the password was rejected.")
_NOT_IN_DATA_CENTER = _error(
    404, "The job is unknown in this data center; ask the other data center."
)
_DEFAULT = Response(None, "The request failed; the status code and the body tell why.")

SEND_SMS_JOB = Operation(
    "SendSmsJob",
    Method.POST,
    "/jobs",
    SEND_SMS_JOB_SUMMARY,
    "Sends one or more text messages, each to one or more mobile numbers, as one Retarus SMS "
    "job, and returns the ID of the new job. Use it whenever an SMS has to go out; keep the "
    f"job ID to check delivery later with {GET_JOB_STATUS_SUMMARY} or "
    f"{GET_RECIPIENT_STATUSES_SUMMARY}.",
    (
        Parameter(
            "body",
            Location.BODY,
            "SMS Job",
            "The messages to send, their recipients and the options for the whole job.",
            JOB_REQUEST_REF,
            required=True,
            visibility=Visibility.IMPORTANT,
        ),
    ),
    (
        Response(201, "Retarus accepted the job; the body holds its job ID.", JOB_RESPONSE_REF),
        _error(
            400,
            "The job was malformed: a required field is missing, a value is out of range, a "
            "blackout period is not a valid interval or the job has more than 3,000 recipients.",
        ),
        _UNAUTHORIZED,
        _error(
            409,
            "Duplicate detection is on and the same request was accepted in the last 10 minutes.",
        ),
        _error(
            422,
            "Invalid characters handling is REFUSE and a text holds characters the encoding "
            "cannot represent.",
        ),
        _DEFAULT,
    ),
    requires_confirmation=True,
)

LIST_JOBS = Operation(
    "ListJobs",
    Method.GET,
    "/jobs",
    LIST_JOBS_SUMMARY,
    f"Lists the IDs of the jobs one Retarus data center holds, for a window of up to "
    f"{LIST_WINDOW_DAYS} days and optionally only open or only completed jobs, one page at a "
    "time. Use it to find jobs whose IDs were not kept; each entry carries at least the job "
    "ID. Each data center lists only its own jobs, so ask de2 and de1 to see them all.",
    (
        Parameter(
            "jobIdsOnly",
            Location.QUERY,
            "Job IDs Only",
            "Returns only job IDs; Retarus supports no other value than true, so the connector "
            "always sends true.",
            Scalar("boolean", enum=(EnumValue(True, "Yes"),), default=True),
            required=True,
            # Fixed by the API, so hidden from makers and agents; the default is sent for them.
            visibility=Visibility.INTERNAL,
        ),
        Parameter(
            "fromTs",
            Location.QUERY,
            "From Time",
            f"The start of the window, as an ISO 8601 date and time; at most {LIST_WINDOW_DAYS} "
            "days before the end of the window.",
            date_time(),
            required=False,
            visibility=Visibility.ADVANCED,
        ),
        Parameter(
            "toTs",
            Location.QUERY,
            "To Time",
            "The end of the window, as an ISO 8601 date and time after its start.",
            date_time(),
            required=False,
            visibility=Visibility.ADVANCED,
        ),
        Parameter(
            "open",
            Location.QUERY,
            # No means "completed only", not "all": the label says so, since makers pick Yes
            # or No from it without reading the description.
            "Open (Yes) or Completed (No)",
            "Yes (true) lists only jobs still running, No (false) only completed jobs; leave it "
            "out to list both.",
            Scalar("boolean"),
            required=False,
            visibility=Visibility.ADVANCED,
        ),
        Parameter(
            "offset",
            Location.QUERY,
            "Offset",
            "How many jobs to skip before the first one returned, for paging through long lists.",
            Scalar("integer", format="int32", minimum=0, default=0),
            required=False,
            visibility=Visibility.ADVANCED,
        ),
        Parameter(
            "limit",
            Location.QUERY,
            "Maximum Results",
            f"The most jobs to return, from 1 to {LIST_LIMIT_MAX}; {LIST_LIMIT_DEFAULT} when "
            "left out.",
            # Reference 3.2 and 8.6: 0 < limit <= 1000 (the published page's 0 returns nothing
            # useful), and every Retarus SDK sends 100 when the caller gives none.
            Scalar(
                "integer",
                format="int32",
                minimum=1,
                maximum=LIST_LIMIT_MAX,
                default=LIST_LIMIT_DEFAULT,
            ),
            required=False,
            visibility=Visibility.ADVANCED,
        ),
        DATA_CENTER,
    ),
    (
        Response(200, "The jobs found in this data center.", ArrayOf(JOB_REPORT_REF)),
        _error(
            400,
            f"A parameter is invalid, for example a window longer than {LIST_WINDOW_DAYS} days "
            "or one that ends before it starts.",
        ),
        _UNAUTHORIZED,
        _DEFAULT,
    ),
    routed_by_data_center=True,
)

GET_JOB_STATUS = Operation(
    "GetJobStatus",
    Method.GET,
    "/jobs/{jobId}",
    GET_JOB_STATUS_SUMMARY,
    "Returns the state of one job: the options it was sent with, when Retarus received it, "
    "when it finished (empty while it is running) and the SMS IDs of its recipients. Use it "
    "to learn whether a job is complete; for the delivery result of each recipient use "
    f"{GET_RECIPIENT_STATUSES_SUMMARY}. {_FALLBACK}",
    (_job_id(Location.PATH), DATA_CENTER),
    (
        Response(200, "The state of the job.", JOB_REPORT_REF),
        _error(400, "The job ID is malformed."),
        _UNAUTHORIZED,
        _NOT_IN_DATA_CENTER,
        _DEFAULT,
    ),
    routed_by_data_center=True,
)

GET_RECIPIENT_STATUSES = Operation(
    "GetRecipientStatuses",
    Method.GET,
    "/sms",
    GET_RECIPIENT_STATUSES_SUMMARY,
    "Returns one delivery report per recipient of a job: the number, the processing state, "
    "the delivery status such as SUC_FIN (delivered) or INVALID_DST (invalid number), the "
    "carrier's reason and when the SMS was sent and finished. Use it to find out whether each "
    f"message reached its recipient. {_FALLBACK}",
    (_job_id(Location.QUERY), DATA_CENTER),
    (
        Response(
            200,
            "The delivery reports, one per recipient.",
            ArrayOf(RECIPIENT_REPORT_REF),
        ),
        _error(400, "The job ID is missing or malformed."),
        _UNAUTHORIZED,
        _NOT_IN_DATA_CENTER,
        _DEFAULT,
    ),
    routed_by_data_center=True,
)

GET_VERSION_INFO = Operation(
    "GetVersionInfo",
    Method.GET,
    "/version",
    GET_VERSION_INFO_SUMMARY,
    "Returns the version and build of the Retarus SMS for Applications service, as one data "
    "center (de2 unless Data Center says de1) reports it. Use it to check that the service can "
    "be reached; it tells nothing about jobs or messages.",
    # Retarus names sms4a.eu "only to send SMS" and every Retarus SDK reads /version from the
    # data centers (reference 1), so the version is read there like the job reads.
    (VERSION_DATA_CENTER,),
    (
        Response(200, "The version of the service.", VERSION_INFO_REF),
        _UNAUTHORIZED,
        _DEFAULT,
    ),
    routed_by_data_center=True,
)

OPERATIONS = (
    SEND_SMS_JOB,
    LIST_JOBS,
    GET_JOB_STATUS,
    GET_RECIPIENT_STATUSES,
    GET_VERSION_INFO,
)
