"""The seeds' past results as demo data: computed from the closed drives, the seeds'
figures come out exactly (000: industrial zones 2022; 002: province 2023; 004: Dương
Kinh 03/11/2022)."""

import datetime

import pytest
from django.db.models import Count, Sum

from hienmau.demo import history, loader
from hienmau.demo.loader import demo_code
from hienmau.drives.models import DriveResult
from hienmau.drives.screening import REASONS
from hienmau.orgs.models import AuditEntry, Organization
from hienmau.plans.checks import plan_warnings
from hienmau.plans.models import Drive, DriveStatus, Plan, PlanStatus, Quota
from tests.module_data import once_per_module


def load_history_only():
    loader.load_organizations()
    assert loader.load_history() is True


history_data = once_per_module(load_history_only)


@pytest.fixture
def loaded(history_data, db):
    """The organizations and past results, loaded once for this module."""


def org(key) -> Organization:
    return Organization.objects.get(code=demo_code(key))


def plan_of(year: int) -> Plan:
    return Plan.objects.get(committee=org("hy"), starts_on=datetime.date(year - 1, 12, 1))


def results(**lookups):
    return DriveResult.objects.filter(**lookups).aggregate(
        drives=Count("pk"), units=Sum("units_collected"))


def test_seed_002_province_2023(loaded):
    plan = plan_of(2023)
    assert plan.ends_on == datetime.date(2023, 11, 30)
    totals = results(drive__plan=plan, drive__status=DriveStatus.CLOSED)
    assert totals == {"drives": 47, "units": 18499}
    assert plan.drives.count() == 47
    assert round(100 * totals["units"] / plan.national_quota) == 185
    assert round(100 * totals["units"] / plan.provincial_quota) == 147
    assert plan.quotas.aggregate(t=Sum("units"))["t"] == plan.provincial_quota == 12600
    assert plan.sections.count() == 4
    institutions = dict(plan.drives.values_list("receiving_institution__name")
                        .annotate(n=Count("pk")))
    assert institutions["Viện Huyết học - Truyền máu Trung ương"] > \
        institutions["Bệnh viện Hữu nghị Việt Đức"] > 0


def test_seed_000_industrial_zones_2022(loaded):
    plan, zones = plan_of(2022), org("hy.kcn")
    totals = results(drive__plan=plan, drive__organizer__path__startswith=zones.path)
    assert totals == {"drives": 10, "units": 1736}
    quota = Quota.objects.get(plan=plan, organization=zones).units
    assert quota == 1220 and round(100 * totals["units"] / quota) == 142
    drives = plan.drives.filter(organizer__path__startswith=zones.path)
    assert drives.filter(organizer=zones).count() == 3
    assert {d.organizer.name for d in drives.exclude(organizer=zones)} == {
        org(f"hy.kcn.{key}").name for key in
        ("mektec", "toto", "greenfeed", "regina", "kyocera", "canon", "linea")}
    assert all(plan.covers(d.date) for d in drives)


def test_seed_004_duong_kinh(loaded):
    drive = Drive.objects.get(organizer=org("hp.duongkinh"), date=datetime.date(2022, 11, 3))
    assert (drive.expected_units, drive.result.units_collected) == (250, 297)
    assert round(100 * 297 / 250) == 119  # "vượt gần 20%"
    assert 550 <= drive.result.people_present < 600
    assert drive.result.people_present - drive.result.people_deferred == 297


def test_every_result_is_consistent(loaded):
    rows = DriveResult.objects.select_related("drive")
    assert rows.count() == 47 + 10 + 1
    for result in rows:
        assert result.drive.status == DriveStatus.CLOSED and not result.from_records
        assert sum(result.units_by_volume.values()) == result.units_collected
        assert set(result.units_by_volume) == {"250", "350", "450"}
        assert result.units_by_volume["350"] > result.units_collected // 2
        assert sum(result.deferrals_by_reason.values()) == result.people_deferred
        assert set(result.deferrals_by_reason) <= set(REASONS)
        assert result.people_present - result.people_deferred == result.units_collected
        assert result.people_registered >= result.people_present
        assert 0.24 <= result.people_first_time / result.units_collected <= 0.41
        assert 1.0 <= result.units_collected / result.drive.expected_units <= 2.0


def test_finished_plans_are_closed_and_raise_no_warning(loaded):
    for year in (2022, 2023):
        plan = plan_of(year)
        assert plan.status == PlanStatus.CLOSED
        assert plan_warnings(plan) == []


def test_the_data_alone_gives_the_seeds_figures():
    assert len(history.DRIVES_2023) == 47
    assert sum(row[3] for row in history.DRIVES_2023) == 18499
    assert sum(row[3] for row in history.DRIVES_2022) == 1736
    assert sum(units for _n, _t, quotas in history.SECTIONS_2023 for _k, units in quotas) \
        == 12600
    dk = history.totals(297, 0, people_present=590, people_registered=620)
    assert (dk["people_deferred"], sum(dk["deferrals_by_reason"].values())) == (293, 293)


def test_loading_twice_creates_nothing(loaded):
    counts = (Plan.objects.count(), Drive.objects.count(), DriveResult.objects.count(),
              Quota.objects.count(), AuditEntry.objects.count())
    assert loader.load_history() is False
    assert counts == (Plan.objects.count(), Drive.objects.count(),
                      DriveResult.objects.count(), Quota.objects.count(),
                      AuditEntry.objects.count())
