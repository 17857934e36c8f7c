"""Donor certificates: a real PDF with Vietnamese text (read back with pypdf), one page
per donation for a whole drive, and the public page its QR code opens, which shows what
the paper shows and nothing more."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from hienmau.drives import drive_day, registrations
from hienmau.drives.drive_day import ScreeningInput
from hienmau.drives.models import Donation
from hienmau.plans.models import Drive
from tests.office import pdf_fonts, pdf_text


@pytest.fixture
def donation(tree, hung, coordinator, staff):
    drive = Drive.objects.create(date=timezone.localdate(), venue="Nhà văn hóa huyện Một",
                                 organizer=tree["district_one"], expected_units=10,
                                 receiving_institution=tree["institute"],
                                 title="Ngày hội hiến máu Xuân hồng")
    registration = registrations.register(drive, hung, source="coordinator",
                                          actor=coordinator, today=timezone.localdate())[0]
    drive_day.check_in(registration, actor=coordinator)
    drive_day.screen(registration, ScreeningInput(accepted=True, weight_kg=Decimal("60")),
                     actor=staff)
    return drive_day.collect(registration, volume_ml=350, bag="B-1", actor=staff)[0]


def test_the_certificate_is_a_pdf_in_vietnamese(client, donation, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("drives:certificate", args=[donation.code]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in ("GIẤY CHỨNG NHẬN", "HIẾN MÁU TÌNH NGUYỆN", "NGUYỄN VĂN HÙNG",
                     "Chứng nhận Ông", "Năm sinh: 1990", "350 ml máu toàn phần, lần thứ 1",
                     timezone.localdate().strftime("%d/%m/%Y"), "Ngày hội hiến máu Xuân hồng",
                     "Viện Huyết học", "Độc lập - Tự do - Hạnh phúc", "BCĐ HUYỆN MỘT",
                     str(donation.code)[:8].upper()):
        assert expected in text, expected
    # No number of the person's; the certificate's own code is random hex, hence \b.
    assert "001090012345" not in text and not re.search(r"\b0912\b", text)
    assert "LiberationSerif" in pdf_fonts(response.content)


def test_the_count_includes_donations_before_hienmau(donation, office):
    from hienmau.donors import services
    from hienmau.donors.history import donor_times_given

    services.record_prior_donations(donation.donor, actor=office, count=17,
                                    source="Giấy chứng nhận đã cấp")
    donation.refresh_from_db()
    assert donor_times_given(donation.donor, donation.date) == 18


def test_a_drive_prints_one_page_per_donation(client, donation, staff, tree, office,
                                              coordinator):
    from hienmau.donors import services as donors

    other = donors.create_donor(actor=office, full_name="Trần Thị Lan", birth_year=1995,
                                sex="F", weight_kg=55, home=tree["district_one"])
    second = registrations.register(donation.drive, other, source="walk_in",
                                    actor=coordinator, today=timezone.localdate())[0]
    drive_day.check_in(second, actor=coordinator)
    drive_day.screen(second, ScreeningInput(accepted=True, weight_kg=Decimal("55")),
                     actor=staff)
    drive_day.collect(second, volume_ml=250, bag="B-2", actor=staff)
    client.force_login(staff)
    response = client.get(reverse("drives:drive_certificates", args=[donation.drive.code]))
    text = pdf_text(response.content)
    assert text.count("GIẤY CHỨNG NHẬN") == 2 and "Chứng nhận Bà" in text
    # Lists sort by given name: Hùng before Lan.
    assert text.index("NGUYỄN VĂN HÙNG") < text.index("TRẦN THỊ LAN")


def test_the_verification_page_shows_the_certificate_and_nothing_more(client, donation):
    page = client.get(reverse("drives:verify_certificate", args=[donation.code]))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="certificate-valid"' in html
    assert "Nguyễn Văn Hùng" in html and "350 ml" in html and "Viện Huyết học" in html
    for hidden in ("001090012345", "0912", "04/05/1990", "B-1"):
        assert hidden not in html
    # A year is written as a year, never "1.990" like a count.
    assert 'data-testid="certificate-birth-year">1990<' in html and "1.990" not in html
    deferred = Donation.objects.create(donor=donation.donor, date=donation.date,
                                       outcome="deferred")
    assert client.get(reverse("drives:verify_certificate", args=[deferred.code])
                      ).status_code == 404


def test_another_units_user_gets_no_certificate(client, donation, outsider, viewer):
    for user, status in ((outsider, 404), (viewer, 403)):
        client.force_login(user)
        assert client.get(reverse("drives:certificate", args=[donation.code])
                          ).status_code == status
        assert client.get(reverse("drives:drive_certificates", args=[donation.drive.code])
                          ).status_code == status
