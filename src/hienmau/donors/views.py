import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hienmau.donors import milestones, services
from hienmau.donors.access import (
    can_change_donor,
    can_manage_donor,
    get_donor_for_user,
    health_data,
    record_view,
)
from hienmau.donors.forms import ConsentForm, DonorForm, PriorDonationsForm, SearchForm
from hienmau.donors.history import assess, donor_history, totals_on
from hienmau.donors.identity import mask_id_number, mask_phone
from hienmau.donors.models import Consent, Donor, Merge
from hienmau.donors.search import search
from hienmau.errors import form_error
from hienmau.orgs.access import has_perm
from hienmau.orgs.models import Organization, scope_paths
from hienmau.orgs.roles import CHANGE_DONORS, MANAGE_DONORS, MANAGE_HONORS, VIEW_DONORS

PAGE_SIZE = 50
# Counting every match of a common name ("nguyen") among a million donors takes seconds;
# past this many, the list says "more than" and asks for a narrower search.
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Over `search.Matches` counted up to COUNT_CAP + 1."""

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP


@login_required
def donor_list(request):
    if not (request.user.is_superuser or scope_paths(request.user, VIEW_DONORS)):
        raise PermissionDenied
    form = SearchForm(request.GET or None)
    donors = (Donor.objects.visible_to(request.user).filter(erased_at__isnull=True)
              .select_related("workplace"))
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = CappedPaginator(search(donors, query, count_limit=COUNT_CAP), PAGE_SIZE).get_page(
        request.GET.get("page"))
    # Lists show as little as they need: identity and phone numbers only on the donor's
    # own page, where every view is logged.
    rows = [(d, mask_id_number(d.id_number or ""), mask_phone(d.phone) if d.phone else "")
            for d in page]
    return render(request, "donors/list.html", {
        "form": form, "query": query, "page": page, "rows": rows,
        "can_create": request.user.is_superuser or bool(scope_paths(request.user,
                                                                   CHANGE_DONORS)),
        "can_manage": request.user.is_superuser or bool(scope_paths(request.user,
                                                                   MANAGE_DONORS))})


@login_required
def donor_detail(request, code):
    donor = get_donor_for_user(request.user, code)
    record_view(request.user, donor)
    on = _date(request.GET.get("ngay")) or timezone.localdate()
    history = donor_history(donor, on)
    health = health_data(request.user)
    for donation in history.donations:
        donation.shown_reason = health.deferral_reason(donation)
    # Drives ahead the person is registered for (registrations belong to `drives`, a
    # higher app: read through the reverse relation; "registered"/"confirmed" are the
    # statuses still expecting the person).
    upcoming = list(donor.registrations.filter(
        status__in=("registered", "confirmed"), drive__date__gte=timezone.localdate())
        .select_related("drive").order_by("drive__date")[:5])
    tiers = milestones.tiers_for(donor.home)
    next_milestone = milestones.next_tier(history.total, tiers)
    family = _family(donor, tiers)
    # Awards belong to `honors`, a higher app: read through the reverse relations.
    awards = list(donor.awards.select_related("round"))
    if donor.household:
        awards = sorted(awards + list(donor.household.awards.select_related("round")),
                        key=lambda award: award.date, reverse=True)
    honors = has_perm(request.user, donor.home, MANAGE_HONORS)
    return render(request, "donors/detail.html", {
        "donor": donor, "history": history, "upcoming": upcoming,
        "milestone": milestones.reached(history.total, tiers),
        "next_milestone": next_milestone,
        "milestone_left": next_milestone and next_milestone.donations - history.total,
        "prior_form": PriorDonationsForm(initial={"count": donor.prior_donations,
                                                  "source": donor.prior_donations_source}),
        "next_drive_assessment": upcoming and assess(donor, history.donations,
                                                     upcoming[0].drive.date),
        "family": family, "awards": awards,
        "award_url": honors and f"{reverse('honors:award_create')}?nguoi={donor.code}",
        "family_award_url": honors and family and (
            f"{reverse('honors:award_create')}?gia-dinh={donor.household.code}"),
        "on": on, "today": timezone.localdate(),
        "exclusion_reason": health.exclusion_reason(donor),
        "can_change": can_change_donor(request.user, donor),
        "can_manage": can_manage_donor(request.user, donor),
        "merges": Merge.objects.filter(kept=donor, undone_at__isnull=True)
                  .select_related("absorbed", "merged_by"),
        "views": donor.views.select_related("viewer")[:10],
        "consents": donor.consents.all(),
        # Through the reverse relation: messages belong to `outreach`, a higher app.
        "messages_received": donor.messages.select_related("mailing").order_by(
            "-created_at")[:10],
        "consent_form": ConsentForm(),
    })


def _family(donor, tiers) -> dict | None:
    """The person's family: its members with their donations, the family's count (the
    sum, `milestones.family_count`) and its next milestone."""
    if donor.household is None:
        return None
    members = donor.household.members.filter(merged_into__isnull=True).order_by("sort_key")
    totals = totals_on(members, timezone.localdate())
    count = milestones.family_count(list(totals.values()))
    following = milestones.next_tier(count, tiers, milestones.FAMILY)
    return {"household": donor.household, "count": count,
            "members": [(member, totals[member.pk]) for member in members],
            "reached": milestones.reached(count, tiers, milestones.FAMILY),
            "next": following, "left": following and following.donations - count}


def _date(text):
    try:
        return datetime.datetime.strptime(text or "", "%d/%m/%Y").date()
    except ValueError:
        return None


def _form(request, donor=None):
    homes = Organization.objects.visible_to(request.user, CHANGE_DONORS).current()
    if not homes.exists():
        raise PermissionDenied
    return DonorForm(request.POST or None, instance=donor, homes=homes,
                     units=Organization.objects.visible_to(request.user).current())


def _save(request, form, donor=None):
    if not form.is_valid():
        return None
    fields = form.service_fields()
    confirmed = form.cleaned_data["confirm_identity"]
    try:
        if donor is None:
            with transaction.atomic():
                donor = services.create_donor(actor=request.user, confirmed=confirmed,
                                              **fields)
                for purpose in form.cleaned_data["consents"]:
                    services.give_consent(donor, actor=request.user, purpose=purpose,
                                          channel=form.cleaned_data["consent_channel"]
                                          or Consent.Channel.PAPER)
            return donor
        return services.update_donor(donor, actor=request.user, confirmed=confirmed, **fields)
    except services.DonorError as error:
        form_error(form, error)
        form.duplicate = error.donor
        form.needs_confirmation = error.code == "identity_mismatch"
        return None


@login_required
def donor_create(request):
    form = _form(request)
    if request.method == "POST" and (donor := _save(request, form)):
        messages.success(request, _("Đã thêm người hiến máu."))
        return redirect("donors:detail", code=donor.code)
    return render(request, "donors/form.html", {"form": form, "donor": None})


@login_required
def donor_edit(request, code):
    donor = get_donor_for_user(request.user, code, change=True)
    form = _form(request, donor)
    if request.method == "POST" and (saved := _save(request, form, donor)):
        messages.success(request, _("Đã lưu hồ sơ."))
        return redirect("donors:detail", code=saved.code)
    record_view(request.user, donor)  # the form shows the whole record
    return render(request, "donors/form.html", {"form": form, "donor": donor})
