"""Emergency appeals (hiến máu đợt xuất): the list, a new appeal (form, preview, the first
wave), an appeal's page with its live answers, the next wave now, closing.

Seen by whoever sees the requester's donors (VIEW_DONORS); created, pushed and closed by
those who may send appeals there (SEND_APPEALS: the office, the institution's staff).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hienmau.donors.identity import mask_phone
from hienmau.donors.models import Donor
from hienmau.orgs import geography
from hienmau.orgs.access import get_organization_for_user, has_perm
from hienmau.orgs.models import Organization, scope_paths
from hienmau.orgs.roles import SEND_APPEALS
from hienmau.outreach import appeals, audience, limits, outbox, wording
from hienmau.outreach.access import get_appeal_for_user
from hienmau.outreach.appeal_forms import CHANNEL_FIELDS, AppealForm
from hienmau.outreach.models import (
    Answer,
    Appeal,
    AppealStatus,
    Channel,
    Message,
    MessageStatus,
)

PAGE_SIZE = 25
SKIP_REASONS = {
    "no_consent": gettext_lazy("chưa đồng ý nhận tin qua các kênh đã chọn"),
    "no_address": gettext_lazy("không có số điện thoại hoặc e-mail cho kênh đã đồng ý"),
    "weekly_cap": gettext_lazy("đã nhận đủ số tin trong 7 ngày"),
    # A recipient's own placeholder would be empty (`wording.Blank.skip_reason`).
    "blank_ho_ten": gettext_lazy("không có họ tên để điền vào {ho_ten}"),
    "blank_ten": gettext_lazy("không có họ tên để điền vào {ten}")}
# The fields the create error's code points at (AppealError.code → form field).
ERROR_FIELDS = {"needed": "needed", "needed_by": "needed_by_date", "channels": "channel_1",
                "malformed": "body", "unknown_placeholder": "body",
                "empty_placeholder": "body"}


def _can_send(user) -> bool:
    return user.is_superuser or bool(scope_paths(user, SEND_APPEALS))


@login_required
def appeal_list(request):
    found = (Appeal.objects.visible_to(request.user).select_related("requester")
             .annotate(yes=Count("responses", filter=Q(responses__answer=Answer.YES)))
             .order_by("-created_at", "-pk"))
    return render(request, "outreach/appeal_list.html", {
        "page": Paginator(found, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_create": _can_send(request.user), "now": timezone.now()})


def _requesters(request):
    units = (Organization.objects.visible_to(request.user, SEND_APPEALS).current()
             .order_by("path"))
    return units


@login_required
def appeal_create(request):
    requesters = _requesters(request)
    if not requesters.exists():
        raise PermissionDenied(_("Vai trò của bạn không cho phép kêu gọi hiến máu khẩn cấp."))
    initial = {"wave_minutes": 30, "body": str(wording.DEFAULTS["appeal"]),
               "channel_1": Channel.ZALO, "channel_2": Channel.SMS,
               "channel_3": Channel.EMAIL}
    if code := request.GET.get("don-vi"):
        unit = get_organization_for_user(request.user, code, SEND_APPEALS)
        initial.update(requester=unit.code, province_code=unit.province_code,
                       commune_code=unit.commune_code)
    form = AppealForm(request.POST or None, requesters=requesters, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        fields = form.appeal_fields()
        if request.POST.get("step") == "send":
            try:
                appeal = appeals.create(actor=request.user, **fields)
            except appeals.AppealError as error:
                form.add_error(ERROR_FIELDS.get(error.code), error.message)
            else:
                messages.success(request, _(
                    "Đã tạo lời kêu gọi. Đợt đầu đã được đưa vào hàng gửi; các đợt sau tự "
                    "gửi mỗi %(minutes)s phút cho đến khi đủ người.") % {
                    "minutes": appeal.wave_minutes})
                return redirect("outreach:appeal", code=appeal.code)
        else:
            preview = _preview(form, fields)
    return render(request, "outreach/appeal_form.html", {
        "form": form, "preview": preview,
        "channel_fields": [form[name] for name in CHANNEL_FIELDS]})


def _preview(form, fields) -> dict | None:
    """What the first wave would do, without writing anything; None (and the form's
    error) when `appeals.create` would refuse the appeal."""
    now = timezone.now()
    if fields["needed_by"] <= now:
        form.add_error("needed_by_date", _("Thời hạn đã qua: hãy chọn một thời điểm sắp tới."))
        return None
    appeal = Appeal(**fields)
    try:
        appeals.check_text(appeal)
    except appeals.AppealError as error:
        form.add_error("body", error.message)
        return None
    # The same donors `appeals.candidates` asks (nobody is asked yet: no exclusion).
    ids = audience.select(appeal.requester, audience.Filters(
        blood_group=appeal.blood_group, rh=appeal.rh, eligible_on=timezone.localdate(now)))
    link = settings.SITE_URL + "/tra-loi/…"
    by_channel, skipped = outbox.reachable(ids, appeal.channels, now, body=appeal.body,
                                           values=appeals.appeal_values(appeal, link))
    reachable = sum(by_channel.values())
    sample = Donor.objects.filter(pk=ids[0]).first() if ids else None
    values = appeals.message_values(appeal, sample, link) if sample else {
        **appeals.appeal_values(appeal, link), "ho_ten": _("Nguyễn Văn An"), "ten": _("An")}
    return {
        "matching": len(ids), "reachable": reachable,
        "by_channel": [(Channel(c).label, n) for c, n in by_channel.most_common()],
        "skipped": [(SKIP_REASONS.get(r, r), n) for r, n in skipped.most_common()],
        "first_wave": min(appeals.wave_size(appeal, 0), reachable),
        "sample_name": sample.full_name if sample else "",
        "text": _sample_text(appeal.body, values),
        "quiet_until": limits.next_send_time(now) if limits.in_quiet_hours(now) else None,
    }


def _sample_text(body: str, values: dict) -> str:
    """The first recipient's message; if that person would be left out (no name), the
    text with a stand-in name."""
    if outbox.left_out(body, values):
        values = {**values, "ho_ten": _("Nguyễn Văn An"), "ten": _("An")}
    return wording.render(body, values)


def _context(request, appeal) -> dict:
    manage = has_perm(request.user, appeal.requester, SEND_APPEALS)
    yes = appeals.answered_yes(appeal)
    return {"appeal": appeal, "manage": manage, "yes": yes,
            "percent": min(100, round(100 * yes / appeal.needed)) if appeal.needed else 100,
            "is_open": appeal.status == AppealStatus.OPEN}


@login_required
def appeal_detail(request, code):
    appeal = get_appeal_for_user(request.user, code)
    context = _context(request, appeal)
    context.update(_responses(request, appeal, context["manage"]))
    context.update(
        area=", ".join(x for x in (geography.commune_name(appeal.commune_code),
                                   geography.province_name(appeal.province_code)) if x),
        channels=[Channel(c).label for c in appeal.channels if c in Channel.values],
        wave_size_now=appeals.wave_size(appeal, context["yes"]))
    return render(request, "outreach/appeal_detail.html", context)


@login_required
def appeal_responses(request, code):
    """The live part of the appeal page, polled by htmx every 5 seconds."""
    appeal = get_appeal_for_user(request.user, code)
    context = _context(request, appeal)
    context.update(_responses(request, appeal, context["manage"]))
    response = render(request, "outreach/_appeal_responses.html", context)
    if not context["is_open"] and request.headers.get("HX-Request"):
        # Filled or closed since the page was loaded: reload it once (status, buttons);
        # the reloaded page no longer polls.
        response["HX-Refresh"] = "true"
    return response


def _responses(request, appeal, manage: bool) -> dict:
    # Phones: the people who may send appeals for the requester (the office, the
    # institution's staff) see the full number, because they must call those who said
    # yes (to confirm, to guide them to the place). Anyone else who may see the
    # requester's donors sees them masked, as in every list.
    yes_rows = []
    for response in (appeal.responses.filter(answer=Answer.YES).select_related("donor")
                     .order_by("answered_at", "pk")):
        donor = response.donor
        phone = donor.phone_local if manage else (mask_phone(donor.phone) if donor.phone
                                                  else "")
        yes_rows.append((response, donor, phone))
    no = appeal.responses.filter(answer=Answer.NO).count()
    counts = dict(Message.objects.filter(mailing__appeal=appeal).values_list("status")
                  .annotate(n=Count("pk")).values_list("status", "n"))
    by_status = [(label, counts[value]) for value, label in MessageStatus.choices
                 if counts.get(value)]
    return {"yes_rows": yes_rows, "no": no, "by_status": by_status,
            "asked": sum(counts.values())}


@login_required
@require_POST
def appeal_wave(request, code):
    appeal = get_appeal_for_user(request.user, code, change=True)
    if appeal.status != AppealStatus.OPEN:
        messages.info(request, _("Lời kêu gọi đã kết thúc, không gửi thêm."))
        return redirect("outreach:appeal", code=appeal.code)
    sent = appeals.run_wave(appeal)
    appeal.refresh_from_db()
    if sent:
        messages.success(request, _("Đã gửi thêm %(n)s tin.") % {"n": sent})
    elif appeal.status == AppealStatus.FILLED:
        messages.success(request, _("Đã đủ người, không cần gửi thêm."))
    elif appeal.status == AppealStatus.CLOSED:
        messages.info(request, _("Đã qua thời hạn: lời kêu gọi đã kết thúc."))
    else:
        messages.warning(request, _("Không còn người phù hợp để gửi thêm."))
    return redirect("outreach:appeal", code=appeal.code)


@login_required
@require_POST
def appeal_close(request, code):
    appeal = get_appeal_for_user(request.user, code, change=True)
    was_open = appeal.status == AppealStatus.OPEN
    appeals.close(appeal, actor=request.user)
    if was_open:
        messages.success(request, _("Đã kết thúc kêu gọi. Các tin chưa gửi đã được hủy."))
    else:
        messages.info(request, _("Lời kêu gọi đã kết thúc từ trước."))
    return redirect("outreach:appeal", code=appeal.code)
