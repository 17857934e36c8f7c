"""Spreadsheets the import hands out: the blank template, and the rejected rows with what
to fix, ready to be corrected and imported again."""

import io

from django.utils.translation import gettext as _

from hienmau.spreadsheets import read_rows
from hienmau.workbooks import Workbook

TEMPLATE_COLUMNS = [
    # (header, width, example, text column)
    ("STT", 5, 1, False),
    ("Họ và tên", 26, "Nguyễn Văn An", False),
    ("Ngày sinh", 12, "04/05/1995", True),
    ("Giới tính", 9, "Nam", False),
    ("Số CCCD", 16, "001095012345", True),
    ("Số điện thoại", 15, "0912 345 678", True),
    ("E-mail", 24, "an.nguyen@example.vn", False),
    ("Nhóm máu", 9, "O+", False),
    ("Đơn vị", 26, "Công ty TNHH Một", False),
    ("Địa chỉ", 30, "Thôn 1, xã Khoái Châu", False),
    ("Cân nặng (kg)", 10, 60, False),
    ("Ghi chú", 24, "", False),
]
BLOOD_GROUPS = ["O", "A", "B", "AB", "O+", "A+", "B+", "AB+", "O-", "A-", "B-", "AB-"]
_LAST_ROW = 5000


def template_xlsx() -> bytes:
    """The registration list template: the headers the importer recognizes, one example
    row, dropdowns for sex and blood group, and text columns for numbers whose leading
    zeros Excel would otherwise drop."""
    out = io.BytesIO()
    book = Workbook(out)
    sheet = book.add_worksheet(_("Danh sách đăng ký"))
    bold = book.add_format({"bold": True, "bg_color": "#F8D7DA", "border": 1,
                            "text_wrap": True, "valign": "vcenter"})
    title = book.add_format({"bold": True, "font_size": 13})
    text = book.add_format({"num_format": "@"})
    example = book.add_format({"italic": True, "font_color": "#6C757D"})
    example_text = book.add_format({"italic": True, "font_color": "#6C757D",
                                    "num_format": "@"})
    sheet.write(0, 0, _("DANH SÁCH ĐĂNG KÝ HIẾN MÁU TÌNH NGUYỆN"), title)
    sheet.write(1, 0, _("Dòng 4 là ví dụ: hãy xóa hoặc ghi đè. Cột có dấu * là bắt buộc; "
                        "cần Số CCCD hoặc Số điện thoại."))
    for col, (header, width, sample, is_text) in enumerate(TEMPLATE_COLUMNS):
        required = header in ("Họ và tên", "Ngày sinh")
        sheet.write(2, col, f"{header}{' *' if required else ''}", bold)
        sheet.set_column(col, col, width, text if is_text else None)
        sheet.write(3, col, sample, example_text if is_text else example)
    sheet.freeze_panes(3, 0)
    sheet.data_validation(3, 3, _LAST_ROW, 3, {
        "validate": "list", "source": ["Nam", "Nữ"],
        "error_title": _("Giới tính"), "error_message": _("Chọn Nam hoặc Nữ.")})
    sheet.data_validation(3, 7, _LAST_ROW, 7, {
        "validate": "list", "source": BLOOD_GROUPS,
        "error_title": _("Nhóm máu"), "error_message": _("Chọn trong danh sách.")})
    sheet.data_validation(3, 4, _LAST_ROW, 4, {
        "validate": "length", "criteria": "between", "minimum": 9, "maximum": 12,
        "input_title": _("Số CCCD"), "input_message": _("12 chữ số (CMND cũ: 9 số)."),
        "error_title": _("Số CCCD"), "error_message": _("CCCD có 12 chữ số, CMND có 9.")})
    sheet.data_validation(3, 2, _LAST_ROW, 2, {
        "validate": "any", "input_title": _("Ngày sinh"),
        "input_message": _("Ngày/tháng/năm, ví dụ 04/05/1995; hoặc chỉ năm sinh.")})
    book.close()
    return out.getvalue()


def rejected_rows_xlsx(file_bytes: bytes, filename: str, header_index: int,
                       report: list[dict], *, rows: list[list] | None = None) -> bytes:
    """The file's header and its rows with errors, cells as they were, plus two last
    columns: the row's number in the original file and what to fix. Fixed and imported
    again, it lands like any list. `rows`: the file's rows, when already read."""
    if rows is None:
        rows = read_rows(file_bytes, filename)
    errors = {entry["row"]: entry for entry in report if entry["status"] == "error"}
    out = io.BytesIO()
    book = Workbook(out)
    sheet = book.add_worksheet(_("Dòng bị loại"))
    bold = book.add_format({"bold": True, "bg_color": "#F8D7DA", "border": 1})
    problem = book.add_format({"font_color": "#B02A37", "text_wrap": True})
    header = rows[header_index]
    for col, value in enumerate(header):
        sheet.write(0, col, value, bold)
    number_col = len(header)
    error_col = number_col + 1
    sheet.write(0, number_col, _("Dòng trong tệp gốc"), bold)
    sheet.write(0, error_col, _("Lỗi cần sửa"), bold)
    sheet.set_column(error_col, error_col, 60)
    out_row = 1
    for number, entry in sorted(errors.items()):
        cells = rows[number - 1] if number - 1 < len(rows) else []
        for col, value in enumerate(cells[:number_col]):
            if value is not None:
                # As text, so that numbers such as a CCCD keep their digits.
                sheet.write_string(out_row, col, _cell(value))
        sheet.write_string(out_row, number_col, str(number))
        sheet.write(out_row, error_col, " ".join(
            m["text"] for m in entry["messages"] if m["level"] == "error"), problem)
        out_row += 1
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()


def _cell(value) -> str:
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
