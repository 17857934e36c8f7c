"""Pages anyone may open, without an account: the upcoming drives, a drive's sign-up
form, and the confirmation with its registration code and QR code.

What a stranger learns here is no more than what they typed: the answer is the same
whether the person is on record or not (a CCCD on record under another name included,
see `_register_person`), eligibility is judged from what was typed only, and the
confirmation page shows the drive and an abbreviated name only. What a known person's
record says about the drive's date goes to the phone or e-mail on record (`signals`,
received by outreach). Abuse is bounded per client IP and per phone number
(`settings.PUBLIC_SIGNUPS_*`), and by the form's field lengths.
"""

import datetime

import segno
from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hienmau import ratelimit
from hienmau.donors import matching
from hienmau.donors import services as donor_services
from hienmau.donors.history import assess, explain
from hienmau.donors.models import Consent, Donor
from hienmau.drives import registrations as service
from hienmau.drives import signals
from hienmau.drives.forms import DriveFilterForm, PublicSignUpForm
from hienmau.drives.models import Registration, Source
from hienmau.errors import form_error
from hienmau.orgs import geography
from hienmau.orgs.models import Organization
from hienmau.plans.models import Drive, DriveStatus

ONLINE = "Đăng ký trực tuyến"  # the audit trail's actor for the public page
HOUR, DAY = 3600, 86400


def _upcoming(today):
    """The calendar: drives taking registrations from `today` on (today's drive under
    way included), soonest first."""
    return (service.drives_open_for_registration(today)
            .select_related("organizer", "receiving_institution").order_by("date", "pk"))


def _months(today) -> list[tuple[str, str]]:
    months, day = [], today.replace(day=1)
    for _i in range(12):
        months.append((day.strftime("%Y-%m"), day.strftime("%m/%Y")))
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def upcoming_drives(request):
    today = timezone.localdate()
    form = DriveFilterForm(request.GET or None, months=_months(today))
    drives = _upcoming(today)
    if form.is_valid():
        if province := form.cleaned_data["province"]:
            drives = drives.filter(organizer__province_code=province)
        if commune := form.cleaned_data["commune"]:
            drives = drives.filter(organizer__commune_code=commune)
        if month := form.cleaned_data["month"]:
            year, number = (int(x) for x in month.split("-"))
            drives = drives.filter(date__year=year, date__month=number)
    page = Paginator(drives, 20).get_page(request.GET.get("page"))
    for drive in page:
        drive.place = _place(drive.organizer)
    return render(request, "drives/public_drives.html", {"form": form, "page": page,
                                                         "today": today})


def _place(org: Organization) -> str:
    return ", ".join(x for x in (geography.commune_name(org.commune_code),
                                 geography.province_name(org.province_code)) if x)


def sign_up(request, code):
    today = timezone.localdate()
    drive = get_object_or_404(Drive.objects.select_related("organizer",
                                                           "receiving_institution"), code=code)
    refusal = service.registration_refusal(drive, today)
    if refusal is not None:
        # The link stays printed on posters and shared in chats: say why it no longer
        # takes sign-ups, and where to give next.
        return render(request, "drives/sign_up.html", {
            "drive": drive, "place": _place(drive.organizer), "refusal": refusal.message,
            "closed": drive.status == DriveStatus.CLOSED,
            "later": _upcoming(today).filter(
                organizer__province_code=drive.organizer.province_code)[:5]})
    form = PublicSignUpForm(request.POST or None)
    context = {"drive": drive, "form": form, "place": _place(drive.organizer),
               "today": drive.date == today}
    if request.method != "POST":
        return render(request, "drives/sign_up.html", context)
    if form.data.get("website"):  # the hidden field only bots fill in
        return render(request, "drives/sign_up.html", context, status=400)
    ip = ratelimit.client_ip(request)
    if ratelimit.exceeded("signup-ip", ip, settings.PUBLIC_SIGNUPS_PER_IP_HOUR):
        form.add_error(None, _("Đã có quá nhiều lượt đăng ký từ máy của bạn; hãy thử lại sau "
                               "một giờ."))
        return render(request, "drives/sign_up.html", context, status=429)
    ratelimit.hit("signup-ip", ip, HOUR)
    if not form.is_valid():
        return render(request, "drives/sign_up.html", context, status=400)
    fields = form.person_fields()
    try:
        fields = donor_services.clean_fields(fields)
    except donor_services.DonorError as error:
        form_error(form, error)
        return render(request, "drives/sign_up.html", context, status=400)
    if ratelimit.exceeded("signup-phone", fields["phone"], settings.PUBLIC_SIGNUPS_PER_PHONE_DAY):
        form.add_error("phone", _("Số điện thoại này đã đăng ký nhiều lần hôm nay; hãy liên hệ "
                                  "ban tổ chức nếu cần sửa đăng ký."))
        return render(request, "drives/sign_up.html", context, status=429)
    ratelimit.hit("signup-phone", fields["phone"], DAY)
    # Only what was typed is assessed (age, on the drive's date): the answer is the same
    # for a new person and for one on record, whose history the desk checks on the day.
    assessment = assess(Donor(birth_date=fields["birth_date"],
                              birth_year=fields["birth_year"], sex=fields["sex"]),
                        [], drive.date)
    if not assessment.eligible:
        later = _upcoming(assessment.next_eligible_date or today).filter(
            organizer__province_code=drive.organizer.province_code)[:5] if (
            assessment.next_eligible_date) else []
        return render(request, "drives/not_eligible.html", {
            "drive": drive, "assessment": assessment, "later": later,
            "from_day": explain(assessment)[1]})
    try:
        registration = _register_person(fields, drive, form, today)
    except (donor_services.DonorError, service.RegistrationError) as error:
        form.add_error(None, error.message)
        return render(request, "drives/sign_up.html", context, status=400)
    return redirect("drives:confirmation", reference=registration.reference)


