"""Certificates: one person's (from the station page), a whole drive's in one PDF to
print, and the public page a certificate's QR code opens to verify it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from hienmau.donors.history import donor_times_given
from hienmau.drives import certificates
from hienmau.drives.access import get_drive_for_station
from hienmau.drives.models import Donation, Outcome

_RELATED = ("donor", "drive__organizer", "drive__plan__committee", "receiving_institution")


def _collected():
    return Donation.objects.filter(outcome=Outcome.COLLECTED, drive__isnull=False
                                   ).select_related(*_RELATED)


def _pdf(request, donations, filename: str) -> HttpResponse:
    def verify_url(donation):
        return request.build_absolute_uri(reverse("drives:verify_certificate",
                                                  args=[donation.code]))

    response = HttpResponse(certificates.render(donations, verify_url),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def certificate(request, code):
    donation = get_object_or_404(_collected(), code=code)
    get_drive_for_station(request.user, donation.drive.code)  # 404 / 403 as for the drive
    return _pdf(request, [donation], f"chung-nhan-{str(donation.code)[:8]}.pdf")


@login_required
def drive_certificates(request, code):
    drive = get_drive_for_station(request.user, code)
    donations = list(_collected().filter(drive=drive).order_by("donor__sort_key", "pk"))
    if not donations:
        messages.info(request, _("Đợt này chưa có ai được ghi nhận đã hiến máu."))
        return redirect("drives:tally", code=drive.code)
    return _pdf(request, donations, f"chung-nhan-{drive.date:%Y%m%d}.pdf")


def verify(request, code):
    """Public: what the certificate says, so that anyone holding it can check it."""
    donation = get_object_or_404(_collected(), code=code)
    donor = donation.donor
    return render(request, "drives/certificate_verify.html", {
        "donation": donation, "drive": donation.drive, "name": donor.full_name,
        "year": donor.birth_date.year if donor.birth_date else donor.birth_year,
        "count": donor_times_given(donor, donation.date)})
