"""What every export holds (the role × URL matrix, tests/test_permissions.py, checks who
may open a page; here, the files themselves): another unit's user gets 404 for each of
district one's exports, and the files district one's users get carry no deferral reason
and no person of another unit. Read back as a user would: XLSX with openpyxl, DOCX with
python-docx, PDF with pypdf, JSON as text.

The donor's JSON export and the honour-list functions are read per role in
tests/test_health_data.py; here each output is fetched through its URL."""

import datetime
import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from hienmau.donors import services as donors
from hienmau.drives.models import Donation, Outcome, RegistrationImport
from hienmau.honors.models import HonorRound, Nomination
from hienmau.honors.models import Kind as HonorKind
from hienmau.plans import services as plans
from hienmau.plans.models import Drive
from tests.imports.conftest import HEADER, xlsx
from tests.office import docx_text, pdf_text
from tests.test_health_data import EXCLUSION, REASON, deferred, hospital  # noqa: F401

STRANGER = "Đỗ Thị Xa"  # a donor of district two
STRANGER_PHONE = "0987 111 222"
STRANGER_REASON = "Sốt xuất huyết"  # her deferral, recorded at district two's drive


@pytest.fixture
def stranger(tree, office, staff):
    person = donors.create_donor(
        actor=office, full_name=STRANGER, birth_date=datetime.date(1995, 2, 3), sex="F",
        id_type="cccd", id_number="001195099999", phone=STRANGER_PHONE,
        home=tree["district_two"])
    today = timezone.localdate()
    there = Drive.objects.create(date=today, venue="Nhà văn hóa huyện Hai",
                                 organizer=tree["district_two"], expected_units=2,
                                 receiving_institution=tree["institute"])
    Donation.objects.create(donor=person, drive=there, date=today - datetime.timedelta(days=1),
                            outcome=Outcome.DEFERRED, deferral_reason=STRANGER_REASON,
                            deferred_until=today + datetime.timedelta(days=20),
                            receiving_institution=tree["institute"])
    return person


@pytest.fixture
def outputs(tree, office, coordinator, deferred, stranger, drive):  # noqa: F811
    """District one's objects that have exports: the province's plan (district one's
    quota, today's drive in it), district one's honour round (Hùng on its list), and a
    list imported for a drive ahead with a rejected row for Hùng and one for Xa."""
    today = timezone.localdate()
    plan = plans.create_plan(actor=office, committee=tree["province"], title="KH năm nay",
                             starts_on=today - datetime.timedelta(days=100),
                             ends_on=today + datetime.timedelta(days=200))
    plans.save_quota(plan, actor=office, organization=tree["district_one"], units=500)
    Drive.objects.filter(pk=drive.pk).update(plan=plan)
    honor_round = HonorRound.objects.create(
        committee=tree["district_one"], title="Tôn vinh huyện Một",
        period_start=today - datetime.timedelta(days=100),
        period_end=today + datetime.timedelta(days=200))
    Nomination.objects.create(round=honor_round, kind=HonorKind.INDIVIDUAL,
                              donor=deferred.donor, donations=1, award="Giấy khen",
                              included=True)
    ahead = Drive.objects.create(date=today + datetime.timedelta(days=30), venue="Hội trường",
                                 organizer=tree["district_one"], expected_units=100)
    rows = [HEADER,
            [1, "Nguyễn Văn Hùng", "04/05/1990", "Nam", "001090012345", "12345", "", ""],
            [2, STRANGER, "31/02/1995", "Nữ", "001195099999", "0912 000 999", "", ""]]
    from django.test import Client

    client = Client()
    client.force_login(coordinator)
    client.post(reverse("imports:upload", args=[ahead.code]),
                {"file": SimpleUploadedFile("ds.xlsx", xlsx(rows))})
    record = RegistrationImport.objects.get(drive=ahead)
    client.post(reverse("imports:detail", args=[record.code]), {
        "action": "map", **{f"col-{i}": name for i, name in record.mapping.items()}})
    return {"plan": plan, "drive": drive, "round": honor_round, "import": record,
            "unit": tree["district_one"], "donor": deferred.donor}


def export_url(kind, objects):
    unit = {"don_vi": str(objects["unit"].code)}
    if kind == "donor-json":
        return reverse("donors:export", args=[objects["donor"].code]), {}
    if kind.startswith("report-"):
        return reverse("reports:file", kwargs={"extension": kind[7:]}), unit
    if kind.startswith("honors-"):
        return reverse("honors:export", args=[objects["round"].code, kind[7:]]), {}
    if kind == "honor-certificates":
        return reverse("honors:certificates", args=[objects["round"].code]), {}
    if kind == "emulation-xlsx":
        return reverse("honors:emulation_xlsx"), unit
    if kind.startswith("plan-"):
        return reverse("plans:document", args=[objects["plan"].code, kind[5:]]), {}
    if kind == "announcement":
        return reverse("plans:drive_announcement", args=[objects["drive"].code]), {}
    if kind == "drive-certificates":
        return reverse("drives:drive_certificates", args=[objects["drive"].code]), {}
    assert kind == "rejected-rows"
    return reverse("imports:rejected", args=[objects["import"].code]), {}


