"""SMS backends: one interface, a console/file backend for the embedded mode and
an HTTP gateway backend for production, chosen by ``settings.SMS_BACKEND``."""

import http.client
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The message was not accepted; the outbox retries it later."""


class SmsOutcomeUnknown(SmsError):
    """The request went out and no answer came back (a timeout, a dropped connection):
    the gateway may have accepted it. A gateway that deduplicates makes a retry safe;
    for one that does not, a send-once channel leaves the row to an operator."""


@dataclass(frozen=True)
class Sms:
    to: str
    text: str
    # The same key on every attempt of one notification: a gateway that has seen it
    # answers "accepted" again without sending a second message.
    idempotency_key: str


class SmsBackend:
    def send(self, message: Sms) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Let go of what ``send`` kept open (a delivery run ends)."""


class ConsoleSmsBackend(SmsBackend):
    """Writes each message to the log, or appends it as a JSON line to SMS_FILE_PATH."""

    def send(self, message: Sms) -> None:
        path = getattr(settings, "SMS_FILE_PATH", "")
        if path:
            with Path(path).open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(message.__dict__, ensure_ascii=False) + "\n")
            return
        # Recipients include constituents (their own confirmation): the log never holds a
        # full phone number, and never its last four digits, which are the status check.
        logger.info("SMS to %s: %s", masked(message.to), message.text)


def masked(phone: str) -> str:
    return phone[:3] + "*" * max(len(phone) - 3, 0)


# What a kept connection the gateway closed while idle raises when it is used again.
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class HttpGatewaySmsBackend(SmsBackend):
    """POSTs ``{"to", "text", "idempotency_key"}`` as JSON to SMS_GATEWAY_URL.

    A 2xx answer means accepted. The key is also sent as the ``Idempotency-Key``
    header, which gateways that deduplicate on it understand.

    One delivery run (one backend) keeps its connection to the gateway open from one
    message to the next: opening one per message was a third of a message's time. A
    gateway may close an idle kept connection at any moment, and a message sent on it
    then fails without telling whether it arrived; it goes again at once on a new
    connection with the same key, which the gateway deduplicates. A gateway that does not
    (``sms`` in NOTIFY_SEND_ONCE_CHANNELS) gets a connection per message, as does one
    reached through a proxy (``https_proxy``/``http_proxy``, which urllib follows), or
    any gateway with SMS_GATEWAY_KEEP_ALIVE off: a server that writes its answer's head and
    body apart without TCP_NODELAY makes each answer on a kept connection wait for the
    client's delayed ACK (40 ms).
    """

    def __init__(self):
        self._kept: http.client.HTTPConnection | None = None
        self._kept_for = ""

    def send(self, message: Sms) -> None:
        url = settings.SMS_GATEWAY_URL
        if not url.startswith(("http://", "https://")):
            raise SmsError("SMS_GATEWAY_URL must be an http(s) URL")
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": message.idempotency_key,
        }
        if settings.SMS_GATEWAY_TOKEN:
            headers["Authorization"] = f"Bearer {settings.SMS_GATEWAY_TOKEN}"
        body = json.dumps(message.__dict__).encode()
        if (
            not settings.SMS_GATEWAY_KEEP_ALIVE
            or "sms" in settings.NOTIFY_SEND_ONCE_CHANNELS
            or _proxied(url)
        ):
            self.close()
            _send_by_urllib(url, body, headers)
            return
        if self._kept is not None and self._kept_for == url:
            try:
                _post(self._kept, url, body, headers)
                return
            except _STALE:
                self.close()  # closed by the gateway: again on a new connection
            except BaseException:
                self.close()
                raise
        connection = _connect(url)
        try:
            _post(connection, url, body, headers, fresh=True)
        except BaseException:
            connection.close()
            raise
        self._kept, self._kept_for = connection, url

    def close(self) -> None:
        if self._kept is not None:
            self._kept.close()
            self._kept = None


def _proxied(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    scheme = url.split(":", 1)[0]
    return scheme in urllib.request.getproxies() and not urllib.request.proxy_bypass(host)


def _connect(url: str) -> http.client.HTTPConnection:
    """A new connection to the gateway; failing to open one proves nothing was sent."""
    parts = urllib.parse.urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=settings.SMS_GATEWAY_TIMEOUT)
    try:
        connection.connect()
    except OSError as error:  # refused, timed out, name unknown, TLS refused
        connection.close()
        raise SmsError(f"gateway unreachable: {error}") from error
    return connection


def _post(connection, url: str, body: bytes, headers: dict, *, fresh: bool = False) -> None:
    """One POST on ``connection``, its answer read whole (the connection serves the next).
    On a new connection (``fresh``), what fails while the request is written is reported
    as urllib did: not accepted; what fails while waiting for the answer: unknown. On a
    kept one, a closed connection (``_STALE``) is the caller's to retry."""
    parts = urllib.parse.urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    stale = () if fresh else _STALE
    try:
        connection.request("POST", target, body=body, headers=headers)
    except stale:
        raise
    except OSError as error:
        raise SmsError(f"gateway unreachable: {error}") from error
    try:
        response = connection.getresponse()
        response.read()
    except stale:
        raise
    except (TimeoutError, OSError, http.client.HTTPException) as error:
        # Waiting for the answer: the request went out.
        raise SmsOutcomeUnknown(f"no answer from the gateway: {error!r}") from error
    if not 200 <= response.status < 300:
        raise SmsError(f"gateway answered {response.status}")
    if response.will_close:
        connection.close()


def _send_by_urllib(url: str, body: bytes, headers: dict) -> None:
    """One connection for one message (through a proxy where the environment names one)."""
    request = urllib.request.Request(  # noqa: S310 (scheme checked by the caller)
        url, data=body, headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.SMS_GATEWAY_TIMEOUT
        ) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise SmsError(f"gateway answered {error.code}") from error
    except urllib.error.URLError as error:
        # urllib wraps what fails before the request is complete (connect refused or
        # timed out, name unknown): the gateway cannot have accepted a message.
        raise SmsError(f"gateway unreachable: {error}") from error
    except (TimeoutError, OSError, http.client.HTTPException) as error:
        # Waiting for the answer: the request went out.
        raise SmsOutcomeUnknown(f"no answer from the gateway: {error!r}") from error


BACKENDS = {
    "console": "liaison.base.notifications.sms.ConsoleSmsBackend",
    "http": "liaison.base.notifications.sms.HttpGatewaySmsBackend",
}


def get_backend() -> SmsBackend:
    name = settings.SMS_BACKEND
    return import_string(BACKENDS.get(name, name))()
