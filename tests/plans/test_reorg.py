"""History across the 2025 reorganization, on the demo: Hưng Yên's districts ended on
30/06/2025 and their namesake communes began on 01/07/2025; Móng Cái's committee ended
with them, succeeded by phường Móng Cái 1's.

An old record keeps the units of its date and its totals when edited; the office that
inherited an ended committee opens and corrects its plans, holds the honor rounds of its
years and makes next year's plan for the successor; an old drive's registrations name the
units of its date; an ended unit takes no later work and a new one no earlier work, each
refused with the reason.
"""

import datetime
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.urls import reverse

from hienmau.demo import loader
from hienmau.demo.loader import demo_code
from hienmau.donors import services as donor_services
from hienmau.drives import registrations
from hienmau.honors import services as honors
from hienmau.honors.models import HonorRound
from hienmau.orgs import services as orgs_services
from hienmau.orgs.models import Kind, Organization
from hienmau.orgs.roles import Role
from hienmau.plans import services
from hienmau.plans.models import Plan
from hienmau.plans.summary import quota_table
from tests.conftest import make_user

D = datetime.date
YEN_MY = "Ban Chỉ đạo vận động HMTN huyện Yên Mỹ"
XA_YEN_MY = "Ban Chỉ đạo vận động HMTN xã Yên Mỹ"
MONG_CAI = "Ban Chỉ đạo vận động hiến máu tình nguyện thành phố Móng Cái"
MONG_CAI_1 = "Ban Chỉ đạo vận động HMTN phường Móng Cái 1"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo's units, accounts, 2024 plan and past years (not its donors and drive
    days), loaded once; each test's own writes are rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        loader.load_organizations()
        loader.load_accounts()
        loader.load_plan_2024()
        loader.load_history()
        yield
        transaction.set_rollback(True)


def org(key):
    return Organization.objects.get(code=demo_code(key))


def plan_of(key, year_start):
    return Plan.objects.get(committee=org(key), starts_on=year_start)


@pytest.fixture
def office(demo, db, client):
    client.login(username="vanphong", password="hienmau-demo-2024")
    return client


class _Forms(HTMLParser):
    """What a browser sends for each form of a page, as it was rendered."""

    def __init__(self):
        super().__init__()
        self.forms, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append([])
        elif not self.forms:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.forms[-1].append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self._select = [a["name"], "multiple" in a, None, False]
        elif tag == "option" and self._select:
            if self._select[2] is None:
                self._select[2] = a.get("value", "")
            if "selected" in a:
                self._select[3] = True
                self.forms[-1].append((self._select[0], a.get("value", "")))
        elif tag == "textarea":
            self._textarea = [a["name"], ""]

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            name, multiple, first, chosen = self._select
            if not multiple and not chosen and first is not None:
                self.forms[-1].append((name, first))  # a browser sends the first option
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.forms[-1].append(tuple(self._textarea))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1] += data


def form_values(html: str, field: str) -> dict[str, list[str]]:
    """The values of the page's form that has `field`, as a browser would post them."""
    parser = _Forms()
    parser.feed(html)
    for pairs in parser.forms:
        if any(name == field for name, _value in pairs):
            values: dict[str, list[str]] = {}
            for name, value in pairs:
                values.setdefault(name, []).append(value)
            return values
    raise AssertionError(f"no form with {field}")


def selected_labels(response, name: str) -> list[str]:
    form = response.context["form"]
    field = form.fields[name]
    chosen = {str(v) for v in (form[name].value() or [])} if field.widget.allow_multiple_selected \
        else {str(form[name].value())}
    return [str(label).strip() for value, label in field.widget.choices if str(value) in chosen]


def what_it_names(drive) -> tuple:
    drive.refresh_from_db()
    return (drive.organizer.name, drive.plan_id, drive.date, drive.expected_units,
            drive.receiving_institution_id,
            sorted(drive.coordinating_units.values_list("name", flat=True)),
            sorted(drive.executing_units.values_list("name", flat=True)),
            sorted(drive.shares.values_list("organization__name", "expected_units")))


def round_trip(client, drive):
    """Open the drive's edit form and save it as it was shown."""
    url = reverse("plans:drive_edit", kwargs={"code": drive.code})
    page = client.get(url)
    assert page.status_code == 200
    return page, client.post(url, form_values(page.text, "venue"))


