"""Shared fixtures: a small organization tree and named users with roles on it.

    Tỉnh A (province committee)            ← office, viewer
    ├── Huyện Một (district committee)     ← coordinator
    │   └── Công ty Một (company)
    └── Huyện Hai (district committee)     ← outsider (coordinator of a sibling unit)
    Viện (receiving institution, another root) ← institution staff
"""

import pytest
from django.utils import timezone

from hienmau.drives import registrations
from hienmau.orgs import services
from hienmau.orgs.models import Kind
from hienmau.orgs.roles import Role
from hienmau.plans.models import Drive
from tests.messaging_doubles import gateway, sms_gateway, smtp_server, zalo_api  # noqa: F401
from tests.module_data import load_demo, once_per_module

PASSWORD = "mat-khau-thu-nghiem-123"

# The demo (`load_demo`), loaded once per test module that asks for it; each test's
# writes are still undone after it (tests/module_data.py).
demo_data = once_per_module(load_demo)


@pytest.fixture
def tree(db):
    province = services.create_organization(
        actor=None, parent=None, name="BCĐ tỉnh A", kind=Kind.PROVINCIAL_COMMITTEE,
        province_code=33)
    district_one = services.create_organization(
        actor=None, parent=province, name="BCĐ huyện Một", kind=Kind.COMMUNE_COMMITTEE)
    company = services.create_organization(
        actor=None, parent=district_one, name="Công ty Một", kind=Kind.COMPANY)
    district_two = services.create_organization(
        actor=None, parent=province, name="BCĐ huyện Hai", kind=Kind.COMMUNE_COMMITTEE)
    institute = services.create_organization(
        actor=None, parent=None, name="Viện Huyết học", kind=Kind.RECEIVING_INSTITUTION)
    return {"province": province, "district_one": district_one, "company": company,
            "district_two": district_two, "institute": institute}


def make_user(django_user_model, username, org=None, role=None, **extra):
    user = django_user_model.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.vn",
        full_name=username.capitalize(), **extra)
    if org is not None:
        services.add_membership(actor=None, organization=org, user=user, role=role)
    return user


@pytest.fixture
def office(tree, django_user_model):
    return make_user(django_user_model, "office", tree["province"], Role.OFFICE)


@pytest.fixture
def viewer(tree, django_user_model):
    return make_user(django_user_model, "viewer", tree["province"], Role.VIEWER)


@pytest.fixture
def coordinator(tree, django_user_model):
    return make_user(django_user_model, "coordinator", tree["district_one"], Role.COORDINATOR)


@pytest.fixture
def outsider(tree, django_user_model):
    """A coordinator of a sibling district: must see nothing of district one."""
    return make_user(django_user_model, "outsider", tree["district_two"], Role.COORDINATOR)


@pytest.fixture
def staff(tree, django_user_model):
    return make_user(django_user_model, "staff", tree["institute"], Role.INSTITUTION_STAFF)


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser(
        username="root", password=PASSWORD, email="root@example.vn")


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client
    return login


@pytest.fixture
def hung(tree, office):
    """A donor kept by district one, with a CCCD that agrees with his birth and sex."""
    import datetime

    from hienmau.donors import services as donors

    return donors.create_donor(
        actor=office, full_name="Nguyễn Văn Hùng", birth_date=datetime.date(1990, 5, 4),
        sex="M", id_type="cccd", id_number="001090012345", phone="0912.345.678",
        home=tree["district_one"], weight_kg=60)


@pytest.fixture
def drive(tree):
    """A drive of district one today, collected by the institute (modules with drives of
    other days define their own)."""
    return Drive.objects.create(date=timezone.localdate(), venue="Nhà văn hóa huyện Một",
                                organizer=tree["district_one"], expected_units=2,
                                receiving_institution=tree["institute"], title="Ngày hội")


@pytest.fixture
def registration(drive, hung, coordinator):
    """Hùng, registered by the coordinator for today's drive."""
    return registrations.register(drive, hung, source="coordinator", actor=coordinator,
                                  today=timezone.localdate())[0]
