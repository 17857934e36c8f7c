"""A drive's registrations for the people who organize it: the list with its counts and
who will not be eligible on the day, adding one person quickly, editing, cancelling."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hienmau.donors import services as donor_services
from hienmau.donors.access import get_donor_for_user
from hienmau.donors.history import explain
from hienmau.donors.identity import mask_id_number, mask_phone
from hienmau.donors.models import Consent, Donor
from hienmau.donors.search import search, search_filter
from hienmau.drives import drive_day
from hienmau.drives import registrations as service
from hienmau.drives.access import (
    can_register,
    get_drive_for_registrations,
    mobilizing_units,
    sees_all_registrations,
    visible_registrations,
)
from hienmau.drives.forms import (
    NewPersonForm,
    RegisterExistingForm,
    RegistrationFilterForm,
    RegistrationForm,
)
from hienmau.drives.models import EXPECTED_STATUSES, RegistrationStatus, Source
from hienmau.errors import form_error
from hienmau.orgs.access import has_perm
from hienmau.orgs.models import Organization
from hienmau.orgs.roles import CHANGE_DONORS

PAGE_SIZE = 50
ASSESS_LIMIT = 5000


def summary(drive, registrations) -> dict:
    """Registered against the registration target and the expected units."""
    by_status = dict(registrations.order_by().values("status").annotate(n=Count("pk"))
                     .values_list("status", "n"))
    active = sum(n for status, n in by_status.items() if status != RegistrationStatus.CANCELLED)
    by_unit = dict(registrations.exclude(status=RegistrationStatus.CANCELLED).order_by()
                   .values("mobilized_by__name").annotate(n=Count("pk"))
                   .values_list("mobilized_by__name", "n"))
    target = drive.registration_target
    return {
        "active": active, "target": target, "expected": drive.expected_units,
        "percent_of_target": round(100 * active / target) if target else None,
        "statuses": [(label, by_status.get(value, 0))
                     for value, label in RegistrationStatus.choices if by_status.get(value)],
        "units": sorted(((name or _("(không ghi)"), n) for name, n in by_unit.items()),
                        key=lambda pair: -pair[1]),
    }


@login_required
def registration_list(request, code):
    drive = get_drive_for_registrations(request.user, code)
    registrations = visible_registrations(request.user, drive)
    form = RegistrationFilterForm(request.GET or None)
    rows = registrations.select_related("donor", "mobilized_by").order_by(
        "donor__sort_key", "pk")
    if form.is_valid():
        if query := form.cleaned_data["q"].strip():
            reference = service.normalize_reference(query)
            rows = rows.filter(Q(reference=reference) | Q(
                donor__in=Donor.objects.filter(search_filter(query)).values("pk")))
        if status := form.cleaned_data["status"]:
            rows = rows.filter(status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    visible_donors = set(Donor.objects.visible_to(request.user).filter(
        pk__in=[r.donor_id for r in page]).values_list("pk", flat=True))
    counts = summary(drive, registrations)
    refusal = service.registration_refusal(drive, timezone.localdate())
    # A drive holds hundreds of people, assessed in a fraction of a second; a list of
    # tens of thousands would make every opening of this page wait for it.
    not_eligible = None
    if counts["active"] <= ASSESS_LIMIT:
        expected = registrations.filter(status__in=EXPECTED_STATUSES).select_related("donor")
        not_eligible = [(check.registration, *explain(check.assessment))
                        for check in service.assess_registrants(drive, expected)
                        if not check.assessment.eligible]
    return render(request, "drives/registrations.html", {
        "drive": drive, "form": form, "page": page, "summary": counts,
        "assess_limit": ASSESS_LIMIT,
        "rows": [(r, mask_id_number(r.donor.id_number or ""),
                  mask_phone(r.donor.phone) if r.donor.phone else "",
                  r.donor_id in visible_donors) for r in page],
        "not_eligible": not_eligible,
        "can_register": can_register(request.user, drive),
        "refusal": refusal,
        "open": refusal is None,
        "sees_all": sees_all_registrations(request.user, drive),
    })


def _default_unit(user, drive, units):
    return drive.organizer if units.filter(pk=drive.organizer_id).exists() else units.first()


def _home_for(user, drive, mobilized_by):
    """The unit that keeps a new person's record: the unit that mobilized them, else the
    organizer, else the user's own unit."""
    if mobilized_by is not None:
        return mobilized_by
    if has_perm(user, drive.organizer, CHANGE_DONORS):
        return drive.organizer
    return Organization.objects.visible_to(user, CHANGE_DONORS).order_by("path").first()


