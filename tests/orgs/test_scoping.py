"""A role on an organization covers its subtree, and nothing else."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from hienmau.orgs.access import get_organization_for_user, has_perm
from hienmau.orgs.models import Organization
from hienmau.orgs.roles import CHANGE, MANAGE_MEMBERS, VIEW


def names(queryset):
    return sorted(o.name for o in queryset)


def test_office_sees_its_whole_subtree_but_not_another_root(office, tree):
    assert names(Organization.objects.visible_to(office)) == [
        "BCĐ huyện Hai", "BCĐ huyện Một", "BCĐ tỉnh A", "Công ty Một"]


def test_coordinator_sees_own_district_and_below_only(coordinator):
    assert names(Organization.objects.visible_to(coordinator)) == ["BCĐ huyện Một", "Công ty Một"]


def test_coordinator_of_one_district_cannot_fetch_another(outsider, tree):
    with pytest.raises(Http404):
        get_organization_for_user(outsider, tree["district_one"].code)
    with pytest.raises(Http404):
        get_organization_for_user(outsider, tree["company"].code, CHANGE)


def test_inside_the_subtree_a_missing_permission_is_403(viewer, tree):
    assert get_organization_for_user(viewer, tree["company"].code) == tree["company"]
    with pytest.raises(PermissionDenied):
        get_organization_for_user(viewer, tree["company"].code, CHANGE)


def test_coordinator_may_change_but_not_manage_members(coordinator, tree):
    assert has_perm(coordinator, tree["company"], CHANGE)
    assert not has_perm(coordinator, tree["company"], MANAGE_MEMBERS)
    assert not has_perm(coordinator, tree["province"], VIEW)


def test_superuser_sees_everything(superuser, tree):
    assert Organization.objects.visible_to(superuser).count() == 5


def test_deactivated_user_sees_nothing(office):
    office.is_active = False
    assert not Organization.objects.visible_to(office).exists()


def test_anonymous_sees_nothing(tree):
    from django.contrib.auth.models import AnonymousUser

    assert not Organization.objects.visible_to(AnonymousUser()).exists()


def test_a_role_follows_its_unit_when_the_unit_moves(coordinator, office, tree, django_user_model):
    from hienmau.orgs import services

    services.move_organization(tree["company"], tree["district_two"], actor=office)
    fresh = django_user_model.objects.get(pk=coordinator.pk)  # memberships re-read
    assert names(Organization.objects.visible_to(fresh)) == ["BCĐ huyện Một"]


def test_memberships_are_read_once_per_request_user(coordinator, django_assert_num_queries):
    with django_assert_num_queries(3):  # memberships once, then one query per list
        list(Organization.objects.visible_to(coordinator))
        list(Organization.objects.visible_to(coordinator))
