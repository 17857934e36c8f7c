"""Drive day: check-in, screening, collection, the live tally and closing.

Several stations work on one drive at once. Each step locks the person's registration
row, so two stations act on a person one after the other; the database keeps one
donation per registration and one per bag (constraints, not luck). Every step can be
sent twice (a station that lost its connection retries): the same step with the same
values changes nothing and answers as the first time.
"""

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from hienmau.donors.history import never_given_before, rules_in_force
from hienmau.drives import isbt128, screening
from hienmau.drives.models import (
    Donation,
    DonationType,
    DriveResult,
    Outcome,
    Registration,
    RegistrationStatus,
    Screening,
)
from hienmau.errors import RuleError
from hienmau.orgs import audit, numbering
from hienmau.plans.models import Drive, DriveStatus

# A person who came: checked in, then deferred or donated.
PRESENT = (RegistrationStatus.CHECKED_IN, RegistrationStatus.DEFERRED,
           RegistrationStatus.DONATED)
BAG_ML = 250  # one "250 ml equivalent"


class DriveDayError(RuleError):
    pass


def check_running(drive: Drive, today: datetime.date) -> None:
    """Stations record only on the drive's day (and the day after, for late entry)."""
    if drive.status in (DriveStatus.CANCELLED, DriveStatus.CLOSED):
        raise DriveDayError(_("Đợt hiến máu đã kết thúc hoặc bị hủy; không ghi nhận thêm."),
                            "drive_closed")
    if not drive.date <= today <= drive.date + datetime.timedelta(days=1):
        raise DriveDayError(_("Chỉ ghi nhận vào ngày diễn ra đợt hiến máu (%(day)s).")
                            % {"day": drive.date.strftime("%d/%m/%Y")}, "not_drive_day")


def by_reference(drive: Drive, reference: str) -> Registration:
    """A handle on the drive's registration with `reference`, for the steps below, which
    fetch and lock it themselves (Registration.DoesNotExist if there is none)."""
    return Registration(drive=drive, reference=reference)


def _locked(registration: Registration) -> Registration:
    """The registration's row, locked until the transaction ends: stations act on one
    person one after the other. Only that row ("of self"): locking the drive's row too
    would make every station of the drive wait for each other. The drive object the
    request holds is reused, its status and date read again (a station request is
    some ten queries, and compiling joins was most of its time)."""
    lookup = ({"pk": registration.pk} if registration.pk is not None else
              {"drive_id": registration.drive_id, "reference": registration.reference})
    locked = Registration.objects.select_for_update(of=("self",)).get(**lookup)
    drive = registration.drive
    drive.status, drive.date = Drive.objects.filter(pk=drive.pk).values_list(
        "status", "date").get()
    locked.drive = drive
    if "donor" in registration._state.fields_cache:
        locked.donor = registration.donor
    return locked


def _start(drive: Drive) -> None:
    """The first check-in puts the drive in progress."""
    if drive.status in (DriveStatus.PLANNED, DriveStatus.CONFIRMED):
        Drive.objects.filter(pk=drive.pk, status=drive.status).update(
            status=DriveStatus.IN_PROGRESS)
        drive.status = DriveStatus.IN_PROGRESS


@transaction.atomic
def check_in(registration: Registration, *, actor, now: datetime.datetime | None = None
             ) -> tuple[Registration, bool]:
    """(registration, newly checked in). Checking in again changes nothing; a person
    whose registration was cancelled or marked absent and who came anyway is checked in."""
    now = now or timezone.now()
    registration = _locked(registration)
    check_running(registration.drive, timezone.localdate(now))
    if registration.status in PRESENT:
        return registration, False
    registration.status = RegistrationStatus.CHECKED_IN
    registration.checked_in_at, registration.checked_in_by = now, actor
    registration.save(update_fields=["status", "checked_in_at", "checked_in_by", "updated_at"])
    _start(registration.drive)
    _log("hienmau.drive_day.checked_in", actor, registration)
    return registration, True


