"""The donor page lists the messages sent to the person (donor care: who wrote, when,
through what, and whether it arrived)."""

from django.urls import reverse

from hienmau.outreach import outbox
from hienmau.outreach.models import Mailing


def test_the_donor_page_lists_the_messages_sent_to_the_person(client, tree, office,
                                                             make_donor, settings):
    settings.OUTREACH_QUIET_FROM_HOUR = settings.OUTREACH_QUIET_UNTIL_HOUR = 0
    donor = make_donor("Nguyễn Văn An", consents=("zalo",))
    page = client_page(client, office, donor)
    assert "Chưa gửi tin nào." in page
    mailing = Mailing.objects.create(sender=tree["district_one"], title="Mời hiến máu tháng 12",
                                     channels=["sms", "zalo"], body="Chào {ten}")
    outbox.queue(mailing, [donor.pk])
    page = client_page(client, office, donor)
    assert "Mời hiến máu tháng 12" in page and "Zalo" in page and "Chờ gửi" in page


def client_page(client, user, donor) -> str:
    client.force_login(user)
    return client.get(reverse("donors:detail", args=[donor.code])).content.decode()
