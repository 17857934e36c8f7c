"""Emergency appeals (hiến máu đợt xuất): N donors of a blood group in an area, asked
in waves until N have answered yes.

A wave messages `wave_size` donors (by default three times the number still missing),
closest first (same commune, then same province, then the rest of the requester's
donors) and, among equals, the most recently eligible first (the latest last donation:
active donors answer). Each donor is asked once per appeal. The scheduler runs the next
wave `wave_minutes` after the last while the appeal is open and not filled.
"""

import datetime

from django.db import transaction
from django.db.models import Case, F, IntegerField, Max, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hienmau.donors.history import COLLECTED
from hienmau.errors import RuleError
from hienmau.orgs import audit
from hienmau.outreach import audience, consent, outbox, wording
from hienmau.outreach.models import (
    Answer,
    Appeal,
    AppealResponse,
    AppealStatus,
    Mailing,
    MailingKind,
    Message,
)

OVERSEND = 3


class AppealError(RuleError):
    pass


def answered_yes(appeal: Appeal) -> int:
    return appeal.responses.filter(answer=Answer.YES).count()


def wave_size(appeal: Appeal, yes: int) -> int:
    missing = max(appeal.needed - yes, 0)
    return appeal.wave_size or missing * OVERSEND


def candidates(appeal: Appeal, today: datetime.date) -> list[int]:
    """Donors the appeal may still ask, in the order waves take them."""
    # The appeal's province and commune order the waves (nearest first), they do not
    # narrow them: filtering by province here left "the rest of the requester's donors"
    # (and those whose province is not recorded) never asked.
    filters = audience.Filters(blood_group=appeal.blood_group, rh=appeal.rh, eligible_on=today)
    asked = Message.objects.filter(mailing__appeal=appeal).values("donor_id")
    donors = audience.donors_of(appeal.requester, filters).exclude(pk__in=asked)
    nearness = [When(commune_code=appeal.commune_code, then=Value(0))] \
        if appeal.commune_code else []
    if appeal.province_code:
        nearness.append(When(province_code=appeal.province_code, then=Value(1)))
    ordered = (donors.annotate(
        near=Case(*nearness, default=Value(2), output_field=IntegerField()),
        last=Max("donations__date", filter=Q(donations__outcome=COLLECTED)))
        # nulls_last: those who never gave come last on PostgreSQL too (it sorts NULL
        # first in a descending order, SQLite last).
        .order_by("near", F("last").desc(nulls_last=True), "pk")
        # The ordering columns are selected too: PostgreSQL refuses to order a DISTINCT
        # query (the audience is one) by what it does not select.
        .values_list("pk", "near", "last"))
    ids = list(dict.fromkeys(pk for pk, _near, _last in ordered))  # distinct, order kept
    eligible = audience.eligible_on(ids, today)
    return [pk for pk in ids if pk in eligible]


def _answer_link(message) -> str:
    from django.conf import settings

    return settings.SITE_URL + reverse("outreach:answer", args=[consent.token(message)])


def appeal_values(appeal: Appeal, link: str) -> dict:
    """The appeal's own placeholders' values: the requester, the blood group needed (not
    the recipient's), where and until when, and `link` (the message's answer page). No
    drive, no eligible-again day: a text using {dot} or {ngay_du_dieu_kien} is refused."""
    local = timezone.localtime(appeal.needed_by)
    values = wording.mailing_values(appeal.requester, link=link)
    values.update(nhom_mau=appeal.blood_type, dia_diem=appeal.place,
                  ngay=date_format(local.date(), "SHORT_DATE_FORMAT"),
                  gio=local.strftime("%H:%M"))
    return values


def message_values(appeal: Appeal, donor, link: str) -> dict:
    """A recipient's name with the appeal's values (its blood group wins over theirs)."""
    return {**wording.donor_values(donor), **appeal_values(appeal, link)}


def check_text(appeal: Appeal) -> None:
    """Raise AppealError when the appeal's text would leave a placeholder empty for
    everyone (`wording.render`), or names one that does not exist."""
    why = {"dot": _("Lời kêu gọi khẩn cấp không gắn với đợt hiến máu nào: hãy bỏ {dot} khỏi "
                    "nội dung."),
           "ngay_du_dieu_kien": _("Lời kêu gọi khẩn cấp không có ngày này: hãy bỏ "
                                  "{ngay_du_dieu_kien} khỏi nội dung.")}
    try:
        # Any link stands for the answer link each message gets.
        wording.render(appeal.body, appeal_values(appeal, link="…"), why=why)
    except wording.WordingError as error:
        raise AppealError(error.message, error.code) from None


