"""The simulator on a real socket: a threaded WSGI server that starts and stops cleanly."""

from __future__ import annotations

import logging
import socket
import socketserver
import threading
from types import TracebackType
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from retarus_connector.simulator.app import SimulatorApp

_logger = logging.getLogger(__name__)


class _RequestHandler(WSGIRequestHandler):
    def get_environ(self) -> dict[str, Any]:
        environ: dict[str, Any] = super().get_environ()
        # wsgiref fills in text/plain for a request that names no Content-Type; the app
        # must see that none was given.
        if self.headers.get("Content-Type") is None:
            environ["CONTENT_TYPE"] = ""
        return environ

    def log_message(self, format: str, *args: Any) -> None:
        # Request lines go to logging, not stderr; they never carry credentials.
        _logger.debug("%s %s", self.address_string(), format % args)


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a stalled client must not hold up shutdown
    allow_reuse_address = True
    request_queue_size = 128  # socketserver's 5 resets connections when many clients arrive at once

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
    closes the socket; usable as a context manager.
    """

    def __init__(self, app: SimulatorApp, host: str = "127.0.0.1", port: int = 0) -> None:
        server_class = _ThreadingServerIPv6 if ":" in host else _ThreadingServer
        self._server = server_class((host, port), _RequestHandler)
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
