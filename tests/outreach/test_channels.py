"""Each transport against a real server on loopback: SMTP (aiosmtpd) for e-mail, an HTTP
double for the SMS gateway and Zalo ZNS."""

import datetime

from django.utils import timezone

from hienmau.outreach import consent, outbox
from hienmau.outreach.channels import http
from hienmau.outreach.models import MessageStatus


def send(message, now=None):
    status = outbox.send_one(message.pk, now or timezone.now())
    message.refresh_from_db()
    return status


# E-mail ------------------------------------------------------------------------------

def test_an_email_reaches_the_smtp_server_in_vietnamese_with_an_unsubscribe_header(
        make_donor, queue_one, smtp_server):
    donor = make_donor("Phạm Thị Hương", email="huong@example.vn")
    message = queue_one(donor, channels=["email"], subject="Thư mời hiến máu tình nguyện",
                        body="{don_vi} kính gửi {ho_ten}: mời bạn đến hiến máu.")
    assert send(message) == MessageStatus.SENT
    assert message.sent_at is not None and message.attempts == 1
    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == ["huong@example.vn"]
    [mail] = smtp_server.messages()
    assert mail["To"] == "huong@example.vn"
    assert mail["Subject"] == "Thư mời hiến máu tình nguyện"
    text = mail.get_content()
    assert "BCĐ huyện Một kính gửi Phạm Thị Hương: mời bạn đến hiến máu." in text
    # The links are signed with a timestamp: the body's (written when queued) and the
    # header's (when sent) differ, and both name this message.
    [line] = [ln for ln in text.splitlines() if ln.startswith("Ngừng nhận tin: ")]
    in_body = line.removeprefix("Ngừng nhận tin: ")
    in_header = mail["List-Unsubscribe"].strip()  # folded: a long line
    assert in_header.startswith("<https://hienmau.example.vn/tu-choi/")
    assert in_header.endswith(">")
    for url in (in_body, in_header.strip("<>")):
        assert url.startswith("https://hienmau.example.vn/tu-choi/")
        token = url.rstrip("/").rsplit("/", 1)[1]
        assert consent.message_code(token) == str(message.code)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # E-mail's provider id is our own code, which the header carries.
    assert mail["X-Hienmau-Message"] == str(message.code) == message.provider_id


def test_an_address_the_server_refuses_with_550_is_bounced_and_not_retried(
        make_donor, queue_one, smtp_server):
    donor = make_donor("Đỗ Văn Khoa", email="khong-co@example.vn")
    smtp_server.refuse["khong-co@example.vn"] = "550 5.1.1 No such user"
    message = queue_one(donor, channels=["email"])
    assert send(message) == MessageStatus.BOUNCED
    assert "550" in message.error
    assert message.next_attempt_at is None
    assert smtp_server.envelopes == []


def test_a_451_from_the_server_is_tried_again_later(make_donor, queue_one, smtp_server):
    donor = make_donor("Vũ Thị Lan", email="lan@example.vn")
    smtp_server.refuse["lan@example.vn"] = "451 4.3.0 Try again later"
    message = queue_one(donor, channels=["email"])
    now = timezone.now()
    assert send(message, now) == MessageStatus.QUEUED
    assert message.attempts == 1 and "451" in message.error
    assert message.next_attempt_at == now + datetime.timedelta(minutes=1)
    del smtp_server.refuse["lan@example.vn"]
    assert send(message, now + datetime.timedelta(minutes=1)) == MessageStatus.SENT
    assert [e.rcpt_tos for e in smtp_server.envelopes] == [["lan@example.vn"]]


