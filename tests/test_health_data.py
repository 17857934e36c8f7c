"""Health data in every output of donor data (docs/domain.md §6): screening values and
deferral reasons reach the staff of the receiving institution that recorded them, and
nobody else; committees and units see that the person was deferred and when they may
give again. One rule (`donors.access.health_data`) behind the donor page, its JSON
export, the API, the drive-day person page, the registrations page and the honour lists;
each output is read here as the office, a unit's coordinator, the recording institution's
staff and another institution's staff.

Every opening of a person's record is logged (`donors.access.record_view`): the donor page,
its edit form, the drive-day person page, the API and the admin."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from hienmau.accounts.models import ApiToken
from hienmau.donors import privacy
from hienmau.donors.models import Donor, DonorView
from hienmau.drives import drive_day, registrations
from hienmau.drives.models import Donation, Outcome
from hienmau.honors import exports as honor_exports
from hienmau.honors.models import HonorRound, Nomination
from hienmau.honors.models import Kind as HonorKind
from hienmau.orgs import services
from hienmau.orgs.models import Kind
from hienmau.orgs.roles import Role
from tests.conftest import make_user
from tests.office import docx_text

REASON = "Huyết sắc tố (Hb) thấp"  # the label the screening's reason is recorded with
EXCLUSION = "Viêm gan B"
HEMOGLOBIN = 107


@pytest.fixture
def hospital(tree):
    return services.create_organization(actor=None, parent=None, name="Bệnh viện B",
                                        kind=Kind.RECEIVING_INSTITUTION)


@pytest.fixture
def other_staff(hospital, django_user_model):
    return make_user(django_user_model, "other_staff", hospital, Role.INSTITUTION_STAFF)


@pytest.fixture
def deferred(drive, hung, coordinator, staff, hospital):
    """Hùng gave at Bệnh viện B last year (its staff see him), then was deferred at
    today's drive by the institute's screening, and is permanently excluded."""
    today = timezone.localdate()
    Donation.objects.create(donor=hung, date=today - datetime.timedelta(days=300),
                            outcome=Outcome.COLLECTED, volume_ml=350,
                            receiving_institution=hospital)
    registration = registrations.register(drive, hung, source="coordinator",
                                          actor=coordinator, today=today)[0]
    drive_day.check_in(registration, actor=coordinator)
    drive_day.screen(registration, drive_day.ScreeningInput(
        accepted=False, weight_kg=Decimal("60"), hemoglobin_g_l=HEMOGLOBIN,
        systolic_mm_hg=118, deferral_reason="hemoglobin",
        deferred_until=today + datetime.timedelta(days=30)), actor=staff)
    Donor.objects.filter(pk=hung.pk).update(permanently_excluded=True,
                                            exclusion_reason=EXCLUSION)
    return registration


ROLES = ["office", "coordinator", "staff", "other_staff"]
# Who reads the deferral reason the institute recorded.
READS_REASON = {"office": False, "coordinator": False, "staff": True, "other_staff": False}


@pytest.mark.parametrize("role", ROLES)
def test_the_donor_page(role, request, client, deferred, hung):
    client.force_login(request.getfixturevalue(role))
    page = client.get(reverse("donors:detail", args=[hung.code])).content.decode()
    assert "Tạm hoãn" in page and "tạm hoãn đến hết" in page
    assert (REASON in page) is READS_REASON[role]
    if role in ("office", "coordinator"):
        assert EXCLUSION not in page and "Không đủ điều kiện hiến máu" in page
    if role == "staff":
        assert EXCLUSION in page


@pytest.mark.parametrize("role", ROLES)
def test_the_json_export(role, request, client, deferred, hung, tree):
    """The page's rule, in the file too: the office and the coordinator, who may export
    the person's data, get no reason (null) but the dates; institutions keep no record
    here to export (403)."""
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("donors:export", args=[hung.code]))
    if role in ("staff", "other_staff"):
        assert response.status_code == 403
        return
    text = response.content.decode()
    # The Hb value as a value of its own: record codes (random hex) may hold "107".
    assert REASON not in text and EXCLUSION not in text
    assert not re.search(rf"(?<![\w-]){HEMOGLOBIN}(?![\w-])", text)
    data = json.loads(text)
    assert data["donor"]["exclusion_reason"] is None
    [at_drive] = [d for d in data["donations"] if d["outcome"] == "deferred"]
    assert at_drive["deferral_reason"] is None
    assert at_drive["deferred_until"] == str(timezone.localdate() + datetime.timedelta(days=30))
    assert at_drive["receiving_institution__name"] == tree["institute"].name


@pytest.mark.parametrize("role", ROLES)
def test_the_export_function(role, request, deferred, hung):
    """Whoever the export is made for (the page only lets units ask for it), it carries
    the reasons of the reader's own institution only."""
    data = json.loads(privacy.export_data(hung, actor=request.getfixturevalue(role)))
    [at_drive] = [d for d in data["donations"] if d["outcome"] == "deferred"]
    assert (at_drive["deferral_reason"] == REASON) is READS_REASON[role]
    assert at_drive["deferral_reason"] in (REASON, None)


def test_the_export_keeps_everything_for_an_administrator(client, superuser, deferred, hung):
    client.force_login(superuser)
    data = client.get(reverse("donors:export", args=[hung.code])).json()
    assert data["donor"]["exclusion_reason"] == EXCLUSION
    assert REASON in [d["deferral_reason"] for d in data["donations"]]