def already_checked_in(registration: Registration) -> str:
    """What a station is told when it checks in someone who is already checked in (at
    another desk, or a moment ago): when, and by whom if known."""
    name = registration.donor.full_name
    when = registration.checked_in_at
    if when is None:
        return _("%(name)s đã được ghi nhận có mặt rồi.") % {"name": name}
    when = timezone.localtime(when)
    time = (when.strftime("%H:%M") if when.date() == timezone.localdate()
            else when.strftime("%H:%M %d/%m/%Y"))
    by = registration.checked_in_by
    if by is None:
        return _("%(name)s đã được ghi nhận có mặt lúc %(time)s.") % {"name": name,
                                                                      "time": time}
    return _("%(name)s đã được ghi nhận có mặt lúc %(time)s, bởi %(by)s.") % {
        "name": name, "time": time, "by": by.get_full_name() or by.get_username()}


@dataclass(frozen=True)
class ScreeningInput:
    accepted: bool
    weight_kg: Decimal | None = None
    hemoglobin_g_l: int | None = None
    systolic_mm_hg: int | None = None
    diastolic_mm_hg: int | None = None
    pulse_bpm: int | None = None
    deferral_reason: str = ""
    deferred_until: datetime.date | None = None
    note: str = ""


@transaction.atomic
def screen(registration: Registration, values: ScreeningInput,
           *, actor, today: datetime.date | None = None) -> Screening:
    """Record the screening. Deferred: the person's visit ends with a deferral (a donation
    record with outcome "deferred", which the eligibility rules read) and they are
    eligible again from the until-date: the one given, else the reason's own period in
    the rule set (refused, saying a date is needed, for a reason without one). A
    screening can be corrected until blood is collected."""
    today = today or timezone.localdate()
    registration = _locked(registration)
    check_running(registration.drive, today)
    if registration.status not in PRESENT:
        raise DriveDayError(_("Người này chưa được ghi nhận có mặt."), "not_checked_in")
    if registration.status == RegistrationStatus.DONATED:
        raise DriveDayError(_("Đã lấy máu người này; không sửa được kết quả khám."),
                            "already_collected")
    if not values.accepted:
        if values.deferral_reason not in screening.REASONS:
            raise DriveDayError(_("Hãy chọn lý do tạm hoãn."), "reason_required")
        if screening.is_permanent(values.deferral_reason):
            pass  # no end: the donor's flag
        elif values.deferred_until is None:
            ends = screening.default_until(values.deferral_reason, today,
                                           rules_in_force(registration.drive.date))
            if ends is None:
                raise DriveDayError(_(
                    "Lý do “%(reason)s” không có thời hạn tạm hoãn định sẵn: hãy ghi ngày "
                    "hết tạm hoãn.") % {"reason": screening.reason_label(
                        values.deferral_reason)}, "until_required")
            values = replace(values, deferred_until=ends)
        elif values.deferred_until <= today:
            raise DriveDayError(_("Ngày hết tạm hoãn phải sau hôm nay."), "until_past")
    fields = {name: getattr(values, name) for name in (
        "weight_kg", "hemoglobin_g_l", "systolic_mm_hg", "diastolic_mm_hg", "pulse_bpm",
        "accepted", "note")}
    fields["deferral_reason"] = "" if values.accepted else values.deferral_reason
    fields["deferred_until"] = None if values.accepted else values.deferred_until
    before = Screening.objects.filter(registration=registration).values_list(
        "deferral_reason", flat=True).first()
    record, _created = Screening.objects.update_or_create(
        registration=registration, defaults={**fields, "screened_by": actor})
    # A permanent exclusion has no end date: it is the donor's flag, which the rules read.
    excluded = screening.is_permanent(fields["deferral_reason"])
    if excluded or screening.is_permanent(before):
        type(registration.donor).objects.filter(pk=registration.donor_id).update(
            permanently_excluded=excluded)
    if registration.status == RegistrationStatus.DEFERRED:  # a deferral being corrected
        Donation.objects.filter(registration=registration, outcome=Outcome.DEFERRED).delete()
    if values.accepted:
        registration.status = RegistrationStatus.CHECKED_IN
    else:
        Donation(
            donor=registration.donor, date=registration.drive.date, drive=registration.drive,
            registration=registration, outcome=Outcome.DEFERRED,
            deferral_reason=screening.reason_label(values.deferral_reason),
            deferred_until=values.deferred_until,
            receiving_institution=registration.drive.receiving_institution, recorded_by=actor,
        ).save(refresh_units_of_donor=False)
        registration.status = RegistrationStatus.DEFERRED
    registration.save(update_fields=["status", "updated_at"])
    if values.weight_kg and registration.donor.weight_kg != values.weight_kg:
        type(registration.donor).objects.filter(pk=registration.donor_id).update(
            weight_kg=values.weight_kg)
    # The audit trail says what happened, not the health data itself.
    _log("hienmau.drive_day.screened", actor, registration, {"accepted": values.accepted})
    return record


