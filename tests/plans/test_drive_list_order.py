"""The drive list opens on what is about to happen: today's and the coming drives first,
soonest first, then the past ones, latest first; the pages keep that order, and a filter
shows only the coming or only the past drives."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hienmau.plans import views
from hienmau.plans.models import Drive

DAY = datetime.timedelta(days=1)


@pytest.fixture
def drives(tree):
    today = timezone.localdate()
    made = {}
    # Created oldest first, as a year's drives are: the past ones have the lowest ids.
    for days in (-300, -200, -100, -2, 0, 3, 40):
        made[days] = Drive.objects.create(date=today + days * DAY, venue=f"Nơi {days}",
                                          organizer=tree["district_one"], expected_units=10)
    return made


def rows(client, **params) -> list[str]:
    html = client.get(reverse("plans:drives"), params).text
    return [row.split("</a>")[0].rsplit(">", 1)[1]
            for row in html.split('data-testid="drive-row"')[1:]]


def dates(*days) -> list[str]:
    today = timezone.localdate()
    return [(today + d * DAY).strftime("%d/%m/%Y") for d in days]


def test_the_list_opens_on_today_and_the_coming_drives_then_the_past(client_for, office,
                                                                     drives):
    client = client_for(office)
    assert rows(client) == dates(0, 3, 40, -2, -100, -200, -300)
    html = client.get(reverse("plans:drives")).text
    assert html.index("Hôm nay và sắp tới") < html.index("Đã diễn ra (gần nhất trước)")


def test_the_pages_keep_the_order(client_for, office, drives, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    client = client_for(office)
    assert rows(client) == dates(0, 3, 40)
    assert rows(client, page=2) == dates(-2, -100, -200)
    assert rows(client, page=3) == dates(-300)
    page = client.get(reverse("plans:drives"), {"page": 2}).text
    assert "2 / 3" in page


def test_only_the_coming_or_only_the_past_drives(client_for, office, drives):
    client = client_for(office)
    assert rows(client, when="upcoming") == dates(0, 3, 40)
    assert rows(client, when="past") == dates(-2, -100, -200, -300)
