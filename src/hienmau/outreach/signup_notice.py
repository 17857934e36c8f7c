"""A person on record who signs up on the public page and, by their record, may not give
on the drive's date is told so on the phone or e-mail on record, with the day from which
they may give again and nothing else of their health: the page itself answers alike for
anyone (`drives.public_views`), so that it tells no stranger what a record holds.

`drives` sends `drives.signals.known_person_signed_up` after the registration commits;
`OutreachConfig.ready` connects `on_known_person_signed_up`. The message is an outbox
message like any other: it goes only on a channel the person consented to (SMS, Zalo,
e-mail; none standing, nothing is sent and the mailing counts the person as skipped),
within the weekly cap, outside quiet hours, to the address on their record (never to
what the form typed). Its key names the registration: signing up again queues nothing.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hienmau.drives.registrations import assess_registrants
from hienmau.outreach import outbox, wording
from hienmau.outreach.models import Mailing, MailingKind

CHANNELS = ["zalo", "sms", "email"]  # the daily job's order (jobs.ALL_CHANNELS)


def next_day_on_record(registration) -> datetime.date | None:
    """The day from which the registrant may give again by their record, when it is after
    the drive's date; None when they may give that day, or when no day can be told (a
    reason with no end is the desk's to explain, not a message's)."""
    assessment = assess_registrants(registration.drive, [registration])[0].assessment
    if assessment.eligible:
        return None
    return assessment.next_eligible_date


def tell_eligibility(registration, now=None) -> int:
    """Queue the message for this registration if its person may not give on the drive's
    date; returns the number of messages queued (0 or 1)."""
    day = next_day_on_record(registration)
    if day is None:
        return 0
    drive = registration.drive
    title = _("Báo ngày hiến lại: %(drive)s") % {"drive": drive}
    mailing, _created = Mailing.objects.get_or_create(
        kind=MailingKind.SIGNUP_ELIGIBILITY, sender=drive.organizer, drive=drive, title=title,
        defaults={"channels": CHANNELS, "subject": title,
                  "body": wording.default_text(MailingKind.SIGNUP_ELIGIBILITY)})
    link = settings.SITE_URL + reverse("drives:public_drives")
    return outbox.queue(
        mailing, [registration.donor_id], now=now or timezone.now(),
        keys=lambda d: f"signup-eligibility:{registration.pk}",
        values=lambda d, m: wording.values_for(d, drive.organizer, drive, link=link,
                                               eligible_on=day))


def on_known_person_signed_up(sender, registration, **kwargs) -> None:
    tell_eligibility(registration)
