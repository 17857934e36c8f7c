"""The daily job: invitations to drives coming up, reminders the day before, and one
message to each donor who has become eligible again. Every message has a key, so the job
can run again the same day (or on two machines) without sending anything twice."""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hienmau.donors.history import COLLECTED
from hienmau.donors.models import Donor, DonorUnit
from hienmau.orgs.models import Organization
from hienmau.outreach import audience, outbox, wording
from hienmau.outreach.models import JobRun, Mailing, MailingKind, Message
from hienmau.plans.models import Drive, DriveStatus

ALL_CHANNELS = ["zalo", "sms", "email"]
log = logging.getLogger(__name__)


def _mailing(kind: str, sender, title: str, drive=None, values=None) -> Mailing | None:
    """The day's mailing of this kind for this drive (or sender): one per day, so that
    its page lists what the job sent. None when its text would leave a placeholder of
    the mailing (`values`) empty (`wording.render`; a drive without a venue): nothing is
    sent."""
    body = wording.default_text(kind, drive)
    try:
        wording.render(body, values or wording.mailing_values(sender, drive))
    except wording.Blank as blank:
        log.warning("outreach: no %s for %s: %s", kind, drive or sender, blank.message)
        return None
    mailing, _created = Mailing.objects.get_or_create(
        kind=kind, sender=sender, drive=drive, title=title,
        defaults={"channels": ALL_CHANNELS, "body": body, "subject": title})
    return mailing


def drive_audience(drive: Drive) -> list[int]:
    """Donors a drive invites: those of its organizer's and executing units' subtrees,
    and those living in the organizer's commune."""
    orgs = [drive.organizer, *drive.executing_units.all()]
    area = Q(pk__in=[])
    for org in orgs:
        area |= Q(path__startswith=org.path)
    units = Organization.objects.filter(area).values("pk")
    near = Q(pk__in=DonorUnit.objects.filter(organization__in=units).values("donor_id"))
    if drive.organizer.commune_code:
        near |= Q(commune_code=drive.organizer.commune_code)
    donors = audience.could_be_eligible(
        Donor.objects.filter(near, merged_into__isnull=True, erased_at__isnull=True),
        drive.date).exclude(registrations__drive=drive)
    ids = list(donors.values_list("pk", flat=True).distinct())
    return list(audience.eligible_on(ids, drive.date))


def invite(today: datetime.date, now=None) -> int:
    """Invite eligible donors to the drives of the next OUTREACH_INVITE_DAYS_AHEAD days,
    soonest first; a donor invited to one drive in that window is not invited to another."""
    now = now or timezone.now()
    window = datetime.timedelta(days=settings.OUTREACH_INVITE_DAYS_AHEAD)
    drives = (Drive.objects.filter(date__gt=today, date__lte=today + window,
                                   status__in=[DriveStatus.PLANNED, DriveStatus.CONFIRMED])
              .select_related("organizer").order_by("date", "pk"))
    invited = set(Message.objects.filter(mailing__kind=MailingKind.INVITATION,
                                         created_at__gte=now - window)
                  .values_list("donor_id", flat=True))
    total = 0
    for drive in drives:
        ids = [pk for pk in drive_audience(drive) if pk not in invited]
        if not ids:
            continue
        title = _("Mời hiến máu: %(drive)s") % {"drive": drive}
        mailing = _mailing(MailingKind.INVITATION, drive.organizer, title, drive)
        if mailing is None:
            continue
        total += outbox.queue(
            mailing, ids, now=now, keys=lambda d, drive=drive: f"invite:{drive.pk}:{d.pk}",
            values=lambda d, m, drive=drive: wording.values_for(d, drive.organizer, drive))
        invited.update(ids)
    return total


def remind(today: datetime.date, now=None) -> int:
    """Remind the people registered for tomorrow's drives."""
    from hienmau.drives.models import EXPECTED_STATUSES, Registration

    tomorrow = today + datetime.timedelta(days=1)
    total = 0
    registrations = (Registration.objects.filter(drive__date=tomorrow,
                                                 status__in=EXPECTED_STATUSES)
                     .exclude(drive__status=DriveStatus.CANCELLED)
                     .values_list("drive_id", "donor_id", "pk"))
    by_drive = defaultdict(dict)
    for drive_id, donor_id, pk in registrations:
        by_drive[drive_id][donor_id] = pk
    for drive in Drive.objects.filter(pk__in=by_drive).select_related("organizer"):
        title = _("Nhắc lịch: %(drive)s") % {"drive": drive}
        mailing = _mailing(MailingKind.REMINDER, drive.organizer, title, drive)
        if mailing is None:
            continue
        people = by_drive[drive.pk]
        total += outbox.queue(
            mailing, list(people), now=now,
            keys=lambda d, people=people: f"remind:{people[d.pk]}",
            values=lambda d, m, drive=drive: wording.values_for(d, drive.organizer, drive))
    return total


def eligible_again(today: datetime.date, now=None) -> int:
    """One message to each donor eligible today who was not, by the rules, on the day of
    their last collection + 1: once per donation (the key names the last one). Donors
    whose last collection is more than a year old are not chased."""
    now = now or timezone.now()
    lasts = (Donor.objects.filter(merged_into__isnull=True, erased_at__isnull=True,
                                  permanently_excluded=False)
             .annotate(last=Max("donations__date", filter=Q(donations__outcome=COLLECTED)))
             .filter(last__gte=today - datetime.timedelta(days=365), last__lt=today)
             .exclude(registrations__drive__date__gte=today,
                      registrations__status__in=["registered", "confirmed"]))
    lasts = dict(lasts.values_list("pk", "last"))
    eligible = audience.eligible_on(list(lasts), today)
    by_home = defaultdict(list)
    for pk, home in Donor.objects.filter(pk__in=list(eligible)).values_list("pk", "home_id"):
        by_home[home].append(pk)
    link = settings.SITE_URL + reverse("drives:public_drives")
    total = 0
    for home in Organization.objects.filter(pk__in=by_home):
        title = _("Đủ thời gian hiến lại, ngày %(day)s") % {"day": today.strftime("%d/%m/%Y")}
        mailing = _mailing(MailingKind.ELIGIBLE_AGAIN, home, title, values=wording.mailing_values(
            home, link=link, eligible_on=today))
        if mailing is None:
            continue
        total += outbox.queue(
            mailing, by_home[home.pk], now=now,
            keys=lambda d: f"eligible:{d.pk}:{lasts[d.pk].isoformat()}",
            values=lambda d, m, home=home: wording.values_for(d, home, link=link,
                                                              eligible_on=today))
    return total


def run_daily(today: datetime.date | None = None, now=None) -> dict | None:
    """The three jobs for `today`, once: a second call the same day (or another
    scheduler) finds the day's JobRun and does nothing. Returns what was queued."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    try:
        with transaction.atomic():
            run = JobRun.objects.create(job="daily", day=today)
    except IntegrityError:
        return None
    result = {"invitations": invite(today, now), "reminders": remind(today, now),
              "eligible_again": eligible_again(today, now)}
    run.result, run.finished_at = result, timezone.now()
    run.save(update_fields=["result", "finished_at"])
    return result
