"""The simulated Retarus SMS REST API v1 as a WSGI application.

One app serves all three sites. On the real Retarus host names the host decides
(sms4a.eu / sms4a.de1 / sms4a.de2.retarus.com); on any other host (the local server) the path
does: /rest/v1 is the eu facade, /de1/rest/v1 and /de2/rest/v1 are the data centers.

Order of checks: unknown path 404, method the endpoint lacks 405 (with Allow), missing or
wrong credentials 401 (GET /version is anonymous), then the endpoint's own checks (a malformed
job ID 400 before an unknown one 404).
Every error body is `{"message": "<field>: <problem>", "code": <status>}`.
"""

from __future__ import annotations

import base64
import binascii
import http
import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from retarus_connector import __version__
from retarus_connector.simulator.body import DEFAULT_MAX_BODY_BYTES, read_body
from retarus_connector.simulator.errors import ApiError, bad_request
from retarus_connector.simulator.hosts import RETARUS_HOSTS
from retarus_connector.simulator.iso8601 import format_datetime, safe_add
from retarus_connector.simulator.state import DATACENTERS, Job, Recipient, SimulatorState
from retarus_connector.simulator.validation import (
    JOB_ID_PATTERN,
    parse_job_request,
    query_boolean,
    query_datetime,
    query_integer,
)

API_PREFIX = "/rest/v1"
LIST_WINDOW = timedelta(days=30)
DEFAULT_LIST_LIMIT = 100
MAX_LIST_LIMIT = 1000
VERSION = {
    "buildNumber": 1,
    "buildTimestamp": "2025-01-06T08:00:00.000Z",
    "majorVersion": 1,
    "minorVersion": 0,
}

_logger = logging.getLogger(__name__)
_PORT_SUFFIX = re.compile(r":[0-9]*$")

StartResponse = Callable[..., Any]


@dataclass(frozen=True)
class Response:
    status: int
    body: Any
    headers: tuple[tuple[str, str], ...] = field(default=())


@dataclass(frozen=True)
class Request:
    site: str  # "eu", "de1" or "de2"
    method: str
    path: str  # below /rest/v1, e.g. "/jobs/J.123..."
    query: dict[str, str]
    environ: dict[str, Any]


Handler = Callable[["SimulatorApp", Request, dict[str, str]], Response]