def test_an_smtp_server_that_is_down_means_try_again(make_donor, queue_one, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    from tests.messaging_doubles import free_port

    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    message = queue_one(make_donor("Hồ Văn Tâm", email="tam@example.vn"), channels=["email"])
    assert send(message) == MessageStatus.QUEUED
    assert message.attempts == 1 and message.error.startswith("SMTP")


# SMS gateway -------------------------------------------------------------------------

def test_an_sms_is_posted_to_the_gateway_with_its_token_and_keeps_the_providers_id(
        make_donor, queue_one, sms_gateway):
    donor = make_donor("Ngô Văn Bảo")
    message = queue_one(donor, channels=["sms"], body="Chào {ten}, cảm ơn bạn!")
    assert send(message) == MessageStatus.SENT
    assert message.provider_id == "gw-1"
    [request] = sms_gateway.requests
    assert request["path"] == "/sms/send"
    assert request["headers"]["authorization"] == "Bearer sms-secret-token"
    assert request["headers"]["content-type"] == "application/json"
    assert donor.phone.startswith("+84")
    assert request["json"] == {"to": donor.phone, "from": "HIENMAU",
                               "text": message.body, "reference": str(message.code)}
    assert request["json"]["text"].startswith("Chào Bảo, cảm ơn bạn!\n")


def test_the_sms_opt_out_line_is_the_keyword_when_a_number_takes_it(
        make_donor, queue_one, sms_gateway, settings):
    settings.SMS_OPT_OUT_KEYWORD, settings.SMS_OPT_OUT_NUMBER = "TC", "8055"
    message = queue_one(make_donor("Ngô Văn Bảo"), channels=["sms"])
    send(message)
    assert sms_gateway.requests[0]["json"]["text"].endswith(
        "Soạn TC gửi 8055 để ngừng nhận tin.")


def test_gateway_answers_sort_into_retry_and_give_up(make_donor, queue_one, sms_gateway):
    sms_gateway.answer((500, {"error": "busy"}), (429, {"error": "slow down"}),
                       (400, {"error": "bad number"}))
    first = queue_one(make_donor("A Một"), channels=["sms"])
    second = queue_one(make_donor("B Hai"), channels=["sms"])
    third = queue_one(make_donor("C Ba"), channels=["sms"])
    assert send(first) == MessageStatus.QUEUED and "HTTP 500" in first.error
    assert send(second) == MessageStatus.QUEUED and "HTTP 429" in second.error
    assert send(third) == MessageStatus.FAILED and "bad number" in third.error
    assert third.next_attempt_at is None


def test_a_gateway_that_answers_200_with_an_error_is_a_failure(make_donor, queue_one,
                                                               sms_gateway):
    sms_gateway.answer((200, {"error": "invalid sender"}))
    message = queue_one(make_donor("Lý Văn Cường"), channels=["sms"])
    assert send(message) == MessageStatus.FAILED
    assert message.error == "invalid sender"


def test_a_gateway_that_does_not_answer_in_time_is_tried_again(make_donor, queue_one,
                                                              sms_gateway, monkeypatch):
    monkeypatch.setattr(http, "TIMEOUT_SECONDS", 0.3)
    sms_gateway.answer("timeout")
    message = queue_one(make_donor("Mai Văn Đức"), channels=["sms"])
    assert send(message) == MessageStatus.QUEUED
    assert message.attempts == 1 and "timed out" in message.error.lower()


def test_without_a_gateway_sms_are_written_to_the_local_outbox_file(make_donor, queue_one,
                                                                   settings, tmp_path):
    settings.VAR_DIR, settings.SMS_GATEWAY_URL = tmp_path, ""
    message = queue_one(make_donor("Nguyễn Văn An"), channels=["sms"], body="Chào {ten}")
    assert send(message) == MessageStatus.SENT
    log = (tmp_path / "outbox" / "sms.log").read_text(encoding="utf-8")
    assert f"→ {message.address}\nChào An\n" in log


# Zalo ZNS ----------------------------------------------------------------------------

def test_a_zalo_message_goes_as_the_approved_template_with_the_oa_token(
        make_donor, queue_one, zalo_api):
    donor = make_donor("Trịnh Thị Yến")
    message = queue_one(donor, channels=["zalo"], body="Chào {ten}")
    assert send(message) == MessageStatus.SENT
    assert message.provider_id == "z-1"
    [request] = zalo_api.requests
    assert request["path"] == "/message/template"
    assert request["headers"]["access_token"] == "zalo-access-token"
    assert request["json"] == {"phone": donor.phone.lstrip("+"), "template_id": "tpl-42",
                               "template_data": {"content": message.body},
                               "tracking_id": str(message.code)}


def test_zalo_busy_is_tried_again_and_an_unknown_phone_is_given_up(make_donor, queue_one,
                                                                  zalo_api):
    zalo_api.answer((200, {"error": -124, "message": "quota"}),
                    (200, {"error": -108, "message": "phone not on Zalo"}))
    busy = queue_one(make_donor("Đinh Văn Quang"), channels=["zalo"])
    unknown = queue_one(make_donor("Đinh Văn Quý"), channels=["zalo"])
    assert send(busy) == MessageStatus.QUEUED and busy.error.startswith("Zalo -124")
    assert send(unknown) == MessageStatus.FAILED and "phone not on Zalo" in unknown.error
