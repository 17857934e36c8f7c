"""Drive-day screens: the check-in desk, screening and collection for one person, the
live tally (internal and public, for a projector in the hall) and closing the drive.

Made for a phone or a laptop at a desk: one search box that takes a scanned QR code
(a USB scanner types it, then Enter), a CCCD, a phone number or a name without
diacritics; one page per person with the next step on top.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hienmau.donors.access import record_view
from hienmau.donors.history import donor_history, explain, rules_in_force
from hienmau.donors.identity import mask_id_number, mask_phone
from hienmau.donors.models import Donor
from hienmau.donors.search import search_filter
from hienmau.drives import drive_day, screening
from hienmau.drives import registrations as service
from hienmau.drives.access import (
    can_check_in,
    get_drive_for_station,
    records_health,
)
from hienmau.drives.forms import CloseForm, CollectionForm, ScreeningForm, TotalsCloseForm
from hienmau.drives.models import DriveResult, Registration
from hienmau.plans.access import can_close_drive, get_drive_for_user
from hienmau.plans.models import Drive, DriveStatus

RESULTS = 30


def _find(drive, text: str):
    """The drive's registrations for what the desk typed or scanned: its registration
    code (from the QR code), or a person by CCCD, phone or name."""
    reference = service.normalize_reference(text)
    return (drive.registrations.select_related("donor").order_by("donor__sort_key", "pk")
            .filter(Q(reference=reference) | Q(
                donor__in=Donor.objects.filter(search_filter(text)).values("pk"))))


@login_required
def station(request, code):
    drive = get_drive_for_station(request.user, code)
    query = request.GET.get("q", "").strip()
    found = list(_find(drive, query)[:RESULTS]) if query else []
    if len(found) == 1:  # a scanned code, or the only match: straight to the person
        return redirect("drives:station_person", code=drive.code,
                        reference=found[0].reference)
    return render(request, "drives/station.html", {
        "drive": drive, "query": query, "tally": drive_day.shown_tally(drive),
        "found": [(r, mask_phone(r.donor.phone) if r.donor.phone else "") for r in found],
        "can_check_in": can_check_in(request.user, drive),
        "running": _running(drive)})


def _running(drive) -> str:
    """"" when stations may record today, else why not."""
    try:
        drive_day.check_running(drive, timezone.localdate())
    except drive_day.DriveDayError as error:
        return error.message
    return ""


def _registration(drive, reference) -> Registration:
    return get_object_or_404(drive.registrations.select_related("donor", "screening",
                                                                "donation"),
                             reference=reference)


@login_required
def station_person(request, code, reference):
    drive = get_drive_for_station(request.user, code)
    registration = _registration(drive, reference)
    health = records_health(request.user, drive)
    if request.method == "POST":
        return _act(request, drive, registration, health)
    return _person_page(request, drive, registration, health)


def _person_page(request, drive, registration, health, screening_form=None,
                 collection_form=None, proposals=()):
    donor = registration.donor
    record_view(request.user, donor)  # a person's record, as on the donor page
    today = timezone.localdate()
    history = donor_history(donor, today)
    reasons, later = explain(history.assessment)
    measured = getattr(registration, "screening", None)
    donation = getattr(registration, "donation", None)
    volumes = drive_day.volumes_for(registration) if health else []
    if health and screening_form is None:
        screening_form = ScreeningForm(initial=_screening_initial(measured, donor),
                                       rules=rules_in_force(drive.date))
    if health and collection_form is None:
        collection_form = CollectionForm(volumes=volumes)
    return render(request, "drives/station_person.html", {
        "drive": drive, "registration": registration, "donor": donor,
        "id_number": mask_id_number(donor.id_number) if donor.id_number else "",
        "phone": mask_phone(donor.phone) if donor.phone else "",
        "history": history, "reasons": reasons, "later": later,
        "health": health, "can_check_in": can_check_in(request.user, drive),
        "running": _running(drive), "measured": measured, "donation": donation,
        "reason_label": screening.reason_label(measured.deferral_reason) if measured else "",
        "screening_form": screening_form, "collection_form": collection_form,
        "volumes": volumes, "proposals": proposals,
        "present": registration.status in drive_day.PRESENT})


def _screening_initial(measured, donor) -> dict:
    if measured is None:
        return {"decision": "accept", "weight_kg": donor.weight_kg}
    return {"decision": "accept" if measured.accepted else "defer",
            **{name: getattr(measured, name) for name in (
                "weight_kg", "hemoglobin_g_l", "systolic_mm_hg", "diastolic_mm_hg",
                "pulse_bpm", "deferral_reason", "deferred_until", "note")}}


def _act(request, drive, registration, health):
    action = request.POST.get("action")
    try:
        if action == "check_in" and can_check_in(request.user, drive):
            checked_in, new = drive_day.check_in(registration, actor=request.user)
            if new:
                messages.success(request, _("Đã ghi nhận %(name)s có mặt.")
                                 % {"name": registration.donor.full_name})
            else:  # another desk was quicker, or the button was pressed twice
                messages.warning(request, drive_day.already_checked_in(checked_in))
            return redirect("drives:station", code=drive.code)
        if action == "screen" and health:
            return _screen(request, drive, registration)
        if action == "collect" and health:
            return _collect(request, drive, registration)
    except drive_day.DriveDayError as error:
        messages.error(request, error.message)
        return redirect("drives:station_person", code=drive.code,
                        reference=registration.reference)
    raise Http404


def _screen(request, drive, registration):
    rules = rules_in_force(drive.date)
    form = ScreeningForm(request.POST, rules=rules)
    if not form.is_valid():
        return _person_page(request, drive, registration, True, screening_form=form)
    data = form.cleaned_data
    accepted = data["decision"] == "accept"
    proposals = screening.proposals(data["weight_kg"], data["hemoglobin_g_l"],
                                    registration.donor.sex or None, rules)
    deferring = [p for p in proposals if p.defer_reason]
    if accepted and deferring and not data["override"]:
        # The values propose a deferral: shown, the form switched to it; accepting
        # anyway takes a second, deliberate click.
        proposed = ScreeningForm(initial={**data, "decision": "defer", "override": True,
                                          "deferral_reason": deferring[0].defer_reason},
                                 rules=rules)
        return _person_page(request, drive, registration, True, screening_form=proposed,
                            proposals=proposals)
    try:
        drive_day.screen(registration, drive_day.ScreeningInput(
            accepted=accepted, weight_kg=data["weight_kg"],
            hemoglobin_g_l=data["hemoglobin_g_l"], systolic_mm_hg=data["systolic_mm_hg"],
            diastolic_mm_hg=data["diastolic_mm_hg"], pulse_bpm=data["pulse_bpm"],
            deferral_reason="" if accepted else data["deferral_reason"],
            deferred_until=None if accepted else data["deferred_until"], note=data["note"]),
            actor=request.user)
    except drive_day.DriveDayError as error:
        if not error.code.startswith("until"):
            raise
        # Said on the date field, the values typed kept.
        form.add_error("deferred_until", error.message)
        return _person_page(request, drive, registration, True, screening_form=form)
    if accepted:
        messages.success(request, _("%(name)s đủ điều kiện hiến: chuyển sang lấy máu.")
                         % {"name": registration.donor.full_name})
        return redirect("drives:station_person", code=drive.code,
                        reference=registration.reference)
    messages.info(request, _("Đã ghi nhận tạm hoãn %(name)s.")
                  % {"name": registration.donor.full_name})
    return redirect("drives:station", code=drive.code)


def _collect(request, drive, registration):
    volumes = drive_day.volumes_for(registration)
    form = CollectionForm(request.POST, volumes=volumes)
    if not form.is_valid():
        return _person_page(request, drive, registration, True, collection_form=form)
    data = form.cleaned_data
    try:
        donation, new = drive_day.collect(registration, volume_ml=data["volume_ml"],
                                          bag=data["bag"], donation_type=data["type"],
                                          actor=request.user)
    except drive_day.DriveDayError as error:
        form.add_error("bag" if error.code.startswith("bag") else None, error.message)
        return _person_page(request, drive, registration, True, collection_form=form)
    if new:
        messages.success(request, _("Đã ghi nhận túi %(bag)s (%(volume)s ml) của %(name)s.")
                         % {"bag": donation.bag_number, "volume": donation.volume_ml,
                            "name": registration.donor.full_name})
    return redirect("drives:station", code=drive.code)


# ---- tally -------------------------------------------------------------------------


def _tally_data(drive) -> dict:
    counted = drive_day.shown_tally(drive)
    # Confirmed: when the result was confirmed; else when these counts were read.
    when = timezone.localtime(counted.confirmed_at)
    return {"registered": counted.registered, "checked_in": counted.checked_in,
            "waiting": counted.waiting, "deferred": counted.deferred,
            "collected": counted.collected, "expected": counted.expected,
            "equivalents_250": str(counted.equivalents_250).replace(".", ","),
            "percent": counted.percent_of_expected,
            "by_volume": {str(ml): n for ml, n in counted.by_volume.items()},
            "confirmed": counted.confirmed,
            "time": when.strftime("%H:%M %d/%m/%Y" if counted.confirmed else "%H:%M:%S")}


@login_required
def tally(request, code):
    drive = get_drive_for_user(request.user, code)
    return _tally_response(request, drive, public=False)


def public_tally(request, code):
    """The tally for everyone (a screen in the hall, the organizers' page): counts
    only, no person."""
    drive = get_object_or_404(Drive.objects.select_related("organizer"), code=code)
    if drive.status == DriveStatus.CANCELLED:
        raise Http404
    return _tally_response(request, drive, public=True)


def _tally_response(request, drive, public: bool):
    data = _tally_data(drive)
    if request.GET.get("format") == "json":
        return JsonResponse(data)
    template = ("drives/_tally_numbers.html" if request.headers.get("HX-Request")
                else "drives/tally.html")  # htmx refreshes the numbers every 5 s
    can_print = not public and (can_check_in(request.user, drive)
                                or records_health(request.user, drive))
    return render(request, template, {"drive": drive, "data": data, "public": public,
                                      "can_print": can_print})


# ---- closing -----------------------------------------------------------------------


@login_required
def close(request, code):
    drive = get_drive_for_user(request.user, code)
    if not can_close_drive(request.user, drive):
        raise PermissionDenied(_("Vai trò của bạn không cho phép kết thúc đợt hiến máu này."))
    counted = drive_day.tally(drive)
    from_records = counted.checked_in > 0 or counted.collected > 0
    form_class = CloseForm if from_records else TotalsCloseForm
    result = DriveResult.objects.filter(drive=drive).first()
    if result is not None:
        return _correct(request, drive, result, form_class, counted, from_records)
    form = form_class(request.POST or None,
                      initial={"units_collected": counted.collected if from_records else None})
    if request.method == "POST" and form.is_valid():
        try:
            drive_day.close(drive, actor=request.user,
                            units_collected=form.cleaned_data["units_collected"],
                            note=form.cleaned_data["note"],
                            totals=None if from_records else form.totals())
        except drive_day.DriveDayError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Đã kết thúc đợt hiến máu với %(n)s đơn vị máu.")
                             % {"n": form.cleaned_data["units_collected"]})
            return redirect("plans:drive", code=drive.code)
    return render(request, "drives/close.html", {"drive": drive, "form": form,
                                                 "tally": counted,
                                                 "from_records": from_records})


def _correct(request, drive, result, form_class, counted, from_records):
    """A closed drive's result corrected, with the reason (`drive_day.correct_result`)."""
    initial = (TotalsCloseForm.initial_from(result) if form_class is TotalsCloseForm
               else {"units_collected": result.units_collected})
    form = form_class(request.POST or None, initial={**initial, "note": ""})
    if request.method == "POST" and form.is_valid():
        try:
            drive_day.correct_result(
                drive, actor=request.user, units_collected=form.cleaned_data["units_collected"],
                note=form.cleaned_data["note"],
                totals=None if from_records else form.totals())
        except drive_day.DriveDayError as error:
            form.add_error("note", error.message)
        else:
            messages.success(request, _("Đã sửa kết quả đợt hiến máu: %(n)s đơn vị máu.")
                             % {"n": form.cleaned_data["units_collected"]})
            return redirect("plans:drive", code=drive.code)
    return render(request, "drives/close.html", {"drive": drive, "form": form,
                                                 "tally": counted, "from_records": from_records,
                                                 "result": result})
