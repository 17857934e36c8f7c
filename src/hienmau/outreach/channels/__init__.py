"""One transport per channel behind one interface (docs/architecture.md §4).

`send(message)` returns the provider's id for the message, or raises `TransportError`:
`permanent=True` for what no retry will mend (a refused address, a rejected request),
`bounced=True` when the address itself was refused. Retries are decided in one place,
`outbox.send_one`.

Adding a channel: a `Transport` subclass in `channels/<kind>.py`; its settings in
settings.py and the README's table; a value in `models.Channel` and its consent purpose
in `consent.PURPOSES`; an entry in `transport_for`; tests against a double on loopback.
"""

from abc import ABC, abstractmethod

from django.conf import settings


class TransportError(Exception):
    def __init__(self, message: str, *, permanent: bool = False, bounced: bool = False):
        super().__init__(message)
        self.message = message
        self.permanent = permanent or bounced
        self.bounced = bounced


class Transport(ABC):
    channel = ""

    @abstractmethod
    def send(self, message) -> str:
        """Hand `message` to the provider; its id for the message, or TransportError."""


def transport_for(channel: str) -> Transport:
    """The transport settings choose: the real one when configured, else the file one
    (local use: messages are written to var/outbox/, nothing leaves the machine)."""
    from hienmau.outreach.channels.email import EmailTransport
    from hienmau.outreach.channels.file import FileTransport
    from hienmau.outreach.channels.sms import SmsGatewayTransport
    from hienmau.outreach.channels.zalo import ZaloTransport

    if channel == "email":
        return EmailTransport()  # Django's EMAIL_BACKEND decides (console locally)
    if channel == "sms" and settings.SMS_GATEWAY_URL:
        return SmsGatewayTransport()
    if channel == "zalo" and settings.ZALO_API_URL:
        return ZaloTransport()
    if channel in ("sms", "zalo"):
        return FileTransport(channel)
    raise ValueError(f"Unknown channel {channel!r}")