def _register_person(fields: dict, drive, form, today) -> Registration:
    """Register the person the registry's rule (`donors.matching`) says this is, creating
    them when new. The page answers alike whatever was on record: a known person is
    registered on their record (which the public form does not change); an ID number on
    record under another name or birth year makes a record without it, the number kept in
    its notes for the desk to check the document, instead of a message that would tell a
    stranger whose number it is."""
    for _attempt in range(2):  # a record another sign-up wrote a moment ago: match it
        match = matching.find(fields)
        person = dict(fields)
        if match.outcome == matching.CONFLICT:
            person.update(id_type="", id_number=None)
            match = matching.find(person)
        try:
            with transaction.atomic():
                if match.outcome == matching.SAME:
                    donor = match.donor
                    _record_consents(donor, form)
                else:
                    donor = _create_person(person, drive, form, claimed=fields)
                registration = service.register(drive, donor, source=Source.ONLINE,
                                                actor=ONLINE, today=today)[0]
                if match.outcome == matching.SAME:
                    # What their record says reaches them on the contact on record, not
                    # on this page (outreach receives the signal: drives/signals.py).
                    transaction.on_commit(
                        lambda r=registration: signals.send_known_person_signed_up(r))
                return registration
        except donor_services.DonorError:
            continue
    raise donor_services.DonorError(_("Chưa ghi được đăng ký; hãy thử lại sau ít phút."),
                                    "signup_retry")


def _create_person(fields: dict, drive, form, claimed: dict) -> Donor:
    donor = donor_services.create_donor(actor=ONLINE, home=drive.organizer, **fields)
    notes = []
    if claimed.get("id_number") and not fields.get("id_number"):
        notes.append(_("Số giấy tờ tự khai khi đăng ký trực tuyến: %(number)s (đã có trong "
                       "hồ sơ khác với họ tên hoặc năm sinh khác); hãy kiểm tra giấy tờ khi "
                       "người này đến.") % {"number": claimed["id_number"]})
    if workplace := form.cleaned_data.get("workplace_text"):
        notes.append(_("Nơi làm việc, học tập (tự khai): %(text)s") % {"text": workplace})
    if notes:
        donor.notes = "\n".join(notes)
        donor.save(update_fields=["notes"])
    _record_consents(donor, form)
    return donor


def _record_consents(donor, form) -> None:
    """The consent the page asks for, and reminders if ticked; one already standing is
    kept as it is (give_consent does nothing then)."""
    donor_services.give_consent(donor, actor=ONLINE, purpose=Consent.Purpose.REGISTRY,
                                channel=Consent.Channel.ONLINE)
    if form.cleaned_data.get("reminders"):
        # The box names the channels: SMS and Zalo on the phone given, e-mail if given
        # (outreach messages a donor only on a channel consented to).
        purposes = [Consent.Purpose.REMINDERS, Consent.Purpose.SMS, Consent.Purpose.ZALO]
        if donor.email:
            purposes.append(Consent.Purpose.EMAIL)
        for purpose in purposes:
            donor_services.give_consent(donor, actor=ONLINE, purpose=purpose,
                                        channel=Consent.Channel.ONLINE)


def abbreviated(name: str) -> str:
    """"Nguyễn Văn Hùng" → "Nguyễn V. H.": enough for the person to recognize, too little
    for anyone holding a code to learn a name."""
    words = name.split()
    return " ".join([words[0], *(f"{w[0]}." for w in words[1:])]) if words else ""


def confirmation(request, reference):
    registration = get_object_or_404(
        Registration.objects.select_related("drive__organizer", "donor"),
        reference=service.normalize_reference(reference))
    qr = segno.make_qr(registration.reference, error="m")
    return render(request, "drives/confirmation.html", {
        "registration": registration, "drive": registration.drive,
        "name": abbreviated(registration.donor.full_name),
        "place": _place(registration.drive.organizer),
        "qr_svg": qr.svg_inline(scale=6, dark="#212529")})
