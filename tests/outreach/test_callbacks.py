"""Providers' delivery reports: they carry OUTREACH_CALLBACK_TOKEN and name the
message by the id the provider gave when it took it."""

from django.urls import reverse

from hienmau.outreach import outbox
from hienmau.outreach.models import MessageStatus

TOKEN = {"HTTP_X_HIENMAU_TOKEN": "callback-secret"}


def report(client, channel, data, query="", **headers):
    url = reverse("outreach:delivery_callback", args=[channel]) + query
    return client.post(url, data, content_type="application/json", **headers)


def sent_sms(make_donor, queue_one, name="Nguyễn Văn An"):
    message = queue_one(make_donor(name), channels=["sms"])
    assert outbox.send_one(message.pk) == MessageStatus.SENT
    message.refresh_from_db()
    return message


def test_a_delivery_report_marks_the_message_delivered(make_donor, queue_one, sms_gateway,
                                                      client):
    message = sent_sms(make_donor, queue_one)
    answer = report(client, "sms", {"id": "gw-1", "status": "delivered"}, **TOKEN)
    assert answer.status_code == 200 and answer.json() == {"ok": True}
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED and message.delivered_at is not None


def test_a_failure_report_marks_the_message_failed(make_donor, queue_one, sms_gateway,
                                                  client):
    message = sent_sms(make_donor, queue_one)
    assert report(client, "sms", {"id": "gw-1", "status": "UNDELIVERED"},
                  **TOKEN).status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.delivered_at is None


def test_the_token_comes_in_a_header_only_never_the_query_string(make_donor, queue_one,
                                                                 sms_gateway, client):
    # A query string lands in the access logs of every proxy on the way.
    message = sent_sms(make_donor, queue_one)
    url = reverse("outreach:delivery_callback", args=["sms"])
    data = {"id": "gw-1", "status": "delivered"}
    assert client.post(url + "?token=callback-secret", data).status_code == 403
    inbound = reverse("outreach:inbound_sms") + "?token=callback-secret"
    assert client.post(inbound, {"from": "0912345678", "text": "TC"}).status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    # A form body works as well as JSON.
    assert client.post(url, data, **TOKEN).status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED


def test_zalo_reports_name_the_msg_id(make_donor, queue_one, zalo_api, client):
    message = queue_one(make_donor("Trần Thị Bình"), channels=["zalo"])
    outbox.send_one(message.pk)
    answer = report(client, "zalo", {"msg_id": "z-1", "event_name": "user_received_message"},
                    **TOKEN)
    assert answer.status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED


def test_an_unknown_message_id_is_not_found(make_donor, queue_one, sms_gateway, client):
    message = sent_sms(make_donor, queue_one)
    assert report(client, "sms", {"id": "gw-999", "status": "delivered"},
                  **TOKEN).status_code == 404
    # The id belongs to SMS: a Zalo report naming it finds nothing.
    assert report(client, "zalo", {"id": "gw-1", "status": "delivered"},
                  **TOKEN).status_code == 404
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_report_without_the_right_token_is_refused(make_donor, queue_one, sms_gateway,
                                                    client, settings):
    message = sent_sms(make_donor, queue_one)
    data = {"id": "gw-1", "status": "delivered"}
    assert report(client, "sms", data).status_code == 403
    assert report(client, "sms", data, HTTP_X_HIENMAU_TOKEN="doan-bua").status_code == 403
    settings.OUTREACH_CALLBACK_TOKEN = ""  # not configured: nobody may call
    assert report(client, "sms", data, HTTP_X_HIENMAU_TOKEN="").status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_report_for_a_cancelled_message_does_not_revive_it(make_donor, queue_one,
                                                            sms_gateway, client):
    message = sent_sms(make_donor, queue_one)
    type(message).objects.filter(pk=message.pk).update(status=MessageStatus.CANCELLED)
    assert report(client, "sms", {"id": "gw-1", "status": "delivered"},
                  **TOKEN).status_code == 404
    message.refresh_from_db()
    assert message.status == MessageStatus.CANCELLED


def test_only_post_is_accepted_and_unknown_channels_are_not_found(client):
    assert client.get(reverse("outreach:delivery_callback", args=["sms"])).status_code == 405
    assert report(client, "fax", {"id": "1", "status": "delivered"}, **TOKEN).status_code == 404
