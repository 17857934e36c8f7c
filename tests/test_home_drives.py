"""The home page lists each user's drives of today and the coming days, with what their
role opens for each: the desk or screening for staff, the registrations for
coordinators, nothing about people for viewers."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hienmau import views
from hienmau.plans.models import Drive, DriveStatus

DAY = datetime.timedelta(days=1)


def make(tree, unit, days, title, **extra):
    return Drive.objects.create(date=timezone.localdate() + days * DAY, venue="Hội trường",
                                organizer=tree[unit], expected_units=50, title=title,
                                receiving_institution=tree["institute"], **extra)


@pytest.fixture
def drives(tree):
    return {
        "today": make(tree, "district_one", 0, "Ngày hội hôm nay",
                      status=DriveStatus.IN_PROGRESS),
        "soon": make(tree, "district_one", 5, "Ngày hội tuần sau"),
        "other": make(tree, "district_two", 2, "Ngày hội huyện Hai"),
        "past": make(tree, "district_one", -3, "Ngày hội tuần trước"),
        "far": make(tree, "district_one", 90, "Ngày hội mùa sau"),
        "cancelled": make(tree, "district_one", 1, "Ngày hội đã hủy",
                          status=DriveStatus.CANCELLED),
    }


def listed(client) -> str:
    html = client.get(reverse("home")).text
    return html.split('data-testid="drives-ahead"')[1].split("</section>")[0]


def test_a_coordinator_sees_todays_drive_first_with_the_desk_and_the_registrations(
        client_for, coordinator, drives):
    html = listed(client_for(coordinator))
    assert html.index("Ngày hội hôm nay") < html.index("Ngày hội tuần sau")
    for gone in ("Ngày hội huyện Hai", "Ngày hội tuần trước", "Ngày hội mùa sau",
                 "Ngày hội đã hủy"):
        assert gone not in html
    today = html.split("Ngày hội tuần sau")[0]
    assert reverse("drives:station", args=[drives["today"].code]) in today
    assert "Bàn đón tiếp" in today and "Hôm nay" in today
    assert reverse("drives:registrations", args=[drives["today"].code]) in today
    # A drive of the coming days: its registrations, no desk yet.
    assert reverse("drives:registrations", args=[drives["soon"].code]) in html
    assert reverse("drives:station", args=[drives["soon"].code]) not in html


def test_the_institutions_staff_get_screening_and_the_viewer_no_people(
        client_for, staff, viewer, drives):
    html = listed(client_for(staff))
    assert reverse("drives:station", args=[drives["today"].code]) in html
    assert "Khám, lấy máu" in html and "Ngày hội huyện Hai" in html
    html = listed(client_for(viewer))
    assert "Ngày hội hôm nay" in html and "Ngày hội huyện Hai" in html
    assert reverse("drives:station", args=[drives["today"].code]) not in html
    assert reverse("drives:registrations", args=[drives["today"].code]) not in html


def test_the_office_sees_every_unit_and_a_link_to_all_when_there_are_more(
        client_for, office, tree, drives, monkeypatch):
    html = listed(client_for(office))
    assert "Ngày hội hôm nay" in html and "Ngày hội huyện Hai" in html
    monkeypatch.setattr(views, "DRIVES_SHOWN", 2)
    html = listed(client_for(office))
    assert html.count('data-testid="drive-ahead"') == 2 and "Xem cả 3 đợt" in html
    assert f'{reverse("plans:drives")}?when=upcoming' in html


def test_nothing_ahead_is_said(client_for, outsider):
    html = listed(client_for(outsider))
    assert 'data-testid="no-drives-ahead"' in html
