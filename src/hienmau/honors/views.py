"""Honor rounds: the list, a new round, a round's lists (the office proposes, edits with
reasons, approves, records the decision), and the lists as XLSX and DOCX. A round is
seen by whoever sees its committee, changed by that committee's office."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hienmau.donors import milestones
from hienmau.donors.models import Donor, Household
from hienmau.donors.services import DonorError, one_by_number, save_tiers
from hienmau.errors import form_error
from hienmau.honors import certificates, emulation, exports, services
from hienmau.honors.forms import (
    AddForm,
    AwardForm,
    AwardsForm,
    RoundForm,
    TierFormSet,
    WeightsForm,
)
from hienmau.honors.models import HIGHEST_FIRST, Award, EmulationWeights, HonorRound, Kind
from hienmau.honors.services import HonorError
from hienmau.orgs.access import get_organization_for_user, has_perm
from hienmau.orgs.models import Kind as OrgKind
from hienmau.orgs.models import Organization, scope_paths
from hienmau.orgs.roles import MANAGE_HONORS
from hienmau.reports import access, dashboard

PAGE_SIZE = 25
COMMITTEES = [OrgKind.NATIONAL_COMMITTEE, OrgKind.PROVINCIAL_COMMITTEE,
              OrgKind.COMMUNE_COMMITTEE]


def _round(user, code, *, manage: bool = False) -> HonorRound:
    rounds = HonorRound.objects.managed_by(user) if manage else HonorRound.objects.visible_to(
        user)
    found = rounds.select_related("committee", "approved_by").filter(code=code).first()
    if found is None:
        if manage and HonorRound.objects.visible_to(user).filter(code=code).exists():
            raise PermissionDenied(_("Chỉ Văn phòng thường trực của Ban Chỉ đạo được thay "
                                     "đổi đợt tôn vinh này."))
        raise Http404
    return found


def _can_manage(user) -> bool:
    return user.is_superuser or bool(scope_paths(user, MANAGE_HONORS))


@login_required
def rounds(request):
    found = HonorRound.objects.visible_to(request.user).select_related("committee")
    return render(request, "honors/rounds.html", {
        "page": Paginator(found, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_create": _can_manage(request.user)})


@login_required
def round_create(request):
    # Those in activity during the round's period (the form offers them): the office that
    # inherited an ended committee holds the rounds of its years.
    committees = Organization.objects.visible_to(request.user, MANAGE_HONORS) \
        .filter(kind__in=COMMITTEES).order_by("path")
    if not committees.exists():
        raise PermissionDenied(_("Chỉ Văn phòng thường trực của Ban Chỉ đạo được lập đợt "
                                 "tôn vinh."))
    form = RoundForm(request.POST or None, committees=committees)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        committee = fields.pop("committee")
        try:
            honor_round = services.create_round(actor=request.user, committee=committee,
                                                **fields)
        except HonorError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Đã lập đợt tôn vinh. Hãy lập danh sách đề xuất."))
            return redirect("honors:round", code=honor_round.code)
    return render(request, "honors/round_form.html", {"form": form})


@login_required
def round_detail(request, code):
    honor_round = _round(request.user, code)
    manage = has_perm(request.user, honor_round.committee, MANAGE_HONORS)
    nominations = honor_round.nominations.select_related(
        "donor__workplace", "household", "organization").order_by(
        "kind", "-included", *HIGHEST_FIRST)
    if not manage:  # people outside the office see the lists as decided
        nominations = nominations.filter(included=True)
    nominations = list(nominations)
    lists = [(kind, label, [n for n in nominations if n.kind == kind])
             for kind, label in Kind.choices]
    return render(request, "honors/round.html", {
        "round": honor_round, "lists": lists, "manage": manage,
        "included": sum(1 for n in nominations if n.included),
        "add_form": AddForm(units=_units(honor_round), honor_round=honor_round)
        if manage else None,
        "awards_form": AwardsForm() if manage and honor_round.approved else None,
        "awards": honor_round.awards.count()})


def _units(honor_round: HonorRound):
    """The units below the round's committee (`AddForm` offers those of its period)."""
    return Organization.objects.filter(path__startswith=honor_round.committee.path).exclude(
        pk=honor_round.committee.pk).exclude(kind=OrgKind.RECEIVING_INSTITUTION) \
        .order_by("path")


def _act(request, code, action) -> HttpResponse:
    """Run `action(round)` for the round's office; its message, or the rule's error."""
    honor_round = _round(request.user, code, manage=True)
    try:
        message = action(honor_round)
    except (HonorError, DonorError) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return redirect("honors:round", code=honor_round.code)


@login_required
@require_POST
def propose(request, code):
    def run(honor_round):
        counts = services.propose(honor_round, actor=request.user)
        return _("Đã lập danh sách đề xuất: %(i)s cá nhân, %(f)s gia đình, %(c)s tập thể.") % {
            "i": counts[Kind.INDIVIDUAL], "f": counts[Kind.FAMILY], "c": counts[Kind.COLLECTIVE]}
    return _act(request, code, run)


