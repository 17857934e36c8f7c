"""The outbox: messages queued as rows (consent, weekly cap and quiet hours decided
here), then claimed and sent one by one by the background worker, with retries.

Queueing is one transaction: a mailing and all its messages, or nothing. The workers are
told after commit (`transaction.on_commit`), so a task never looks for rows that are not
there yet; `send_due` (the scheduler, every minute) picks up anything a task missed.
"""

import datetime
import logging
import uuid
from collections import Counter, namedtuple

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hienmau.donors.models import Donor
from hienmau.outreach import consent, limits, spans, wording
from hienmau.outreach.channels import TransportError, transport_for
from hienmau.outreach.models import Mailing, MailingStatus, Message, MessageStatus

log = logging.getLogger(__name__)
CHUNK = 1000
STALE_CLAIM = datetime.timedelta(minutes=10)


def _decide(donor, allowed, recent, cap, channels):
    """(channel, address) or None, and the reason when None."""
    if not allowed.get(donor.pk):
        return None, "no_consent"
    if recent.get(donor.pk, 0) >= cap:
        return None, "weekly_cap"
    chosen = consent.choose_channel(donor, allowed[donor.pk], channels)
    return chosen, None if chosen else "no_address"


def plan(donor_ids, channels: list[str], now: datetime.datetime):
    """For each donor: (donor, channel, address) if a message may go, else the reason it
    may not ("no_consent", "no_address", "weekly_cap"). Yields in chunks of CHUNK, in the
    order of `donor_ids` (an appeal's wave is queued, hence sent, nearest first)."""
    donor_ids = list(donor_ids)
    cap = limits.weekly_cap()
    for start in range(0, len(donor_ids), CHUNK):
        chunk = donor_ids[start:start + CHUNK]
        allowed = consent.consented(chunk, channels)
        recent = limits.recent_counts(chunk, now)
        found = {donor.pk: donor for donor in Donor.objects.filter(pk__in=chunk).only(
            "full_name", "phone", "email", "blood_group", "rh", "home_id")}
        for donor in (found[pk] for pk in chunk if pk in found):
            yield donor, *_decide(donor, allowed, recent, cap, channels)


# What choosing a channel (and the recipient's placeholders) needs of a donor: the
# preview counts a province's donors, model instances would cost more than the counting.
_Addresses = namedtuple("_Addresses", "pk phone email full_name blood_group rh",
                        defaults=("", "", ""))


def left_out(body: str, values: dict) -> str | None:
    """The reason a recipient is left out because `wording.render` finds one of their own
    placeholders empty (no name, blood group not known), None when their message may go.
    A placeholder empty for the whole mailing raises `wording.Blank`: the sender's form
    checks it first."""
    try:
        wording.render(body, values)
    except wording.Blank as blank:
        if not blank.per_recipient:
            raise
        return blank.skip_reason
    return None


def reachable(donor_ids, channels: list[str], now=None, *, body: str = "",
              values: dict | None = None) -> tuple[Counter, Counter]:
    """What queueing would do, without writing: (messages by channel, skipped by reason),
    for the preview before sending. Same decisions as `plan` and `queue` (`body` filled
    with the mailing's `values` and each recipient's), in runs of ids."""
    now = now or timezone.now()
    cap = limits.weekly_cap()
    by_channel, skipped = Counter(), Counter()
    own = [name for name in wording.used(body) if name in wording.PER_RECIPIENT]
    columns = ("pk", "phone", "email", *(("full_name", "blood_group", "rh") if own else ()))
    # Whether a recipient is left out depends only on which of their values are empty.
    verdicts: dict[tuple, str | None] = {}
    for span, run in spans.runs(donor_ids):
        allowed = consent.consented(span, channels)
        recent = limits.recent_counts(span, now)
        for row in Donor.objects.filter(**spans.where(span, "pk")).values_list(
                *columns).order_by():
            if row[0] not in run:
                continue
            donor = _Addresses(*row)
            chosen, reason = _decide(donor, allowed, recent, cap, channels)
            if chosen and own:
                mine = wording.donor_values(donor)
                key = tuple(not mine[name].strip() for name in own)
                if key not in verdicts:
                    verdicts[key] = left_out(body, {**(values or {}), **mine})
                chosen, reason = (None, verdicts[key]) if verdicts[key] else (chosen, None)
            if chosen:
                by_channel[chosen[0]] += 1
            else:
                skipped[reason] += 1
    return by_channel, skipped


@transaction.atomic
def queue(mailing: Mailing, donor_ids, *, values=None, keys=None, now=None) -> int:
    """Write one message per donor the mailing may reach and tell the workers.

    `values(donor, message)` gives the placeholders' values (default: the donor, the
    sender and the mailing's drive); `keys(donor)` a job's unique key, so that a re-run
    queues nothing twice. A donor whose own placeholder would be empty (`wording.render`)
    is left out and counted in `skipped`; a placeholder empty for everyone raises
    `wording.Blank` and nothing is queued. Returns the number of messages queued."""
    now = now or timezone.now()
    send_at = limits.next_send_time(now)
    skipped = Counter(mailing.skipped or {})
    rows = []
    for donor, chosen, reason in plan(donor_ids, mailing.channels, now):
        if not chosen:
            skipped[reason] += 1
            continue
        channel, address = chosen
        message = Message(code=uuid.uuid4(), mailing=mailing, donor=donor, channel=channel,
                          address=address, subject=mailing.subject,
                          key=keys(donor) if keys else "",
                          next_attempt_at=send_at if send_at != now else None)
        filled = values(donor, message) if values else wording.values_for(
            donor, mailing.sender, mailing.drive)
        try:
            text = wording.render(mailing.body, filled)
        except wording.Blank as blank:
            if not blank.per_recipient:
                raise
            skipped[blank.skip_reason] += 1
            continue
        message.body = f"{text}\n{consent.opt_out_line(message)}"
        rows.append(message)
    created = Message.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    mailing.skipped = dict(skipped)
    mailing.status = MailingStatus.SENDING
    mailing.queued_at = mailing.queued_at or now
    mailing.save(update_fields=["skipped", "status", "queued_at"])
    codes = [m.code for m in created]
    transaction.on_commit(lambda: notify_workers(codes, send_at))
    # ignore_conflicts: rows a re-run already had are not written; count what is there.
    return Message.objects.filter(code__in=codes).count()