def test_section_one_drives_save_back_unchanged_and_the_plan_total_stays(office):
    plan = plan_of("hy", D(2023, 12, 1))
    section_one = list(plan.drives.filter(organizer__valid_to=D(2025, 6, 30)))
    assert len(section_one) == 27
    assert quota_table(plan).planned == 22_450
    # One drive of each of the ten ended districts, and the joint drive with five shares.
    first_of_each = list({drive.organizer_id: drive for drive in reversed(section_one)}.values())
    assert len(first_of_each) == 10
    for drive in [*first_of_each, plan.drives.get(date=D(2024, 6, 4))]:
        before = what_it_names(drive)
        page, saved = round_trip(office, drive)
        assert saved.status_code == 302, (drive, saved.context and saved.context["form"].errors)
        assert what_it_names(drive) == before
    first = section_one[0]
    page, _saved = round_trip(office, first)
    assert selected_labels(page, "organizer") == [f"{first.organizer.name} (đến 30/06/2025)"]
    assert f"{first.organizer.name} (đến 30/06/2025)" in " ".join(
        selected_labels(page, "coordinating_units"))
    table = quota_table(plan)
    assert (table.total, table.planned) == (13_762, 22_450)


def test_a_drive_of_a_closed_plan_stays_in_its_plan(office):
    plan = plan_of("hy", D(2022, 12, 1))
    drive = plan.drives.filter(organizer__valid_to=D(2025, 6, 30)).first()
    before = what_it_names(drive)
    _page, saved = round_trip(office, drive)
    assert saved.status_code == 302
    assert what_it_names(drive) == before and plan.drives.count() == 47


def test_an_old_drive_cannot_be_moved_to_the_successor_of_its_district(office):
    plan = plan_of("hy", D(2023, 12, 1))
    drive = plan.drives.get(date=D(2024, 3, 5), organizer__name=YEN_MY)
    before = what_it_names(drive)
    url = reverse("plans:drive_edit", kwargs={"code": drive.code})
    data = form_values(office.get(url).text, "venue")
    data["organizer"] = [str(Organization.objects.get(name=XA_YEN_MY).code)]
    response = office.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["organizer"] == [
        f"“{XA_YEN_MY}” chỉ hoạt động từ ngày 01/07/2025: không thể giao việc cho đơn vị này "
        "vào ngày 05/03/2024."]
    assert what_it_names(drive) == before
    assert quota_table(plan).planned == 22_450


def new_drive(date, organizer_name, **extra):
    return {"date": date, "venue": "Nhà văn hóa", "expected_units": "300", "status": "planned",
            "organizer": str(Organization.objects.get(name=organizer_name).code),
            "shares-TOTAL_FORMS": "3", "shares-INITIAL_FORMS": "0", **extra}


def test_a_june_2025_drive_takes_the_district_not_the_commune_of_july(office):
    page = office.get(reverse("plans:drive_create") + "?date=15/06/2025")
    offered = [str(label).strip() for _v, label in
               page.context["form"].fields["organizer"].widget.choices]
    assert f"{YEN_MY} (đến 30/06/2025)" in offered
    assert not any(XA_YEN_MY in label for label in offered)
    refused = office.post(reverse("plans:drive_create"), new_drive("15/06/2025", XA_YEN_MY))
    assert refused.status_code == 200
    assert refused.context["form"].errors["organizer"] == [
        f"“{XA_YEN_MY}” chỉ hoạt động từ ngày 01/07/2025: không thể giao việc cho đơn vị này "
        "vào ngày 15/06/2025."]
    made = office.post(reverse("plans:drive_create"), new_drive("15/06/2025", YEN_MY))
    assert made.status_code == 302
    drive = org("hy.yenmy").organized_drives.get(date=D(2025, 6, 15))
    assert drive.plan is None  # no plan of the province covers June 2025 in the demo


def test_an_ended_district_takes_no_drive_after_its_end(office):
    refused = office.post(reverse("plans:drive_create"), new_drive("05/08/2025", YEN_MY))
    assert refused.status_code == 200
    message = (f"“{YEN_MY}” đã kết thúc hoạt động ngày 30/06/2025: không thể giao việc cho đơn "
               f"vị này vào ngày 05/08/2025. Đơn vị kế thừa: “{XA_YEN_MY}”.")
    assert refused.context["form"].errors["organizer"] == [message]
    assert message in refused.text
    # Nor may an old drive of the district be moved past the end.
    drive = plan_of("hy", D(2023, 12, 1)).drives.get(date=D(2024, 3, 5), organizer__name=YEN_MY)
    url = reverse("plans:drive_edit", kwargs={"code": drive.code})
    data = form_values(office.get(url).text, "venue")
    data["date"] = ["05/08/2025"]
    moved = office.post(url, data)
    assert moved.status_code == 200 and message in moved.text
    drive.refresh_from_db()
    assert drive.date == D(2024, 3, 5)


