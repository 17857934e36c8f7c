"""Outreach fixtures: donors of district one with the consents a test needs.

`make_donor(name, phone=…, email=…, consents=("sms",), **fields)` creates a donor kept by
district one (any field of `donors.services.create_donor` may be given) and records the
channel consents named.
"""

import datetime

import pytest

from hienmau.donors import services as donors
from hienmau.donors.models import Consent


@pytest.fixture
def make_donor(tree, office):
    counter = iter(range(10, 10_000))

    def make(name, *, consents=("sms", "zalo", "email"), home=None, **fields):
        n = next(counter)
        fields.setdefault("phone", f"0912{n:06d}")
        fields.setdefault("birth_date", datetime.date(1990, 1, 1))
        fields.setdefault("sex", "M")
        fields.setdefault("weight_kg", 60)
        donor = donors.create_donor(actor=office, full_name=name,
                                    home=home or tree["district_one"], **fields)
        for channel in consents:
            donors.give_consent(donor, actor=office, purpose=channel,
                                channel=Consent.Channel.PAPER)
        return donor
    return make


@pytest.fixture(autouse=True)
def no_quiet_hours(settings):
    """Quiet hours off unless a test turns them on (test_outbox's quiet-hours tests)."""
    settings.OUTREACH_QUIET_FROM_HOUR = settings.OUTREACH_QUIET_UNTIL_HOUR = 0
    settings.OUTREACH_CALLBACK_TOKEN = "callback-secret"
    settings.SITE_URL = "https://hienmau.example.vn"


class Recorder:
    """An aiosmtpd handler keeping what it accepted; `refuse` maps a recipient to the
    SMTP answer it gets at RCPT TO ("550 …" refused for good, "451 …" try later)."""

    def __init__(self):
        self.envelopes = []
        self.refuse = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def messages(self):
        import email
        from email import policy

        return [email.message_from_bytes(e.original_content, policy=policy.default)
                for e in self.envelopes]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; Django's SMTP backend points at it."""
    from aiosmtpd.controller import Controller

    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield recorder
    controller.stop()


class Gateway:
    """What the HTTP double received (header names lower-cased) and the answers it
    gives, in order: each answer is (status, json body) or "timeout" (it waits longer
    than the client's timeout). When the script runs out, `default` answers."""

    def __init__(self):
        self.requests = []
        self.script = []
        self.default = (200, {"id": "gw-1"})
        self.url = ""

    def answer(self, *answers):
        self.script.extend(answers)


@pytest.fixture
def gateway():
    """An HTTP gateway double on loopback, recording every request."""
    import json
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    double = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            headers = {name.lower(): value for name, value in self.headers.items()}
            double.requests.append({"path": self.path, "headers": headers,
                                    "json": json.loads(raw or b"null")})
            answer = double.script.pop(0) if double.script else double.default
            if answer == "timeout":
                time.sleep(1.5)
                answer = (200, {"id": "too-late"})
            status, body = answer
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the client gave up (the timeout case)
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    double.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield double
    server.shutdown()
    server.server_close()


@pytest.fixture
def sms_gateway(gateway, settings):
    settings.SMS_GATEWAY_URL = gateway.url + "/sms/send"
    settings.SMS_GATEWAY_TOKEN = "sms-secret-token"
    settings.SMS_SENDER = "HIENMAU"
    return gateway


@pytest.fixture
def zalo_api(gateway, settings):
    settings.ZALO_API_URL = gateway.url + "/message/template"
    settings.ZALO_ACCESS_TOKEN = "zalo-access-token"
    settings.ZALO_TEMPLATE_ID = "tpl-42"
    gateway.default = (200, {"error": 0, "data": {"msg_id": "z-1"}})
    return gateway


@pytest.fixture
def mailing(tree):
    """A typed mailing of district one; `mailing(channels=[…], body=…)` makes another."""
    from hienmau.outreach.models import Mailing

    def make(channels=("sms",), body="{don_vi} kính gửi {ho_ten}: ngày mai có đợt hiến máu.",
             sender=None, subject="Thư mời hiến máu", **fields):
        return Mailing.objects.create(sender=sender or tree["district_one"],
                                      title=fields.pop("title", "Tin thử"),
                                      channels=list(channels), body=body, subject=subject,
                                      **fields)
    return make


@pytest.fixture
def queue_one(mailing):
    """Queue a fresh mailing to these donors; returns the message of the first one."""
    from hienmau.outreach import outbox
    from hienmau.outreach.models import Message

    def queue(*donors, channels=("sms",), now=None, **fields):
        m = mailing(channels=channels, **fields)
        outbox.queue(m, [d.pk for d in donors], now=now)
        return Message.objects.filter(mailing=m, donor=donors[0]).first()
    return queue