def notify_workers(codes, send_at=None) -> None:
    """One background task per 200 messages; none needed when nobody runs the tasks
    (`send_due` would send them anyway)."""
    from hienmau.outreach.tasks import deliver

    ids = list(Message.objects.filter(code__in=codes).values_list("pk", flat=True))
    task = deliver.using(run_after=send_at) if send_at and send_at > timezone.now() else deliver
    for start in range(0, len(ids), 200):
        task.enqueue(ids[start:start + 200])


def _claim(message_id: int, now) -> bool:
    """Take the message for this worker: a guarded UPDATE, so two workers never send one
    message twice (only one of them changes the row)."""
    return Message.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        pk=message_id, status=MessageStatus.QUEUED, claimed_at__isnull=True,
    ).update(claimed_at=now) == 1


def send_one(message_id: int, now=None) -> str | None:
    """Send one queued message if it is due; returns its new status (None if another
    worker had it or it is not due)."""
    now = now or timezone.now()
    if not _claim(message_id, now):
        return None
    message = Message.objects.select_related("donor").get(pk=message_id)
    update = {"claimed_at": None}
    if limits.in_quiet_hours(now):
        update["next_attempt_at"] = limits.next_send_time(now)
    elif not consent.consented([message.donor_id], [message.channel]):
        # The person opted out after the message was queued.
        update.update(status=MessageStatus.CANCELLED, error="Người nhận đã từ chối nhận tin")
    else:
        update["attempts"] = message.attempts + 1
        try:
            update["provider_id"] = transport_for(message.channel).send(message)[:120]
            update.update(status=MessageStatus.SENT, sent_at=now, error="",
                          next_attempt_at=None)
        except TransportError as error:
            update["error"] = error.message[:500]
            if error.bounced:
                update["status"] = MessageStatus.BOUNCED
            elif error.permanent or update["attempts"] >= settings.OUTREACH_MAX_ATTEMPTS:
                update["status"] = MessageStatus.FAILED
            else:
                update["next_attempt_at"] = now + limits.retry_delay(update["attempts"])
            log.warning("outreach: %s message %s: %s", message.channel, message.code,
                        error.message)
    Message.objects.filter(pk=message_id).update(**update)
    if update.get("next_attempt_at"):
        notify_workers([message.code], update["next_attempt_at"])
    return update.get("status", MessageStatus.QUEUED)


def send_due(now=None, limit: int = 5000) -> Counter:
    """Send what is due (queued, not claimed, its time come), oldest first; claims left
    by a worker that died are released first. The scheduler calls it every minute."""
    now = now or timezone.now()
    Message.objects.filter(status=MessageStatus.QUEUED,
                           claimed_at__lt=now - STALE_CLAIM).update(claimed_at=None)
    due = (Message.objects.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
                                  status=MessageStatus.QUEUED, claimed_at__isnull=True)
           .order_by("created_at", "pk").values_list("pk", flat=True)[:limit])
    return Counter(str(status) for pk in list(due) if (status := send_one(pk, now)))


# Provider words for a message's fate → our statuses.
DELIVERY_STATUSES = {
    "delivered": MessageStatus.DELIVERED, "received": MessageStatus.DELIVERED,
    "user_received_message": MessageStatus.DELIVERED,
    "failed": MessageStatus.FAILED, "undelivered": MessageStatus.FAILED,
    "rejected": MessageStatus.FAILED, "expired": MessageStatus.FAILED,
    "bounced": MessageStatus.BOUNCED, "bounce": MessageStatus.BOUNCED,
}


def record_delivery(channel: str, provider_id: str, status: str, when=None) -> bool:
    """A provider's callback: the message it names gets the status it reports. True if
    a message was found. A late "sent" never overwrites "delivered"."""
    new = DELIVERY_STATUSES.get(str(status).strip().lower())
    if new is None or not provider_id:
        return False
    messages = Message.objects.filter(channel=channel, provider_id=provider_id)
    if channel == "email":  # e-mail's provider id is our own code
        messages = Message.objects.filter(channel=channel, code__in=_uuid_or_none(provider_id))
    update = {"status": new}
    if new == MessageStatus.DELIVERED:
        update["delivered_at"] = when or timezone.now()
    return messages.exclude(status=MessageStatus.CANCELLED).update(**update) > 0


def _uuid_or_none(value: str) -> list:
    try:
        return [uuid.UUID(value)]
    except ValueError:
        return []


def cancel_queued(mailings) -> int:
    return Message.objects.filter(mailing__in=mailings, status=MessageStatus.QUEUED).update(
        status=MessageStatus.CANCELLED, error="Đã hủy")
