import calendar
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hienmau.errors import form_error
from hienmau.orgs.access import has_perm
from hienmau.orgs.models import Kind, Organization, scope_paths
from hienmau.orgs.periods import period_error
from hienmau.orgs.roles import CHANGE_DRIVES, MANAGE_PLANS, VIEW_DONORS
from hienmau.plans import services
from hienmau.plans.access import (
    can_change_drive,
    can_close_drive,
    can_manage_plan,
    get_drive_for_user,
    get_plan_for_user,
)
from hienmau.plans.checks import drive_warnings, plan_warnings, weekday_name
from hienmau.plans.documents import PLAN_DOCUMENTS
from hienmau.plans.forms import (
    CampaignForm,
    CancelForm,
    DriveFilterForm,
    DriveForm,
    NewPlanForm,
    PlanForm,
    QuotaForm,
    SectionForm,
    ShareFormSet,
)
from hienmau.plans.models import Campaign, Drive, Plan
from hienmau.plans.summary import quota_table

PAGE_SIZE = 50
COMMITTEE_KINDS = [Kind.NATIONAL_COMMITTEE, Kind.PROVINCIAL_COMMITTEE, Kind.COMMUNE_COMMITTEE,
                   Kind.INDUSTRIAL_ZONE_COMMITTEE]


def _apply_error(form, error: services.PlanError) -> None:
    form_error(form, error)


# ---- plans -------------------------------------------------------------------------


@login_required
def plan_list(request):
    plans = Plan.objects.visible_to(request.user).select_related("committee")
    can_create = request.user.is_superuser or bool(scope_paths(request.user, MANAGE_PLANS))
    return render(request, "plans/plan_list.html", {
        "page": Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_create": can_create})


@login_required
def plan_create(request):
    # Those in activity during the plan year (the form offers them): an office enters an
    # ended committee's past plans too.
    committees = (Organization.objects.visible_to(request.user, MANAGE_PLANS)
                  .filter(kind__in=COMMITTEE_KINDS))
    if not committees.exists():
        raise PermissionDenied
    form = NewPlanForm(request.POST or None, committees=committees)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        committee = fields.pop("committee")
        try:
            plan = services.create_plan(actor=request.user, committee=committee, **fields)
        except services.PlanError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Đã lập kế hoạch. Hãy thêm các mục và chỉ tiêu."))
            return redirect("plans:detail", code=plan.code)
    return render(request, "plans/plan_form.html", {"form": form, "plan": None})


@login_required
def plan_detail(request, code):
    plan = get_plan_for_user(request.user, code)
    can_manage = can_manage_plan(request.user, plan)
    return render(request, "plans/plan_detail.html", {
        "plan": plan,
        "table": quota_table(plan),
        "warnings": plan_warnings(plan),
        "can_manage": can_manage,
        "next_committee": _next_year_committee(request.user, plan) if can_manage else None,
        "drive_count": plan.drives.active().count(),
        "drive_units": plan.drives.active().aggregate(n=Sum("expected_units"))["n"] or 0,
        "documents": [(kind, document.label) for kind, document in PLAN_DOCUMENTS.items()],
    })


@login_required
def plan_edit(request, code):
    plan = get_plan_for_user(request.user, code, manage=True)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(plan, actor=request.user, **form.cleaned_data)
        except services.PlanError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Đã lưu kế hoạch."))
            return redirect("plans:detail", code=plan.code)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan})


def _next_year_committee(user, plan: Plan) -> Organization | None:
    """The committee next year's plan is made for (`services.next_year_committee`), when
    the user manages its plans."""
    committee = services.next_year_committee(plan)
    if committee is None or not has_perm(user, committee, MANAGE_PLANS):
        return None
    return committee


@login_required
def plan_copy(request, code):
    previous = get_plan_for_user(request.user, code, manage=True)
    committee = services.next_year_committee(previous)
    if committee is None:  # ended, and no successor in activity next year
        messages.error(request, period_error(previous.committee, *services.next_year(previous)))
        return redirect("plans:detail", code=previous.code)
    if not has_perm(request.user, committee, MANAGE_PLANS):
        raise PermissionDenied(_("Kế hoạch năm sau là của đơn vị kế thừa “%(name)s”: chỉ Văn "
                                 "phòng thường trực của đơn vị này được lập.") % {
            "name": committee.name})
    if request.method == "POST":
        try:
            plan = services.start_from_previous(previous, actor=request.user)
        except services.PlanError as error:
            messages.error(request, error.message)
            return redirect("plans:detail", code=previous.code)
        if plan.committee_id == previous.committee_id:
            messages.success(request, _("Đã lập kế hoạch năm sau từ kế hoạch này: các mục và "
                                        "chỉ tiêu đã được chép, hãy điều chỉnh rồi thêm các "
                                        "đợt."))
        else:
            messages.success(request, _(
                "Đã lập kế hoạch năm sau cho đơn vị kế thừa “%(name)s” từ kế hoạch này: các "
                "mục và chỉ tiêu đã được chép, hãy điều chỉnh rồi thêm các đợt.") % {
                "name": plan.committee.name})
        left_out = previous.quotas.exclude(organization__in=plan.quotas.values(
            "organization")).select_related("organization")
        if left_out:
            messages.warning(request, _(
                "Không chép chỉ tiêu của các đơn vị không hoạt động trong năm kế hoạch mới: "
                "%(units)s. Hãy giao chỉ tiêu cho đơn vị kế thừa.") % {
                "units": "; ".join(q.organization.name for q in left_out)})
        return redirect("plans:detail", code=plan.code)
    return render(request, "plans/plan_copy.html", {"plan": previous, "committee": committee})


