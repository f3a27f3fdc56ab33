"""The edge of the world: a fake SMS gateway, an HTTP server on 127.0.0.1 that records
every request and, like real gateways, accepts each idempotency key only once."""

import contextlib
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeSmsGateway:
    def __init__(self, *, delay: float = 0.0):
        self.delay = delay
        self.fail_next = 0  # answer 503 to this many requests
        self.lose_answer_next = 0  # accept, then answer too late for the client
        self.late_by = 3.0
        # A message to this number makes on_crash run before any answer: the sender dies
        # while sending, as with a message that crashes the worker every time.
        self.crash_on: str | None = None
        self.on_crash = None
        self.requests: list[dict] = []
        self.delivered: dict[str, dict] = {}
        self.peers: list[tuple] = []  # each request's client address: one per connection
        self._open: set = set()  # the sockets of the connections open now
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/sms"

    def start(self) -> "FakeSmsGateway":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def drop_connections(self) -> None:
        """Close every open connection from the gateway's side, as a gateway does with
        idle ones, without telling the client."""
        with self._lock:
            sockets, self._open = list(self._open), set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def delivered_count(self) -> int:
        with self._lock:
            return len(self.delivered)

    def _receive(self, message: dict) -> tuple[int, float]:
        with self._lock:
            self.requests.append(message)
            if self.crash_on and message["to"] == self.crash_on:
                return 0, 0.0
            if self.fail_next:
                self.fail_next -= 1
                return 503, 0.0
            self.delivered.setdefault(message["idempotency_key"], message)
            if self.lose_answer_next:
                self.lose_answer_next -= 1
                return 200, self.late_by
        return 200, self.delay

    def _handler(self):
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            # Keeps a connection open between requests, as real gateways do.
            protocol_version = "HTTP/1.1"
            # Its answer's head and body go out as they are written, as real servers'
            # do: otherwise a kept connection waits out the client's delayed ACK (40 ms).
            disable_nagle_algorithm = True

            def setup(self):
                super().setup()
                with gateway._lock:
                    gateway._open.add(self.connection)

            def do_POST(self):
                with gateway._lock:
                    gateway.peers.append(self.client_address)
                length = int(self.headers.get("Content-Length", 0))
                message = json.loads(self.rfile.read(length))
                status, wait = gateway._receive(message)
                if status == 0:
                    self.close_connection = True
                    gateway.on_crash()
                    return
                if wait:
                    time.sleep(wait)
                body = json.dumps({"accepted": status == 200}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        return Handler
