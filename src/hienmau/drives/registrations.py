"""Registering people for drives: one registration per person and drive, whoever enters
it (the person online, a coordinator, an import), each write atomic and audited.

Permission checks belong to the caller (`drives/access.py`).
"""

import datetime
import secrets
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hienmau.donors import eligibility
from hienmau.donors.history import assess, rules_in_force
from hienmau.drives.models import (
    EXPECTED_STATUSES,
    Donation,
    Registration,
    RegistrationStatus,
    Source,
)
from hienmau.errors import RuleError
from hienmau.orgs import audit
from hienmau.plans.models import Drive, DriveStatus

# Registration references are read aloud and typed: no 0/O, 1/I/L, 5/S, 8/B.
_REFERENCE_ALPHABET = "234679ACDEFGHJKMNPQRTUVWXYZ"
_REFERENCE_LENGTH = 8


class RegistrationError(RuleError):
    pass


_REFERENCE_VALUES = len(_REFERENCE_ALPHABET) ** _REFERENCE_LENGTH


def new_reference() -> str:
    """A registration reference such as "HM-7KQ3XR4D": 27^8 ≈ 2,8·10^11 values, so a
    guessed reference names nobody, and the unique constraint settles the rest."""
    return new_references(1)[0]


def new_references(count: int) -> list[str]:
    """`count` references from one read of the system's random source (an import makes
    100.000): 8 random bytes each, written in base 27 (the bias of the modulo, under
    2·10^-8, gives a guesser nothing)."""
    randomness, references = secrets.token_bytes(8 * count), []
    base = len(_REFERENCE_ALPHABET)
    for start in range(0, 8 * count, 8):
        number = int.from_bytes(randomness[start:start + 8], "big") % _REFERENCE_VALUES
        letters = []
        for _position in range(_REFERENCE_LENGTH):
            number, digit = divmod(number, base)
            letters.append(_REFERENCE_ALPHABET[digit])
        references.append("HM-" + "".join(letters))
    return references


def normalize_reference(text: str) -> str:
    """What a person types or a scanner reads ("hm 7kq3xr4d") as stored ("HM-7KQ3XR4D")."""
    letters = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if letters.startswith("HM"):
        letters = letters[2:]
    return f"HM-{letters}"


# When a drive takes registrations, one rule for every way in: the public sign-up page
# (its QR poster hangs at the venue), the public calendar, the coordinator's entry, list
# imports and the desk's walk-ins. A drive takes them until its day is over or it is
# closed: planned, confirmed, and under way (its first check-in puts it under way, and
# people keep coming). A closed drive (the result is confirmed) or a cancelled one takes
# none. Walk-ins may also be entered the day after, as the stations may
# (`drive_day.check_running`): a paper list typed in late.
ACCEPTING_STATUSES = (DriveStatus.PLANNED, DriveStatus.CONFIRMED, DriveStatus.IN_PROGRESS)
WALK_IN_LATE_DAYS = 1


def registration_refusal(drive: Drive, today: datetime.date, *,
                         walk_in: bool = False) -> RegistrationError | None:
    """Why `drive` takes no registration on `today` (None when it takes them)."""
    if drive.status == DriveStatus.CANCELLED:
        return RegistrationError(_("Đợt hiến máu này đã bị hủy."), "drive_cancelled")
    if drive.status == DriveStatus.CLOSED:
        return RegistrationError(_("Đợt hiến máu này đã kết thúc; không nhận đăng ký nữa."),
                                 "drive_closed")
    last_day = drive.date + datetime.timedelta(days=WALK_IN_LATE_DAYS if walk_in else 0)
    if drive.status not in ACCEPTING_STATUSES or last_day < today:
        return RegistrationError(_("Đợt hiến máu này đã diễn ra; không nhận đăng ký nữa."),
                                 "drive_past")
    return None


def open_for_registration(drive: Drive, today: datetime.date) -> bool:
    return registration_refusal(drive, today) is None


def check_open(drive: Drive, today: datetime.date, *, walk_in: bool = False) -> None:
    refusal = registration_refusal(drive, today, walk_in=walk_in)
    if refusal is not None:
        raise refusal


def drives_open_for_registration(today: datetime.date):
    """The drives `open_for_registration` on `today`, as a query (the public calendar)."""
    return Drive.objects.filter(status__in=ACCEPTING_STATUSES, date__gte=today)


@transaction.atomic
def register(drive: Drive, donor, *, source: str, actor, today: datetime.date,
             mobilized_by=None, note: str = "", batch=None) -> tuple[Registration, bool]:
    """(registration, created). A person already registered keeps their registration
    (and its reference); a cancelled one is registered again on the same row."""
    check_open(drive, today, walk_in=source == Source.WALK_IN)
    existing = (Registration.objects.select_for_update()
                .filter(drive=drive, donor=donor).first())
    if existing is not None:
        if existing.status != RegistrationStatus.CANCELLED:
            return existing, False
        existing.status, existing.source = RegistrationStatus.REGISTERED, source
        existing.mobilized_by = mobilized_by or existing.mobilized_by
        existing.note = note or existing.note
        existing.save()
        _log("hienmau.registration.renewed", actor, existing)
        return existing, True
    for _attempt in range(5):
        registration = Registration(drive=drive, donor=donor, source=source,
                                    mobilized_by=mobilized_by, note=note, batch=batch,
                                    reference=new_reference(),
                                    created_by=actor if getattr(actor, "pk", None) else None)
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            # Another desk registered the same person a moment ago, or (once in 10^11)
            # the reference was taken.
            other = Registration.objects.filter(drive=drive, donor=donor).first()
            if other is not None:
                return other, False
            continue
        _log("hienmau.registration.created", actor, registration)
        return registration, True
    raise RegistrationError(_("Không tạo được mã đăng ký; hãy thử lại."), "reference")


@transaction.atomic
def update_registration(registration: Registration, *, actor, **fields) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    before = audit.snapshot(registration, fields)
    for name, value in fields.items():
        setattr(registration, name, value)
    registration.save()
    changes = audit.diff(before, audit.snapshot(registration, fields))
    if changes:
        _log("hienmau.registration.changed", actor, registration, {"changes": changes})
    return registration


def cancel(registration: Registration, *, actor, reason: str = "") -> Registration:
    if registration.status not in EXPECTED_STATUSES:
        raise RegistrationError(_("Chỉ hủy được đăng ký chưa đến ngày hiến."), "not_cancellable")
    return update_registration(registration, actor=actor, status=RegistrationStatus.CANCELLED,
                               note=reason or registration.note)


def _log(action: str, actor, registration: Registration, data: dict | None = None) -> None:
    audit.log(action, actor=actor, organization=registration.drive.organizer, obj=registration,
              data={"drive": str(registration.drive.code), "donor": str(registration.donor.code),
                    "source": registration.source, "status": registration.status,
                    **(data or {})})


# ---- eligibility on the drive's date --------------------------------------------------


@dataclass(frozen=True)
class RegistrantCheck:
    registration: Registration
    assessment: eligibility.Assessment


def assess_registrants(drive: Drive, registrations) -> list[RegistrantCheck]:
    """Each registrant assessed for the drive's date, with their whole history read in
    one query (not one per person)."""
    registrations = list(registrations)
    donations = defaultdict(list)
    for donation in (Donation.objects.filter(donor__in=[r.donor_id for r in registrations])
                     .order_by("-date", "-pk")):
        donations[donation.donor_id].append(donation)
    rules = rules_in_force(drive.date)
    return [RegistrantCheck(r, assess(r.donor, donations[r.donor_id], drive.date, rules=rules))
            for r in registrations]