def run_wave(appeal: Appeal, now=None) -> int:
    """Send the next wave; returns how many were messaged (0 when the appeal is filled,
    closed, past its time or out of donors). Closes a filled or expired appeal."""
    now = now or timezone.now()
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if appeal.status != AppealStatus.OPEN:
            return 0
        yes = answered_yes(appeal)
        if yes >= appeal.needed or now >= appeal.needed_by:
            _close(appeal, AppealStatus.FILLED if yes >= appeal.needed else AppealStatus.CLOSED,
                   now)
            return 0
        size = wave_size(appeal, yes)
        chosen = []
        pool = candidates(appeal, timezone.localdate(now))
        # Only those the wave can reach count towards its size.
        for start in range(0, len(pool), 500):
            for donor, ok, _reason in outbox.plan(pool[start:start + 500], appeal.channels, now):
                if ok:
                    chosen.append(donor.pk)
            if len(chosen) >= size:
                break
        # `plan` yields in the database's order; keep the waves' order.
        rank = {pk: i for i, pk in enumerate(pool)}
        chosen = sorted(chosen, key=rank.__getitem__)[:size]
        appeal.waves_sent += 1
        appeal.next_wave_at = now + datetime.timedelta(minutes=appeal.wave_minutes)
        appeal.save(update_fields=["waves_sent", "next_wave_at"])
        if not chosen:
            return 0
        mailing = Mailing.objects.create(
            kind=MailingKind.APPEAL, sender=appeal.requester, appeal=appeal,
            title=_("Kêu gọi khẩn cấp nhóm %(group)s, đợt %(wave)s") % {
                "group": appeal.blood_type, "wave": appeal.waves_sent},
            channels=appeal.channels, body=appeal.body, created_by=appeal.created_by,
            subject=_("Khẩn: cần người hiến máu nhóm %(group)s") % {"group": appeal.blood_type})
        return outbox.queue(
            mailing, chosen, now=now, keys=lambda d: f"appeal:{appeal.pk}:{d.pk}",
            values=lambda donor, message: message_values(appeal, donor, _answer_link(message)))


def _close(appeal: Appeal, status: str, now) -> None:
    appeal.status, appeal.closed_at = status, now
    appeal.save(update_fields=["status", "closed_at"])
    outbox.cancel_queued(appeal.mailings.all())


def run_due_waves(now=None) -> int:
    now = now or timezone.now()
    due = Appeal.objects.filter(status=AppealStatus.OPEN, next_wave_at__lte=now)
    return sum(run_wave(appeal, now) for appeal in due)


@transaction.atomic
def create(*, actor, requester, blood_group: str, rh: str, needed: int, place: str,
           needed_by, channels: list[str], body: str, province_code=None, commune_code=None,
           wave_size=None, wave_minutes: int = 30) -> Appeal:
    if needed < 1:
        raise AppealError(_("Số người cần phải từ 1 trở lên."), "needed")
    if needed_by <= timezone.now():
        raise AppealError(_("Thời hạn đã qua: hãy chọn một thời điểm sắp tới."), "needed_by")
    if not channels:
        raise AppealError(_("Hãy chọn ít nhất một kênh gửi."), "channels")
    appeal = Appeal(
        requester=requester, blood_group=blood_group, rh=rh, needed=needed, place=place,
        needed_by=needed_by, channels=channels, body=body, province_code=province_code,
        commune_code=commune_code, wave_size=wave_size, wave_minutes=wave_minutes,
        created_by=actor, next_wave_at=timezone.now())
    check_text(appeal)
    appeal.save()
    audit.log("hienmau.outreach.appeal_created", actor=actor, organization=requester, obj=appeal,
              data={"blood_group": appeal.blood_type, "needed": needed})
    transaction.on_commit(lambda: run_wave(appeal))
    return appeal


def respond(message: Message, answer: str) -> AppealResponse:
    """A donor's answer through their link; answering again changes it. The yes that
    fills the appeal closes it and cancels the messages not yet sent."""
    appeal = message.mailing.appeal
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        response, _created = AppealResponse.objects.update_or_create(
            appeal=appeal, donor=message.donor, defaults={"answer": answer, "message": message})
        if appeal.status == AppealStatus.OPEN and answered_yes(appeal) >= appeal.needed:
            _close(appeal, AppealStatus.FILLED, timezone.now())
    return response


@transaction.atomic
def close(appeal: Appeal, *, actor) -> Appeal:
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status == AppealStatus.OPEN:
        _close(appeal, AppealStatus.CLOSED, timezone.now())
        audit.log("hienmau.outreach.appeal_closed", actor=actor, organization=appeal.requester,
                  obj=appeal, data={"yes": answered_yes(appeal)})
    return appeal
