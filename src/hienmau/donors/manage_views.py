"""The office's registry care: probable duplicates, merging (and undoing it), a donor's
data as a file, erasure on request."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hienmau.donors import merge, privacy, services
from hienmau.donors.access import get_donor_for_user, record_view
from hienmau.donors.duplicates import probable_pairs
from hienmau.donors.forms import ConsentForm, PriorDonationsForm
from hienmau.donors.models import Donor, Merge, NotDuplicate
from hienmau.donors.services import DonorError
from hienmau.orgs.models import scope_paths
from hienmau.orgs.roles import MANAGE_DONORS


def _require_office(user) -> None:
    if not (user.is_superuser or scope_paths(user, MANAGE_DONORS)):
        raise PermissionDenied(_("Chỉ Văn phòng thường trực được gộp hoặc xóa hồ sơ."))


@login_required
def duplicates(request):
    _require_office(request.user)
    donors = Donor.objects.visible_to(request.user).filter(erased_at__isnull=True)
    if request.method == "POST":
        first = get_donor_for_user(request.user, request.POST.get("first"), manage=True)
        second = get_donor_for_user(request.user, request.POST.get("second"), manage=True)
        a, b = sorted((first, second), key=lambda d: d.pk)
        try:
            NotDuplicate.objects.get_or_create(first=a, second=b,
                                               defaults={"reviewed_by": request.user})
        except IntegrityError:
            raise Http404 from None  # the same record twice
        messages.success(request, _("Đã ghi nhận: %(a)s và %(b)s là hai người khác nhau.")
                         % {"a": a.full_name, "b": b.full_name})
        return redirect("donors:duplicates")
    return render(request, "donors/duplicates.html", {"pairs": probable_pairs(donors)[:200]})


@login_required
def merge_donors(request, code):
    first = get_donor_for_user(request.user, code, manage=True)
    second = get_donor_for_user(request.user, request.GET.get("voi") or request.POST.get("voi"),
                                manage=True)
    if request.method == "POST":
        kept, absorbed = (first, second) if request.POST.get("giu") == str(first.code) \
            else (second, first)
        try:
            merge.merge_donors(kept, absorbed, actor=request.user)
        except DonorError as error:
            messages.error(request, error.message)
            return redirect("donors:duplicates")
        messages.success(request, _("Đã gộp hai hồ sơ. Có thể hoàn tác ở trang của người này."))
        return redirect("donors:detail", code=kept.code)
    for donor in (first, second):  # both records, their numbers in full
        record_view(request.user, donor)
    return render(request, "donors/merge.html", {
        "pair": [first, second],
        "counts": {d.pk: d.donations.count() for d in (first, second)}})


@login_required
@require_POST
def undo_merge(request, code):
    try:
        record = Merge.objects.select_related("kept", "absorbed").get(code=code)
    except (Merge.DoesNotExist, ValueError):
        raise Http404 from None
    get_donor_for_user(request.user, record.kept.code, manage=True)
    try:
        absorbed = merge.undo_merge(record, actor=request.user)
    except DonorError as error:
        messages.error(request, error.message)
        return redirect("donors:detail", code=record.kept.code)
    messages.success(request, _("Đã hoàn tác: hai hồ sơ lại tách riêng."))
    return redirect("donors:detail", code=absorbed.code)


@login_required
def export(request, code):
    donor = get_donor_for_user(request.user, code, change=True)
    response = HttpResponse(privacy.export_data(donor, actor=request.user),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="du-lieu-{donor.code}.json"'
    return response


@login_required
def erase(request, code):
    donor = get_donor_for_user(request.user, code, manage=True)
    error = None
    if request.method == "POST":
        try:
            privacy.erase(donor, actor=request.user, reason=request.POST.get("reason", ""))
        except DonorError as refused:
            error = refused.message
        else:
            messages.success(request, _("Đã xóa thông tin cá nhân; các lần hiến máu vẫn được "
                                        "tính trong báo cáo."))
            return redirect("donors:detail", code=donor.code)
    return render(request, "donors/erase.html", {"donor": donor, "error": error,
                                                 "reason": request.POST.get("reason", "")})


@login_required
@require_POST
def consent(request, code):
    """Record a consent the person gave (purpose, how), or withdraw a standing one."""
    donor = get_donor_for_user(request.user, code, change=True)
    if withdraw := request.POST.get("withdraw"):
        item = donor.consents.filter(pk=withdraw).first()
        if item is None:
            raise Http404
        services.withdraw_consent(item, actor=request.user)
        messages.success(request, _("Đã ghi nhận việc rút lại sự đồng ý."))
    else:
        form = ConsentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Hãy chọn mục đích và hình thức đồng ý."))
        else:
            services.give_consent(donor, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Đã ghi nhận sự đồng ý."))
    return redirect("donors:detail", code=donor.code)


@login_required
@require_POST
def prior_donations(request, code):
    """The office records the donations the person gave before HienMau, with the source."""
    donor = get_donor_for_user(request.user, code, manage=True)
    form = PriorDonationsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Số lần hiến trước phải là số từ 0 đến 500."))
    else:
        try:
            services.record_prior_donations(donor, actor=request.user,
                                            count=form.cleaned_data["count"],
                                            source=form.cleaned_data["source"])
        except DonorError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Đã ghi số lần hiến trước khi có HienMau."))
    return redirect("donors:detail", code=donor.code)


@login_required
@require_POST
def household(request, code):
    """The office links a person to a relative's family (found by phone or identity
    number among the donors it sees), or takes the person out of the family."""
    donor = get_donor_for_user(request.user, code, manage=True)
    try:
        if request.POST.get("action") == "leave":
            services.leave_household(donor, actor=request.user)
            messages.success(request, _("%(name)s đã rời gia đình.") % {"name": donor.full_name})
        else:
            relative = services.one_by_number(Donor.objects.visible_to(request.user),
                                              request.POST.get("relative", ""))
            services.join_household(donor, relative, actor=request.user)
            messages.success(request, _("Đã ghi %(name)s cùng gia đình với %(other)s.") % {
                "name": donor.full_name, "other": relative.full_name})
    except DonorError as error:
        messages.error(request, error.message)
    return redirect("donors:detail", code=donor.code)
