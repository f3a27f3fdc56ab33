"""SMS backends: one interface, a console/file backend for the embedded mode and
an HTTP gateway backend for production, chosen by ``settings.SMS_BACKEND``."""

import http.client
import json
import logging
import urllib.error
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


class HttpGatewaySmsBackend(SmsBackend):
    """POSTs ``{"to", "text", "idempotency_key"}`` as JSON to SMS_GATEWAY_URL.

    A 2xx answer means accepted. The key is also sent as the ``Idempotency-Key``
    header, which gateways that deduplicate on it understand.
    """

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
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            url, data=json.dumps(message.__dict__).encode(), headers=headers, method="POST"
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
