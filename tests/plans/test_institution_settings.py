"""The committee office sets a receiving institution's daily capacity and bag numbering
on the institution's page; the plan's booking check and the collection station read
them; each change is in the audit trail."""

import datetime

import pytest
from django.urls import reverse

from hienmau.orgs import services as orgs
from hienmau.orgs.models import AuditEntry, Kind
from hienmau.plans import services
from hienmau.plans.checks import plan_warnings
from hienmau.plans.models import InstitutionCapacity

D = datetime.date


@pytest.fixture
def centre(tree, office):
    """The province's own blood centre, under the provincial committee."""
    return orgs.create_organization(actor=office, parent=tree["province"],
                                    name="Trung tâm Huyết học tỉnh A",
                                    kind=Kind.RECEIVING_INSTITUTION)


def settings_url(org):
    return reverse("plans:institution_settings", kwargs={"code": org.code})


def test_the_office_sets_the_capacity_the_plan_check_reads(client_for, office, tree, centre):
    plan = services.create_plan(actor=office, committee=tree["province"], title="KH 2024",
                                starts_on=D(2023, 12, 1), ends_on=D(2024, 11, 30))
    for organizer in (tree["district_one"], tree["district_two"]):
        services.create_drive(actor=office, plan=plan, date=D(2024, 3, 6), venue="Nhà văn hóa",
                              expected_units=400, organizer=organizer,
                              receiving_institution=centre)
    assert "institution_over_capacity" not in {w.code for w in plan_warnings(plan)}
    client = client_for(office)
    page = client.get(reverse("orgs:detail", kwargs={"code": centre.code})).text
    assert 'data-testid="institution-capacity"' in page and "Chưa ghi năng lực tiếp nhận" in page
    assert settings_url(centre) in page
    form = client.get(settings_url(centre)).text  # a section of the institution's page
    assert 'nav-link active" href="/don-vi/"' in form
    response = client.post(settings_url(centre), {"units_per_day": "600", "drives_per_day": "",
                                                  "bag_number_pattern": "hm ####-######"})
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:detail", kwargs={"code": centre.code})
    capacity = InstitutionCapacity.objects.get(institution=centre)
    assert (capacity.units_per_day, capacity.drives_per_day) == (600, None)
    centre.refresh_from_db()
    assert centre.bag_number_pattern == "HM####-######" and not centre.uses_isbt128
    page = client.get(reverse("orgs:detail", kwargs={"code": centre.code})).text
    assert 'data-testid="units-per-day">600<' in page and "HM####-######" in page
    warning = next(w for w in plan_warnings(plan) if w.code == "institution_over_capacity")
    assert "Trung tâm Huyết học tỉnh A ngày 06/03/2024: 2 đợt, 800 đơn vị máu" in warning.message
    # Audited like other organization changes, readable in the audit trail.
    entry = AuditEntry.objects.get(action="hienmau.institution.capacity_changed")
    assert entry.organization == centre and entry.actor == office
    audit = client.get(reverse("orgs:audit"), {"org": centre.code}).text
    assert "Sửa năng lực tiếp nhận máu" in audit
    assert "Số đơn vị máu tối đa mỗi ngày: — → 600" in audit
    assert "Quy cách mã túi máu: — → HM####-######" in audit
    # Saved again unchanged: nothing new in the trail.
    client.post(settings_url(centre), {"units_per_day": "600",
                                       "bag_number_pattern": "HM####-######"})
    assert AuditEntry.objects.filter(action="hienmau.institution.capacity_changed").count() == 1


def test_a_wrong_entry_is_said_on_its_field(client_for, office, centre):
    client = client_for(office)
    response = client.post(settings_url(centre), {"units_per_day": "0",
                                                  "bag_number_pattern": "HM-ABC"})
    assert response.status_code == 200
    assert "Đảm bảo giá trị này lớn hơn hoặc bằng với 1" in response.text
    response = client.post(settings_url(centre), {"units_per_day": "600",
                                                  "bag_number_pattern": "HM-ABC"})
    assert response.status_code == 200
    assert "Quy cách “HM-ABC” phải có số thứ tự của túi" in response.text
    assert not InstitutionCapacity.objects.filter(institution=centre).exists()


def test_only_institutions_and_only_the_office(client_for, office, viewer, tree, centre):
    # Not a receiving institution: no such page.
    assert client_for(office).get(settings_url(tree["district_one"])).status_code == 404
    # The province's viewer sees the card, not the link, and may not open the form.
    page = client_for(viewer).get(reverse("orgs:detail", kwargs={"code": centre.code})).text
    assert 'data-testid="institution-capacity"' in page and settings_url(centre) not in page
    assert client_for(viewer).get(settings_url(centre)).status_code == 403
    with pytest.raises(services.PlanError):
        services.save_institution_settings(tree["district_one"], actor=office,
                                           units_per_day=10, drives_per_day=None,
                                           uses_isbt128=False, bag_number_pattern="")