class SimulatorApp:
    """WSGI callable: `SimulatorApp(SimulatorState(...))`.

    max_body_bytes: the largest request body read; a larger one is answered 413.
    """

    def __init__(
        self, state: SimulatorState, *, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    ) -> None:
        if max_body_bytes < 1:
            raise ValueError("max_body_bytes must be 1 or more")
        self.state = state
        self.max_body_bytes = max_body_bytes

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        try:
            response = self._handle(environ, method)
        except ApiError as error:
            response = Response(error.status, error.body(), _error_headers(error.status))
        except Exception:
            # A bug in the simulator; the property tests exist to keep this branch unreached.
            _logger.exception("simulator failed on %s %s", method, environ.get("PATH_INFO"))
            response = Response(500, {"message": "internal simulator error", "code": 500})
        payload = _encode(response.body)
        status = http.HTTPStatus(response.status)
        start_response(
            f"{status.value} {status.phrase}",
            [
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Length", str(len(payload))),
                *response.headers,
            ],
        )
        return [] if method == "HEAD" else [payload]

    def _handle(self, environ: dict[str, Any], method: str) -> Response:
        raw_path = str(environ.get("PATH_INFO", ""))
        path = raw_path.encode("latin-1", "replace").decode("utf-8", "replace")
        located = _locate(path, str(environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")))
        if located is None:
            raise ApiError(404, f"path: no endpoint at {path}")
        site, rest = located
        resource = _resource(rest)
        if resource is None:
            raise ApiError(404, f"path: no endpoint at {path}")
        methods, parameters = resource
        handler = methods.get(method)
        if handler is None:
            allow = ", ".join(sorted(methods))
            return Response(
                405,
                {"message": f"method: {method} is not allowed here; use {allow}", "code": 405},
                (("Allow", allow),),
            )
        if rest != "/version" and not self._authorized(environ):
            raise ApiError(
                401,
                "Authorization: missing or wrong credentials; use HTTP Basic authentication "
                "with the account's username and password",
            )
        query = {
            name: values[0]
            for name, values in parse_qs(
                str(environ.get("QUERY_STRING", "")),
                keep_blank_values=True,
                errors="replace",
            ).items()
        }
        return handler(self, Request(site, method, rest, query, environ), parameters)

    def _authorized(self, environ: dict[str, Any]) -> bool:
        scheme, _, token = str(environ.get("HTTP_AUTHORIZATION", "")).strip().partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            raw = base64.b64decode(token.strip(), validate=True)
        except (binascii.Error, ValueError):
            return False
        try:
            decoded = raw.decode("utf-8")
        except UnicodeDecodeError:  # requests encodes non-ASCII credentials as latin-1
            decoded = raw.decode("latin-1")
        username, separator, password = decoded.partition(":")
        return bool(separator) and self.state.credentials_match(username, password)

    def _datacenter(self, request: Request) -> str:
        # The eu host is DNS-balanced: each request lands in either data center.
        return self.state.pick_datacenter() if request.site == "eu" else request.site

    # --- endpoints ----------------------------------------------------------------------------

    def post_job(self, request: Request, _: dict[str, str]) -> Response:
        content_type = str(request.environ.get("CONTENT_TYPE") or "").strip()
        if content_type and not _is_json_media_type(content_type):
            raise ApiError(
                415,
                f"Content-Type: {content_type!r} is not supported; send the JobRequest as "
                "application/json",
            )
        body = read_body(request.environ, self.max_body_bytes)
        job_request = parse_job_request(body, strict=self.state.strict)
        job = self.state.submit(self._datacenter(request), job_request)
        return Response(201, {"jobId": job.job_id})

    def list_jobs(self, request: Request, _: dict[str, str]) -> Response:
        query = request.query
        if "jobIdsOnly" in query and not query_boolean("jobIdsOnly", query["jobIdsOnly"]):
            raise bad_request("jobIdsOnly", "only true is supported")
        open_only = query_boolean("open", query["open"]) if "open" in query else None
        offset = query_integer("offset", query["offset"], minimum=0) if "offset" in query else 0
        limit = DEFAULT_LIST_LIMIT
        if "limit" in query:
            limit = query_integer("limit", query["limit"], minimum=1, maximum=MAX_LIST_LIMIT)
        to_ts = query_datetime("toTs", query["toTs"]) if "toTs" in query else self.state.now()
        from_ts = (
            query_datetime("fromTs", query["fromTs"])
            if "fromTs" in query
            else safe_add(to_ts, -LIST_WINDOW)
        )
        # A window left open at the end ends now; a bad fromTs must not be blamed on toTs.
        end = "toTs" if "toTs" in query else "toTs (now, when left out)"
        if to_ts < from_ts:
            if "toTs" in query:
                raise bad_request("toTs", "must not be before fromTs")
            raise bad_request("fromTs", f"must not be after {end}")
        if to_ts - from_ts > LIST_WINDOW:
            raise bad_request("fromTs", f"fromTs to {end} may span at most {LIST_WINDOW.days} days")
        jobs = self.state.list_jobs(
            self._datacenter(request),
            from_ts=from_ts,
            to_ts=to_ts,
            open_only=open_only,
            offset=offset,
            limit=limit,
        )
        return Response(200, [{"jobId": job.job_id} for job in jobs])

    def get_job(self, request: Request, parameters: dict[str, str]) -> Response:
        job = self._find(request, _job_id(parameters["jobId"]), "jobId")
        return Response(200, job_report(job, self.state))

    def list_recipients(self, request: Request, _: dict[str, str]) -> Response:
        job_id = request.query.get("jobId", "")
        if not job_id:
            raise bad_request("jobId", "is required")
        job = self._find(request, _job_id(job_id), "jobId")
        now = self.state.now()
        return Response(200, [recipient_report(recipient, now) for recipient in job.recipients])

    def version(self, request: Request, _: dict[str, str]) -> Response:
        datacenter = self._datacenter(request)
        return Response(
            200,
            {
                **VERSION,
                "versionInfo": f"retarus-connector {__version__} simulator of the Retarus SMS "
                f"for Applications REST API v1, data center {datacenter}",
            },
        )

    def _find(self, request: Request, job_id: str, name: str) -> Job:
        datacenter = self._datacenter(request)
        job = self.state.job(datacenter, job_id)
        if job is None:
            raise ApiError(
                404,
                f"{name}: no job {job_id!r} in data center {datacenter}; a job lives only in "
                "the data center that accepted it",
            )
        return job


_ROUTES: dict[str, dict[str, Handler]] = {
    "jobs": {"GET": SimulatorApp.list_jobs, "POST": SimulatorApp.post_job},
    "job": {"GET": SimulatorApp.get_job},
    "sms": {"GET": SimulatorApp.list_recipients},
    "version": {"GET": SimulatorApp.version},
}


def _locate(path: str, host: str) -> tuple[str, str] | None:
    """(site, path below /rest/v1) for a request, or None when it is not under the API."""
    site = RETARUS_HOSTS.get(_PORT_SUFFIX.sub("", host.strip().lower()).rstrip("."))
    if site is None:
        site = "eu"
        for datacenter in DATACENTERS:
            if path.startswith(f"/{datacenter}/"):
                site, path = datacenter, path[len(datacenter) + 1 :]
                break
    if path.startswith(API_PREFIX + "/"):
        return site, path[len(API_PREFIX) :]
    return None


def _resource(rest: str) -> tuple[dict[str, Handler], dict[str, str]] | None:
    if rest in ("/jobs", "/sms", "/version"):
        return _ROUTES[rest[1:]], {}
    if rest.startswith("/jobs/"):
        job_id = rest[len("/jobs/") :]
        if job_id and "/" not in job_id:
            return _ROUTES["job"], {"jobId": job_id}
    return None


def _job_id(job_id: str) -> str:
    # Both reads take the job ID in the documented form; Retarus lists 400 for GET /jobs/{jobId}
    # too, so a malformed ID is a 400 there as well, and only a well-formed unknown one is 404.
    if not JOB_ID_PATTERN.fullmatch(job_id):
        raise bad_request("jobId", f"{job_id!r} is not a job ID (J. followed by 18-38 characters)")
    return job_id


def _is_json_media_type(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def _error_headers(status: int) -> tuple[tuple[str, str], ...]:
    if status == 401:
        return (("WWW-Authenticate", 'Basic realm="Retarus SMS simulator"'),)
    return ()


def _encode(body: Any) -> bytes:
    # The trailing newline keeps curl output readable; JSON parsers ignore it.
    try:
        return json.dumps(body, ensure_ascii=False).encode("utf-8") + b"\n"
    except UnicodeEncodeError:  # lone surrogates from the request: escape them instead
        return json.dumps(body).encode("ascii") + b"\n"


# --- response bodies ------------------------------------------------------------------------


def job_report(job: Job, state: SimulatorState) -> dict[str, Any]:
    """A JobReport. Optional values that were never set are left out rather than null."""
    options = job.options
    report: dict[str, Any] = {
        "jobId": job.job_id,
        "src": job.sender,
        "encoding": job.encoding.lower(),
    }
    if options.billcode is not None:
        report["billcode"] = options.billcode
    report["statusRequested"] = options.status_requested
    report["flash"] = options.flash
    report["validityMin"] = options.validity_min
    if options.customer_ref is not None:
        report["customerRef"] = options.customer_ref
    report["qos"] = options.qos
    report["receiptTs"] = format_datetime(job.receipt_ts)
    finished = job.finished_ts(state.now())
    if finished is not None:
        report["finishedTs"] = format_datetime(finished)
    report["recipientIds"] = [recipient.sms_id for recipient in job.recipients]
    return report


def recipient_report(recipient: Recipient, now: datetime) -> dict[str, Any]:
    """A RecipientReport; sentTs, finishedTs and reason appear once they are known."""
    status = recipient.status_at(now)
    report: dict[str, Any] = {
        "smsId": recipient.sms_id,
        "dst": recipient.dst,
        "processStatus": status.process_status,
        "status": status.status,
        "customerRef": recipient.customer_ref,
    }
    if status.reason is not None:
        report["reason"] = status.reason
    if status.sent_ts is not None:
        report["sentTs"] = format_datetime(status.sent_ts)
    if status.finished_ts is not None:
        report["finishedTs"] = format_datetime(status.finished_ts)
    return report