def volumes_for(registration: Registration) -> list[int]:
    """The bag sizes the person's screening (or recorded weight) allows today."""
    measured = getattr(registration, "screening", None)
    weight = (measured.weight_kg if measured and measured.weight_kg
              else registration.donor.weight_kg)
    hemoglobin = measured.hemoglobin_g_l if measured else None
    rules = rules_in_force(registration.drive.date)
    return screening.allowed_volumes(weight, registration.donor.sex or None, rules, hemoglobin)


def normalize_bag(text: str, institution) -> str:
    """The bag number as stored, checked against the receiving institution's numbering:
    the 13-character ISBT 128 donation identification number where it uses ISBT 128,
    else its own pattern (`orgs.numbering`); without either, letters, digits and marks
    with at least one digit. Spaces dropped, capitals."""
    text = (text or "").strip()
    if not text:
        raise DriveDayError(_("Hãy quét hoặc nhập mã túi máu."), "bag_required")
    if institution is not None and institution.uses_isbt128:
        try:
            return isbt128.parse(text).number
        except isbt128.DinError as error:
            raise DriveDayError(error.message, "bag_invalid") from None
    number = numbering.compact(text)
    if len(number) > numbering.MAX_LENGTH:
        raise DriveDayError(_("Mã túi dài quá %(n)s ký tự.") % {"n": numbering.MAX_LENGTH},
                            "bag_invalid")
    pattern = institution.bag_number_pattern if institution is not None else ""
    if pattern:
        try:
            follows = numbering.follows(number, pattern)
        except numbering.PatternError:
            follows = True  # a pattern saved before it was checked: not the station's fault
        if not follows:
            raise DriveDayError(_(
                "Mã túi “%(text)s” không đúng quy cách mã túi của %(institution)s: "
                "%(pattern)s (# là một chữ số, @ là một chữ cái, * là chữ hoặc số). Hãy quét "
                "hoặc gõ lại.") % {"text": text, "institution": institution.name,
                                   "pattern": ", ".join(numbering.patterns(pattern))},
                "bag_invalid")
    elif not numbering.looks_like_a_bag_number(number):
        raise DriveDayError(_(
            "Mã túi “%(text)s” không phải mã túi máu: chỉ gồm chữ cái, chữ số, dấu - / . và "
            "phải có số thứ tự (chữ số). Hãy quét hoặc gõ lại.") % {"text": text},
            "bag_invalid")
    return number


@transaction.atomic
def collect(registration: Registration, *, volume_ml: int, bag: str, actor,
            donation_type: str = DonationType.WHOLE_BLOOD,
            today: datetime.date | None = None) -> tuple[Donation, bool]:
    """(donation, newly recorded). The same bag sent again for the same person is the
    same donation; another bag for a person already collected, or a bag already used,
    is refused."""
    today = today or timezone.localdate()
    registration = _locked(registration)
    drive = registration.drive
    check_running(drive, today)
    institution = drive.receiving_institution
    number = normalize_bag(bag, institution)
    existing = Donation.objects.filter(registration=registration, outcome=Outcome.COLLECTED
                                       ).first() if registration.status == \
        RegistrationStatus.DONATED else None
    if existing is not None:
        if existing.bag_number == number:
            return existing, False
        raise DriveDayError(_("Đã ghi nhận lấy máu người này (túi %(bag)s).")
                            % {"bag": existing.bag_number}, "already_collected")
    if registration.status == RegistrationStatus.DEFERRED:
        raise DriveDayError(_("Người này đã được tạm hoãn ở bàn khám."), "deferred")
    if registration.status != RegistrationStatus.CHECKED_IN:
        raise DriveDayError(_("Người này chưa được ghi nhận có mặt."), "not_checked_in")
    if donation_type == DonationType.WHOLE_BLOOD:
        allowed = volumes_for(registration)
        if volume_ml not in allowed:
            raise DriveDayError(
                _("Thể tích %(volume)s ml không phù hợp; được lấy: %(allowed)s.")
                % {"volume": volume_ml, "allowed": ", ".join(f"{v} ml" for v in allowed)
                   or _("không túi nào (kiểm tra cân nặng, huyết sắc tố)")}, "volume")
    try:
        with transaction.atomic():
            donation = Donation(
                donor=registration.donor, date=drive.date, drive=drive, type=donation_type,
                volume_ml=volume_ml, bag_number=number, outcome=Outcome.COLLECTED,
                receiving_institution=institution, registration=registration,
                recorded_by=actor)
            donation.save(refresh_units_of_donor=False)
    except IntegrityError:
        raise DriveDayError(_("Mã túi %(bag)s đã được dùng cho người khác.")
                            % {"bag": number}, "bag_taken") from None
    registration.status = RegistrationStatus.DONATED
    registration.save(update_fields=["status", "updated_at"])
    _log("hienmau.drive_day.collected", actor, registration, {"bag": number,
                                                              "volume_ml": volume_ml})
    return donation, True


