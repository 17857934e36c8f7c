"""Seed 002's 2024 plan, loaded as demo data: its totals come out exact."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Sum

from hienmau.plans.checks import plan_warnings
from hienmau.plans.models import Drive, Plan


@pytest.fixture
def plan(demo_data, db):
    return Plan.objects.get(starts_on=datetime.date(2023, 12, 1))  # seed 002's 2024 plan


def test_section_and_grand_totals_are_exactly_the_seeds(plan):
    totals = {s.number: s.quotas.aggregate(t=Sum("units"))["t"] for s in plan.sections.all()}
    assert totals == {"I": 9287, "II": 1200, "III": 2175, "IV": 1100}
    assert plan.quotas.aggregate(t=Sum("units"))["t"] == 13762


def test_every_drive_of_the_appendix_is_there(plan):
    assert plan.drives.count() == 48
    assert plan.starts_on == datetime.date(2023, 12, 1)
    joint = plan.drives.get(date=datetime.date(2024, 6, 4))
    assert joint.expected_units == 1100
    assert sorted(s.expected_units for s in joint.shares.all()) == [200, 200, 200, 200, 300]
    assert plan.drives.get(date=datetime.date(2024, 3, 6), organizer__name__contains="Mỹ Hào"
                           ).receiving_institution.name == "Bệnh viện Hữu nghị Việt Đức"


def test_the_clean_demo_plan_raises_no_warning(plan):
    assert plan_warnings(plan) == []


def test_loading_again_adds_nothing(plan):
    call_command("load_demo", stdout=io.StringIO())
    # The plans of 2022, 2023 (demo/history.py) and 2024 with their 10 + 47 + 48 drives,
    # Dương Kinh's of 2022, and the demo's upcoming drive and today's.
    assert Plan.objects.count() == 3 and Drive.objects.count() == 10 + 47 + 1 + 48 + 2
