"""Units valid on a record's date, and the office that inherited an ended unit.

    Tỉnh A
    ├── huyện Một                          ← coordinator (an outsider to huyện Hai)
    ├── huyện Hai: ended 30/06/2025, successor xã Mới
    └── xã Mới: from 01/07/2025            ← its office inherits huyện Hai's records
    Xã Cũ (another root): ended 31/12/2019, successor huyện Hai (two steps back)
"""

import datetime
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

import hienmau
from hienmau.orgs import services
from hienmau.orgs.access import get_organization_for_user, has_perm
from hienmau.orgs.models import Kind, Organization
from hienmau.orgs.periods import period_error
from hienmau.orgs.roles import CHANGE, MANAGE_PLANS, Role
from tests.conftest import make_user

D = datetime.date


@pytest.fixture
def reorg(tree, office):
    commune = services.create_organization(
        actor=office, parent=tree["province"], name="BCĐ xã Mới",
        kind=Kind.COMMUNE_COMMITTEE, valid_from=D(2025, 7, 1))
    old_commune = services.create_organization(
        actor=office, parent=None, name="BCĐ xã Cũ", kind=Kind.COMMUNE_COMMITTEE)
    services.merge_into_successor(old_commune, successor=tree["district_two"],
                                  last_day=D(2019, 12, 31), move_children=False, actor=office)
    services.merge_into_successor(tree["district_two"], successor=commune,
                                  last_day=D(2025, 6, 30), move_children=False, actor=office)
    return {"commune": commune, "old_commune": Organization.objects.get(pk=old_commune.pk),
            "district": Organization.objects.get(pk=tree["district_two"].pk)}


@pytest.fixture
def commune_office(reorg, django_user_model):
    return make_user(django_user_model, "xamoi", reorg["commune"], Role.OFFICE)


def names(queryset):
    return sorted(o.name for o in queryset)


DAYS = [D(2019, 12, 31), D(2020, 1, 1), D(2025, 6, 30), D(2025, 7, 1), D(2026, 12, 4)]
RANGES = [(D(2019, 6, 1), D(2020, 5, 31)), (D(2024, 12, 1), D(2025, 11, 30)),
          (D(2025, 7, 1), D(2026, 6, 30)), (D(2018, 1, 1), D(2018, 12, 31))]


def test_the_queryset_and_the_unit_answer_the_same(tree, reorg):
    everyone = list(Organization.objects.all())
    for day in DAYS:
        assert names(Organization.objects.valid_on(day)) == names(
            o for o in everyone if o.is_active_on(day)), day
    for start, end in RANGES:
        assert names(Organization.objects.valid_on(start, end)) == names(
            o for o in everyone if o.is_active_on(start, end)), (start, end)
    assert names(Organization.objects.valid_on(D(2025, 6, 15))) == [
        "BCĐ huyện Hai", "BCĐ huyện Một", "BCĐ tỉnh A", "Công ty Một", "Viện Huyết học"]
    # A plan year astride the reform: the ended district and its successor both served.
    assert {"BCĐ huyện Hai", "BCĐ xã Mới"} <= set(
        names(Organization.objects.valid_on(D(2024, 12, 1), D(2025, 11, 30))))
    assert Organization.objects.all().current().filter(pk=reorg["district"].pk).count() == 0


def test_an_ended_unit_is_refused_later_work_naming_its_end_and_successor(reorg):
    district = reorg["district"]
    assert period_error(district, D(2025, 6, 30)) is None
    assert period_error(district, D(2025, 8, 5)) == (
        "“BCĐ huyện Hai” đã kết thúc hoạt động ngày 30/06/2025: không thể giao việc cho đơn "
        "vị này vào ngày 05/08/2025. Đơn vị kế thừa: “BCĐ xã Mới”.")
    assert period_error(district, D(2025, 12, 1), D(2026, 11, 30)) == (
        "“BCĐ huyện Hai” đã kết thúc hoạt động ngày 30/06/2025: không thể giao việc cho đơn "
        "vị này trong thời gian từ 01/12/2025 đến 30/11/2026. Đơn vị kế thừa: “BCĐ xã Mới”.")
    assert period_error(district, D(2024, 12, 1), D(2025, 11, 30)) is None


def test_a_new_unit_is_refused_work_before_it_began(reorg):
    assert period_error(reorg["commune"], D(2025, 6, 15)) == (
        "“BCĐ xã Mới” chỉ hoạt động từ ngày 01/07/2025: không thể giao việc cho đơn vị này "
        "vào ngày 15/06/2025.")
    assert period_error(reorg["commune"], D(2025, 7, 1)) is None


def test_the_successors_office_opens_and_edits_the_ended_units_records(commune_office, reorg):
    visible = names(Organization.objects.visible_to(commune_office))
    assert visible == ["BCĐ huyện Hai", "BCĐ xã Cũ", "BCĐ xã Mới"]  # two steps back too
    assert get_organization_for_user(commune_office, reorg["district"].code,
                                     CHANGE) == reorg["district"]
    assert has_perm(commune_office, reorg["district"], MANAGE_PLANS)
    assert has_perm(commune_office, reorg["old_commune"], MANAGE_PLANS)


def test_outsiders_and_lesser_roles_gain_nothing_from_a_succession(
        commune_office, coordinator, reorg, tree, django_user_model):
    with pytest.raises(Http404):
        get_organization_for_user(coordinator, reorg["district"].code)
    # The successor's office does not reach the rest of the province.
    with pytest.raises(Http404):
        get_organization_for_user(commune_office, tree["district_one"].code)
    viewer = make_user(django_user_model, "xem", reorg["commune"], Role.VIEWER)
    assert get_organization_for_user(viewer, reorg["district"].code) == reorg["district"]
    with pytest.raises(PermissionDenied):
        get_organization_for_user(viewer, reorg["district"].code, CHANGE)


def test_memberships_and_successions_are_read_in_one_query(commune_office,
                                                          django_assert_num_queries):
    with django_assert_num_queries(2):  # memberships with successions, then the list
        list(Organization.objects.visible_to(commune_office))
        assert commune_office._hienmau_memberships


def test_the_period_rule_is_written_once():
    """Whether a unit was in activity on a day or during a period is asked of
    `Organization.is_active_on` / `OrganizationQuerySet.valid_on`: no module compares a
    unit's `valid_from` or `valid_to` with a date of its own (a copy that drifts)."""
    source = Path(hienmau.__file__).parent
    comparison = re.compile(
        r"valid_(from|to)(__(gte|lte)\b|\s*[<>]=)|[<>]=\s*[\w.]*valid_(from|to)")
    copies = [f"{path.relative_to(source)}:{number}"
              for path in source.rglob("*.py") if "migrations" not in path.parts
              and path != source / "orgs" / "models.py"
              for number, line in enumerate(path.read_text().splitlines(), 1)
              if comparison.search(line)]
    assert copies == []
