"""Running an import held in a `RegistrationImport` record: the same steps whether the
request runs them (short lists) or the worker does (`imports.tasks`). A failure leaves
nothing written (the write is one transaction) and the record says what went wrong."""

import contextlib
import gc
import logging

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from hienmau.drives.models import ImportStatus, RegistrationImport
from hienmau.imports import registration_import as ri
from hienmau.spreadsheets import ImportFileError

logger = logging.getLogger(__name__)


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

    def progress(done: int) -> None:
        RegistrationImport.objects.filter(pk=record.pk).update(rows_done=done)

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
