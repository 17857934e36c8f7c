"""Consent per channel, the channel preference order, and opting out: the link every
message carries and the SMS keyword sent back to the gateway's number."""

import pytest
from django.test import Client
from django.urls import reverse

from hienmau.donors import services as donor_services
from hienmau.outreach import consent, outbox
from hienmau.outreach.models import Message, MessageStatus

TOKEN = {"HTTP_X_HIENMAU_TOKEN": "callback-secret"}


def standing(donor):
    return set(donor.consents.filter(withdrawn_at__isnull=True).values_list("purpose", flat=True))


def test_only_donors_who_consented_to_a_channel_get_a_message(make_donor, mailing):
    yes = make_donor("Nguyễn Văn An", consents=("sms",))
    other_channel = make_donor("Trần Thị Bình", consents=("email",), email="binh@example.vn")
    none = make_donor("Lê Văn Cường", consents=())
    m = mailing(channels=["sms"])
    assert outbox.queue(m, [yes.pk, other_channel.pk, none.pk]) == 1
    assert list(Message.objects.values_list("donor", flat=True)) == [yes.pk]
    assert m.skipped == {"no_consent": 2}


def test_a_withdrawn_consent_no_longer_counts(make_donor, mailing):
    donor = make_donor("Phạm Thị Dung", consents=("sms",))
    donor_services.withdraw_consent(donor.consents.get(), actor=None)
    m = mailing(channels=["sms"])
    assert outbox.queue(m, [donor.pk]) == 0
    assert m.skipped == {"no_consent": 1}


def test_each_donor_gets_one_message_on_the_first_channel_they_consented_to(make_donor,
                                                                           mailing):
    both = make_donor("Zalo Trước", consents=("sms", "zalo", "email"), email="a@example.vn")
    sms_only = make_donor("Chỉ SMS", consents=("sms",), email="b@example.vn")
    email_only = make_donor("Chỉ Thư", consents=("email",), email="c@example.vn")
    no_email = make_donor("Không Thư", consents=("email",))  # consented, no address
    m = mailing(channels=["zalo", "sms", "email"])
    donors = [both, sms_only, email_only, no_email]
    by_channel, skipped = outbox.reachable([d.pk for d in donors], m.channels)
    assert by_channel == {"zalo": 1, "sms": 1, "email": 1} and skipped == {"no_address": 1}
    assert Message.objects.count() == 0  # the preview writes nothing
    assert outbox.queue(m, [d.pk for d in donors]) == 3
    sent = {msg.donor_id: (msg.channel, msg.address) for msg in Message.objects.all()}
    assert sent == {both.pk: ("zalo", both.phone), sms_only.pk: ("sms", sms_only.phone),
                    email_only.pk: ("email", "c@example.vn")}
    assert m.skipped == {"no_address": 1}


def test_the_mailings_order_decides_between_consented_channels(make_donor, mailing):
    donor = make_donor("Email Trước", consents=("sms", "email"), email="d@example.vn")
    outbox.queue(mailing(channels=["email", "sms"]), [donor.pk])
    assert Message.objects.get().channel == "email"


def test_a_consent_withdrawn_after_queueing_cancels_the_message_at_send_time(
        make_donor, queue_one, sms_gateway):
    donor = make_donor("Đổi Ý", consents=("sms",))
    message = queue_one(donor, channels=["sms"])
    consent.withdraw(donor, "sms")
    assert outbox.send_one(message.pk) == MessageStatus.CANCELLED
    message.refresh_from_db()
    assert message.error == "Người nhận đã từ chối nhận tin"
    assert sms_gateway.requests == []


# The opt-out link --------------------------------------------------------------------

def opt_out_path(message):
    url = message.body.rsplit("Ngừng nhận tin: ", 1)[1].strip()
    assert url.startswith("https://hienmau.example.vn/")
    return url.removeprefix("https://hienmau.example.vn")


@pytest.mark.parametrize("channel", ["zalo", "email"])
def test_the_link_in_a_message_asks_first_then_withdraws_only_that_channel(
        make_donor, queue_one, channel):
    donor = make_donor("Nguyễn Thị Hoa", email="hoa@example.vn")
    message = queue_one(donor, channels=[channel])
    path = opt_out_path(message)
    client = Client(enforce_csrf_checks=True)  # one-click unsubscribe has no cookie
    page = client.get(path)
    assert page.status_code == 200
    assert standing(donor) == {"sms", "zalo", "email"}  # opening the link changes nothing
    assert page.context["channel"] == message.get_channel_display()
    done = client.post(path)
    assert done.status_code == 200 and done.context["done"]
    assert standing(donor) == {"sms", "zalo", "email"} - {channel}


def test_the_sms_link_is_used_when_no_number_takes_the_keyword(make_donor, queue_one,
                                                              settings):
    settings.SMS_OPT_OUT_NUMBER = ""
    donor = make_donor("Trần Văn Khải")
    message = queue_one(donor, channels=["sms"])
    Client().post(opt_out_path(message))
    assert standing(donor) == {"zalo", "email"}


def test_a_tampered_opt_out_link_is_not_found(make_donor, queue_one, client):
    donor = make_donor("Trần Văn Lộc")
    message = queue_one(donor, channels=["sms"])
    path = opt_out_path(message)
    assert client.post(path[:-3] + "xx/").status_code == 404
    assert client.get(reverse("outreach:opt_out", args=["khong-dung"])).status_code == 404
    assert standing(donor) == {"sms", "zalo", "email"}


def test_after_opting_out_the_next_mailing_skips_the_donor(make_donor, queue_one, mailing):
    donor = make_donor("Trần Văn Mạnh", consents=("sms",))
    Client().post(opt_out_path(queue_one(donor, channels=["sms"])))
    m = mailing(channels=["sms"], title="Lần sau")
    assert outbox.queue(m, [donor.pk]) == 0 and m.skipped == {"no_consent": 1}


# The SMS keyword ---------------------------------------------------------------------

def inbound(client, data, **headers):
    return client.post(reverse("outreach:inbound_sms"), data, content_type="application/json",
                       **headers)


def test_texting_the_keyword_withdraws_sms_for_that_phone_only(make_donor, client):
    donor = make_donor("Vũ Văn Nghĩa", phone="0912 345 001")
    neighbour = make_donor("Vũ Văn Phong", phone="0912 345 002")
    answer = inbound(client, {"from": "84912345001", "text": " tc  "}, **TOKEN)
    assert answer.status_code == 200 and answer.json() == {"opted_out": 1}
    assert standing(donor) == {"zalo", "email"}
    assert standing(neighbour) == {"sms", "zalo", "email"}


def test_other_texts_change_nothing(make_donor, client):
    donor = make_donor("Vũ Văn Quân", phone="0912 345 003")
    for text in ["Cảm ơn", "", "OK TC"]:
        assert inbound(client, {"from": donor.phone, "text": text}, **TOKEN).json() == \
            {"opted_out": 0}
    assert standing(donor) == {"sms", "zalo", "email"}


def test_an_inbound_sms_without_the_token_is_refused(make_donor, client):
    donor = make_donor("Vũ Văn Sơn", phone="0912 345 004")
    assert inbound(client, {"from": donor.phone, "text": "TC"}).status_code == 403
    assert inbound(client, {"from": donor.phone, "text": "TC"},
                   HTTP_X_HIENMAU_TOKEN="sai").status_code == 403
    assert standing(donor) == {"sms", "zalo", "email"}
