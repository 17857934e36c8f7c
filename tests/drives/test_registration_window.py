"""When a drive takes registrations: one rule for the public sign-up page (whose QR code
is printed on the poster at the venue), the public calendar, the coordinator's entry and
the desk's walk-ins. A drive under way takes them until it is closed; a closed or
cancelled drive says so in words, never with a 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hienmau.drives import drive_day, registrations
from hienmau.drives.models import Registration, RegistrationStatus, Source
from hienmau.plans.models import Drive, DriveStatus

PERSON = {"full_name": "Lê Thị Mai", "birth_date": "01/02/1995", "sex": "F",
          "id_number": "001195012345", "phone": "0912 345 679", "consent": "on"}
DAY = datetime.timedelta(days=1)


@pytest.fixture
def under_way(drive, registration, coordinator):
    """Today's drive after its first check-in: under way."""
    drive_day.check_in(registration, actor=coordinator)
    drive.refresh_from_db()
    assert drive.status == DriveStatus.IN_PROGRESS
    return drive


@pytest.mark.parametrize("status", DriveStatus.values)
@pytest.mark.parametrize("days", [-2, -1, 0, 1, 30])
def test_the_rule_and_the_calendars_query_agree(tree, status, days):
    today = timezone.localdate()
    drive = Drive.objects.create(date=today + datetime.timedelta(days=days), venue="Hội trường",
                                 organizer=tree["district_one"], status=status,
                                 expected_units=10)
    accepts = registrations.open_for_registration(drive, today)
    listed = registrations.drives_open_for_registration(today).filter(pk=drive.pk).exists()
    assert accepts == listed
    assert accepts == (days >= 0 and status not in (DriveStatus.CLOSED,
                                                    DriveStatus.CANCELLED))


def test_why_a_drive_takes_no_registration(drive):
    today = drive.date
    drive.status = DriveStatus.IN_PROGRESS
    assert registrations.registration_refusal(drive, today) is None
    drive.status = DriveStatus.CLOSED
    refusal = registrations.registration_refusal(drive, today)
    assert refusal.code == "drive_closed" and "đã kết thúc" in refusal.message
    drive.status = DriveStatus.CANCELLED
    assert registrations.registration_refusal(drive, today).message == (
        "Đợt hiến máu này đã bị hủy.")
    drive.status = DriveStatus.IN_PROGRESS
    assert registrations.registration_refusal(drive, today + DAY).code == "drive_past"
    # A walk-in written down on paper may be entered the day after, as the stations may.
    assert registrations.registration_refusal(drive, today + DAY, walk_in=True) is None
    assert registrations.registration_refusal(drive, today + 2 * DAY, walk_in=True
                                              ).code == "drive_past"


def test_the_printed_link_of_a_drive_under_way_signs_people_up(client, under_way):
    url = reverse("drives:sign_up", args=[under_way.code])
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="sign-up-form"' in page.text
    assert "Đợt hiến máu đang diễn ra hôm nay." in page.text
    response = client.post(url, PERSON)
    assert response.status_code == 302
    registration = Registration.objects.get(donor__full_name="Lê Thị Mai")
    assert registration.drive == under_way and registration.source == Source.ONLINE
    assert registration.reference in client.get(response["Location"]).text


def test_todays_drive_under_way_is_on_the_public_calendar(client, under_way):
    html = client.get(reverse("drives:public_drives")).text
    assert reverse("drives:sign_up", args=[under_way.code]) in html
    assert "Hôm nay" in html


def test_a_closed_drive_says_so_instead_of_a_404(client, under_way, staff):
    drive_day.close(under_way, actor=staff, units_collected=0, note="Không ai hiến")
    url = reverse("drives:sign_up", args=[under_way.code])
    page = client.get(url)
    assert page.status_code == 200
    assert "Đợt hiến máu này đã kết thúc; không nhận đăng ký nữa." in page.text
    assert 'data-testid="sign-up-form"' not in page.text
    assert reverse("drives:public_tally", args=[under_way.code]) in page.text
    response = client.post(url, PERSON)
    assert "đã kết thúc" in response.text
    assert not Registration.objects.filter(donor__full_name="Lê Thị Mai").exists()
    assert reverse("drives:sign_up", args=[under_way.code]) not in client.get(
        reverse("drives:public_drives")).text


def test_a_cancelled_drive_says_so_and_points_to_the_next_ones(client, drive, tree):
    Drive.objects.filter(pk=drive.pk).update(status=DriveStatus.CANCELLED)
    later = Drive.objects.create(date=drive.date + 7 * DAY, venue="Nhà văn hóa",
                                 organizer=tree["district_two"], title="Ngày hội tuần sau",
                                 expected_units=10)
    page = client.get(reverse("drives:sign_up", args=[drive.code]))
    assert page.status_code == 200 and "Đợt hiến máu này đã bị hủy." in page.text
    assert "Ngày hội tuần sau" in page.text
    assert reverse("drives:sign_up", args=[later.code]) in page.text
    assert client.post(reverse("drives:sign_up", args=[drive.code]), PERSON).status_code == 200
    assert not Registration.objects.filter(donor__full_name="Lê Thị Mai").exists()


def test_the_coordinator_adds_people_on_the_day(client_for, under_way, coordinator, tree,
                                                hung):
    Registration.objects.filter(drive=under_way).delete()
    client = client_for(coordinator)
    listing = client.get(reverse("drives:registrations", args=[under_way.code])).text
    assert 'data-testid="add-registration"' in listing
    url = reverse("drives:registration_add", args=[under_way.code])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "existing", "donor": hung.code,
                                 "mobilized_by": tree["district_one"].code})
    assert response.status_code == 302 and response["Location"] == url
    assert Registration.objects.get(drive=under_way, donor=hung).source == Source.COORDINATOR


def test_the_coordinator_is_told_why_a_closed_drive_takes_nobody(client_for, under_way,
                                                                 coordinator, staff):
    drive_day.close(under_way, actor=staff, units_collected=0, note="Không ai hiến")
    client = client_for(coordinator)
    listing = client.get(reverse("drives:registrations", args=[under_way.code])).text
    assert 'data-testid="add-registration"' not in listing
    assert "Đợt hiến máu này đã kết thúc; không nhận đăng ký nữa." in listing
    page = client.get(reverse("drives:registration_add", args=[under_way.code]), follow=True)
    assert "Đợt hiến máu này đã kết thúc; không nhận đăng ký nữa." in page.text


def test_a_walk_in_on_paper_is_entered_the_day_after(client_for, drive, coordinator, tree):
    Drive.objects.filter(pk=drive.pk).update(date=drive.date - DAY)  # it was yesterday
    client = client_for(coordinator)
    url = reverse("drives:registration_add", args=[drive.code]) + "?tai_cho=1"
    response = client.post(url, {"action": "new", "tai_cho": "1", "full_name": "Phạm Thị Mai",
                                 "birth_date": "12/03/1998", "sex": "F",
                                 "phone": "0987 654 321", "consent": "on",
                                 "mobilized_by": tree["district_one"].code})
    assert response.status_code == 302
    registration = Registration.objects.get(donor__full_name="Phạm Thị Mai")
    assert registration.source == Source.WALK_IN
    assert registration.status == RegistrationStatus.CHECKED_IN
