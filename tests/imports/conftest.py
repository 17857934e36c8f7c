import datetime
import io

import openpyxl
import pytest

from hienmau.drives.models import RegistrationImport
from hienmau.imports import registration_import as ri
from hienmau.plans.models import Drive

TODAY = datetime.date(2024, 5, 10)
DRIVE_DAY = datetime.date(2024, 6, 14)
HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "SĐT", "Nhóm máu",
          "Đơn vị"]


def xlsx(rows, title="DANH SÁCH ĐĂNG KÝ HIẾN MÁU") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append([])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def drive(tree):
    return Drive.objects.create(date=DRIVE_DAY, venue="Nhà văn hóa huyện Một",
                                organizer=tree["district_one"], expected_units=200,
                                registration_target=250, title="Ngày hội 14/6")


@pytest.fixture
def run_import(drive, coordinator):
    """Review a file and write it as the coordinator would: (record, review)."""

    def run(content: bytes, name="danh-sach.xlsx", *, accept=False, actor=None,
            mapping=None):
        actor = actor or coordinator
        sheet = ri.read_sheet(content, name)
        result = ri.review(drive, sheet, mapping or sheet.mapping, actor=actor, today=TODAY)
        record = RegistrationImport.objects.create(
            drive=drive, file_name=name, file_sha256=ri.file_digest(content),
            file_data=content, mapping={str(k): v for k, v in sheet.mapping.items()},
            accepted_changes=accept, created_by=actor)
        ri.write(record, result, actor=actor, today=TODAY)
        return record, result

    return run
