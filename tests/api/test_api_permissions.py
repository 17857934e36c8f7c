"""Role × operation matrix of the REST API (the screens' matrix is tests/test_permissions.py).

Every API operation is listed with the least permission it needs. For each: a call
without a token gets 401; a coordinator of a sibling unit gets 404 for an object of
district one (a list answers 200 and holds none of district one's objects); a user
inside the subtree whose role lacks the permission gets 403; a read by a user whose role
has it answers 200. A new operation missing here fails `test_every_operation_is_listed`.
"""

import datetime
import json

import pytest
from django.utils import timezone

from hienmau.api.api import api as ninja_api
from hienmau.honors.models import HonorRound
from hienmau.orgs import roles
from hienmau.plans import services as plans
from tests.test_permissions import user_with

HEALTH = "health"  # the receiving institution's staff only (screening, collection)
OBJECT, LIST, NONE = "object", "list", "none"  # what the call is about

# (method, path, permission (None: any signed-in user), what it is about)
API_OPERATIONS = [
    ("GET", "/me", None, NONE),
    ("GET", "/organizations", roles.VIEW, LIST),
    ("GET", "/organizations/{code}", roles.VIEW, OBJECT),
    ("GET", "/plans", roles.VIEW, LIST),
    ("POST", "/plans", roles.MANAGE_PLANS, OBJECT),
    ("GET", "/plans/{code}", roles.VIEW, OBJECT),
    ("PATCH", "/plans/{code}", roles.MANAGE_PLANS, OBJECT),
    ("GET", "/plans/{code}/documents/{kind}", roles.VIEW, OBJECT),
    ("PUT", "/plans/{code}/quotas/{organization_code}", roles.MANAGE_PLANS, OBJECT),
    ("DELETE", "/plans/{code}/quotas/{organization_code}", roles.MANAGE_PLANS, OBJECT),
    ("GET", "/drives", roles.VIEW, LIST),
    ("POST", "/drives", roles.CHANGE_DRIVES, OBJECT),
    ("GET", "/drives/{code}", roles.VIEW, OBJECT),
    ("PATCH", "/drives/{code}", roles.CHANGE_DRIVES, OBJECT),
    ("GET", "/drives/{code}/announcement", roles.VIEW, OBJECT),
    ("POST", "/drives/{code}/cancel", roles.CHANGE_DRIVES, OBJECT),
    ("GET", "/donors", roles.VIEW_DONORS, LIST),
    ("POST", "/donors", roles.CHANGE_DONORS, OBJECT),
    ("GET", "/donors/{code}", roles.VIEW_DONORS, OBJECT),
    ("PATCH", "/donors/{code}", roles.CHANGE_DONORS, OBJECT),
    ("GET", "/donors/{code}/donations", roles.VIEW_DONORS, OBJECT),
    ("GET", "/drives/{code}/registrations", roles.VIEW_DONORS, OBJECT),
    ("POST", "/drives/{code}/registrations", roles.REGISTER_DONORS, OBJECT),
    ("POST", "/drives/{code}/registrations/batch", roles.REGISTER_DONORS, OBJECT),
    ("POST", "/drives/{code}/registrations/{reference}/cancel", roles.REGISTER_DONORS, OBJECT),
    ("POST", "/drives/{code}/check-ins", roles.REGISTER_DONORS, OBJECT),
    ("POST", "/drives/{code}/screenings", HEALTH, OBJECT),
    ("POST", "/drives/{code}/collections", HEALTH, OBJECT),
    ("GET", "/drives/{code}/tally", roles.VIEW, OBJECT),
    ("GET", "/deferral-reasons", None, NONE),
    ("GET", "/reports", roles.VIEW, OBJECT),
    ("GET", "/honors/rounds", roles.VIEW, LIST),
    ("GET", "/honors/rounds/{code}", roles.VIEW, OBJECT),
    ("GET", "/honors/awards", roles.VIEW, OBJECT),
    ("GET", "/honors/emulation", roles.VIEW, OBJECT),
]


@pytest.fixture
def objects(tree, office, drive, registration):
    """One object of each kind, all of district one (the plan is the province's, with
    district one's quota)."""
    plan = plans.create_plan(actor=office, committee=tree["province"], title="KH 2024",
                             starts_on=datetime.date(2023, 12, 1),
                             ends_on=datetime.date(2024, 11, 30))
    plans.save_quota(plan, actor=office, organization=tree["district_one"], units=500)
    honor_round = HonorRound.objects.create(
        committee=tree["district_one"], title="Tôn vinh huyện Một",
        period_start=datetime.date(2024, 12, 1), period_end=datetime.date(2025, 11, 30))
    return {"organization": tree["district_one"], "plan": plan, "drive": drive,
            "donor": registration.donor, "registration": registration,
            "round": honor_round}