@pytest.mark.parametrize("role", ROLES)
def test_the_api(role, request, client, deferred, hung):
    token = ApiToken.issue(request.getfixturevalue(role), "test")[1]
    headers = {"Authorization": f"Bearer {token}"}
    detail = client.get(f"/api/donors/{hung.code}", headers=headers)
    assert detail.status_code == 200
    donations = client.get(f"/api/donors/{hung.code}/donations", headers=headers).json()
    [at_drive] = [d for d in donations if d["outcome"] == "deferred"]
    assert (at_drive["deferral_reason"] == REASON) is READS_REASON[role]
    assert at_drive["deferred_until"]
    if role in ("office", "coordinator"):
        assert detail.json()["exclusion_reason"] is None
        assert REASON not in json.dumps(donations, ensure_ascii=False)


@pytest.mark.parametrize("role", ROLES)
def test_the_drive_day_person_page(role, request, client, deferred, drive):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("drives:station_person",
                                  args=[drive.code, deferred.reference]))
    if role == "other_staff":  # not their drive
        assert response.status_code == 404
        return
    page = response.content.decode()
    assert 'data-testid="deferred"' in page
    assert (REASON in page) is READS_REASON[role]
    assert (f'value="{HEMOGLOBIN}"' in page) is READS_REASON[role]


@pytest.mark.parametrize("role", ["office", "coordinator", "staff"])
def test_the_registrations_page(role, request, client, deferred, drive):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("drives:registrations", args=[drive.code]))
    page = response.content.decode()
    assert response.status_code == 200 and "Nguyễn Văn Hùng" in page
    assert REASON not in page and EXCLUSION not in page  # a list: no health data at all


def test_the_honour_lists(deferred, hung, tree):
    """The lists a committee sends (XLSX, DOCX) name people and count donations; no
    health data."""
    honor_round = HonorRound.objects.create(
        committee=tree["province"], title="Tôn vinh 2025",
        period_start=datetime.date(2024, 12, 1), period_end=datetime.date(2025, 11, 30))
    Nomination.objects.create(round=honor_round, kind=HonorKind.INDIVIDUAL, donor=hung,
                              donations=1, award="Giấy khen")
    text = docx_text(honor_exports.nominations_docx(honor_round))
    cells = " ".join(str(cell) for table in honor_exports.tables(honor_round)
                     for row in table.rows for cell in row)
    assert "Nguyễn Văn Hùng" in text and "Nguyễn Văn Hùng" in cells
    for shown in (text, cells):
        assert REASON not in shown and EXCLUSION not in shown
    assert b"Hb" not in honor_exports.nominations_xlsx(honor_round)


# ---- the access log ------------------------------------------------------------------


def test_the_edit_form_is_logged(client, coordinator, hung):
    client.force_login(coordinator)
    page = client.get(reverse("donors:edit", args=[hung.code])).content.decode()
    assert "001090012345" in page
    assert DonorView.objects.filter(donor=hung, viewer=coordinator).count() == 1
    # Who looked shows on the person's page (which logs its own view too).
    page = client.get(reverse("donors:detail", args=[hung.code])).content.decode()
    assert DonorView.objects.filter(donor=hung, viewer=coordinator).count() == 2


@pytest.mark.parametrize("role", ["coordinator", "staff"])
def test_the_drive_day_person_page_is_logged(role, request, client, drive, hung,
                                             coordinator):
    registration = registrations.register(drive, hung, source="coordinator",
                                          actor=coordinator, today=timezone.localdate())[0]
    user = request.getfixturevalue(role)
    client.force_login(user)
    page = client.get(reverse("drives:station_person", args=[drive.code,
                                                             registration.reference]))
    assert "Nguyễn Văn Hùng" in page.content.decode()
    assert DonorView.objects.filter(donor=hung, viewer=user).count() == 1


def test_admin_views_of_a_donor_are_logged(client, superuser, hung, tree):
    donation = Donation.objects.create(donor=hung, date=datetime.date(2024, 3, 6),
                                       outcome=Outcome.COLLECTED, volume_ml=350,
                                       receiving_institution=tree["institute"])
    client.force_login(superuser)
    page = client.get(reverse("admin:donors_donor_change", args=[hung.pk]))
    assert "001090012345" in page.content.decode()
    assert DonorView.objects.filter(donor=hung, viewer=superuser).count() == 1
    assert client.get(reverse("admin:drives_donation_change",
                              args=[donation.pk])).status_code == 200
    assert DonorView.objects.filter(donor=hung, viewer=superuser).count() == 2
    # The lists are not a view of one record (as on the screens).
    assert client.get(reverse("admin:donors_donor_changelist")).status_code == 200
    assert DonorView.objects.filter(donor=hung, viewer=superuser).count() == 2


def test_the_merge_page_is_logged_for_both_records(client, office, hung, tree):
    """It shows both records' document and phone numbers in full."""
    from hienmau.donors import services as donors

    other = donors.create_donor(actor=office, full_name="Trần Thị Lan", birth_year=1985,
                                sex="F", phone="0987 654 321", home=tree["district_one"])
    client.force_login(office)
    page = client.get(reverse("donors:merge", args=[hung.code]), {"voi": other.code})
    assert "001090012345" in page.content.decode()
    assert {view.donor for view in DonorView.objects.filter(viewer=office)} == {hung, other}
