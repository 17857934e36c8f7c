"""The import screens: upload, columns, report, import, rejected rows, history, undo; the
background path through the real database worker; another unit's user refused."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from hienmau.drives.models import ImportStatus, Registration, RegistrationImport
from hienmau.imports import columns
from hienmau.spreadsheets import read_rows
from tests.imports.conftest import HEADER, xlsx

ROWS = [
    [1, "Nguyễn Văn An", "04/05/1990", "Nam", "001090012345", "0912 345 678", "O+", ""],
    [2, "Trần Thị Bình", "31/02/1995", "Nữ", "001195012345", "0912 345 679", "", ""],
    [3, "Lê Minh Châu", "1998", "Nam", "", "12345", "", ""],
]


@pytest.fixture
def future_drive(tree):
    import datetime

    from django.utils import timezone

    from hienmau.plans.models import Drive

    return Drive.objects.create(date=timezone.localdate() + datetime.timedelta(days=30),
                                venue="Nhà văn hóa", organizer=tree["district_one"],
                                expected_units=100, title="Ngày hội")


def upload(client, drive, content, name="ds.xlsx"):
    return client.post(reverse("imports:upload", args=[drive.code]),
                       {"file": SimpleUploadedFile(name, content)})


def test_a_coordinator_goes_from_upload_to_import_and_gets_the_rejected_rows(
        client_for, coordinator, future_drive):
    client = client_for(coordinator)
    response = upload(client, future_drive, xlsx([HEADER, *ROWS]))
    record = RegistrationImport.objects.get()
    assert response["Location"] == reverse("imports:detail", args=[record.code])
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="mapping"' in page and "Nguyễn Văn An" in page  # sample rows
    mapping = {f"col-{i}": name for i, name in record.mapping.items()}
    client.post(response["Location"], {"action": "map", **mapping})
    record.refresh_from_db()
    assert record.status == ImportStatus.VALIDATED and not Registration.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="error-count">2<' in page
    assert "Không đọc được ngày sinh" in page and "Dòng" in page
    rejected = client.get(reverse("imports:rejected", args=[record.code]))
    rows = read_rows(rejected.content, "x.xlsx")
    assert rows[0][-1] == "Lỗi cần sửa" and [r[1] for r in rows[1:]] == [
        "Trần Thị Bình", "Lê Minh Châu"]
    assert "Không đọc được ngày sinh" in rows[1][-1]
    client.post(response["Location"], {"action": "import"})
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE and record.registrations_created == 1
    assert Registration.objects.get().donor.full_name == "Nguyễn Văn An"
    # The fixed rejected rows, imported again, land like any list.
    fixed = openpyxl.load_workbook(io.BytesIO(rejected.content))
    sheet = fixed.active
    sheet["C2"], sheet["F3"] = "28/02/1995", "0912 000 333"
    out = io.BytesIO()
    fixed.save(out)
    response = upload(client, future_drive, out.getvalue(), "sua.xlsx")
    second = RegistrationImport.objects.exclude(pk=record.pk).get()
    client.post(response["Location"], {"action": "map", **{
        f"col-{i}": n for i, n in second.mapping.items()}})
    client.post(response["Location"], {"action": "import"})
    assert Registration.objects.count() == 3
    history = client.get(reverse("imports:history", args=[future_drive.code])).content.decode()
    assert "ds.xlsx" in history and "sua.xlsx" in history
    client.post(reverse("imports:undo", args=[second.code]))
    assert Registration.objects.count() == 1


def test_a_column_can_be_chosen_by_hand(client_for, coordinator, future_drive):
    client = client_for(coordinator)
    content = xlsx([["Người", "Sinh", "Liên lạc"], ["Lê Văn Tám", "1990", "0912345678"]])
    response = upload(client, future_drive, content)
    assert response.status_code == 200  # no header row recognized
    assert "Không tìm thấy dòng tiêu đề" in response.content.decode()
    content = xlsx([["Họ tên", "Sinh", "Liên lạc"], ["Lê Văn Tám", "1990", "0912345678"]])
    response = upload(client, future_drive, content)
    record = RegistrationImport.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Ngày sinh" in page  # missing required column named
    client.post(response["Location"], {"action": "map", "col-0": "full_name",
                                       "col-1": "birth_date", "col-2": "phone"})
    record.refresh_from_db()
    assert record.status == ImportStatus.VALIDATED and record.summary["ok"] == 1


@override_settings(IMPORT_BACKGROUND_ROWS=1)
def test_long_lists_are_checked_and_written_by_the_worker(transactional_db, client_for,
                                                          coordinator, future_drive):
    # transactional_db: the worker closes and reopens its database connection, as a
    # real worker process does, which a test wrapped in one transaction would not survive.
    client = client_for(coordinator)
    response = upload(client, future_drive, xlsx([HEADER, *ROWS]))
    record = RegistrationImport.objects.get()
    client.post(response["Location"], {"action": "map", **{
        f"col-{i}": n for i, n in record.mapping.items()}})
    record.refresh_from_db()
    assert record.status == ImportStatus.VALIDATING
    assert 'data-testid="progress"' in client.get(response["Location"]).content.decode()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    record.refresh_from_db()
    assert record.status == ImportStatus.VALIDATED
    progress = client.get(reverse("imports:progress", args=[record.code]))
    assert progress["HX-Refresh"] == "true"
    client.post(response["Location"], {"action": "import"})
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE and Registration.objects.count() == 1


def test_another_units_user_is_refused(client_for, coordinator, outsider, future_drive):
    response = upload(client_for(coordinator), future_drive, xlsx([HEADER, *ROWS]))
    record = RegistrationImport.objects.get()
    client = client_for(outsider)
    for name in ("imports:detail", "imports:progress", "imports:rejected"):
        assert client.get(reverse(name, args=[record.code])).status_code == 404, name
    assert client.post(response["Location"], {"action": "import"}).status_code == 404
    assert client.post(reverse("imports:undo", args=[record.code])).status_code == 404
    assert upload(client, future_drive, xlsx([HEADER, *ROWS])).status_code == 404


def test_the_template_holds_the_columns_the_importer_recognizes(client_for, coordinator):
    response = client_for(coordinator).get(reverse("imports:template"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    headers = [c.value.rstrip(" *") for c in sheet[3] if c.value]
    assert {columns.field_for_header(h) for h in headers} >= {
        "full_name", "birth_date", "sex", "id_number", "phone", "blood_group"}
    assert sheet.data_validations.dataValidation  # dropdowns for sex and blood group
    assert sheet["E4"].number_format == "@"  # CCCD as text: leading zeros kept