# ---- tally -------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    registered: int | None  # None: a result typed as totals that did not give it
    checked_in: int | None  # everyone who came (deferred and donated included)
    deferred: int | None
    collected: int  # bags
    by_volume: dict  # {ml: bags}
    expected: int
    # When the receiving institution confirmed the result (the drive is closed): the
    # counts are that result, no longer the stations' provisional ones.
    confirmed_at: datetime.datetime | None = None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def equivalents_250(self) -> Decimal:
        """Units as 250 ml equivalents (one decimal); as the reports count them, bags of
        unknown volume as 250 ml."""
        millilitres = sum((int(ml) or BAG_ML) * n for ml, n in self.by_volume.items())
        unknown = self.collected - sum(self.by_volume.values())
        return (Decimal(millilitres + unknown * BAG_ML) / BAG_ML).quantize(Decimal("0.1"))

    @property
    def waiting(self) -> int:
        """Checked in, not yet deferred or collected (nobody, once the drive is closed)."""
        if self.confirmed or self.checked_in is None:
            return 0
        return self.checked_in - self.deferred - self.collected

    @property
    def percent_of_expected(self) -> int | None:
        return round(100 * self.collected / self.expected) if self.expected else None


def tally(drive: Drive) -> Tally:
    """The drive's counts now, from its records: two grouped queries."""
    statuses = dict(drive.registrations.order_by().values("status")
                    .annotate(n=Count("pk")).values_list("status", "n"))
    volumes = dict(Donation.objects.filter(drive=drive, outcome=Outcome.COLLECTED)
                   .order_by().values("volume_ml").annotate(n=Count("pk"))
                   .values_list("volume_ml", "n"))
    collected = sum(volumes.values())
    return Tally(
        registered=sum(n for s, n in statuses.items() if s != RegistrationStatus.CANCELLED),
        checked_in=sum(statuses.get(s, 0) for s in PRESENT),
        deferred=statuses.get(RegistrationStatus.DEFERRED, 0),
        collected=collected, by_volume={ml or 0: n for ml, n in sorted(
            volumes.items(), key=lambda pair: pair[0] or 0)},
        expected=drive.expected_units)


def shown_tally(drive: Drive) -> Tally:
    """What the tally screens show (the internal and the public page, the desk, the API):
    the confirmed result once the drive is closed, the live count from the stations'
    records before."""
    result = DriveResult.objects.filter(drive=drive).first()
    if result is None:
        return tally(drive)
    return Tally(
        registered=result.people_registered, checked_in=result.people_present,
        deferred=result.people_deferred, collected=result.units_collected,
        by_volume={int(ml): n for ml, n in sorted(
            (result.units_by_volume or {}).items(), key=lambda pair: int(pair[0]))},
        expected=drive.expected_units, confirmed_at=result.confirmed_at)


# ---- closing -----------------------------------------------------------------------