@login_required
@require_POST
def decide(request, code):
    def run(honor_round):
        nomination = honor_round.nominations.filter(pk=request.POST.get("nomination")).first()
        if nomination is None:
            raise Http404
        included = request.POST.get("included") == "1"
        services.decide(nomination, actor=request.user, included=included,
                        reason=request.POST.get("reason", ""))
        return (_("Đã đưa %(name)s trở lại danh sách.") if included else
                _("Đã bỏ %(name)s khỏi danh sách.")) % {"name": nomination.recipient}
    return _act(request, code, run)


@login_required
@require_POST
def add(request, code):
    def run(honor_round):
        form = AddForm(request.POST, units=_units(honor_round), honor_round=honor_round)
        if not form.is_valid():
            raise HonorError(" ".join(e for errors in form.errors.values() for e in errors),
                             "invalid")
        data = form.cleaned_data
        kind = data["kind"]
        if kind == Kind.COLLECTIVE:
            subject = data["unit"]
            if subject is None:
                raise HonorError(_("Hãy chọn tập thể."), "unit_required")
        else:
            person = one_by_number(Donor.objects.visible_to(request.user), data["person"])
            subject = person if kind == Kind.INDIVIDUAL else person.household
            if subject is None:
                raise HonorError(_("%(name)s chưa thuộc gia đình nào; hãy ghi gia đình trên "
                                   "trang của người này.") % {"name": person.full_name},
                                 "no_household")
        services.add(honor_round, actor=request.user, kind=kind, subject=subject,
                     award=data["award"], reason=data["reason"])
        return _("Đã thêm %(name)s vào danh sách.") % {"name": subject}
    return _act(request, code, run)


@login_required
@require_POST
def approve(request, code):
    def run(honor_round):
        services.approve(honor_round, actor=request.user)
        return _("Đã duyệt danh sách. Danh sách không còn thay đổi được.")
    return _act(request, code, run)


@login_required
@require_POST
def record_awards(request, code):
    def run(honor_round):
        form = AwardsForm(request.POST)
        if not form.is_valid():
            raise HonorError(_("Hãy ghi đủ cơ quan ký, số và ngày quyết định (dd/mm/yyyy)."),
                             "invalid")
        n = services.record_round_awards(honor_round, actor=request.user,
                                         **form.cleaned_data)
        return _("Đã ghi khen thưởng cho %(n)s đối tượng theo quyết định %(number)s.") % {
            "n": n, "number": form.cleaned_data["number"]}
    return _act(request, code, run)


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@login_required
def export(request, code, extension):
    if extension not in CONTENT_TYPES:
        raise Http404
    honor_round = _round(request.user, code)
    write = exports.nominations_xlsx if extension == "xlsx" else exports.nominations_docx
    response = HttpResponse(write(honor_round), content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.file_name(honor_round, extension)}"')
    return response


@login_required
def round_certificates(request, code):
    """Every certificate of an approved round's lists, one PDF to print."""
    honor_round = _round(request.user, code, manage=True)
    if not honor_round.approved:
        messages.error(request, _("Giấy chứng nhận được in khi danh sách đã duyệt."))
        return redirect("honors:round", code=honor_round.code)
    response = HttpResponse(certificates.render(honor_round), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{exports.file_name(honor_round, "pdf", "giay-chung-nhan")}"')
    return response


# ---- awards one by one (a decision that came outside a round) -----------------------

RECIPIENTS = {"nguoi": (Kind.INDIVIDUAL, Donor), "gia-dinh": (Kind.FAMILY, Household),
              "don-vi": (Kind.COLLECTIVE, Organization)}


def _recipient(request) -> tuple[str, object, Organization]:
    """(kind, recipient, the unit that keeps its record) named by the query string, for
    an office that manages honors there."""
    for param, (kind, model) in RECIPIENTS.items():
        code = request.GET.get(param)
        if code:
            recipient = model.objects.filter(code=code).first()
            if recipient is None:
                raise Http404
            unit = recipient if kind == Kind.COLLECTIVE else recipient.home
            if not has_perm(request.user, unit, MANAGE_HONORS):
                raise PermissionDenied(_("Chỉ Văn phòng thường trực được ghi khen thưởng."))
            return kind, recipient, unit
    raise Http404


def _recipient_page(recipient) -> str:
    if isinstance(recipient, Donor):
        return reverse("donors:detail", args=[recipient.code])
    if isinstance(recipient, Household):
        member = recipient.members.order_by("pk").first()
        return reverse("donors:detail", args=[member.code]) if member else reverse(
            "honors:rounds")
    return reverse("orgs:detail", args=[recipient.code])


@login_required
def award_create(request):
    kind, recipient, unit = _recipient(request)
    form = AwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_award(actor=request.user, recorded_for=unit, kind=kind,
                                  recipient=recipient, **form.cleaned_data)
        except HonorError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Đã ghi khen thưởng cho %(name)s.") % {
                "name": recipient})
            return redirect(_recipient_page(recipient))
    return render(request, "honors/award_form.html", {
        "form": form, "recipient": recipient, "back": _recipient_page(recipient)})