def test_an_ended_district_gets_no_quota_in_a_plan_after_its_end(office):
    later = services.create_plan(actor=None, committee=org("hy"), title="Kế hoạch 2026",
                                 starts_on=D(2025, 12, 1), ends_on=D(2026, 11, 30))
    url = reverse("plans:quota_edit", kwargs={"code": later.code})
    response = office.post(url, {"organization": str(org("hy.yenmy").code), "units": "900"})
    assert response.status_code == 200
    assert response.context["form"].errors["organization"] == [
        f"“{YEN_MY}” đã kết thúc hoạt động ngày 30/06/2025: không thể giao việc cho đơn vị "
        f"này trong thời gian từ 01/12/2025 đến 30/11/2026. Đơn vị kế thừa: “{XA_YEN_MY}”."]
    assert not later.quotas.exists()
    assert office.post(url, {"organization": str(org("hy.yenmy.successor").code),
                             "units": "900"}).status_code == 302
    # The 2024 plan's quota of the district opens with the district and saves back.
    old = plan_of("hy", D(2023, 12, 1))
    page = office.get(reverse("plans:quota_edit", kwargs={"code": old.code})
                      + f"?unit={org('hy.yenmy').code}")
    assert selected_labels(page, "organization") == [f"{YEN_MY} (đến 30/06/2025)"]
    saved = office.post(reverse("plans:quota_edit", kwargs={"code": old.code}),
                        form_values(page.text, "units"))
    assert saved.status_code == 302
    assert old.quotas.get(organization=org("hy.yenmy")).units == 1170


def test_next_years_plan_leaves_out_the_quotas_of_ended_units(office):
    plan_2025 = services.start_from_previous(plan_of("hy", D(2023, 12, 1)), actor=None)
    assert plan_2025.quotas.count() == 19  # the districts served until 30/06/2025
    response = office.post(reverse("plans:copy", kwargs={"code": plan_2025.code}), follow=True)
    plan_2026 = plan_of("hy", D(2025, 12, 1))
    assert plan_2026.quotas.count() == 9
    assert not plan_2026.quotas.filter(organization__valid_to__isnull=False).exists()
    assert ("Không chép chỉ tiêu của các đơn vị không hoạt động trong năm kế hoạch mới: "
            "Ban Chỉ đạo vận động HMTN huyện Khoái Châu; Ban Chỉ đạo vận động HMTN huyện "
            "Yên Mỹ;") in response.text


@pytest.fixture
def mong_cai_1(demo, db, django_user_model, client):
    """The office of phường Móng Cái 1, which inherited Móng Cái's committee."""
    user = make_user(django_user_model, "mongcai1", org("qn.mongcai.successor"), Role.OFFICE)
    client.force_login(user)
    return client


def test_the_inheriting_office_enters_opens_and_edits_mong_cais_plans(mong_cai_1, client,
                                                                     django_user_model):
    form = mong_cai_1.get(reverse("plans:create") + "?")
    assert form.status_code == 200
    data = {"committee": str(org("qn.mongcai").code), "title": "Kế hoạch HMTN năm 2024",
            "starts_on": "01/12/2023", "ends_on": "30/11/2024", "status": "approved"}
    created = mong_cai_1.post(reverse("plans:create"), data)
    assert created.status_code == 302
    plan = plan_of("qn.mongcai", D(2023, 12, 1))
    detail = mong_cai_1.get(reverse("plans:detail", kwargs={"code": plan.code}))
    assert detail.status_code == 200 and MONG_CAI in detail.text
    assert "hết hoạt động 30/06/2025" in detail.text
    assert (f"Đơn vị này hoạt động đến ngày 30/06/2025. Đơn vị kế thừa: {MONG_CAI_1}"
            in detail.text)
    edit_url = reverse("plans:edit", kwargs={"code": plan.code})
    values = form_values(mong_cai_1.get(edit_url).text, "title")
    values["document_number"] = ["15/KH-BCĐ"]
    assert mong_cai_1.post(edit_url, values).status_code == 302
    plan.refresh_from_db()
    assert (plan.committee.name, plan.document_number) == (MONG_CAI, "15/KH-BCĐ")
    # The province's office above it too; Hưng Yên's office never.
    province = make_user(django_user_model, "quangninh", org("qn"), Role.OFFICE)
    client.force_login(province)
    assert client.get(edit_url).status_code == 200
    client.login(username="vanphong", password="hienmau-demo-2024")
    assert client.get(reverse("plans:detail", kwargs={"code": plan.code})).status_code == 404
    assert client.get(edit_url).status_code == 404


