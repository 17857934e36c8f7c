"""Importing a plan's appendix (BẢNG CHỈ TIÊU) from a spreadsheet: seed 002 as the sample."""

import csv
import datetime
import io
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.urls import reverse

from hienmau.orgs.models import AuditEntry, Organization
from hienmau.plans import import_views, services
from hienmau.plans.importer import import_appendix, parse_appendix, review_import
from hienmau.plans.models import Drive, Plan, Quota, Section
from hienmau.spreadsheets import ImportFileError, parse_date, parse_number, read_rows

D = datetime.date
# Seed 002's appendix (the 2024 plan of the Hưng Yên committee, docs/domain.md §10) from
# its "PHỤ LỤC:" line to the end, one row a line, cells separated by tabs, as written.
SEED_APPENDIX = Path(__file__).resolve().parent.parent / "fixtures" / "seed_002_appendix.tsv"


def seed_appendix() -> list[list[str]]:
    """A fresh copy of the appendix's rows (tests change cells). No fixture file, no
    test: a missing file raises, it never skips."""
    lines = SEED_APPENDIX.read_text(encoding="utf-8").rstrip("\n").split("\n")
    return [line.split("\t") for line in lines]


def row_of(rows, *cells) -> int:
    """Index of the first row whose leading cells are `cells`."""
    return next(i for i, row in enumerate(rows) if row[:len(cells)] == list(cells))


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([None if cell == "" else cell for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    text = out.getvalue()
    if encoding == "cp1258":
        return to_cp1258(text)
    return text.encode(encoding)


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: letters with a tone mark are a base
    letter (â, ê, ơ…, which the code page has) followed by a combining tone mark."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        tones = []
        for mark in marks:  # NFD may put the tone (dot below) before the circumflex
            joined = unicodedata.normalize("NFC", base + mark)
            if len(joined) == 1 and joined.encode("cp1258", errors="ignore"):
                base = joined
            else:
                tones.append(mark)
        out += (base + "".join(tones)).encode("cp1258")
    return bytes(out)


def parse(rows):
    return parse_appendix(read_rows(xlsx(rows), "phu-luc.xlsx"))


@pytest.fixture
def demo(demo_data, db):
    return Plan.objects.get(starts_on=datetime.date(2023, 12, 1))


@pytest.fixture
def vanphong(demo):
    """The demo office account of the Hưng Yên committee."""
    return get_user_model().objects.get(username="vanphong")


@pytest.fixture
def plan(demo):
    """The demo committee's 2024 plan with its appendix taken out, as if only the
    plan itself (dates, document) had been entered."""
    demo.drives.all().delete()
    demo.quotas.all().delete()
    demo.sections.all().delete()
    return demo


def org(name_contains: str) -> Organization:
    return Organization.objects.get(name__contains=name_contains, valid_from__isnull=True)


# ---- reading cells -----------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("1.350", 1350), ("1000", 1000), ("13.762", 13762), ("1,350", 1350), (1350.0, 1350),
    (200, 200), (" 998 ", 998)])
def test_numbers_as_offices_write_them(value, expected):
    assert parse_number(value) == expected


@pytest.mark.parametrize("value", ["1.35", 1.35, "abc", "-5", "1.35.0", ""])
def test_what_is_not_a_count_of_units(value):
    with pytest.raises(ValueError):
        parse_number(value)


@pytest.mark.parametrize(("value", "expected"), [
    ("06/3/2024", D(2024, 3, 6)), ("05/03/2024", D(2024, 3, 5)), ("5.3.2024", D(2024, 3, 5)),
    ("2024-03-05", D(2024, 3, 5)), (D(2024, 3, 5), D(2024, 3, 5)),
    (datetime.datetime(2024, 3, 5, 0, 0), D(2024, 3, 5)), (45357, D(2024, 3, 6)),
    (45357.0, D(2024, 3, 6)), ("06/3/24", D(2024, 3, 6))])