def call(api, user, method, path, objects):
    """The operation on district one's object of its kind, with a body that passes the
    schema (so what answers is the access rule, not the validation)."""
    unit = str(objects["organization"].code)
    kind = path.split("/")[1]
    code = {"organizations": unit, "plans": objects["plan"].code, "drives": objects["drive"].code,
            "donors": objects["donor"].code, "honors": objects["round"].code}.get(kind)
    url = path.format(code=code, kind="bang-chi-tieu-xlsx", organization_code=unit,
                      reference=objects["registration"].reference)
    reference = objects["registration"].reference
    bodies = {
        ("POST", "/plans"): {"committee": unit, "title": "KH", "starts_on": "2024-12-01",
                             "ends_on": "2025-11-30"},
        ("PATCH", "/plans/{code}"): {"title": "KH mới"},
        ("PUT", "/plans/{code}/quotas/{organization_code}"): {"units": 10},
        ("POST", "/drives"): {"organizer": unit, "date": str(timezone.localdate()),
                              "venue": "Hội trường", "expected_units": 10},
        ("PATCH", "/drives/{code}"): {"venue": "Hội trường"},
        ("POST", "/drives/{code}/cancel"): {"reason": "Mưa bão"},
        ("POST", "/donors"): {"full_name": "Lê Văn Mới", "birth_year": 1990, "home": unit},
        ("PATCH", "/donors/{code}"): {"address": "Thôn Một"},
        ("POST", "/drives/{code}/registrations"): {"donor": str(objects["donor"].code)},
        ("POST", "/drives/{code}/registrations/batch"): {
            "people": [{"full_name": "Lê Văn Mới", "birth_date": "1990"}]},
        ("POST", "/drives/{code}/check-ins"): {"reference": reference},
        ("POST", "/drives/{code}/screenings"): {"reference": reference, "accepted": True},
        ("POST", "/drives/{code}/collections"): {"reference": reference, "bag": "B1",
                                                 "volume_ml": 350},
    }
    if method == "GET" and path in ("/reports", "/honors/awards", "/honors/emulation"):
        return api(user, method, url, {"organization": unit})
    return api(user, method, url, bodies.get((method, path)))


def district_one_marks(objects):
    """What must not show in a list read by another unit's user."""
    return [str(objects[kind].code) for kind in ("organization", "plan", "drive", "donor",
                                                 "round")] + [
        objects["organization"].name, objects["donor"].full_name,
        objects["registration"].reference, objects["round"].title]


OPERATION_IDS = [f"{m} {p}" for m, p, *_rest in API_OPERATIONS]


@pytest.mark.parametrize(("method", "path", "perm", "about"), API_OPERATIONS, ids=OPERATION_IDS)
def test_api_operations_follow_the_rule(api, objects, outsider, viewer, office, coordinator,
                                        method, path, perm, about):
    response = call(api, None, method, path, objects)
    assert response.status_code == 401, response.content
    response = call(api, outsider, method, path, objects)
    if about == OBJECT:
        assert response.status_code == 404, response.content
        assert response.json()["code"]  # the one error shape, in Vietnamese
    else:
        assert response.status_code == 200, response.content
        text = json.dumps(response.json(), ensure_ascii=False)
        assert not [mark for mark in district_one_marks(objects) if mark in text]
    if perm not in (None, roles.VIEW):
        response = call(api, viewer, method, path, objects)
        assert response.status_code == 403, response.content
    if perm == HEALTH:  # the organizer's side reads the drive but records no health data
        response = call(api, coordinator, method, path, objects)
        assert response.status_code == 403, response.content
    if method == "GET":
        member = viewer if perm in (None, roles.VIEW) else user_with(perm, office, coordinator)
        response = call(api, member, method, path, objects)
        assert response.status_code == 200, response.content


def test_lists_show_district_one_to_its_members(api, objects, office):
    """The lists the outsider reads empty do hold district one's objects for the office
    (the test above would pass on an empty list)."""
    for path, mark in [("/organizations", objects["organization"].name),
                       ("/plans", str(objects["plan"].code)),
                       ("/drives", str(objects["drive"].code)),
                       ("/donors", objects["donor"].full_name),
                       ("/honors/rounds", objects["round"].title)]:
        response = api(office, "GET", path)
        assert mark in json.dumps(response.json(), ensure_ascii=False), path


def test_every_operation_is_listed():
    schema = ninja_api.get_openapi_schema()
    prefix = "/api"
    operations = {(method.upper(), path.removeprefix(prefix))
                  for path, methods in schema["paths"].items() for method in methods}
    assert operations == {(m, p) for m, p, *_rest in API_OPERATIONS}

