"""A receiving institution's settings, set by the committee office on the institution's
page: how much it can collect in a day (read by the plan's booking check) and how it
numbers its bags (read by the collection station)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hienmau.orgs import numbering
from hienmau.orgs.access import get_organization_for_user
from hienmau.orgs.models import Kind
from hienmau.orgs.roles import MANAGE_PLANS
from hienmau.plans import services
from hienmau.plans.forms import InstitutionSettingsForm
from hienmau.plans.models import InstitutionCapacity


@login_required
def institution_settings(request, code):
    institution = get_organization_for_user(request.user, code, MANAGE_PLANS)
    if institution.kind != Kind.RECEIVING_INSTITUTION:
        raise Http404(_("Chỉ đơn vị tiếp nhận máu mới có năng lực tiếp nhận."))
    capacity = InstitutionCapacity.objects.filter(institution=institution).first()
    form = InstitutionSettingsForm(request.POST or None, initial={
        "units_per_day": capacity.units_per_day if capacity else None,
        "drives_per_day": capacity.drives_per_day if capacity else None,
        "uses_isbt128": institution.uses_isbt128,
        "bag_number_pattern": institution.bag_number_pattern})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_institution_settings(institution, actor=request.user,
                                               **form.cleaned_data)
        except numbering.PatternError as error:
            form.add_error("bag_number_pattern", error.message)
        else:
            messages.success(request, _("Đã lưu năng lực tiếp nhận và quy cách mã túi của "
                                        "%(name)s.") % {"name": institution.name})
            return redirect("orgs:detail", code=institution.code)
    return render(request, "plans/institution_settings.html",
                  {"org": institution, "form": form})