@transaction.atomic
def close(drive: Drive, *, actor, units_collected: int, note: str = "",
          totals: dict | None = None) -> DriveResult:
    """Close the drive with the receiving institution's final count. From records: the
    tally fills the people counts and remembers its own count, which `units_collected`
    may correct (bags discarded later; say why in `note`). Without records (a past
    drive known by its totals): `totals` gives people_registered, people_present,
    people_deferred as known."""
    drive = Drive.objects.select_for_update().get(pk=drive.pk)
    if drive.status == DriveStatus.CANCELLED:
        raise DriveDayError(_("Đợt hiến máu đã bị hủy."), "drive_cancelled")
    if drive.status == DriveStatus.CLOSED:
        raise DriveDayError(_("Đợt hiến máu đã được kết thúc."), "already_closed")
    if drive.date > timezone.localdate():
        raise DriveDayError(_("Đợt hiến máu chưa diễn ra."), "not_yet")
    counted = tally(drive)
    has_records = counted.checked_in > 0 or counted.collected > 0
    if has_records:
        if units_collected != counted.collected and not note.strip():
            raise DriveDayError(_("Số xác nhận khác số ghi nhận tại điểm hiến (%(n)s): hãy ghi "
                                  "lý do (ví dụ túi bị loại).") % {"n": counted.collected},
                                "note_required")
        values = {"people_registered": counted.registered,
                  "people_present": counted.checked_in, "people_deferred": counted.deferred,
                  "units_by_volume": {str(ml): n for ml, n in counted.by_volume.items()},
                  "tally_units": counted.collected,
                  "people_first_time": first_time_donors(drive),
                  "deferrals_by_reason": deferrals_by_reason(drive)}
        # Registered people who never came are absent, now that the day is over.
        drive.registrations.filter(status__in=(RegistrationStatus.REGISTERED,
                                               RegistrationStatus.CONFIRMED)).update(
            status=RegistrationStatus.NO_SHOW, updated_at=timezone.now())
    else:
        totals = totals or {}
        values = {name: totals.get(name) for name in (
            "people_registered", "people_present", "people_deferred", "people_first_time")}
        values["units_by_volume"] = totals.get("units_by_volume") or {}
        values["deferrals_by_reason"] = totals.get("deferrals_by_reason") or {}
        values["tally_units"] = None
    result = DriveResult.objects.create(drive=drive, units_collected=units_collected,
                                        note=note.strip(), confirmed_by=actor, **values)
    drive.status = DriveStatus.CLOSED
    drive.save(update_fields=["status", "updated_at"])
    audit.log("hienmau.drive.closed", actor=actor, organization=drive.organizer, obj=drive,
              data={"units_collected": units_collected, "tally_units": values["tally_units"]})
    return result


@transaction.atomic
def correct_result(drive: Drive, *, actor, units_collected: int, note: str,
                   totals: dict | None = None) -> DriveResult:
    """Correct a closed drive's confirmed result (a typing error, bags discarded after
    closing), saying why. A result from records keeps its people counts, which the
    records give; a typed one takes the corrected totals. Reports sum the results when
    they are read, so every report shows the correction at once; the audit trail keeps
    the figures before and after."""
    result = DriveResult.objects.select_for_update().get(drive=drive)
    if not note.strip():
        raise DriveDayError(_("Hãy ghi lý do sửa kết quả."), "note_required")
    before = {"units_collected": result.units_collected}
    result.units_collected = units_collected
    if not result.from_records and totals is not None:
        for name in ("people_registered", "people_present", "people_deferred",
                     "people_first_time"):
            before[name] = getattr(result, name)
            setattr(result, name, totals.get(name))
        before["units_by_volume"] = result.units_by_volume
        result.units_by_volume = totals.get("units_by_volume") or {}
    result.note = "\n".join(text for text in (result.note, note.strip()) if text)
    result.confirmed_by = actor
    result.save()
    audit.log("hienmau.drive.result_corrected", actor=actor, organization=drive.organizer,
              obj=drive, data={"before": before, "units_collected": units_collected,
                               "reason": note.strip()})
    return result


def first_time_donors(drive: Drive) -> int:
    """People whose blood was collected at the drive who had never given before it
    (`donors.history.never_given_before`: neither before HienMau nor in the registry)."""
    return Donation.objects.filter(drive=drive, outcome=Outcome.COLLECTED).filter(
        never_given_before(drive.date)).values("donor").distinct().count()


def deferrals_by_reason(drive: Drive) -> dict[str, int]:
    """{reason code: people} of the drive's deferrals, from the screenings."""
    return dict(Screening.objects.filter(registration__drive=drive, accepted=False)
                .order_by().values("deferral_reason").annotate(n=Count("pk"))
                .values_list("deferral_reason", "n"))


def _log(action: str, actor, registration: Registration, data: dict | None = None) -> None:
    audit.log(action, actor=actor, organization=registration.drive.organizer,
              obj=registration, data={"drive": str(registration.drive.code),
                                      "reference": registration.reference, **(data or {})})
