"""The simulator on a real socket: a threaded WSGI server that starts and stops cleanly."""

from __future__ import annotations

import http
import io
import json
import logging
import socket
import socketserver
import threading
import time
from types import TracebackType
from typing import Any, cast
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer

from retarus_connector.simulator.app import SimulatorApp
from retarus_connector.simulator.body import BODY_READ

_logger = logging.getLogger(__name__)


DEFAULT_TIMEOUT_SECONDS = 30.0
# connections served at once; further ones wait in the listen queue until one ends, so a flood
# of clients costs threads and memory up to this bound and no further
DEFAULT_MAX_CONNECTIONS = 64
_MAX_REQUEST_LINE = 65536  # as http.server: longer request lines are answered 414
_MAX_BLANK_LINES = 8  # blank lines a client may send before its request line (RFC 9112, 2.2)
_LINGER_SECONDS = 2.0  # how long unread request bytes are drained before the socket closes
_LINGER_BYTES = 64 * 1024 * 1024


class _DeadlineReader(io.RawIOBase):
    """The connection's incoming bytes, until a deadline for the whole request.

    A per-read timeout alone would let a client that sends a byte now and then hold its
    thread forever; every read here only waits for what is left of the request's time.
    """

    def __init__(self, connection: socket.socket, timeout: float) -> None:
        super().__init__()
        self._connection = connection
        self._timeout = timeout
        self._deadline = time.monotonic() + timeout
        self.received = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the request took longer than the server's timeout")
        self._connection.settimeout(remaining)
        try:
            count = self._connection.recv_into(buffer)
        finally:
            # Writing the answer gets the full timeout again, whatever the reading left.
            self._connection.settimeout(self._timeout)
        self.received += count
        return count