def test_an_ended_committee_takes_no_plan_after_its_end(mong_cai_1):
    data = {"committee": str(org("qn.mongcai").code), "title": "Kế hoạch HMTN năm 2026",
            "starts_on": "01/12/2025", "ends_on": "30/11/2026", "status": "draft"}
    response = mong_cai_1.post(reverse("plans:create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["committee"] == [
        f"“{MONG_CAI}” đã kết thúc hoạt động ngày 30/06/2025: không thể giao việc cho đơn vị "
        f"này trong thời gian từ 01/12/2025 đến 30/11/2026. Đơn vị kế thừa: “{MONG_CAI_1}”."]
    # The plan year astride the reform was Móng Cái's to plan.
    data.update(title="Kế hoạch HMTN năm 2025", starts_on="01/12/2024", ends_on="30/11/2025")
    assert mong_cai_1.post(reverse("plans:create"), data).status_code == 302


def offered(form, name: str) -> list[str]:
    return [str(label).strip() for _value, label in form.fields[name].widget.choices]


# ---- honor rounds, registrations, reports and next year's plan across the reform ------

HAI_DUONG = "Ban Chỉ đạo vận động hiến máu tình nguyện tỉnh Hải Dương"
HAI_PHONG = "Ban Chỉ đạo vận động hiến máu tình nguyện thành phố Hải Phòng"
KHOAI_CHAU = "Ban Chỉ đạo vận động HMTN huyện Khoái Châu"


@pytest.fixture
def hai_phong(demo, db, django_user_model, client):
    """The office of Hải Phòng, which inherited Hải Dương's committee on 01/07/2025."""
    client.force_login(make_user(django_user_model, "haiphong", org("hp"), Role.OFFICE))
    return client


def round_data(committee, start, end):
    return {"committee": str(committee.code), "title": "Tôn vinh giai đoạn 2022 - 2024",
            "period_start": start, "period_end": end, "individual_from": "1",
            "family_from": "3", "collective_percent": "100", "collective_award": "Bằng khen"}


def test_the_inheriting_office_holds_the_round_of_an_ended_provinces_years(hai_phong):
    url = reverse("honors:round_create")
    assert f"{HAI_DUONG} (đến 30/06/2025)" in offered(hai_phong.get(url).context["form"],
                                                      "committee")
    created = hai_phong.post(url, round_data(org("hd"), "01/01/2022", "31/12/2024"))
    assert created.status_code == 302
    honor_round = HonorRound.objects.get(committee=org("hd"))
    proposed = hai_phong.post(reverse("honors:propose", args=[honor_round.code]), follow=True)
    assert "Đã lập danh sách đề xuất: 0 cá nhân, 0 gia đình, 0 tập thể." in proposed.text
    # A period typed shows the committees of that period; none after Hải Dương's end.
    refused = hai_phong.post(url, round_data(org("hd"), "01/07/2025", "30/06/2026"))
    assert refused.context["form"].errors["committee"] == [
        f"“{HAI_DUONG}” đã kết thúc hoạt động ngày 30/06/2025: không thể giao việc cho đơn vị "
        f"này trong thời gian từ 01/07/2025 đến 30/06/2026. Đơn vị kế thừa: “{HAI_PHONG}”."]
    assert HAI_DUONG not in " ".join(offered(refused.context["form"], "committee"))
    assert HonorRound.objects.filter(committee=org("hd")).count() == 1


def test_a_2024_round_names_the_ended_districts_not_the_communes_after_them(office):
    honor_round = honors.create_round(
        actor=None, committee=org("hy"), title="Tôn vinh năm 2024",
        period_start=D(2023, 12, 1), period_end=D(2024, 11, 30))
    honors.propose(honor_round, actor=None)
    units = offered(office.get(reverse("honors:round", args=[honor_round.code]))
                    .context["add_form"], "unit")
    assert f"{YEN_MY} (đến 30/06/2025)" in units
    assert not any(XA_YEN_MY in label for label in units)
    add = reverse("honors:add", args=[honor_round.code])
    data = {"kind": "collective", "award": "Giấy khen", "reason": "Vượt chỉ tiêu năm 2024"}
    added = office.post(add, {**data, "unit": str(org("hy.yenmy").code)}, follow=True)
    assert f"Đã thêm {YEN_MY} vào danh sách." in added.text
    refused = office.post(add, {**data, "unit": str(org("hy.yenmy.successor").code)},
                          follow=True)
    assert (f"“{XA_YEN_MY}” chỉ hoạt động từ ngày 01/07/2025: không thể giao việc cho đơn vị "
            "này trong thời gian từ 01/12/2023 đến 30/11/2024.") in refused.text
    assert list(honor_round.nominations.filter(kind="collective").values_list(
        "organization__name", flat=True)) == [YEN_MY]


def test_an_old_drives_registration_names_the_units_of_its_date(office):
    drive = plan_of("hy", D(2023, 12, 1)).drives.get(date=D(2024, 3, 5),
                                                      organizer__name=YEN_MY)
    donor = donor_services.create_donor(
        actor=None, full_name="Nguyễn Văn An", birth_year=1990, sex="M",
        phone="0912 345 678", home=org("hy.yenmy"))
    registration, _created = registrations.register(
        drive, donor, source="coordinator", actor=None, today=D(2024, 2, 20),
        mobilized_by=org("hy.yenmy"))
    url = reverse("drives:registration_edit", args=[drive.code, registration.reference])
    page = office.get(url)
    assert selected_labels(page, "mobilized_by") == [f"{YEN_MY} (đến 30/06/2025)"]
    units = offered(page.context["form"], "mobilized_by")
    assert f"{KHOAI_CHAU} (đến 30/06/2025)" in units
    assert not any(XA_YEN_MY in label for label in units)
    assert office.post(url, form_values(page.text, "note")).status_code == 302  # as shown
    registration.refresh_from_db()
    assert registration.mobilized_by == org("hy.yenmy")
    data = form_values(page.text, "note")
    data["mobilized_by"] = [str(org("hy.khoaichau").code)]
    assert office.post(url, data).status_code == 302
    registration.refresh_from_db()
    assert registration.mobilized_by.name == KHOAI_CHAU


def test_next_years_plan_of_an_ended_committee_is_made_for_its_successor(mong_cai_1):
    plan = services.create_plan(actor=None, committee=org("qn.mongcai"),
                                title="Kế hoạch HMTN năm 2025", starts_on=D(2024, 12, 1),
                                ends_on=D(2025, 11, 30))
    detail = mong_cai_1.get(reverse("plans:detail", kwargs={"code": plan.code}))
    assert "Lập kế hoạch năm sau cho đơn vị kế thừa" in detail.text
    url = reverse("plans:copy", kwargs={"code": plan.code})
    assert (f"“{MONG_CAI}” hoạt động đến ngày 30/06/2025: kế hoạch năm sau được lập cho đơn "
            f"vị kế thừa “{MONG_CAI_1}”.") in mong_cai_1.get(url).text
    copied = mong_cai_1.post(url, follow=True)
    assert f"Đã lập kế hoạch năm sau cho đơn vị kế thừa “{MONG_CAI_1}” từ kế hoạch này" in (
        copied.text)
    new = plan_of("qn.mongcai.successor", D(2025, 12, 1))
    assert (new.ends_on, new.previous, new.title) == (D(2026, 11, 30), plan, plan.title)
    # The year after Móng Cái's 2024 plan was still partly its own: the plain button.
    plan_2024 = services.create_plan(actor=None, committee=org("qn.mongcai"),
                                     title="Kế hoạch HMTN năm 2024", starts_on=D(2023, 12, 1),
                                     ends_on=D(2024, 11, 30))
    page = mong_cai_1.get(reverse("plans:detail", kwargs={"code": plan_2024.code})).text
    assert "Lập kế hoạch năm sau</a>" in page and "cho đơn vị kế thừa" not in page


def test_no_next_years_plan_for_a_committee_ended_without_successor(demo, db, client,
                                                                    django_user_model):
    client.force_login(make_user(django_user_model, "quangninh", org("qn"), Role.OFFICE))
    ended = orgs_services.create_organization(
        actor=None, parent=org("qn"), name="Ban Chỉ đạo vận động HMTN xã Thử Nghiệm",
        kind=Kind.COMMUNE_COMMITTEE, valid_to=D(2025, 6, 30))
    plan = services.create_plan(actor=None, committee=ended, title="Kế hoạch HMTN năm 2025",
                                starts_on=D(2024, 12, 1), ends_on=D(2025, 11, 30))
    detail = client.get(reverse("plans:detail", kwargs={"code": plan.code}))
    assert "Sửa" in detail.text and "Lập kế hoạch năm sau" not in detail.text
    refused = client.get(reverse("plans:copy", kwargs={"code": plan.code}), follow=True)
    assert ("“Ban Chỉ đạo vận động HMTN xã Thử Nghiệm” đã kết thúc hoạt động ngày 30/06/2025: "
            "không thể giao việc cho đơn vị này trong thời gian từ 01/12/2025 đến "
            "30/11/2026.") in refused.text