@login_required
def section_edit(request, code):
    plan = get_plan_for_user(request.user, code, manage=True)
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.save_section(plan, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Đã lưu mục %(number)s.") % form.cleaned_data)
        return redirect("plans:detail", code=plan.code)
    return render(request, "plans/section_form.html", {"form": form, "plan": plan})


@login_required
def quota_edit(request, code):
    plan = get_plan_for_user(request.user, code, manage=True)
    quota = None
    org_code = request.GET.get("unit") or request.POST.get("organization")
    if org_code:
        quota = plan.quotas.filter(organization__code=org_code).first()
    if request.method == "POST" and request.POST.get("delete") and quota:
        services.delete_quota(quota, actor=request.user)
        messages.success(request, _("Đã xóa chỉ tiêu của %(unit)s.")
                         % {"unit": quota.organization.name})
        return redirect("plans:detail", code=plan.code)
    initial = None
    if quota:
        initial = {"organization": quota.organization.code, "section": quota.section_id,
                   "units": quota.units, "registration_target": quota.registration_target,
                   "staff_share_percent": quota.staff_share_percent, "note": quota.note}
    form = QuotaForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            services.save_quota(plan, actor=request.user, organization=fields.pop("organization"),
                                units=fields.pop("units"), section=fields.pop("section"),
                                **fields)
        except services.PlanError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Đã lưu chỉ tiêu."))
            return redirect("plans:detail", code=plan.code)
    return render(request, "plans/quota_form.html", {"form": form, "plan": plan, "quota": quota})


@login_required
def campaign_list(request):
    """Recurring campaigns the user's drives may join; offices add their own."""
    owners = (Organization.objects.visible_to(request.user, MANAGE_PLANS).current()
              .filter(kind__in=COMMITTEE_KINDS))
    form = CampaignForm(request.POST or None, owners=owners)
    if request.method == "POST":
        if not owners.exists():
            raise PermissionDenied
        if form.is_valid():
            campaign = services.save_campaign(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Đã lưu chiến dịch “%(name)s”.") % {"name": campaign.name})
            return redirect("plans:campaigns")
    campaigns = Campaign.objects.visible_to(request.user).select_related("owner")
    return render(request, "plans/campaign_list.html", {
        "campaigns": campaigns, "form": form if owners.exists() else None})


# ---- drives ------------------------------------------------------------------------


def _month(value: str | None) -> datetime.date | None:
    try:
        year, month = (int(x) for x in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return None


def _filtered_drives(request):
    user = request.user
    units = Organization.objects.visible_to(user).exclude(kind=Kind.RECEIVING_INSTITUTION)
    form = DriveFilterForm(request.GET or None, units=units,
                           plans=Plan.objects.visible_to(user))
    drives = (Drive.objects.visible_to(user)
              .select_related("organizer", "receiving_institution", "campaign"))
    unit = None
    if form.is_valid():
        data = form.cleaned_data
        if data["unit"]:
            unit = data["unit"]
            drives = drives.filter(organizer__path__startswith=unit.path) | drives.filter(
                shares__organization__path__startswith=unit.path)
        if month := _month(data["month"]):
            drives = drives.filter(date__year=month.year, date__month=month.month)
        if data["status"]:
            drives = drives.filter(status=data["status"])
        if data["institution"]:
            drives = drives.filter(receiving_institution=data["institution"])
        if data["plan"]:
            drives = drives.filter(plan=data["plan"])
        if data["when"] == "upcoming":
            drives = drives.filter(date__gte=timezone.localdate())
        elif data["when"] == "past":
            drives = drives.filter(date__lt=timezone.localdate())
    return form, drives.distinct().upcoming_first(timezone.localdate()), unit


def _can_create_drives(user) -> bool:
    return user.is_superuser or bool(scope_paths(user, CHANGE_DRIVES))


@login_required
def drive_list(request):
    form, drives, unit = _filtered_drives(request)
    return render(request, "plans/drive_list.html", {
        "form": form, "unit": unit, "can_create": _can_create_drives(request.user),
        "page": Paginator(drives, PAGE_SIZE).get_page(request.GET.get("page")),
        "today": timezone.localdate()})


@login_required
def drive_calendar(request):
    today = timezone.localdate()
    first = _month(request.GET.get("month")) or today.replace(day=1)
    _form, drives, _unit = _filtered_drives(request)
    drives = drives.filter(date__year=first.year, date__month=first.month)
    by_day: dict[int, list] = {}
    for drive in drives:
        by_day.setdefault(drive.date.day, []).append(drive)
    weeks = [[(day, by_day.get(day, [])) if day else (None, []) for day in week]
             for week in calendar.Calendar(firstweekday=0).monthdayscalendar(first.year,
                                                                               first.month)]
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return render(request, "plans/drive_calendar.html", {
        "month": first, "weeks": weeks, "today": today,
        "previous": previous.strftime("%Y-%m"), "next": following.strftime("%Y-%m"),
        "weekday_names": [weekday_name(datetime.date(2024, 1, 1) + datetime.timedelta(days=i))
                          for i in range(7)],
        "can_create": _can_create_drives(request.user), "count": len(drives)})


def _drive_form(request, instance=None):
    user = request.user
    # The form offers those in activity on the drive's date, and keeps what it names.
    organizers = Organization.objects.visible_to(user, CHANGE_DRIVES).exclude(
        kind=Kind.RECEIVING_INSTITUTION)
    units = Organization.objects.visible_to(user).exclude(kind=Kind.RECEIVING_INSTITUTION)
    plans = Plan.objects.visible_to(user).exclude(status="closed")
    if instance is not None and instance.plan_id:  # a closed plan's drive stays in it
        plans = Plan.objects.filter(Q(pk__in=plans.values("pk")) | Q(pk=instance.plan_id))
    initial = {}
    if instance is None and request.GET.get("date"):
        initial["date"] = request.GET["date"]
    form = DriveForm(request.POST or None, instance=instance, organizers=organizers,
                     plans=plans, campaigns=Campaign.objects.visible_to(user), units=units,
                     initial=initial)
    shares_initial = ([{"organization": s.organization.code, "expected_units": s.expected_units}
                       for s in instance.shares.select_related("organization")]
                      if instance else [])
    shares = ShareFormSet(request.POST or None, initial=shares_initial, prefix="shares",
                          form_kwargs={"units": Organization.objects.visible_to(user),
                                       "day": form.record_day,
                                       "keep": instance and Organization.objects.filter(
                                           drive_shares__drive=instance)})
    return form, shares


def _shares(formset) -> list:
    """[(organization, units)] from the filled rows of the joint-drive table."""
    return [(f.cleaned_data["organization"], f.cleaned_data["expected_units"])
            for f in formset if f.cleaned_data.get("organization")
            and f.cleaned_data.get("expected_units")]


def _save_drive(request, form, shares, drive=None):
    if not (form.is_valid() and shares.is_valid()):
        return None
    # The organizer list only holds units the user may organize drives for, so a
    # drive cannot be moved to, or created for, a unit outside the user's rights.
    fields = form.service_fields()
    try:
        with transaction.atomic():
            if drive is None:
                saved = services.create_drive(actor=request.user, shares=_shares(shares),
                                              **fields)
            else:
                saved = services.update_drive(drive, actor=request.user, shares=_shares(shares),
                                              **fields)
    except services.PlanError as error:
        _apply_error(form, error)
        return None
    for warning in drive_warnings(saved):
        messages.warning(request, warning.message)
    return saved


@login_required
def drive_create(request):
    if not _can_create_drives(request.user):
        raise PermissionDenied
    form, shares = _drive_form(request)
    if request.method == "POST":
        drive = _save_drive(request, form, shares)
        if drive:
            messages.success(request, _("Đã thêm đợt hiến máu."))
            return redirect("plans:drive", code=drive.code)
    return render(request, "plans/drive_form.html", {"form": form, "shares": shares,
                                                      "drive": None})


@login_required
def drive_edit(request, code):
    drive = get_drive_for_user(request.user, code, change=True)
    form, shares = _drive_form(request, drive)
    if request.method == "POST":
        saved = _save_drive(request, form, shares, drive)
        if saved:
            messages.success(request, _("Đã lưu đợt hiến máu."))
            return redirect("plans:drive", code=saved.code)
    return render(request, "plans/drive_form.html", {"form": form, "shares": shares,
                                                      "drive": drive})


@login_required
def drive_cancel(request, code):
    drive = get_drive_for_user(request.user, code, change=True)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_drive(drive, actor=request.user, reason=form.cleaned_data["reason"])
        except services.PlanError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Đã hủy đợt hiến máu."))
            return redirect("plans:drive", code=drive.code)
    return render(request, "plans/drive_cancel.html", {"form": form, "drive": drive})


@login_required
def drive_detail(request, code):
    drive = get_drive_for_user(request.user, code)
    return render(request, "plans/drive_detail.html", {
        "drive": drive,
        "weekday": weekday_name(drive.date),
        "shares": drive.shares.select_related("organization"),
        "coordinating": drive.coordinating_units.all(),
        "executing": drive.executing_units.all(),
        "warnings": drive_warnings(drive),
        "can_change": can_change_drive(request.user, drive),
        "announcement_url": reverse("plans:drive_announcement", args=[drive.code]),
        # Registrations belong to `drives`, a higher app: counted through the relation.
        "registered": drive.registrations.exclude(status="cancelled").count(),
        "sees_people": request.user.is_superuser or bool(scope_paths(request.user,
                                                                    VIEW_DONORS)),
        "can_close": drive.date <= timezone.localdate() and can_close_drive(request.user,
                                                                             drive),
    })