@login_required
def registration_add(request, code):
    drive = get_drive_for_registrations(request.user, code, register=True)
    today = timezone.localdate()
    # On the day, the check-in desk adds people who came without registering (walk-ins).
    walk_in = request.GET.get("tai_cho") == "1" or request.POST.get("tai_cho") == "1"
    if walk_in:
        try:
            drive_day.check_running(drive, today)
        except drive_day.DriveDayError as error:
            messages.error(request, error.message)
            return redirect("drives:station", code=drive.code)
    elif (refusal := service.registration_refusal(drive, today)) is not None:
        messages.error(request, refusal.message)
        return redirect("drives:registrations", code=drive.code)
    units = mobilizing_units(request.user, drive)
    default_unit = _default_unit(request.user, drive, units)
    action = request.POST.get("action")
    existing_form = RegisterExistingForm(request.POST if action == "existing" else None,
                                         units=units, default_unit=default_unit)
    new_form = NewPersonForm(request.POST if action == "new" else None, units=units,
                             default_unit=default_unit)
    if action == "existing" and existing_form.is_valid():
        donor = get_donor_for_user(request.user, existing_form.cleaned_data["donor"])
        return _registered(request, drive, donor, existing_form.cleaned_data["mobilized_by"],
                           walk_in)
    if action == "new" and new_form.is_valid():
        donor = _create_person(request, drive, new_form)
        if donor is not None:
            return _registered(request, drive, donor, new_form.cleaned_data["mobilized_by"],
                               walk_in)
    query = request.GET.get("q", "").strip()
    found = []
    if query:
        donors = Donor.objects.visible_to(request.user).filter(erased_at__isnull=True)
        found = list(search(donors, query)[:20])
        registered = set(drive.registrations.exclude(status=RegistrationStatus.CANCELLED)
                         .filter(donor__in=found).values_list("donor_id", flat=True))
        found = [(d, mask_phone(d.phone) if d.phone else "", d.pk in registered) for d in found]
    return render(request, "drives/registration_add.html", {
        "drive": drive, "query": query, "found": found, "existing_form": existing_form,
        "new_form": new_form, "show_new": action == "new" or (query and not found),
        "walk_in": walk_in})


def _create_person(request, drive, form):
    fields = form.person_fields()
    home = _home_for(request.user, drive, form.cleaned_data["mobilized_by"])
    try:
        with transaction.atomic():
            donor = donor_services.create_donor(
                actor=request.user, confirmed=form.cleaned_data["confirm_identity"],
                home=home, **fields)
            donor_services.give_consent(donor, actor=request.user,
                                        purpose=Consent.Purpose.REGISTRY,
                                        channel=Consent.Channel.PAPER)
        return donor
    except donor_services.DonorError as error:
        form_error(form, error)
        if error.donor is not None:
            form.existing = error.donor
        return None


def _registered(request, drive, donor, mobilized_by, walk_in=False):
    try:
        with transaction.atomic():
            registration, created = service.register(
                drive, donor, source=Source.WALK_IN if walk_in else Source.COORDINATOR,
                actor=request.user, today=timezone.localdate(), mobilized_by=mobilized_by)
            if walk_in:
                registration, checked_in = drive_day.check_in(registration,
                                                              actor=request.user)
    except (service.RegistrationError, drive_day.DriveDayError) as error:
        messages.error(request, error.message)
        return redirect("drives:registrations", code=drive.code)
    if walk_in and not checked_in:  # registered and checked in already, at another desk
        messages.warning(request, drive_day.already_checked_in(registration))
    elif walk_in:
        messages.success(request, _("Đã ghi nhận %(name)s có mặt (mã %(reference)s).") % {
            "name": donor.full_name, "reference": registration.reference})
        return redirect("drives:station_person", code=drive.code,
                        reference=registration.reference)
    if created:
        messages.success(request, _("Đã đăng ký %(name)s, mã đăng ký %(reference)s.") % {
            "name": donor.full_name, "reference": registration.reference})
    else:
        messages.info(request, _("%(name)s đã đăng ký đợt này rồi (mã %(reference)s).") % {
            "name": donor.full_name, "reference": registration.reference})
    return redirect("drives:registration_add", code=drive.code)


def _registration_for(request, code, reference):
    drive = get_drive_for_registrations(request.user, code, register=True)
    registration = get_object_or_404(
        visible_registrations(request.user, drive).select_related("donor", "mobilized_by"),
        reference=reference)
    return drive, registration


@login_required
def registration_edit(request, code, reference):
    drive, registration = _registration_for(request, code, reference)
    form = RegistrationForm(request.POST or None, instance=registration,
                            units=mobilizing_units(request.user, drive))
    if request.method == "POST" and form.is_valid():
        service.update_registration(registration, actor=request.user,
                                    **{name: form.cleaned_data[name]
                                       for name in ("status", "mobilized_by", "note")})
        messages.success(request, _("Đã lưu đăng ký %(reference)s.")
                         % {"reference": registration.reference})
        return redirect("drives:registrations", code=drive.code)
    return render(request, "drives/registration_edit.html", {
        "drive": drive, "registration": registration, "form": form})


@login_required
@require_POST
def registration_cancel(request, code, reference):
    drive, registration = _registration_for(request, code, reference)
    try:
        service.cancel(registration, actor=request.user)
    except service.RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã hủy đăng ký của %(name)s.")
                         % {"name": registration.donor.full_name})
    return redirect("drives:registrations", code=drive.code)
