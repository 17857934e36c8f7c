"""Running an import held in a `RegistrationImport` record: the same steps whether the
request runs them (short lists) or the worker does (`imports.tasks`). A failure leaves
nothing written (the write is one transaction) and the record says what went wrong."""

import contextlib
import datetime
import gc
import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hienmau.drives.models import ImportStatus, RegistrationImport
from hienmau.imports import registration_import as ri
from hienmau.spreadsheets import ImportFileError

logger = logging.getLogger(__name__)


# A step (checking, importing) silent this long lost its worker: killed, out of memory,
# the machine restarted. Checking beats every PROGRESS_EVERY rows; importing, one
# transaction, beats when it starts, and a 100.000-row list imports in a few minutes.
STALLED_AFTER = datetime.timedelta(minutes=15)
RUNNING = (ImportStatus.VALIDATING, ImportStatus.IMPORTING)


def stalled(record: RegistrationImport, now=None) -> bool:
    """Whether the step under way has stopped without finishing: nothing was written (an
    import is one transaction), and the user may run it again or abandon it."""
    if record.status not in RUNNING:
        return False
    last = record.heartbeat_at or record.created_at
    return last < (now or timezone.now()) - STALLED_AFTER


def start_step(record: RegistrationImport, **fields) -> None:
    """Put the import in a step (status and any other fields), its heartbeat now."""
    for name, value in fields.items():
        setattr(record, name, value)
    record.heartbeat_at = timezone.now()
    record.save(update_fields=[*fields, "heartbeat_at"])


def retry(record: RegistrationImport) -> bool:
    """Take over a stalled step: its heartbeat now, so that nobody else takes it over.
    False if it is not stalled (any more)."""
    if not stalled(record):
        return False
    now = timezone.now()
    claimed = RegistrationImport.objects.filter(
        pk=record.pk, status=record.status, heartbeat_at=record.heartbeat_at).update(
        heartbeat_at=now)
    record.heartbeat_at = now
    return bool(claimed)


def abandon(record: RegistrationImport) -> bool:
    """End a stalled step as failed, saying so. False if it is not stalled (any more):
    it finished, or someone else took it over."""
    if not stalled(record):
        return False
    message = (_("Lần kiểm tra tệp bị gián đoạn và đã được dừng. Hãy kiểm tra lại tệp.")
               if record.status == ImportStatus.VALIDATING else
               _("Lần nhập bị gián đoạn và đã được dừng; không có dữ liệu nào được ghi. Có "
                 "thể kiểm tra và nhập lại tệp."))
    return bool(RegistrationImport.objects.filter(
        pk=record.pk, status=record.status, heartbeat_at=record.heartbeat_at).update(
        status=ImportStatus.FAILED, error=message))


def mapping_of(record: RegistrationImport) -> dict[int, str]:
    return {int(index): name for index, name in record.mapping.items() if name}


@contextlib.contextmanager
def _rare_cycle_collection():
    """A 100.000-row list makes millions of small objects (cells, rows, values), and the
    cyclic collector, run every 700 allocations, walked them again and again: a third of
    the time of a check (tests/bench/bench_import.py). It runs every 50.000 here. Off
    altogether, the benchmark's peak memory rose by 130 MB; every 100.000, by some 90 MB
    in some runs; at 50.000 the peak stays where it was (411 MB) at the same speed."""
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


@_rare_cycle_collection()
def validate(import_id: int) -> RegistrationImport:
    """Read and check the file; the report, the counts and the rows as read are kept
    with the import."""
    record = RegistrationImport.objects.select_related("drive", "created_by").get(pk=import_id)
    if record.status != ImportStatus.VALIDATING:
        return record  # abandoned meanwhile, or checked by a retry

    def progress(done: int) -> None:
        RegistrationImport.objects.filter(pk=record.pk).update(rows_done=done,
                                                               heartbeat_at=timezone.now())

    try:
        sheet = ri.read_sheet(bytes(record.file_data), record.file_name)
        rows = ri.parse(sheet, mapping_of(record), timezone.localdate(), progress)
        del sheet  # the file's cells: no longer needed, and the largest thing held
        result = ri.check(record.drive, rows, actor=record.created_by)
    except ImportFileError as error:
        return _failed(record, str(error))
    except Exception as error:
        logger.exception("validating import %s", record.pk)
        return _failed(record, _("Lỗi khi kiểm tra tệp: %(error)s") % {"error": error})
    record.summary, record.report = result.counts, result.report()
    record.parsed_rows = ri.rows_to_bytes(rows)
    record.rows_total = record.rows_done = result.counts["rows"]
    record.rows_rejected = result.counts["error"]
    record.status = ImportStatus.VALIDATED
    record.save(update_fields=["summary", "report", "parsed_rows", "rows_total", "rows_done",
                               "rows_rejected", "status"])
    return record


@_rare_cycle_collection()
def write(import_id: int, user_id: int) -> RegistrationImport:
    """Import the rows the check read. They are checked again against the registry
    (which may have changed since the user read the report), not read again."""
    record = RegistrationImport.objects.select_related("drive").get(pk=import_id)
    actor = get_user_model().objects.get(pk=user_id)
    try:
        with transaction.atomic():
            # The import's row, locked while it is written (the first write takes SQLite's
            # lock): a retry of a step that was only slow waits, then finds it done.
            if not RegistrationImport.objects.filter(
                    pk=record.pk, status=ImportStatus.IMPORTING).update(
                    heartbeat_at=timezone.now()):
                record.refresh_from_db()
                return record  # written, or abandoned, meanwhile
            rows = ri.rows_from_bytes(bytes(record.parsed_rows))
            result = ri.check(record.drive, rows, actor=actor, notes=False)
            ri.write(record, result, actor=actor, today=timezone.localdate())
    except ri.ImportRefused as error:
        return _failed(record, error.message)
    except Exception as error:
        logger.exception("writing import %s", record.pk)
        return _failed(record, _("Không nhập được; không có dữ liệu nào được ghi. Lỗi: "
                                 "%(error)s") % {"error": error})
    record.refresh_from_db()
    return record


def _failed(record, message: str) -> RegistrationImport:
    RegistrationImport.objects.filter(pk=record.pk).update(status=ImportStatus.FAILED,
                                                           error=message)
    record.refresh_from_db()
    return record