@login_required
@require_POST
def award_delete(request, code):
    award = Award.objects.select_related("recorded_for", "donor", "household",
                                         "organization").filter(code=code).first()
    if award is None or not has_perm(request.user, award.recorded_for, MANAGE_HONORS):
        raise Http404
    recipient = award.recipient
    services.delete_award(award, actor=request.user)
    messages.success(request, _("Đã xóa khen thưởng “%(title)s” ghi nhầm.") % {
        "title": award.title})
    return redirect(_recipient_page(recipient))


# ---- emulation ranking ---------------------------------------------------------------


def _ranking(request):
    """(scope, choices, weights, scores) of the ranking asked for: the units just below
    the organization (a code; default the user's highest), for a plan year."""
    scope, choices = access.scope_for(request.user, today=timezone.localdate(),
                                      organization=request.GET.get("don_vi"),
                                      year=request.GET.get("nam"))
    report = dashboard.build(scope, timezone.localdate())
    weights = emulation.weights_for(scope.organization)
    rows = [row for row in report.units if not row.own]
    return scope, choices, weights, emulation.ranking(rows, weights)


@login_required
def emulation_ranking(request):
    scope, choices, weights, scores = _ranking(request)
    manage = has_perm(request.user, scope.organization, MANAGE_HONORS)
    own = EmulationWeights.objects.filter(committee=scope.organization).first()
    form = None
    if manage:
        form = WeightsForm(request.POST or None, instance=own or EmulationWeights(
            committee=scope.organization, **{name: getattr(weights, name)
                                             for name in WeightsForm.Meta.fields}))
        if request.method == "POST" and form.is_valid():
            services.save_weights(scope.organization, actor=request.user, **{
                name: form.cleaned_data[name] for name in WeightsForm.Meta.fields})
            messages.success(request, _("Đã lưu cách tính điểm thi đua."))
            return redirect(f"{request.path}?{request.GET.urlencode()}")
    elif request.method == "POST":
        raise PermissionDenied(_("Chỉ Văn phòng thường trực được đổi cách tính điểm."))
    return render(request, "honors/emulation.html", {
        "scope": scope, "choices": choices, "weights": weights, "scores": scores,
        "components": [(key, label, weights.of(key))
                       for key, label in emulation.COMPONENTS.items()],
        "form": form, "query": request.GET.urlencode()})


@login_required
def emulation_xlsx(request):
    scope, _choices, weights, scores = _ranking(request)
    content = exports.emulation_xlsx(scope, weights, scores)
    response = HttpResponse(content, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = (
        f'attachment; filename="thi-dua-{scope.end.year}.xlsx"')
    return response


# ---- milestone tiers --------------------------------------------------------------------

KIND_LABELS = dict(Kind.choices)


@login_required
def tiers(request):
    """The milestones in force for a committee and the units below it: the quy chế's
    (QĐ 122/QĐ-BCĐQG), a committee above's, or its own, which its office edits here."""
    committee = access.committee_of(
        get_organization_for_user(request.user, request.GET["don_vi"])
        if request.GET.get("don_vi") else access.default_organization(request.user))
    if committee is None:
        raise Http404
    in_force = milestones.tiers_for(committee)
    own = committee.milestone_tiers.exists()
    manage = has_perm(request.user, committee, MANAGE_HONORS)
    formset = None
    if manage:
        initial = [{"kind": t.kind, "donations": t.donations, "award": t.award,
                    "confirmed": t.confirmed} for t in in_force]
        formset = TierFormSet(request.POST or None, initial=initial)
        if request.method == "POST":
            if request.POST.get("action") == "defaults":
                save_tiers(committee, actor=request.user, tiers=[])
                messages.success(request, _("Đã bỏ các mốc riêng; áp dụng mốc của cấp trên "
                                            "hoặc của Quy chế."))
                return redirect(f"{request.path}?don_vi={committee.code}")
            if formset.is_valid():
                rows = [(f.cleaned_data["kind"], f.cleaned_data["donations"],
                         f.cleaned_data["award"].strip(), f.cleaned_data["confirmed"])
                        for f in formset.forms
                        if f.cleaned_data and not f.cleaned_data.get("DELETE")]
                try:
                    save_tiers(committee, actor=request.user, tiers=rows)
                except DonorError as error:
                    messages.error(request, error.message)
                else:
                    messages.success(request, _("Đã lưu các mốc tôn vinh của %(name)s.") % {
                        "name": committee.name})
                    return redirect(f"{request.path}?don_vi={committee.code}")
    elif request.method == "POST":
        raise PermissionDenied(_("Chỉ Văn phòng thường trực được đổi các mốc tôn vinh."))
    return render(request, "honors/tiers.html", {
        "committee": committee, "own": own, "formset": formset,
        "tiers": [(KIND_LABELS[t.kind], t) for t in in_force],
        "defaults": in_force == milestones.DEFAULT_TIERS})