# Every export, and who of district one's side reads it here (the office for the plan's
# documents and the donor's data, district one's coordinator otherwise).
EXPORTS = {
    "donor-json": "office",
    "report-xlsx": "coordinator", "report-docx": "coordinator", "report-pdf": "coordinator",
    "honors-xlsx": "coordinator", "honors-docx": "coordinator",
    "honor-certificates": None,  # the round is not approved: tested in tests/honors
    "emulation-xlsx": "coordinator",
    "plan-bang-chi-tieu-xlsx": "coordinator", "plan-bang-chi-tieu-docx": "coordinator",
    "plan-lich-to-chuc-docx": "coordinator",
    "announcement": "coordinator",
    "drive-certificates": None,  # nobody gave at the drive: tests/drives/test_certificates.py
    "rejected-rows": "coordinator",
}


def text_of(response) -> str:
    content = response.content
    kind = response["Content-Type"]
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(content))
        return "\n".join(" | ".join("" if v is None else str(v) for v in row)
                         for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
    if "wordprocessingml" in kind:
        return docx_text(content)
    if "pdf" in kind:
        return pdf_text(content)
    return content.decode()


@pytest.mark.parametrize("kind", list(EXPORTS))
def test_another_units_user_gets_404(kind, client, outputs, outsider):
    url, params = export_url(kind, outputs)
    client.force_login(outsider)
    assert client.get(url, params).status_code == 404


@pytest.mark.parametrize("kind", [k for k, reader in EXPORTS.items() if reader])
def test_no_deferral_reason_and_no_other_units_person(kind, request, client, outputs):
    url, params = export_url(kind, outputs)
    client.force_login(request.getfixturevalue(EXPORTS[kind]))
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    text = text_of(response)
    assert text.strip()
    secrets = [REASON, EXCLUSION, STRANGER_REASON, STRANGER_PHONE]
    if kind != "rejected-rows":  # there, Xa's name and number are the row as typed
        secrets += [STRANGER, "001195099999"]
    for secret in secrets:
        assert secret not in text, secret
    if kind in ("donor-json", "honors-xlsx", "honors-docx", "rejected-rows"):
        assert "Nguyễn Văn Hùng" in text  # district one's own person is there


def test_the_rejected_rows_keep_the_rows_as_sent(client, outputs, coordinator):
    """Xa's row is rejected (no 31 February) and comes back as the coordinator typed it,
    without anything of her record in district two (her phone, her unit)."""
    client.force_login(coordinator)
    response = client.get(reverse("imports:rejected", args=[outputs["import"].code]))
    text = text_of(response)
    assert "31/02/1995" in text and "0912 000 999" in text
    assert "huyện Hai" not in text


def test_the_import_report_shows_nothing_of_another_units_record(client, tree, coordinator,
                                                                 stranger):
    """A list of district one naming Xa (her CCCD, name and birth date: the same person)
    matches her record, kept by district two: the report says what the list would change,
    never what her record holds (her phone on record was shown: 0987 111 222 → …), and
    leaves the record as district two keeps it."""
    ahead = Drive.objects.create(date=timezone.localdate() + datetime.timedelta(days=30),
                                 venue="Hội trường", organizer=tree["district_one"],
                                 expected_units=100)
    rows = [HEADER, [1, STRANGER, "03/02/1995", "Nữ", "001195099999", "0912 000 999", "A+",
                     ""]]
    client.force_login(coordinator)
    client.post(reverse("imports:upload", args=[ahead.code]),
                {"file": SimpleUploadedFile("ds.xlsx", xlsx(rows))})
    record = RegistrationImport.objects.get(drive=ahead)
    client.post(reverse("imports:detail", args=[record.code]), {
        "action": "map", **{f"col-{i}": name for i, name in record.mapping.items()}})
    page = client.get(reverse("imports:detail", args=[record.code])).content.decode()
    assert "Người đã có hồ sơ do đơn vị khác quản lý" in page
    assert STRANGER_PHONE not in page
    # Nor does the list rewrite her record, changes accepted or not (her phone was
    # replaced by the one in district one's file).
    client.post(reverse("imports:detail", args=[record.code]),
                {"action": "import", "accept_changes": "on"})
    record.refresh_from_db()
    assert record.registrations_created == 1
    stranger.refresh_from_db()
    assert stranger.phone == "+84987111222" and stranger.blood_group == ""


API_READS = ["/me", "/organizations", "/plans", "/drives", "/donors", "/honors/rounds",
             "/deferral-reasons?", "/drives/{drive}", "/drives/{drive}/registrations",
             "/drives/{drive}/tally", "/donors/{donor}", "/donors/{donor}/donations",
             "/plans/{plan}", "/honors/rounds/{round}", "/reports?organization={unit}",
             "/honors/awards?organization={unit}", "/honors/emulation?organization={unit}"]


@pytest.mark.parametrize("role", ["office", "coordinator"])
def test_what_the_api_reads_out(role, request, client, outputs):
    """The API's reads: no deferral or exclusion reason (the list of reasons itself
    aside) for the province's office or district one's coordinator, and for the latter
    no person of district two."""
    from hienmau.accounts.models import ApiToken

    token = ApiToken.issue(request.getfixturevalue(role), "test")[1]
    codes = {name: outputs[name].code for name in ("drive", "donor", "plan", "round", "unit")}
    for path in API_READS:
        response = client.get("/api" + path.format(**codes),
                              headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, (path, response.content[:200])
        text = json.dumps(response.json(), ensure_ascii=False)
        secrets = [EXCLUSION, STRANGER_REASON]
        if role == "coordinator":
            secrets += [STRANGER, STRANGER_PHONE]
        if path != "/deferral-reasons?":
            secrets.append(REASON)
        assert not [s for s in secrets if s in text], path