class _RequestHandler(WSGIRequestHandler):
    # Before the request line names a version, http.server assumes HTTP/0.9 and would answer
    # an error without a status line.
    default_request_version = "HTTP/1.0"
    server: _ThreadingServer

    def setup(self) -> None:
        super().setup()
        self._timeout = self.server.request_timeout
        self.connection.settimeout(self._timeout)
        self.rfile.close()
        self._reader = _DeadlineReader(self.connection, self._timeout)
        self.rfile = io.BufferedReader(self._reader)
        self._environ: dict[str, Any] = {}
        self._linger = False
        # What an answer needs before the request line is read (a timeout can come first).
        self.requestline, self.request_version, self.command = "", "HTTP/1.0", ""

    def handle(self) -> None:
        """One request per connection, as wsgiref; every refusal is a JSON answer."""
        try:
            self._handle_request()
        except TimeoutError:
            if self._reader.received:  # a half-sent request; an idle one is closed silently
                self.send_error(
                    408,
                    f"request: not received within {self._timeout:g} s; the connection is closed",
                )

    def _handle_request(self) -> None:
        self.raw_requestline = self._request_line()
        if not self.raw_requestline:
            return  # the client closed without sending a request
        if len(self.raw_requestline) > _MAX_REQUEST_LINE:
            self.send_error(414, f"request line: longer than {_MAX_REQUEST_LINE} bytes")
            return
        if not self.parse_request():
            return
        if len(self.requestline.split()) != 3:
            self.send_error(
                400,
                f"request line: {_shown(repr(self.requestline))} names no HTTP version; send "
                "METHOD PATH HTTP/1.1",
            )
            return
        self._environ = self.get_environ()
        handler = ServerHandler(
            self.rfile, cast(Any, self.wfile), self.get_stderr(), self._environ, multithread=False
        )
        handler.request_handler = self  # type: ignore[attr-defined]  # wsgiref logs through it
        app = self.server.get_app()
        assert app is not None  # SimulatorServer sets it before serving
        handler.run(app)
        has_body = self.headers.get("Content-Length", "0").strip() not in ("", "0") or (
            self.headers.get("Transfer-Encoding") is not None
        )
        if has_body and not self._environ.get(BODY_READ):
            self._linger = True

    def _request_line(self) -> bytes:
        line = b""
        for _ in range(_MAX_BLANK_LINES + 1):
            line = self.rfile.readline(_MAX_REQUEST_LINE + 1)
            if line not in (b"\r\n", b"\n"):
                return line
        return line

    def get_environ(self) -> dict[str, Any]:
        environ: dict[str, Any] = super().get_environ()
        # wsgiref fills in text/plain for a request that names no Content-Type; the app
        # must see that none was given.
        if self.headers.get("Content-Type") is None:
            environ["CONTENT_TYPE"] = ""
        return environ

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (bad request line, header too long, ...) as JSON."""
        status = http.HTTPStatus(code)
        text = _problem(code, message or status.phrase)
        payload = json.dumps({"message": text, "code": code}).encode("utf-8") + b"\n"
        self.log_error("code %d, message %s", code, text)
        if self.request_version in ("", "HTTP/0.9"):
            self.request_version = "HTTP/1.0"
        self.close_connection = True
        self._linger = True
        try:
            self.send_response(code)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
        except OSError:
            _logger.debug("could not answer %d to %s", code, self.address_string())

    def finish(self) -> None:
        super().finish()
        if self._linger:
            _drain(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        # Request lines go to logging, not stderr; they never carry credentials.
        _logger.debug("%s %s", self.address_string(), format % args)


_OWN_FIELDS = ("request line: ", "request: ", "headers: ")


def _problem(code: int, message: str) -> str:
    """A refusal in the simulator's `<field>: <problem>` form; http.server's own messages
    ("Bad request version ('HTTX/1.1')") get the field they are about."""
    if message.startswith(_OWN_FIELDS):
        return message
    field = "headers" if code == 431 else "request line"
    return f"{field}: {_shown(message)}"


def _shown(text: str) -> str:
    # A request line can be 64 KiB; the start says what was wrong with it.
    return text if len(text) <= 200 else text[:200] + "..."


def _drain(connection: socket.socket) -> None:
    """Let the client see the answer before the socket closes.

    Closing a socket with unread bytes makes the kernel reset the connection, and a client
    still sending its body would then never read the answer: so stop writing, and read and
    drop what still arrives, for a short time.
    """
    try:
        connection.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + _LINGER_SECONDS
        drained = 0
        while drained < _LINGER_BYTES:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            connection.settimeout(remaining)
            chunk = connection.recv(65536)
            if not chunk:
                return
            drained += len(chunk)
    except OSError:
        return


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a stalled client must not hold up shutdown
    allow_reuse_address = True
    request_queue_size = 128  # socketserver's 5 resets connections when many clients arrive at once
    request_timeout = DEFAULT_TIMEOUT_SECONDS

    def limit_connections(self, limit: int) -> None:
        """Serve at most `limit` connections at once."""
        self._slots = threading.BoundedSemaphore(limit)
        self._stopping = threading.Event()

    def process_request(self, request: Any, client_address: Any) -> None:
        # Waiting here stops the accept loop: new clients queue in the kernel's listen queue
        # (and beyond it are not accepted) instead of each getting a thread.
        while not self._slots.acquire(timeout=0.1):
            if self._stopping.is_set():
                self.shutdown_request(request)
                return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def stop_waiting(self) -> None:
        """Let a full accept loop give up, so shutdown does not wait for a slot."""
        self._stopping.set()

    def server_bind(self) -> None:
        # WSGIServer would resolve the host's FQDN here, which can stall on a slow resolver.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)
        self.setup_environ()

    def handle_error(self, request: Any, client_address: Any) -> None:
        _logger.debug("connection from %s failed", client_address, exc_info=True)


class _ThreadingServerIPv6(_ThreadingServer):
    address_family = socket.AF_INET6


class SimulatorServer:
    """Serve `app` on host:port (port 0 picks a free one) from a background thread.

    Binds when constructed (OSError if it cannot), serves after `start()`, and `stop()`
    closes the socket; usable as a context manager. `timeout`: seconds a connection has to
    send its whole request (line, headers and body); an idle or half-sent one is closed then,
    with a 408 if it had sent anything. `max_connections`: connections served at once; the
    next ones wait to be accepted until one ends.
    """

    def __init__(
        self,
        app: SimulatorApp,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
    ) -> None:
        if not timeout > 0 or timeout == float("inf"):
            raise ValueError("timeout must be a finite number of seconds above 0")
        if max_connections < 1:
            raise ValueError("max_connections must be at least 1")
        server_class = _ThreadingServerIPv6 if ":" in host else _ThreadingServer
        self._server = server_class((host, port), _RequestHandler)
        self._server.request_timeout = timeout
        self._server.limit_connections(max_connections)
        self._server.set_app(app)
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The root URL; the eu facade is at url + "/rest/v1"."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the simulator server is already running")
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="retarus-simulator",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and release the port; safe to call more than once."""
        if self._thread is not None:
            self._server.stop_waiting()
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> SimulatorServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
