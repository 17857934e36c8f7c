"""What the drive-day screens say: once the drive is closed, every tally (public,
internal, the desk) shows the confirmed result, not the provisional count; a second desk
checking in someone already checked in is told when and by whom."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from hienmau.donors import services as donors
from hienmau.drives import drive_day, registrations
from hienmau.drives.drive_day import ScreeningInput

ACCEPT = ScreeningInput(accepted=True, weight_kg=Decimal("60"), hemoglobin_g_l=135,
                        systolic_mm_hg=120, diastolic_mm_hg=80, pulse_bpm=72)


@pytest.fixture
def day(drive, registration, coordinator, staff, office, tree):
    """Hùng gave 350 ml; Hoa checked in and left before screening (still "waiting")."""
    hoa = donors.create_donor(actor=office, full_name="Phạm Thị Hoa", birth_year=1992,
                              sex="F", home=tree["district_one"], phone="0987111222")
    other = registrations.register(drive, hoa, source="coordinator", actor=coordinator,
                                   today=timezone.localdate())[0]
    for person in (registration, other):
        drive_day.check_in(person, actor=coordinator)
    drive_day.screen(registration, ACCEPT, actor=staff)
    drive_day.collect(registration, volume_ml=350, bag="B-0001", actor=staff)
    return drive


def test_the_public_tally_shows_the_confirmed_result_once_closed(client, day, staff):
    url = reverse("drives:public_tally", args=[day.code])
    before = client.get(url).text
    assert "1 đang chờ" in before and "chưa phải kết quả chính thức" in before
    assert 'data-testid="tally-collected">1<' in before
    # The bag was discarded after the drive: the institution confirms 0 units.
    drive_day.close(day, actor=staff, units_collected=0, note="Túi B-0001 bị loại")
    after = client.get(url).text
    assert "chưa phải kết quả chính thức" not in after and "đang chờ" not in after
    assert "Kết quả chính thức" in after and 'data-testid="tally-closed"' in after
    assert 'data-testid="tally-collected">0<' in after
    assert 'data-testid="tally-checked-in">2<' in after
    assert 'hx-trigger="every 5s"' not in after  # nothing left to refresh
    data = client.get(url, {"format": "json"}).json()
    assert (data["collected"], data["waiting"], data["confirmed"]) == (0, 0, True)


def test_the_internal_tally_and_the_desk_show_the_confirmed_result(client_for, day, staff,
                                                                   coordinator):
    drive_day.close(day, actor=staff, units_collected=0, note="Túi B-0001 bị loại")
    client = client_for(coordinator)
    page = client.get(reverse("drives:tally", args=[day.code])).text
    assert 'data-testid="tally-collected">0<' in page and "đang chờ" not in page
    assert "Kết quả chính thức" in page
    desk = client.get(reverse("drives:station", args=[day.code])).text
    station_tally = desk.split('data-testid="station-tally"')[1].split("</div>")[0]
    assert "Đang chờ" not in station_tally and "<strong>0</strong>/2" in station_tally


def test_a_result_typed_as_totals_shows_without_people_counts(client, tree, staff):
    from hienmau.plans.models import Drive

    drive = Drive.objects.create(date=timezone.localdate() - datetime.timedelta(days=3),
                                 venue="Hội trường", organizer=tree["district_one"],
                                 expected_units=100, receiving_institution=tree["institute"])
    drive_day.close(drive, actor=staff, units_collected=96,
                    totals={"units_by_volume": {"250": 40, "350": 56}})
    html = client.get(reverse("drives:public_tally", args=[drive.code])).text
    assert 'data-testid="tally-collected">96<' in html
    assert 'data-testid="tally-checked-in">—<' in html and "None" not in html
    assert ">118,4<" in html  # (40 × 250 + 56 × 350) / 250


def test_a_second_desk_is_told_the_person_is_already_checked_in(
        client_for, drive, registration, coordinator, staff):
    # Desk one checks Hùng in at 07:42 (the first desk's user: "Coordinator").
    at = timezone.make_aware(datetime.datetime.combine(timezone.localdate(),
                                                       datetime.time(7, 42)))
    drive_day.check_in(registration, actor=coordinator, now=at)
    # Desk two had his page open and presses "Ghi nhận có mặt" too.
    client = client_for(staff)
    url = reverse("drives:station_person", args=[drive.code, registration.reference])
    page = client.post(url, {"action": "check_in"}, follow=True).text
    assert "Nguyễn Văn Hùng đã được ghi nhận có mặt lúc 07:42, bởi Coordinator." in page
    registration.refresh_from_db()
    assert registration.checked_in_at == at and registration.checked_in_by == coordinator


def test_the_message_says_what_is_known(drive, registration, coordinator):
    drive_day.check_in(registration, actor=coordinator)
    registration.refresh_from_db()
    coordinator.delete()  # the account is gone: when, without whom
    registration.refresh_from_db()
    when = timezone.localtime(registration.checked_in_at).strftime("%H:%M")
    assert drive_day.already_checked_in(registration) == (
        f"Nguyễn Văn Hùng đã được ghi nhận có mặt lúc {when}.")
