"""Import a plan's appendix (bảng chỉ tiêu) from a spreadsheet, in two steps.

1. Upload: the file is read and checked against the plan, and a preview shows what
   would be written, with every problem and warning by row number. Nothing is written.
2. Confirm: the very file that was previewed is imported, all or nothing.

Between the two steps the file stays in the session (base64, at most
`MAX_UPLOAD_BYTES`), not in a hidden field: a hidden field would come back through
DATA_UPLOAD_MAX_MEMORY_SIZE (2,5 MB by default) and could be another file than the one
previewed. The session holds one pending file at a time, whatever the plan, and drops
it once imported, so a forgotten preview costs one file at most.
"""

import hashlib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hienmau import spreadsheets
from hienmau.plans import importer
from hienmau.plans.access import get_plan_for_user

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SESSION_KEY = "plans.import"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp bảng chỉ tiêu"),
        help_text=gettext_lazy("Tệp Excel (.xlsx, .xls), LibreOffice (.ods) hoặc .csv, tối đa "
                               "5 MB; trang tính đầu tiên theo mẫu phụ lục của kế hoạch."),
        widget=forms.FileInput(attrs={"accept": ",".join(spreadsheets.ACCEPTED_EXTENSIONS),
                                               "class": "form-control"}))

    def clean_file(self):
        return spreadsheets.check_upload(self.cleaned_data["file"], MAX_UPLOAD_BYTES)


@login_required
def import_plan(request, code):
    plan = get_plan_for_user(request.user, code, manage=True)
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, plan)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        return _preview(request, plan, form)
    return render(request, "plans/import.html", {"plan": plan, "form": form})


def _preview(request, plan, form):
    upload = form.cleaned_data["file"]
    data = upload.read()
    try:
        parsed = importer.parse_appendix(spreadsheets.read_rows(data, upload.name))
    except spreadsheets.ImportFileError as error:
        form.add_error("file", str(error))
        return render(request, "plans/import.html", {"plan": plan, "form": form})
    digest = _keep(request, plan, upload.name, data)
    review = importer.review_import(plan, parsed)
    return render(request, "plans/import.html", {
        "plan": plan, "form": UploadForm(), "review": review, "blocks": preview_blocks(review),
        "filename": upload.name, "digest": digest})


def _confirm(request, plan):
    pending = request.session.get(SESSION_KEY) or {}
    if pending.get("plan") != str(plan.code) or pending.get("digest") != request.POST.get(
            "digest"):
        messages.error(request, _("Không còn tệp đã xem trước (hoặc đã tải lên tệp khác). "
                                  "Hãy tải tệp lên lại."))
        return redirect("plans:import", code=plan.code)
    data = spreadsheets.decode_file(pending["data"])
    parsed = importer.parse_appendix(spreadsheets.read_rows(data, pending["name"]))
    result = importer.import_appendix(plan, parsed, actor=request.user)
    if not result.ok:
        review = importer.review_import(plan, parsed)
        return render(request, "plans/import.html", {
            "plan": plan, "form": UploadForm(), "review": review,
            "blocks": preview_blocks(review), "filename": pending["name"],
            "digest": pending["digest"], "refused": result})
    del request.session[SESSION_KEY]
    messages.success(request, _summary(result))
    return redirect("plans:detail", code=plan.code)


def _keep(request, plan, name: str, data: bytes) -> str:
    """Keep the previewed file for the confirm step; returns its digest."""
    digest = hashlib.sha256(data).hexdigest()
    request.session[SESSION_KEY] = {"plan": str(plan.code), "name": name, "digest": digest,
                                    "data": spreadsheets.encode_file(data)}
    return digest


def _summary(result: importer.ImportResult) -> str:
    if not result.changed:
        return _("Kế hoạch đã có đủ nội dung của tệp; không có gì mới để nhập.")
    return _("Đã nhập bảng chỉ tiêu: %(sections)s mục mới, %(quotas)s chỉ tiêu mới "
             "(%(updated)s chỉ tiêu được cập nhật), %(drives)s đợt hiến máu mới; "
             "%(existing)s đợt đã có trong kế hoạch được giữ nguyên.") % {
        "sections": result.sections_created, "quotas": result.quotas_created,
        "updated": result.quotas_updated, "drives": result.drives_created,
        "existing": result.drives_existing}


def preview_blocks(review: importer.Review) -> list[dict]:
    """The preview's table: each section with its units, their match, quota and drives,
    the computed total and the total the sheet typed."""
    parsed = review.parsed
    totals = parsed.section_totals()
    typed = {t.section: t.value for t in parsed.subtotals}
    status = {row.row: "new" for row, _org in review.new_drives}
    status.update({row.row: "existing" for row, _drive in review.existing_drives})
    status.update({row.row: "repeated" for row in review.repeated_drives})

    def drives(rows):
        return [{"row": d, "status": status.get(d.row, "")} for d in rows]

    blocks = []
    for number in totals:
        section = next((s for s in parsed.sections if s.number == number), None)
        units = [{"row": u, "org": review.matches.get(u.row), "drives": drives(parsed.drives_of(u))}
                 for u in parsed.units if u.section == number]
        own = [d for d in parsed.drives_of(None) if _section_of_row(parsed, d.row) == number]
        blocks.append({"section": section, "units": units, "total": totals[number],
                       "typed": typed.get(number), "own_drives": drives(own)})
    return blocks


def _section_of_row(parsed: importer.ParsedAppendix, row: int) -> str | None:
    """The section a sheet row lies in: the last section row above it."""
    above = [s for s in parsed.sections if s.row <= row]
    return above[-1].number if above else None
