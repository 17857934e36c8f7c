"""A coordinator imports a registration list with errors, downloads the rejected rows,
fixes them and imports them again; a person signs up online and gets a QR code."""

import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from hienmau.demo.loader import UPCOMING_DRIVE, demo_code
from tests.imports.conftest import HEADER, xlsx

pytestmark = pytest.mark.e2e

ROWS = [
    [1, "Phan Văn Khải", "12/03/1991", "Nam", "001091034567", "0912 111 222", "A+", ""],
    [2, "Hồ Thị Xuân", "30/02/1996", "Nữ", "001196034567", "0912 111 333", "", ""],
    [3, "Vi Văn Định", "1993", "Nam", "", "0912 111 444", "O", ""],
]


def test_coordinator_imports_fixes_the_rejected_rows_and_imports_them(login, live_server,
                                                                     tmp_path):
    page = login("dieuphoi")
    code = demo_code(UPCOMING_DRIVE)
    page.goto(f"{live_server.url}/dot-hien-mau/{code}/")
    page.get_by_test_id("open-registrations").click()
    before = int(page.get_by_test_id("registered-count").inner_text())
    page.get_by_test_id("import-list").click()

    (tmp_path / "danh-sach.xlsx").write_bytes(xlsx([HEADER, *ROWS]))
    page.set_input_files("input[name=file]", str(tmp_path / "danh-sach.xlsx"))
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("mapping")).to_contain_text("Phan Văn Khải")
    page.get_by_test_id("validate").click()
    expect(page.get_by_test_id("error-count")).to_have_text("1")
    expect(page.get_by_test_id("report")).to_contain_text("Không đọc được ngày sinh")

    with page.expect_download() as download:
        page.get_by_test_id("download-rejected").first.click()
    rejected = tmp_path / "dong-bi-loai.xlsx"
    download.value.save_as(rejected)
    page.get_by_test_id("import").click()
    expect(page.get_by_test_id("import-result")).to_contain_text("2 người được đăng ký")

    book = openpyxl.load_workbook(rejected)
    sheet = book.active
    assert sheet["B2"].value == "Hồ Thị Xuân" and "ngày sinh" in sheet["J2"].value
    assert sheet["I1"].value == "Dòng trong tệp gốc" and sheet["I2"].value == "5"
    sheet["C2"] = "28/02/1996"
    out = io.BytesIO()
    book.save(out)
    (tmp_path / "da-sua.xlsx").write_bytes(out.getvalue())

    page.goto(f"{live_server.url}/dot-hien-mau/{code}/nhap-danh-sach/")
    page.set_input_files("input[name=file]", str(tmp_path / "da-sua.xlsx"))
    page.get_by_test_id("upload").click()
    page.get_by_test_id("validate").click()
    expect(page.get_by_test_id("error-count")).to_have_text("0")
    page.get_by_test_id("import").click()
    expect(page.get_by_test_id("import-result")).to_contain_text("1 người được đăng ký")
    page.get_by_role("link", name="Xem danh sách đăng ký").click()
    expect(page.get_by_test_id("registered-count")).to_have_text(str(before + 3))
    expect(page.get_by_test_id("registration-table")).to_contain_text("Hồ Thị Xuân")


def test_a_person_signs_up_online_and_gets_a_qr_code(page, live_server, demo):
    page.goto(f"{live_server.url}/hien-mau/")
    page.get_by_role("link", name="Đăng ký hiến máu").first.click()
    page.fill("input[name=full_name]", "Mai Thị Hạnh")
    page.fill("input[name=birth_date]", "15/08/1994")
    page.select_option("select[name=sex]", "F")
    page.fill("input[name=id_number]", "001194056789")
    page.fill("input[name=phone]", "0988 123 456")
    page.check("input[name=consent]")
    page.get_by_test_id("sign-up").click()
    expect(page.get_by_test_id("confirmation")).to_contain_text("Mai T. H.")
    expect(page.get_by_test_id("reference")).to_have_text(re.compile(r"^HM-[2-9A-Z]{8}$"))
    expect(page.locator("[data-testid=confirmation] svg")).to_be_visible()
