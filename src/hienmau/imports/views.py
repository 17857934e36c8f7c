"""Importing a registration list, as a coordinator goes through it:

1. upload the file (the template, or any list with recognizable headers);
2. check which column holds what (guessed from the headers, editable);
3. read the report: every row ok / warning / error with its row, column and message;
   download the rejected rows to fix them;
4. import the valid rows (and, if chosen, the changes to known people's records);
5. come back to the history, undo an import before the drive.

Long lists are checked and written by the background worker; the page shows progress.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hienmau import spreadsheets
from hienmau.drives.access import get_drive_for_registrations, mobilizing_units
from hienmau.drives.models import ImportStatus, RegistrationImport
from hienmau.imports import columns, runner, sheets, tasks
from hienmau.imports import registration_import as ri

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_ROWS = 5
OUTLINE_SECONDS = 24 * 3600


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp danh sách đăng ký"),
        help_text=gettext_lazy("Excel (.xlsx, .xls), LibreOffice (.ods) hoặc .csv (UTF-8 hay "
                               "Windows-1258), tối đa 10 MB; trang tính đầu tiên."),
        widget=forms.FileInput(attrs={"accept": ",".join(spreadsheets.ACCEPTED_EXTENSIONS),
                                      "class": "form-control"}))
    mobilized_by = forms.ModelChoiceField(
        label=gettext_lazy("Đơn vị vận động những người trong danh sách"), queryset=None,
        required=False, widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mobilized_by"].queryset = units
        self.fields["mobilized_by"].to_field_name = "code"

    def clean_file(self):
        return spreadsheets.check_upload(self.cleaned_data["file"], MAX_UPLOAD_BYTES)


@login_required
def upload(request, code):
    drive = get_drive_for_registrations(request.user, code, register=True)
    units = mobilizing_units(request.user, drive)
    form = UploadForm(request.POST or None, request.FILES or None, units=units,
                      initial={"mobilized_by": getattr(units.filter(pk=drive.organizer_id)
                                                       .first(), "code", None)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            sheet = ri.read_sheet(data, form.cleaned_data["file"].name)
        except spreadsheets.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            record = RegistrationImport.objects.create(
                drive=drive, mobilized_by=form.cleaned_data["mobilized_by"],
                file_name=form.cleaned_data["file"].name[:255],
                file_sha256=ri.file_digest(data), file_data=data,
                mapping={str(i): name for i, name in sheet.mapping.items()},
                rows_total=len(sheet.rows) - sheet.header_index - 1,
                created_by=request.user)
            _remember_outline(record, sheet)
            return redirect("imports:detail", code=record.code)
    return render(request, "imports/upload.html", {"drive": drive, "form": form})


def _record_for(request, code) -> RegistrationImport:
    record = get_object_or_404(RegistrationImport.objects.select_related("drive"), code=code)
    # The drive's rules decide: 404 outside it, 403 without the right to register.
    get_drive_for_registrations(request.user, record.drive.code, register=True)
    return record


@login_required
def detail(request, code):
    record = _record_for(request, code)
    if request.method == "POST":
        return _post(request, record)
    context = {"drive": record.drive, "record": record,
               "can_undo": ri.can_undo(record, timezone.localdate()),
               "from_file": record.file_name.lower().endswith(
                   spreadsheets.ACCEPTED_EXTENSIONS),
               "stalled": runner.stalled(record)}
    if record.status in (ImportStatus.UPLOADED, ImportStatus.FAILED):
        context.update(_mapping_context(record))
    if record.status in (ImportStatus.VALIDATED, ImportStatus.DONE):
        context.update(_report_context(request, record))
    return render(request, "imports/detail.html", context)


def _outline_key(record) -> str:
    return f"imports:outline:{record.pk}:{record.file_sha256}"


def _remember_outline(record, sheet) -> dict:
    """The headers and first rows the mapping step shows, kept in the cache: the file is
    read once for the step, not again on every view of the page or choice of columns."""
    start = sheet.header_index + 1
    outline = {"headers": sheet.headers, "preview": sheet.rows[start:start + PREVIEW_ROWS]}
    cache.set(_outline_key(record), outline, OUTLINE_SECONDS)
    return outline


def _outline(record) -> dict:
    outline = cache.get(_outline_key(record))
    if outline is None:  # expired, or another machine's cache
        outline = _remember_outline(
            record, ri.read_sheet(bytes(record.file_data), record.file_name))
    return outline


def _mapping_context(record) -> dict:
    outline = _outline(record)
    mapping = runner.mapping_of(record)
    preview = outline["preview"]
    return {"columns": [{"index": i, "header": header, "field": mapping.get(i, ""),
                         "samples": [_sample(cells, i) for cells in preview]}
                        for i, header in enumerate(outline["headers"])],
            "fields": columns.FIELDS,
            "missing": columns.missing_required(mapping)}


def _sample(cells, index) -> str:
    value = cells[index] if index < len(cells) else None
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return spreadsheets.cell_text(value) or "—"


def _report_context(request, record) -> dict:
    level = request.GET.get("muc", "")
    entries = [e for e in record.report if not level or e["status"] == level]
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    labels = {f.name: f.label for f in columns.FIELDS}
    page.object_list = [{**e, "messages": [{**m, "label": labels.get(m["field"], "")}
                                           for m in e["messages"]]} for e in page.object_list]
    return {"summary": record.summary, "page": page, "level": level}


def _post(request, record):
    action = request.POST.get("action")
    if action == "map" and record.status in (ImportStatus.UPLOADED, ImportStatus.FAILED,
                                             ImportStatus.VALIDATED):
        return _save_mapping_and_validate(request, record)
    if action == "remap" and record.status in (ImportStatus.VALIDATED, ImportStatus.FAILED):
        RegistrationImport.objects.filter(pk=record.pk).update(status=ImportStatus.UPLOADED,
                                                               error="")
        return redirect("imports:detail", code=record.code)
    if action == "import" and record.status == ImportStatus.VALIDATED:
        runner.start_step(record, accepted_changes=bool(request.POST.get("accept_changes")),
                          status=ImportStatus.IMPORTING)
        return _run_write(request, record)
    if action == "retry" and runner.retry(record):
        # A step whose worker died: run again (nothing was written, or it is found done).
        if record.status == ImportStatus.VALIDATING:
            return _run_validate(record)
        return _run_write(request, record)
    if action == "abandon" and runner.abandon(record):
        messages.success(request, _("Đã dừng lần nhập bị gián đoạn; không có dữ liệu nào "
                                    "được ghi."))
        return redirect("imports:detail", code=record.code)
    messages.error(request, _("Thao tác này không làm được ở bước hiện tại của lần nhập."))
    return redirect("imports:detail", code=record.code)


def _save_mapping_and_validate(request, record):
    chosen, used = {}, set()
    valid = {f.name for f in columns.FIELDS}
    for index in range(len(_outline(record)["headers"])):
        name = request.POST.get(f"col-{index}", "")
        if name in valid:
            if name in used:
                messages.error(request, _("Mỗi loại thông tin chỉ chọn cho một cột (“%(label)s” "
                                          "đang được chọn hai lần).")
                               % {"label": columns.FIELDS_BY_NAME[name].label})
                return redirect("imports:detail", code=record.code)
            used.add(name)
            chosen[str(index)] = name
    missing = columns.missing_required({int(k): v for k, v in chosen.items()})
    if missing:
        messages.error(request, _("Cần chọn cột cho: %(fields)s.")
                       % {"fields": ", ".join(str(f.label) for f in missing)})
        return redirect("imports:detail", code=record.code)
    runner.start_step(record, mapping=chosen, status=ImportStatus.VALIDATING, error="",
                      rows_done=0)
    return _run_validate(record)


def _run_validate(record):
    if _in_background(record):
        tasks.validate_import.enqueue(record.pk)
    else:
        runner.validate(record.pk)
    return redirect("imports:detail", code=record.code)


def _run_write(request, record):
    if _in_background(record):
        tasks.write_import.enqueue(record.pk, request.user.pk)
    else:
        record = runner.write(record.pk, request.user.pk)
        _tell(request, record)
    return redirect("imports:detail", code=record.code)


def _in_background(record) -> bool:
    return record.rows_total > settings.IMPORT_BACKGROUND_ROWS


def _tell(request, record):
    if record.status == ImportStatus.DONE:
        messages.success(request, _(
            "Đã nhập: %(created)s người được đăng ký (%(new)s hồ sơ mới, %(updated)s hồ sơ được "
            "cập nhật); %(existing)s người đã đăng ký từ trước; %(rejected)s dòng bị loại.") % {
            "created": record.registrations_created, "new": record.donors_created,
            "updated": record.donors_updated, "existing": record.registrations_existing,
            "rejected": record.rows_rejected})
    elif record.status == ImportStatus.FAILED:
        messages.error(request, record.error)


@login_required
def progress(request, code):
    """The progress fragment the page polls while the worker runs."""
    record = _record_for(request, code)
    if record.status not in runner.RUNNING or runner.stalled(record):
        response = HttpResponse()
        response["HX-Refresh"] = "true"  # done: the whole page shows the result
        return response
    return render(request, "imports/_progress.html", {"record": record})


@login_required
def rejected_rows(request, code):
    record = _record_for(request, code)
    if not record.file_name.lower().endswith(spreadsheets.ACCEPTED_EXTENSIONS):
        raise Http404(_("Lần nhập này không đến từ một tệp bảng tính."))  # an API batch
    sheet = ri.read_sheet(bytes(record.file_data), record.file_name)
    content = sheets.rejected_rows_xlsx(bytes(record.file_data), record.file_name,
                                        sheet.header_index, record.report, rows=sheet.rows)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="dong-bi-loai.xlsx"'
    return response


@login_required
@require_POST
def undo(request, code):
    record = _record_for(request, code)
    try:
        ri.undo(record, actor=request.user, today=timezone.localdate())
    except ri.ImportRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã hoàn tác lần nhập “%(name)s”.")
                         % {"name": record.file_name})
    return redirect("imports:history", code=record.drive.code)


@login_required
def history(request, code):
    drive = get_drive_for_registrations(request.user, code, register=True)
    records = drive.registration_imports.select_related("created_by", "mobilized_by").defer(
        "file_data", "report")
    page = Paginator(records, 30).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(request, "imports/history.html", {
        "drive": drive, "page": page,
        "undoable": {r.pk for r in page if ri.can_undo(r, today)},
        "stalled": {r.pk for r in page if runner.stalled(r)}})


@login_required
def template(request):
    response = HttpResponse(sheets.template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-dang-ky.xlsx"'
    return response
