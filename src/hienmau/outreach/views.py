"""Mailings: the list, compose (form → preview of who is reached → send), a mailing's
page with its messages, and cancelling what is not sent yet.

A mailing is seen by whoever sees donors of its sender (`access.get_mailing_for_user`),
composed and cancelled by those who may message them (MESSAGE_DONORS)."""

import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from hienmau.donors import milestones
from hienmau.donors.identity import mask_phone
from hienmau.donors.models import Rh
from hienmau.orgs import audit, geography
from hienmau.orgs.access import get_organization_for_user, has_perm
from hienmau.orgs.models import Kind, Organization, scope_paths
from hienmau.orgs.roles import MESSAGE_DONORS, VIEW_DONORS
from hienmau.outreach import audience, limits, outbox, wording
from hienmau.outreach.access import drives_to_announce, get_mailing_for_user
from hienmau.outreach.forms import MailingForm
from hienmau.outreach.models import (
    Channel,
    Mailing,
    MailingKind,
    MailingStatus,
    Message,
    MessageStatus,
)

PAGE_SIZE = 25
SAMPLE_SIZE = 10
SKIP_REASONS = {
    "no_consent": lambda cap: _("chưa đồng ý nhận tin qua kênh đã chọn"),
    "no_address": lambda cap: _("không có số điện thoại hoặc e-mail cho kênh đã đồng ý"),
    "weekly_cap": lambda cap: ngettext("đã nhận đủ %(n)s tin trong 7 ngày",
                                       "đã nhận đủ %(n)s tin trong 7 ngày", cap) % {"n": cap},
    # A recipient's own placeholder would be empty (`wording.Blank.skip_reason`).
    "blank_ho_ten": lambda cap: _("không có họ tên để điền vào {ho_ten}"),
    "blank_ten": lambda cap: _("không có họ tên để điền vào {ten}"),
    "blank_nhom_mau": lambda cap: _("chưa rõ nhóm máu để điền vào {nhom_mau}"),
}


def mask_email(address: str) -> str:
    """"ng***@gmail.com": the first two characters of the name and the domain."""
    name, _at, domain = (address or "").partition("@")
    if not domain:
        return "***"
    return f"{name[:2]}***@{domain}"


def mask_address(channel: str, address: str) -> str:
    return mask_email(address) if channel == Channel.EMAIL else mask_phone(address)


def skipped_rows(skipped) -> list[tuple[str, str, int]]:
    """(reason, its words, count) for what queueing left out, in a fixed order."""
    cap = limits.weekly_cap()
    rows = [(reason, words(cap), skipped.get(reason, 0)) for reason, words in
            SKIP_REASONS.items() if skipped.get(reason)]
    rows += [(reason, reason, n) for reason, n in skipped.items()
             if reason not in SKIP_REASONS and n]
    return rows


def _status_counts(mailing_ids) -> dict[int, dict[str, int]]:
    """{mailing id: {status: n}} for the mailings given, in one query."""
    counts: dict[int, dict[str, int]] = {}
    for row in (Message.objects.filter(mailing_id__in=list(mailing_ids)).order_by()
                .values("mailing_id", "status").annotate(n=Count("pk"))):
        counts.setdefault(row["mailing_id"], {})[row["status"]] = row["n"]
    return counts


def _can_compose(user) -> bool:
    return user.is_superuser or bool(scope_paths(user, MESSAGE_DONORS))


