"""A worker that dies in the middle of a step (killed, out of memory, the machine
restarted) leaves the import in its step with no more heartbeat: the page says so and
lets the user run the step again or abandon it; what is written stays all or nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hienmau.drives.models import ImportStatus, Registration, RegistrationImport
from hienmau.imports import runner
from hienmau.plans.models import Drive
from tests.imports.conftest import HEADER, xlsx

ROWS = [[1, "Nguyễn Văn An", "04/05/1990", "Nam", "001090012345", "0912 345 678", "", ""],
        [2, "Trần Thị Bình", "01/02/1995", "Nữ", "001195012345", "", "", ""]]
LONG_AGO = datetime.timedelta(minutes=16)


@pytest.fixture
def future_drive(tree):
    return Drive.objects.create(date=timezone.localdate() + datetime.timedelta(days=30),
                                venue="Nhà văn hóa", organizer=tree["district_one"],
                                expected_units=100, title="Ngày hội")


def _upload_and_check(client, drive):
    response = client.post(reverse("imports:upload", args=[drive.code]), {
        "file": SimpleUploadedFile("ds.xlsx", xlsx([HEADER, *ROWS]))})
    record = RegistrationImport.objects.get()
    client.post(response["Location"], {"action": "map", **{
        f"col-{i}": name for i, name in record.mapping.items()}})
    return response["Location"], record


def _worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def _silent_since(record, delta):
    RegistrationImport.objects.filter(pk=record.pk).update(
        heartbeat_at=timezone.now() - delta)


@override_settings(IMPORT_BACKGROUND_ROWS=1)
def test_a_worker_killed_while_importing_is_detected_and_the_import_run_again(
        transactional_db, client_for, coordinator, future_drive):
    client = client_for(coordinator)
    url, record = _upload_and_check(client, future_drive)
    _worker()
    client.post(url, {"action": "import"})
    # The worker took the task and was killed: the task stays "running", nothing written.
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - LONG_AGO)
    page = client.get(url).content.decode()
    assert 'data-testid="progress"' in page and "import-stalled" not in page
    client.post(url, {"action": "retry"})  # too early: refused
    record.refresh_from_db()
    assert record.status == ImportStatus.IMPORTING and not Registration.objects.exists()

    _silent_since(record, LONG_AGO)
    assert client.get(reverse("imports:progress", args=[record.code]))["HX-Refresh"] == "true"
    page = client.get(url).content.decode()
    assert "Lần nhập này đã dừng giữa chừng" in page and "Không có dữ liệu nào" in page
    assert 'data-testid="retry"' in page and 'data-testid="abandon"' in page
    assert 'data-confirm="Chạy lại bước này từ đầu?"' in page
    client.post(url, {"action": "retry"})
    _worker()
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE and record.registrations_created == 2
    assert Registration.objects.filter(drive=future_drive).count() == 2
    # Had the first worker been only slow, its write now finds the import done.
    assert runner.write(record.pk, coordinator.pk).registrations_created == 2
    assert Registration.objects.count() == 2


@override_settings(IMPORT_BACKGROUND_ROWS=1)
def test_a_check_whose_worker_died_is_run_again(transactional_db, client_for, coordinator,
                                               future_drive):
    client = client_for(coordinator)
    url, record = _upload_and_check(client, future_drive)
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING)  # its worker died
    _silent_since(record, LONG_AGO)
    page = client.get(url).content.decode()
    assert "Lần kiểm tra tệp này đã dừng giữa chừng" in page
    client.post(url, {"action": "retry"})
    _worker()
    record.refresh_from_db()
    assert record.status == ImportStatus.VALIDATED and record.summary["ok"] == 2


def test_an_import_stuck_after_its_request_died_can_be_abandoned_then_done_again(
        client_for, coordinator, future_drive):
    client = client_for(coordinator)
    url, record = _upload_and_check(client, future_drive)
    record.refresh_from_db()
    assert record.status == ImportStatus.VALIDATED
    # The web worker that ran the import was killed: its transaction rolled back, the
    # import stayed "Đang nhập".
    RegistrationImport.objects.filter(pk=record.pk).update(status=ImportStatus.IMPORTING)
    _silent_since(record, LONG_AGO)
    response = client.post(url, {"action": "abandon"}, follow=True)
    page = response.content.decode()
    assert "Đã dừng lần nhập bị gián đoạn; không có dữ liệu nào được ghi." in page
    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED and "bị gián đoạn" in record.error
    assert not Registration.objects.exists()
    # Abandoned, the import is checked and written again like any.
    client.post(url, {"action": "map", **{
        f"col-{i}": name for i, name in record.mapping.items()}})
    client.post(url, {"action": "import"})
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE and Registration.objects.count() == 2


def test_a_step_that_is_alive_cannot_be_abandoned(client_for, coordinator, future_drive):
    client = client_for(coordinator)
    url, record = _upload_and_check(client, future_drive)
    RegistrationImport.objects.filter(pk=record.pk).update(status=ImportStatus.IMPORTING,
                                                           heartbeat_at=timezone.now())
    response = client.post(url, {"action": "abandon"}, follow=True)
    assert "không làm được ở bước hiện tại" in response.content.decode()
    record.refresh_from_db()
    assert record.status == ImportStatus.IMPORTING


def test_the_list_of_imports_says_which_step_stopped_halfway(client_for, coordinator,
                                                             future_drive):
    client = client_for(coordinator)
    _url, record = _upload_and_check(client, future_drive)
    RegistrationImport.objects.filter(pk=record.pk).update(status=ImportStatus.IMPORTING)
    history = reverse("imports:history", args=[future_drive.code])
    _silent_since(record, datetime.timedelta(minutes=1))
    assert "Dừng giữa chừng" not in client.get(history).content.decode()
    _silent_since(record, LONG_AGO)
    page = client.get(history).content.decode()
    assert "Dừng giữa chừng: mở để chạy lại hoặc dừng" in page
    assert reverse("imports:detail", args=[record.code]) in page
