"""Doubles of what messages leave through, on loopback: a real SMTP server (aiosmtpd)
and an HTTP gateway recording every request, with the settings pointing at them. The
fixtures are made available to every test by tests/conftest.py."""

import pytest


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


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; Django's SMTP backend points at it."""
    from aiosmtpd.controller import Controller

    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
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