@login_required
def mailing_list(request):
    mailings = Mailing.objects.visible_to(request.user).select_related("sender", "created_by")
    page = Paginator(mailings, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = _status_counts(m.pk for m in page)
    rows = []
    for mailing in page:
        by_status = counts.get(mailing.pk, {})
        rows.append({
            "mailing": mailing, "total": sum(by_status.values()),
            "sent": by_status.get(MessageStatus.SENT, 0)
            + by_status.get(MessageStatus.DELIVERED, 0),
            "queued": by_status.get(MessageStatus.QUEUED, 0),
            "failed": by_status.get(MessageStatus.FAILED, 0)
            + by_status.get(MessageStatus.BOUNCED, 0),
            "cancelled": by_status.get(MessageStatus.CANCELLED, 0)})
    return render(request, "outreach/mailing_list.html", {
        "page": page, "rows": rows, "can_create": _can_compose(request.user)})


def _form(request, data=None):
    user = request.user
    senders = Organization.objects.visible_to(user, MESSAGE_DONORS).current().order_by("path")
    if not senders.exists():
        raise PermissionDenied(_("Vai trò của bạn không cho phép gửi tin."))
    initial = {}
    chosen = None
    drives = drives_to_announce(user, timezone.localdate())
    if data is None:
        if code := request.GET.get("don-vi"):
            chosen = get_organization_for_user(user, code, MESSAGE_DONORS)
        else:
            chosen = senders.first()
        initial = {"sender": chosen.code, "channels": [Channel.ZALO, Channel.SMS],
                   "body": str(wording.DEFAULTS[
                       "club" if chosen.kind == Kind.CLUB else "message"])}
        if club := request.GET.get("cau-lac-bo"):
            initial["club"] = club
        # From a drive's page: a message about that drive, starting from the invitation.
        if drive := next((d for d in drives if str(d.code) == request.GET.get("dot")), None):
            initial.update(drive=str(drive.code),
                           body=wording.default_text(MailingKind.INVITATION, drive))
    else:
        chosen = senders.filter(code__in=[data.get("sender")]).first() if _is_uuid(
            data.get("sender")) else None
    visible = Organization.objects.visible_to(user, VIEW_DONORS).current().order_by("path")
    tiers = [t for t in milestones.tiers_for(chosen) if t.kind == milestones.INDIVIDUAL] \
        if chosen else []
    return MailingForm(data, initial=initial, senders=senders,
                       units=visible.exclude(kind__in=[Kind.RECEIVING_INSTITUTION, Kind.CLUB]),
                       clubs=visible.filter(kind=Kind.CLUB), drives=drives, tiers=tiers)


def _is_uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def describe(filters: audience.Filters) -> list[str]:
    """The audience's filters in words, for the preview and the mailing's page."""
    words = []
    if filters.province_code:
        words.append(_("Tỉnh/thành phố: %(name)s") % {
            "name": geography.province_name(filters.province_code) or filters.province_code})
    if filters.commune_code:
        words.append(_("Xã/phường: %(name)s") % {
            "name": geography.commune_name(filters.commune_code) or filters.commune_code})
    names = dict(Organization.objects.filter(
        code__in=[c for c in (filters.workplace, filters.club) if _is_uuid(c)])
        .values_list("code", "name"))
    names = {str(code): name for code, name in names.items()}
    if filters.workplace:
        words.append(_("Làm việc, học tập tại %(name)s (cả các đơn vị trực thuộc)") % {
            "name": names.get(filters.workplace, _("đơn vị không còn"))})
    if filters.club:
        words.append(_("Thành viên câu lạc bộ %(name)s") % {
            "name": names.get(filters.club, _("câu lạc bộ không còn"))})
    if filters.blood_group or filters.rh:
        words.append(_("Nhóm máu %(group)s %(rh)s") % {
            "group": filters.blood_group or _("bất kỳ"),
            "rh": Rh(filters.rh).label if filters.rh else ""})
    if filters.eligible_on:
        words.append(_("Đủ điều kiện hiến máu vào ngày %(day)s") % {
            "day": date_format(filters.eligible_on, "SHORT_DATE_FORMAT")})
    if filters.last_donation_before:
        words.append(_("Lần hiến gần nhất trước ngày %(day)s") % {
            "day": date_format(filters.last_donation_before, "SHORT_DATE_FORMAT")})
    if filters.min_donations:
        words.append(_("Đã hiến ít nhất %(n)s lần") % {"n": filters.min_donations})
    return words


def _preview(mailing_fields: dict, values: dict, ids: list[int]) -> dict:
    """Who the mailing reaches and the first recipient's message, as `outbox.queue` would
    do it (`values`: the mailing's own placeholders' values)."""
    channels, body = mailing_fields["channels"], mailing_fields["body"]
    now = timezone.now()
    by_channel, skipped = outbox.reachable(ids, channels, now, body=body, values=values)
    going = ((d, c) for d, c, _r in outbox.plan(ids, channels, now)
             if c and not outbox.left_out(body, {**values, **wording.donor_values(d)}))
    sample = [(donor, chosen[0], mask_address(*chosen))
              for donor, chosen in itertools.islice(going, SAMPLE_SIZE)]
    return {
        "matched": len(ids), "reachable": sum(by_channel.values()),
        "by_channel": [(label, by_channel.get(value, 0)) for value, label in Channel.choices
                       if value in channels],
        "skipped": skipped_rows(skipped),
        "sample": [(donor, Channel(channel).label, masked) for donor, channel, masked in sample],
        "rendered": sample and wording.render(
            body, {**values, **wording.donor_values(sample[0][0])}),
        "quiet_until": limits.next_send_time(now) if limits.in_quiet_hours(now) else None,
    }


# The compose page's list of placeholders, by where their value comes from.
PLACEHOLDER_GROUPS = (
    (gettext_lazy("Của từng người nhận (ai không có thì không được gửi, xem ở bước xem "
                  "trước)"), wording.PER_RECIPIENT),
    (gettext_lazy("Của đơn vị gửi"), ("don_vi",)),
    (gettext_lazy("Của đợt hiến máu đã chọn"), wording.DRIVE),
    (gettext_lazy("Của điều kiện “Đủ điều kiện hiến máu vào ngày”"), ("ngay_du_dieu_kien",)),
)
# In a typed mailing {lien_ket} is always the drive's sign-up page.
COMPOSE_LABELS = {"lien_ket": gettext_lazy("liên kết tới trang đăng ký của đợt")}


def _render_form(request, form):
    return render(request, "outreach/mailing_form.html", {
        "form": form, "placeholder_groups": [
            (title, [(name, COMPOSE_LABELS.get(name, wording.PLACEHOLDERS[name]))
                     for name in names])
            for title, names in PLACEHOLDER_GROUPS]})


class NothingToSend(Exception):
    pass


@login_required
def mailing_create(request):
    if request.method != "POST":
        return _render_form(request, _form(request))
    form = _form(request, request.POST)
    step = request.POST.get("step", "preview")
    if step == "edit" or not form.is_valid():
        return _render_form(request, form)
    data = form.cleaned_data
    sender = data["sender"]
    filters = form.filters()
    values = form.mailing_values()
    ids = audience.select(sender, filters)
    if not ids:
        form.add_error(None, _("Không có người hiến máu nào khớp các điều kiện đã chọn, nên "
                               "chưa gửi tin nào. Hãy nới bớt điều kiện."))
        return _render_form(request, form)
    if step == "send":
        try:
            with transaction.atomic():
                mailing = Mailing.objects.create(
                    sender=sender, title=data["title"],
                    kind=MailingKind.CLUB if sender.kind == Kind.CLUB else MailingKind.MESSAGE,
                    filters=filters.to_json(), channels=data["channels"],
                    subject=data["subject"] or data["title"], body=data["body"],
                    drive=data["drive"], created_by=request.user)
                queued = outbox.queue(mailing, ids, values=lambda donor, _message: {
                    **values, **wording.donor_values(donor)})
                if not queued:
                    raise NothingToSend
                audit.log("hienmau.outreach.mailing_queued", actor=request.user,
                          organization=sender, obj=mailing,
                          data={"title": mailing.title, "queued": queued,
                                "skipped": mailing.skipped, "filters": mailing.filters})
        except NothingToSend:
            form.add_error(None, _("Không ai trong số người khớp điều kiện nhận được tin qua "
                                   "các kênh đã chọn (chưa đồng ý, thiếu địa chỉ, đã nhận đủ "
                                   "tin trong tuần hoặc thiếu thông tin để điền vào tin), nên "
                                   "chưa gửi tin nào."))
            return _render_form(request, form)
        messages.success(request, ngettext("Đã xếp %(n)s tin vào hàng đợi gửi.",
                                           "Đã xếp %(n)s tin vào hàng đợi gửi.", queued)
                         % {"n": queued})
        return redirect("outreach:mailing", code=mailing.code)
    hidden = [(name, value) for name in request.POST
              if name not in ("csrfmiddlewaretoken", "step")
              for value in request.POST.getlist(name)]
    return render(request, "outreach/mailing_preview.html", {
        "form": form, "data": data, "hidden": hidden, "filters": describe(filters),
        **_preview(data, values, ids)})


@login_required
def mailing_detail(request, code):
    mailing = get_mailing_for_user(request.user, code)
    by_status = dict(mailing.messages.order_by().values_list("status").annotate(n=Count("pk")))
    page = Paginator(mailing.messages.select_related("donor").order_by("pk"),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(message, mask_address(message.channel, message.address)) for message in page]
    return render(request, "outreach/mailing_detail.html", {
        "mailing": mailing, "page": page, "rows": rows,
        "counts": [(value, label, by_status.get(value, 0))
                   for value, label in MessageStatus.choices],
        "total": sum(by_status.values()),
        "skipped": skipped_rows(mailing.skipped or {}),
        "filters": describe(audience.Filters.from_json(mailing.filters)),
        "channels": [Channel(c).label for c in mailing.channels if c in Channel.values],
        "can_cancel": by_status.get(MessageStatus.QUEUED, 0) and has_perm(
            request.user, mailing.sender, MESSAGE_DONORS),
        "queued": by_status.get(MessageStatus.QUEUED, 0)})


@login_required
@require_POST
def mailing_cancel(request, code):
    mailing = get_mailing_for_user(request.user, code, change=True)
    with transaction.atomic():
        cancelled = outbox.cancel_queued([mailing])
        if cancelled:
            mailing.status = MailingStatus.CANCELLED
            mailing.save(update_fields=["status"])
            audit.log("hienmau.outreach.mailing_cancelled", actor=request.user,
                      organization=mailing.sender, obj=mailing,
                      data={"title": mailing.title, "cancelled": cancelled})
    if cancelled:
        messages.success(request, ngettext("Đã hủy %(n)s tin chưa gửi.",
                                           "Đã hủy %(n)s tin chưa gửi.", cancelled)
                         % {"n": cancelled})
    else:
        messages.info(request, _("Không còn tin nào chờ gửi để hủy."))
    return redirect("outreach:mailing", code=mailing.code)