def test_dates_day_first_real_dates_and_excel_serials(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/2024", "13/13/2024", "tháng 3", 12.5, 7])
def test_what_is_not_a_date(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_unknown_file_types_and_garbage_are_refused():
    with pytest.raises(ImportFileError):
        read_rows(b"abc", "phu-luc.pdf")
    with pytest.raises(ImportFileError):
        read_rows(b"not a workbook", "phu-luc.xlsx")


# ---- parsing seed 002 --------------------------------------------------------------


def test_seed_appendix_parses_into_sections_units_drives_and_totals():
    parsed = parse(seed_appendix())
    assert parsed.problems == [] and parsed.warnings == []
    assert [(s.number, s.title) for s in parsed.sections] == [
        ("I", "Ban Chỉ đạo vận động HMTN các huyện, thị, thành phố"),
        ("II", "Các Khu công nghiệp tỉnh"), ("III", "Các trường Đại học"),
        ("IV", "Các Sở, Ngành, Doanh nghiệp")]
    # Seed 002's sections hold 10 + 1 + 2 + 6 = 19 units.
    assert len(parsed.units) == 19
    assert parsed.section_totals() == {"I": 9287, "II": 1200, "III": 2175, "IV": 1100}
    assert parsed.total == 13762
    assert [t.value for t in parsed.subtotals] == [9287, 1200, 2175, 1100]
    assert parsed.grand_total.value == 13762
    assert len(parsed.drives) == 51
    khoai_chau = parsed.units[0]
    assert khoai_chau.name == "BCĐ vận động HMTN huyện Khoái Châu" and khoai_chau.quota == 1350
    assert [(d.date, d.expected_units) for d in parsed.drives_of(khoai_chau)] == [
        (D(2024, 3, 6), 1000), (D(2024, 7, 9), 900), (D(2024, 11, 26), 900)]


def test_extra_empty_columns_and_a_column_numbering_row_are_tolerated():
    rows = seed_appendix()
    header = row_of(rows, "TT")
    widened = [[*row[:2], "", *row[2:], ""] for row in rows]
    widened.insert(header + 1, ["(1)", "(2)", "", "(3)", "(4)", "(5)"])
    parsed = parse(widened)
    assert parsed.problems == [] and parsed.total == 13762 and len(parsed.drives) == 51


def test_a_wrong_typed_subtotal_is_warned():
    rows = seed_appendix()
    rows[row_of(rows, "", "Cộng mục I")][2] = "9.300"
    parsed = parse(rows)
    assert parsed.problems == []
    assert [str(w) for w in parsed.warnings] == [
        f"Dòng {row_of(rows, '', 'Cộng mục I') + 1}, cột Chỉ tiêu giao: Cộng mục I ghi 9.300 "
        "nhưng tổng các dòng là 9.287."]


def test_a_wrong_grand_total_is_warned():
    rows = seed_appendix()
    rows[-1][2] = "13.800"
    assert "ghi 13.800 nhưng tổng các dòng là 13.762" in str(parse(rows).warnings[0])


def test_an_unreadable_date_is_an_error_with_its_row():
    rows = seed_appendix()
    index = row_of(rows, "", "", "", "09/7/2024")
    rows[index][3] = "31/02/2024"
    parsed = parse(rows)
    assert [str(p) for p in parsed.problems] == [
        f"Dòng {index + 1}, cột Ngày: “31/02/2024” không phải là ngày hợp lệ."]


def test_a_section_number_used_twice_is_an_error():
    rows = seed_appendix()
    index = row_of(rows, "II")
    rows[index][0] = "I"
    assert [str(p) for p in parse(rows).problems] == [
        f"Dòng {index + 1}, cột TT: mục I đã có ở dòng {row_of(rows, 'I') + 1}."]


def test_a_sheet_without_the_header_is_an_error():
    parsed = parse([["Kế hoạch"], ["1", "Huyện A", "100"]])
    assert len(parsed.problems) == 1 and "dòng tiêu đề" in str(parsed.problems[0])


def test_real_excel_dates_numbers_and_serials_read_like_text():
    rows = seed_appendix()
    typed = []
    for row in rows[row_of(rows, "TT") + 1:]:
        row = list(row)
        if len(row) > 3 and "/" in row[3]:
            row[3] = parse_date(row[3])  # a real date cell
        for col in (2, 4):
            if len(row) > col and row[col].replace(".", "").isdigit():
                row[col] = parse_number(row[col])  # a number cell
        typed.append(row)
    typed[1][3] = 45357  # 06/03/2024 in a cell not formatted as a date
    parsed = parse(rows[:row_of(rows, "TT") + 1] + typed)
    assert parsed.problems == [] and parsed.total == 13762 and len(parsed.drives) == 51
    assert parsed.drives[0].date == D(2024, 3, 6)


# ---- importing into a plan ---------------------------------------------------------


def test_seed_appendix_imports_into_a_fresh_plan(plan, vanphong):
    parsed = parse(seed_appendix())
    result = import_appendix(plan, parsed, actor=vanphong)
    assert result.ok, result.errors
    assert result.warnings == []  # every unit name understood without guessing
    assert plan.sections.count() == 4
    assert plan.quotas.count() == 19
    totals = {s.number: s.quotas.aggregate(t=Sum("units"))["t"] for s in plan.sections.all()}
    assert totals == {"I": 9287, "II": 1200, "III": 2175, "IV": 1100}
    assert plan.quotas.aggregate(t=Sum("units"))["t"] == 13762
    assert plan.drives.count() == 51 == result.drives_created
    utc = plan.quotas.get(organization__name__contains="Tài chính - Quản trị")
    assert utc.units == 675 and utc.section.number == "III"
    kcn = org("HMTN các Khu công nghiệp")
    assert plan.drives.filter(organizer=kcn).count() == 11
    # The joint "Hành trình đỏ" of 04/06/2024 is one row per contributor in the appendix:
    # imported as one drive per row, credited to that row's unit (see _review_drives).
    joint = plan.drives.filter(date=D(2024, 6, 4))
    assert sorted(d.organizer.short_name for d in joint) == [
        "Công an tỉnh", "LĐLĐ tỉnh", "Sở Y tế", "Đảng ủy khối CQ-DN tỉnh"]
    assert {d.expected_units for d in joint} == {200}
    assert plan.drives.aggregate(t=Sum("expected_units"))["t"] == sum(
        int(r[4].replace(".", "")) for r in seed_appendix()
        if len(r) > 4 and r[4].replace(".", "").isdigit())


def test_importing_the_same_file_twice_creates_nothing_new(plan, vanphong):
    parsed = parse(seed_appendix())
    import_appendix(plan, parsed, actor=vanphong)
    counts = (Section.objects.count(), Quota.objects.count(), Drive.objects.count(),
              AuditEntry.objects.count())
    again = import_appendix(plan, parse(seed_appendix()), actor=vanphong)
    assert again.ok and not again.changed and again.drives_existing == 51
    assert again.warnings == []
    assert (Section.objects.count(), Quota.objects.count(), Drive.objects.count(),
            AuditEntry.objects.count()) == counts


def test_the_demo_plan_already_holds_the_appendix_joint_drive_included(demo, vanphong):
    """The demo plan's joint drive (organized by the province, with shares) is
    recognized by its shares: no second drive for each contributor."""
    result = import_appendix(demo, parse(seed_appendix()), actor=vanphong)
    assert result.ok and not result.changed and result.warnings == []
    assert demo.drives.count() == 48


def test_an_existing_drive_with_another_figure_is_kept_and_flagged(plan, vanphong):
    """Seed 002's body gives Ân Thi 14/03/2024 500 and the industrial zones 11/04/2024 300;
    its appendix 600 and 200. Drives typed from the body stay; the mismatch is shown."""
    an_thi, kcn = org("huyện Ân Thi"), org("HMTN các Khu công nghiệp")
    body = [services.create_drive(actor=vanphong, plan=plan, organizer=an_thi,
                                  date=D(2024, 3, 14), expected_units=500, venue="Nhà văn hóa"),
            services.create_drive(actor=vanphong, plan=plan, organizer=kcn,
                                  date=D(2024, 4, 11), expected_units=300, venue="KCN")]
    result = import_appendix(plan, parse(seed_appendix()), actor=vanphong)
    assert result.ok and result.drives_created == 49 and result.drives_existing == 2
    messages = [str(w) for w in result.warnings]
    assert len(messages) == 2
    assert "14/03/2024 đã có trong kế hoạch với 500 đơn vị máu; bảng ghi 600" in messages[0]
    assert "11/04/2024 đã có trong kế hoạch với 300 đơn vị máu; bảng ghi 200" in messages[1]
    for drive in body:
        drive.refresh_from_db()
    assert [d.expected_units for d in body] == [500, 300]
    assert plan.drives.filter(organizer=an_thi, date=D(2024, 3, 14)).count() == 1


def test_a_cancelled_drive_is_not_brought_back(plan, vanphong):
    import_appendix(plan, parse(seed_appendix()), actor=vanphong)
    drive = plan.drives.get(organizer=org("huyện Phù Cừ"), date=D(2024, 8, 7))
    services.cancel_drive(drive, actor=vanphong, reason="Trùng lịch")
    result = import_appendix(plan, parse(seed_appendix()), actor=vanphong)
    assert result.drives_created == 0
    assert ["đã bị hủy trong kế hoạch; không tạo lại" in str(w) for w in result.warnings] == [
        True]


def test_the_same_drive_twice_with_different_figures_is_flagged(plan, vanphong):
    rows = seed_appendix()
    index = row_of(rows, "", "", "", "09/7/2024")
    rows.insert(index + 1, ["", "", "", "06/03/2024", "900"])
    result = import_appendix(plan, parse(rows), actor=vanphong)
    assert result.ok
    assert [str(w) for w in result.warnings] == [
        f"Dòng {index + 2}, cột Số đơn vị máu: đợt của Ban Chỉ đạo vận động HMTN huyện Khoái "
        f"Châu ngày 06/03/2024 ghi hai lần với số khác nhau: dòng {index} ghi 1.000, dòng "
        f"này ghi 900. Chỉ nhập dòng {index} — hãy kiểm tra."]
    assert plan.drives.get(organizer=org("huyện Khoái Châu"),
                           date=D(2024, 3, 6)).expected_units == 1000


def test_an_unreadable_date_writes_nothing(plan, vanphong):
    rows = seed_appendix()
    rows[row_of(rows, "", "", "", "09/7/2024")][3] = "31/02/2024"
    before = AuditEntry.objects.count()
    result = import_appendix(plan, parse(rows), actor=vanphong)
    assert not result.ok and "Dòng" in str(result.errors[0])
    assert (plan.sections.count(), plan.quotas.count(), plan.drives.count()) == (0, 0, 0)
    assert AuditEntry.objects.count() == before


def test_an_unknown_unit_is_an_error_and_nothing_is_written(plan, vanphong):
    rows = seed_appendix()
    index = row_of(rows, "6", "Bưu điện tỉnh")
    rows[index][1] = "Công ty Không Có Thật"
    result = import_appendix(plan, parse(rows), actor=vanphong)
    assert [str(e) for e in result.errors] == [
        f"Dòng {index + 1}, cột Đơn vị tổ chức: không tìm thấy đơn vị “Công ty Không Có Thật” "
        "trong Ban Chỉ đạo vận động hiến máu tình nguyện tỉnh Hưng Yên. Hãy thêm đơn vị vào "
        "cây tổ chức hoặc sửa tên trong tệp."]
    assert plan.drives.count() == 0 and plan.quotas.count() == 0


def test_a_name_one_typo_away_is_understood_and_said(plan, vanphong):
    """Seed 002's body writes Mỹ Hòa for Mỹ Hào; a sheet could too."""
    rows = seed_appendix()
    index = row_of(rows, "8")
    rows[index][1] = "BCĐ vận động HMTN thị xã Mỹ Hòa"
    review = review_import(plan, parse(rows))
    assert review.ok
    assert [str(w) for w in review.warnings] == [
        f"Dòng {index + 1}, cột Đơn vị tổ chức: “BCĐ vận động HMTN thị xã Mỹ Hòa” đã hiểu là "
        "“Ban Chỉ đạo vận động HMTN thị xã Mỹ Hào”."]


def test_a_drive_outside_the_plan_year_is_imported_and_warned(plan, vanphong):
    rows = seed_appendix()
    index = row_of(rows, "", "", "", "26/11/2024")
    rows[index][3] = "15/12/2024"
    result = import_appendix(plan, parse(rows), actor=vanphong)
    assert result.ok and result.drives_created == 51
    assert [str(w) for w in result.warnings] == [
        f"Dòng {index + 1}, cột Ngày: ngày 15/12/2024 nằm ngoài năm kế hoạch "
        "(01/12/2023 – 30/11/2024); đợt vẫn được nhập."]
    assert plan.drives.filter(date=D(2024, 12, 15)).exists()


def test_a_changed_quota_is_updated_and_said(plan, vanphong):
    import_appendix(plan, parse(seed_appendix()), actor=vanphong)
    rows = seed_appendix()
    rows[row_of(rows, "6", "Bưu điện tỉnh")][2] = "120"
    result = import_appendix(plan, parse(rows), actor=vanphong)
    assert result.quotas_updated == 1 and result.drives_created == 0
    assert any("trong kế hoạch là 100; bảng ghi 120" in str(w) for w in result.warnings)
    assert plan.quotas.get(organization__short_name="Bưu điện tỉnh").units == 120


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1258"])
def test_csv_in_utf8_or_windows_1258(plan, vanphong, encoding):
    data = csv_bytes(seed_appendix(), encoding)
    if encoding == "cp1258":
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")  # really not UTF-8
    parsed = parse_appendix(read_rows(data, "PHU-LUC.CSV"))
    assert parsed.problems == [] and parsed.total == 13762
    result = import_appendix(plan, parsed, actor=vanphong)
    assert result.ok and result.drives_created == 51 and plan.quotas.count() == 19
    assert plan.quotas.get(organization=org("huyện Ân Thi")).units == 1005


# ---- the screen --------------------------------------------------------------------


def upload(client, plan, data: bytes, name: str = "phu-luc.xlsx"):
    return client.post(reverse("plans:import", kwargs={"code": plan.code}),
                       {"file": SimpleUploadedFile(name, data)})


def test_office_previews_then_confirms(client, plan, vanphong):
    client.force_login(vanphong)
    url = reverse("plans:import", kwargs={"code": plan.code})
    assert client.get(url).status_code == 200
    response = upload(client, plan, xlsx(seed_appendix()))
    assert response.status_code == 200
    assert "13.762" in response.text and "9.287" in response.text
    assert "Nhập vào kế hoạch" in response.text
    assert not plan.drives.exists()  # the preview writes nothing
    response = client.post(url, {"confirm": "1", "digest": response.context["digest"]})
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", kwargs={"code": plan.code})
    assert plan.drives.count() == 51 and plan.quotas.count() == 19
    assert import_views.SESSION_KEY not in client.session


def test_the_preview_shows_errors_and_offers_no_confirm(client, plan, vanphong):
    rows = seed_appendix()
    index = row_of(rows, "", "", "", "09/7/2024")
    rows[index][3] = "31/02/2024"
    client.force_login(vanphong)
    response = upload(client, plan, xlsx(rows))
    assert f"Dòng {index + 1}, cột Ngày: “31/02/2024” không phải là ngày hợp lệ." in (
        response.text)
    assert "không có gì được ghi vào kế hoạch" in response.text
    assert 'name="confirm"' not in response.text


def test_confirm_without_a_previewed_file_imports_nothing(client, plan, vanphong):
    client.force_login(vanphong)
    response = client.post(reverse("plans:import", kwargs={"code": plan.code}),
                           {"confirm": "1", "digest": "x"})
    assert response.status_code == 302 and not plan.drives.exists()


def test_files_too_large_or_of_another_kind_are_refused(client, plan, vanphong, monkeypatch):
    client.force_login(vanphong)
    response = upload(client, plan, b"%PDF", "phu-luc.pdf")
    assert "Chỉ nhận tệp .xlsx, .xls, .ods hoặc .csv." in response.text
    monkeypatch.setattr(import_views, "MAX_UPLOAD_BYTES", 100)
    response = upload(client, plan, xlsx(seed_appendix()))
    assert "Tệp quá lớn" in response.text and "review" not in response.context
    response = upload(client, plan, b"garbage", "phu-luc.xlsx")
    assert "không phải là bảng tính" in response.text and "Cannot" not in response.text


@pytest.fixture
def tree_plan(tree, office):
    """The conftest tree's plan: district one has a quota, district two none."""
    plan = services.create_plan(actor=office, committee=tree["province"], title="KH 2024",
                                starts_on=D(2023, 12, 1), ends_on=D(2024, 11, 30))
    services.save_quota(plan, actor=office, organization=tree["district_one"], units=100)
    return plan


TREE_SHEET = [["TT", "Đơn vị tổ chức", "Chỉ tiêu giao", "Ngày", "Số đơn vị máu dự kiến"],
              ["I", "Các huyện", "", "", ""],
              ["1", "BCĐ huyện Một", "500", "06/03/2024", "300"],
              ["", "", "", "10/09/2024", "200"],
              ["", "Cộng mục I", "500", "", ""]]


def test_roles_office_imports_coordinator_403_outsider_404(
        client_for, tree, tree_plan, office, coordinator, outsider):
    url = reverse("plans:import", kwargs={"code": tree_plan.code})
    assert client_for(coordinator).get(url).status_code == 403
    assert upload(client_for(coordinator), tree_plan, xlsx(TREE_SHEET)).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    client = client_for(office)
    response = upload(client, tree_plan, xlsx(TREE_SHEET))
    assert response.context["review"].ok
    response = client.post(url, {"confirm": "1", "digest": response.context["digest"]})
    assert response.status_code == 302
    assert tree_plan.quotas.get().units == 500  # was 100
    assert sorted(tree_plan.drives.values_list("expected_units", flat=True)) == [200, 300]


def test_a_date_on_a_section_row_is_the_organizer_defaults_drive(tree, tree_plan, office):
    rows = [*TREE_SHEET[:1], ["I", "Các huyện", "", "02/06/2024", "400"], *TREE_SHEET[2:]]
    parsed = parse(rows)
    assert parsed.drives[0].unit is None
    import_appendix(tree_plan, parsed, actor=office)
    assert tree_plan.drives.get(date=D(2024, 6, 2)).organizer == tree["province"]
    result = import_appendix(tree_plan, parse(rows), actor=office,
                             organizer_default=tree["district_two"])
    assert result.drives_created == 1  # a drive of another organizer
    assert tree_plan.drives.filter(date=D(2024, 6, 2)).count() == 2
