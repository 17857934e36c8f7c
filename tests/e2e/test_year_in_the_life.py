"""One committee year, end to end, through the pages, as each demo role lives it.

The Hưng Yên office (vanphong) records a long-time donor's donations from before
HienMau, makes the current plan year's plan by importing its appendix (BẢNG CHỈ TIÊU)
and adjusts a quota; the industrial-zone committee's coordinator (dieuphoi) gives
today's drive its institution, venue and hours, imports its registration list (a bad
row, downloaded, fixed and imported again); a person signs up on a phone through the
drive's printed link; the coordinator's desk and the institution's phone work the drive
(a second station's duplicate check-in, a deferral for low hemoglobin, the long-time
donor's 20th donation); the institution (vienhuyethoc) closes it and the public tally
shows the confirmed result; the office reads the unit's, the province's and (admin)
the nation's report and the year-end DOCX, runs an honor round and sends a mailing
about the next drive, whose messages leave with every placeholder filled.

One test: each chapter stands on the previous one's data, as a year does. Screenshots
of the key pages go to var/screenshots/year_*.png (1366 wide, and a phone for the donor
and the institution's staff).
"""

import datetime
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hienmau.demo.data import DEMO_PASSWORD
from hienmau.demo.loader import DEMO_CLUB, UPCOMING_DRIVE, demo_code

pytestmark = pytest.mark.e2e

SHOTS = Path("var/screenshots")
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# Demo organizations, by their fixed codes.
PROVINCE = str(demo_code("hy"))
ZONES = str(demo_code("hy.kcn"))  # BCĐ HMTN các Khu công nghiệp tỉnh Hưng Yên
INSTITUTION = str(demo_code("nihbt"))  # Viện Huyết học - Truyền máu Trung ương
ZONES_NAME = "Ban Chỉ đạo vận động HMTN các Khu công nghiệp tỉnh Hưng Yên"

# The long-time donor: 19 donations before HienMau (the Red Cross's book), the 20th today.
VETERAN = {"name": "Trần Văn Bền", "birth": "12/05/1985", "sex": "M",
           "id": "033085004321", "phone": "0987 654 321"}
# The registration list: the veteran, a newcomer, and a row with an impossible birth date.
LIST_HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "SĐT", "Nhóm máu",
               "Đơn vị"]
NEWCOMER = "Lê Thị Hoa"
DEFERRED = "Đỗ Văn Nam"
LIST_ROWS = [
    [1, VETERAN["name"], VETERAN["birth"], "Nam", VETERAN["id"], VETERAN["phone"], "O+", ""],
    [2, NEWCOMER, "03/09/1998", "Nữ", "033198001122", "0912 345 001", "A+", ""],
    [3, DEFERRED, "31/02/1995", "Nam", "033095003344", "0912 345 002", "B+", ""],
]
# Who signs up on the day, on a phone, through the printed link.
WALK_UP = {"name": "Phạm Thị Mai", "birth": "20/10/2000", "id": "033300556677",
           "phone": "0988 222 333"}


# ---- helpers --------------------------------------------------------------------


def plan_year(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The plan year today belongs to: 01/12 to 30/11."""
    end_year = today.year + 1 if today.month == 12 else today.year
    return datetime.date(end_year - 1, 12, 1), datetime.date(end_year, 11, 30)


def day_in_year(end: datetime.date, month: int, day: int,
                today: datetime.date) -> datetime.date:
    """A day of the plan year ending `end` (December belongs to the year before), never
    today: the sheet's other drives must not fall on the day of the drive under test."""
    found = datetime.date(end.year - 1 if month == 12 else end.year, month, day)
    return found + datetime.timedelta(days=1) if found == today else found


def dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def appendix_xlsx(start, end, today) -> bytes:
    """The plan's appendix in seed 002's layout: title lines, the header, sections I–III
    with their units (as offices abbreviate them), one date per row, subtotals and the
    grand total. Every unit is in activity in the plan year (after the 2025 reform)."""
    rows = [
        ["PHỤ LỤC:"],
        [f"BẢNG CHỈ TIÊU TỔ CHỨC HIẾN MÁU TÌNH NGUYỆN NĂM {end.year}"],
        [f"(Kèm theo Kế hoạch số /KH-UBND ngày /{start:%m/%Y} của UBND tỉnh)"],
        [],
        ["TT", "Đơn vị tổ chức", "Chỉ tiêu giao",
         f"Dự kiến thời gian tổ chức hiến máu (năm {end.year})",
         "Số đơn vị máu dự kiến tiếp nhận"],
        ["I", "Ban Chỉ đạo vận động HMTN các xã, phường"],
        [1, "BCĐ vận động HMTN xã Khoái Châu", "1.200", dmy(day_in_year(end, 3, 6, today)),
         "600"],
        [None, None, None, dmy(day_in_year(end, 9, 9, today)), "600"],
        [2, "BCĐ vận động HMTN phường Mỹ Hào", "900", dmy(day_in_year(end, 4, 20, today)),
         "900"],
        [None, "Cộng mục I", "2.100"],
        ["II", "Ban Chỉ đạo vận động HMTN các Khu công nghiệp"],
        # Seed 002 writes the zones' committee with the "HMTM" typo.
        [1, "Ban Chỉ đạo HMTM Khu công nghiệp tỉnh", "1.500", dmy(today), "60"],
        [None, None, None, dmy(day_in_year(end, 5, 10, today)), "1.440"],
        [None, "Cộng mục II", "1.500"],
        ["III", "Các trường Đại học"],
        [1, "Trường ĐH SPKT Hưng Yên", "300", dmy(day_in_year(end, 3, 12, today)), "300"],
        [None, "Cộng mục III", "300"],
        [None, "Tổng cộng mục I + II + III", "3.900"],
    ]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def list_xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH ĐĂNG KÝ HIẾN MÁU"])
    sheet.append([])
    for row in [LIST_HEADER, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


OPEN_PAGES: list = []  # every role's page, for a screenshot of each when a step fails


def signed_in(browser, live_server, username, phone=False):
    context = browser.new_context(viewport=PHONE if phone else DESKTOP, locale="vi-VN",
                                  is_mobile=phone, has_touch=phone,
                                  accept_downloads=True)
    page = context.new_page()
    OPEN_PAGES.append((username or "donor", page))
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())  # "Kết thúc đợt?", "Duyệt danh sách?"
    if username:
        page.goto(f"{live_server.url}/dang-nhap/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        expect(page.locator("form input[name=password]")).to_have_count(0)
    return page


def shot(page, name):
    page.screenshot(path=str(SHOTS / f"year_{name}.png"), full_page=True)


def indicator(page, key):
    return page.locator(f"[data-testid=indicators] tr[data-key={key}] td").nth(1)


def station_open(page, station_url, query):
    """The station's search box, as a scanner or a person types into it: one match opens
    the person's page."""
    if page.url != station_url:
        page.goto(station_url)
    page.get_by_test_id("station-search").fill(query)
    page.keyboard.press("Enter")


def screen_and_collect(page, weight, hemoglobin, bag, volume):
    page.fill("input[name=weight_kg]", weight)
    page.fill("input[name=hemoglobin_g_l]", hemoglobin)
    page.fill("input[name=systolic_mm_hg]", "120")
    page.fill("input[name=diastolic_mm_hg]", "78")
    page.fill("input[name=pulse_bpm]", "74")
    page.get_by_test_id("screen").click()
    expect(page.get_by_test_id("collect")).to_be_visible()
    page.get_by_test_id("bag").fill(bag)
    page.get_by_label(f"{volume} ml").check()
    page.get_by_test_id("collect").click()
    expect(page.locator(".alert-success")).to_contain_text(bag)


def docx_text(content: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    return "\n".join(lines)


@pytest.fixture
def outbox_here(settings, live_server, tmp_path):
    """Messages may leave at any hour, their links lead to this server, and the file
    channel (SMS, Zalo without a provider) writes into the test's own folder."""
    settings.OUTREACH_QUIET_FROM_HOUR = settings.OUTREACH_QUIET_UNTIL_HOUR = 0
    settings.SITE_URL = live_server.url
    settings.VAR_DIR = tmp_path
    return tmp_path / "outbox"


# ---- the year -------------------------------------------------------------------


def test_a_committee_year_from_plan_to_mailing(browser, live_server, demo, outbox_here,
                                               tmp_path):
    OPEN_PAGES.clear()
    try:
        a_year(browser, live_server, outbox_here, tmp_path)
    except Exception:
        for n, (who, page) in enumerate(OPEN_PAGES):
            if not page.is_closed():
                shot(page, f"failure_{n}_{who}")
        raise
    finally:
        for _who, page in OPEN_PAGES:
            if not page.is_closed():
                page.context.close()


def a_year(browser, live_server, outbox_here, tmp_path):
    from hienmau.donors.models import Donor
    from hienmau.drives.models import Registration
    from hienmau.outreach import outbox
    from hienmau.outreach.models import Message
    from hienmau.plans.models import Drive

    SHOTS.mkdir(parents=True, exist_ok=True)
    url = live_server.url
    today = timezone.localdate()
    start, end = plan_year(today)
    year = end.year

    office = signed_in(browser, live_server, "vanphong")

    # == 0. The office records a long-time donor and the donations before HienMau =====
    office.click("[data-nav=donors]")
    office.get_by_test_id("new-donor").click()
    office.fill("input[name=full_name]", VETERAN["name"])
    office.fill("input[name=birth_date]", VETERAN["birth"])
    office.select_option("select[name=sex]", VETERAN["sex"])
    office.select_option("select[name=id_type]", "cccd")
    office.fill("input[name=id_number]", VETERAN["id"])
    office.fill("input[name=phone]", VETERAN["phone"])
    office.select_option("select[name=home]", ZONES)
    office.click("main button[type=submit]")
    expect(office.locator("h1")).to_have_text(VETERAN["name"])
    office.locator("details", has=office.get_by_test_id("prior-form")).locator(
        "summary").click()
    office.get_by_test_id("prior-form").locator("input[name=count]").fill("19")
    office.get_by_test_id("prior-form").locator("input[name=source]").fill(
        "Sổ theo dõi của Hội Chữ thập đỏ tỉnh")
    office.get_by_test_id("prior-form").get_by_role("button").click()
    expect(office.get_by_test_id("donation-count")).to_have_text("19")
    expect(office.get_by_test_id("next-milestone")).to_contain_text("lần thứ 20, còn 1 lần")

    # == 1. The plan: made, its appendix imported, a quota set ========================
    office.click("[data-nav=plans]")
    office.get_by_role("link", name="Lập kế hoạch").click()
    office.select_option("select[name=committee]", PROVINCE)
    title = f"Kế hoạch tuyên truyền, vận động và tổ chức hiến máu tình nguyện năm {year}"
    office.fill("input[name=title]", title)
    office.fill("input[name=starts_on]", dmy(start))
    office.fill("input[name=ends_on]", dmy(end))
    office.fill("input[name=provincial_quota]", "4000")
    office.click("main button[type=submit]")
    expect(office.locator("h1")).to_have_text(title)

    office.get_by_role("link", name="Nhập từ bảng tính").click()
    (tmp_path / "phu-luc.xlsx").write_bytes(appendix_xlsx(start, end, today))
    office.set_input_files("input[name=file]", str(tmp_path / "phu-luc.xlsx"))
    office.get_by_role("button", name="Tải lên và xem trước").click()
    expect(office.get_by_test_id("import-counts")).to_have_text("3 · 4")
    expect(office.get_by_test_id("import-total")).to_have_text("3.900")
    expect(office.get_by_test_id("import-errors")).to_have_count(0)
    expect(office.get_by_test_id("import-table")).to_contain_text(ZONES_NAME)
    shot(office, "01_plan_import_preview")
    office.get_by_test_id("import-confirm").click()
    expect(office.get_by_test_id("grand-total")).to_have_text("3.900")
    expect(office.get_by_test_id("quota-row")).to_have_count(4)

    # The quota form: the zones' committee gets 1.600 and a registration target.
    office.get_by_test_id("quota-table").get_by_role("link", name=ZONES_NAME).click()
    expect(office.locator("input[name=units]")).to_have_value("1500")
    office.fill("input[name=units]", "1600")
    office.fill("input[name=registration_target]", "2000")
    office.get_by_role("button", name="Lưu", exact=True).click()
    expect(office.get_by_test_id("grand-total")).to_have_text("4.000")
    zones_row = office.get_by_test_id("quota-row").filter(has_text=ZONES_NAME)
    expect(zones_row).to_contain_text("1.600")
    expect(zones_row).to_contain_text("ít nhất 2.000 người")
    shot(office, "02_plan")

    # == 2. Today's drive, from the appendix, gets its institution, venue and hours ===
    coordinator = signed_in(browser, live_server, "dieuphoi")
    coordinator.click("[data-nav=drives]")
    today_row = coordinator.get_by_test_id("drive-row").filter(
        has_text=dmy(today)).filter(has_not_text="dữ liệu mẫu")
    expect(today_row).to_have_count(1)
    expect(today_row).to_contain_text("—")  # no receiving institution yet
    today_row.get_by_role("link", name=dmy(today)).click()
    drive_url = coordinator.url
    code = re.search(r"/dot-hien-mau/([0-9a-f-]{36})/", drive_url).group(1)
    coordinator.locator(f"main a[href$='/dot-hien-mau/{code}/sua/']").click()
    drive_title = "Ngày hội hiến máu Khu công nghiệp Phố Nối A"
    venue = "Nhà văn hóa Khu công nghiệp Phố Nối A"
    coordinator.fill("input[name=title]", drive_title)
    coordinator.fill("input[name=venue]", venue)
    coordinator.select_option("select[name=receiving_institution]", INSTITUTION)
    coordinator.fill("input[name=start_time]", "07:00")
    coordinator.fill("input[name=end_time]", "11:30")
    coordinator.click("main button[type=submit]")
    expect(coordinator.locator("main")).to_contain_text("Viện Huyết học - Truyền máu Trung ương")
    expect(coordinator.locator("main")).to_contain_text(venue)
    drive = Drive.objects.get(code=code)
    assert drive.plan.title == title and drive.organizer.code == demo_code("hy.kcn")
    assert (drive.expected_units, drive.date) == (60, today)

    # == 3. The registration list: a bad row, downloaded, fixed, imported again ========
    coordinator.get_by_test_id("open-registrations").click()
    expect(coordinator.get_by_test_id("registered-count")).to_have_text("0")
    printed_link = coordinator.get_by_test_id("public-link").inner_text()
    assert printed_link == f"{url}/hien-mau/{code}/"
    coordinator.get_by_test_id("import-list").click()
    (tmp_path / "danh-sach.xlsx").write_bytes(list_xlsx(LIST_ROWS))
    coordinator.set_input_files("input[name=file]", str(tmp_path / "danh-sach.xlsx"))
    coordinator.get_by_test_id("upload").click()
    expect(coordinator.get_by_test_id("mapping")).to_contain_text(VETERAN["name"])
    coordinator.get_by_test_id("validate").click()
    expect(coordinator.get_by_test_id("error-count")).to_have_text("1")
    expect(coordinator.get_by_test_id("report")).to_contain_text("Không đọc được ngày sinh")
    shot(coordinator, "03_list_report")
    with coordinator.expect_download() as download:
        coordinator.get_by_test_id("download-rejected").first.click()
    rejected = tmp_path / "dong-bi-loai.xlsx"
    download.value.save_as(rejected)
    coordinator.get_by_test_id("import").click()
    expect(coordinator.get_by_test_id("import-result")).to_contain_text("2 người được đăng ký")

    book = openpyxl.load_workbook(rejected)
    sheet = book.active
    assert sheet["B2"].value == DEFERRED
    assert any("ngày sinh" in str(cell.value) for cell in sheet[2][len(LIST_HEADER):])
    sheet["C2"] = "28/02/1995"
    book.save(tmp_path / "da-sua.xlsx")
    coordinator.goto(f"{url}/dot-hien-mau/{code}/nhap-danh-sach/")
    coordinator.set_input_files("input[name=file]", str(tmp_path / "da-sua.xlsx"))
    coordinator.get_by_test_id("upload").click()
    coordinator.get_by_test_id("validate").click()
    expect(coordinator.get_by_test_id("error-count")).to_have_text("0")
    coordinator.get_by_test_id("import").click()
    expect(coordinator.get_by_test_id("import-result")).to_contain_text("1 người được đăng ký")
    coordinator.get_by_role("link", name="Xem danh sách đăng ký").click()
    expect(coordinator.get_by_test_id("registered-count")).to_have_text("3")
    # The veteran was found in the registry by CCCD, not made twice.
    assert Donor.objects.filter(id_number=VETERAN["id"]).count() == 1
    assert Registration.objects.get(drive=drive, donor__id_number=VETERAN["id"]).donor \
        .prior_donations == 19

    # == 4. A person signs up on a phone through the printed link, on the day =========
    walker = signed_in(browser, live_server, None, phone=True)
    walker.goto(printed_link)
    expect(walker.get_by_test_id("sign-up-today")).to_be_visible()
    expect(walker.locator("h1")).to_have_text(drive_title)
    walker.fill("input[name=full_name]", WALK_UP["name"])
    walker.fill("input[name=birth_date]", WALK_UP["birth"])
    walker.select_option("select[name=sex]", "F")
    walker.fill("input[name=id_number]", WALK_UP["id"])
    walker.fill("input[name=phone]", WALK_UP["phone"])
    walker.check("input[name=consent]")
    shot(walker, "04_phone_sign_up")
    walker.get_by_test_id("sign-up").click()
    expect(walker.get_by_test_id("confirmation")).to_contain_text(drive_title)
    reference = walker.get_by_test_id("reference").inner_text()
    assert re.fullmatch(r"HM-[2-9A-Z]{8}", reference)
    expect(walker.locator("[data-testid=confirmation] svg")).to_be_visible()
    shot(walker, "05_phone_confirmation")
    assert walker.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    # == 5. Drive day: the coordinator's desk (laptop), the institution's phone ========
    desk = coordinator
    desk.goto(f"{url}/dot-hien-mau/{code}/")
    desk.get_by_test_id("open-station").click()
    station_url = desk.url
    station_open(desk, station_url, "tran van ben")
    expect(desk.get_by_test_id("person-name")).to_have_text(VETERAN["name"])
    expect(desk.get_by_test_id("times-given")).to_have_text("Đã hiến 19 lần")
    expect(desk.get_by_test_id("eligible")).to_be_visible()
    shot(desk, "06_desk_veteran")
    desk.get_by_test_id("check-in").click()
    expect(desk.locator(".alert-success")).to_contain_text(VETERAN["name"])

    # The institution's staff find today's drive on their home page.
    staff = signed_in(browser, live_server, "vienhuyethoc", phone=True)
    staff.get_by_test_id("drive-ahead").filter(has_text=drive_title).get_by_test_id(
        "drive-ahead-station").click()
    expect(staff).to_have_url(station_url)
    # Both stations open the newcomer; the desk checks her in first.
    station_open(staff, station_url, "033198001122")
    expect(staff.get_by_test_id("person-name")).to_have_text(NEWCOMER)
    station_open(desk, station_url, "033198001122")
    desk.get_by_test_id("check-in").click()
    expect(desk.locator(".alert-success")).to_contain_text(NEWCOMER)
    staff.get_by_test_id("check-in").click()
    expect(staff.locator(".alert-warning")).to_contain_text(
        f"{NEWCOMER} đã được ghi nhận có mặt lúc")
    shot(staff, "07_phone_already_checked_in")
    # The desk checks in the others: a name, and the sign-up's QR code (a scanner types it).
    station_open(desk, station_url, "do van nam")
    desk.get_by_test_id("check-in").click()
    expect(desk.locator(".alert-success")).to_contain_text(DEFERRED)
    station_open(desk, station_url, reference.lower())
    expect(desk.get_by_test_id("person-name")).to_have_text(WALK_UP["name"])
    expect(desk.get_by_test_id("times-given")).to_have_text("Đã hiến 0 lần")
    desk.get_by_test_id("check-in").click()
    expect(desk.locator(".alert-success")).to_contain_text(WALK_UP["name"])

    # The institution's staff screen and collect on the phone.
    station_open(staff, station_url, "tran van ben")
    screen_and_collect(staff, "68", "145", "HY-2701-0001", 350)
    station_open(staff, station_url, "tran van ben")
    expect(staff.get_by_test_id("collected")).to_contain_text("350 ml")
    expect(staff.get_by_test_id("times-given")).to_have_text("Đã hiến 20 lần")
    shot(staff, "08_phone_veteran_collected")
    certificate = staff.request.get(url + staff.get_by_test_id("certificate")
                                    .get_attribute("href"))
    from pypdf import PdfReader

    certificate_text = " ".join(p.extract_text() for p in PdfReader(
        io.BytesIO(certificate.body())).pages)
    assert "lần thứ 20" in " ".join(certificate_text.split())
    station_open(staff, station_url, "033198001122")
    screen_and_collect(staff, "55", "132", "HY-2701-0002", 350)
    station_open(staff, station_url, reference)
    screen_and_collect(staff, "48", "125", "HY-2701-0003", 250)
    # Low hemoglobin: the page proposes the deferral; the staff confirm it.
    station_open(staff, station_url, "do van nam")
    staff.fill("input[name=weight_kg]", "62")
    staff.fill("input[name=hemoglobin_g_l]", "105")
    staff.get_by_test_id("screen").click()
    expect(staff.get_by_test_id("proposals")).to_be_visible()
    expect(staff.locator("select[name=deferral_reason]")).to_have_value("hemoglobin")
    # No text sets a period for a low hemoglobin: the screener gives the date.
    staff.fill("input[name=deferred_until]",
               (today + datetime.timedelta(days=28)).isoformat())
    shot(staff, "09_phone_low_hemoglobin")
    staff.get_by_test_id("screen").click()
    expect(staff.locator(".alert-info")).to_contain_text(f"Đã ghi nhận tạm hoãn {DEFERRED}")

    # The desk's page for the veteran now says 20 times too.
    desk.goto(station_url)
    station_open(desk, station_url, VETERAN["id"])
    expect(desk.get_by_test_id("times-given")).to_have_text("Đã hiến 20 lần")
    desk.goto(f"{url}/dot-hien-mau/{code}/ket-qua-truc-tiep/")
    expect(desk.get_by_test_id("tally-checked-in")).to_have_text("4")
    expect(desk.get_by_test_id("tally-collected")).to_have_text("3")
    expect(desk.get_by_test_id("tally-deferred")).to_have_text("1")
    shot(desk, "10_live_tally")

    # == 6. The institution closes the drive; the public tally is the confirmed result =
    staff.goto(f"{url}/dot-hien-mau/{code}/")
    staff.get_by_test_id("open-close").click()
    expect(staff.locator("input[name=units_collected]")).to_have_value("3")
    staff.get_by_test_id("close-drive").click()
    expect(staff.get_by_test_id("drive-status")).to_have_text("Đã kết thúc")
    walker.goto(f"{url}/hien-mau/{code}/ket-qua/")
    expect(walker.get_by_test_id("tally-closed")).to_be_visible()
    expect(walker.get_by_test_id("tally-collected")).to_have_text("3")
    expect(walker.get_by_test_id("tally-checked-in")).to_have_text("4")
    expect(walker.get_by_test_id("tally-deferred")).to_have_text("1")
    expect(walker.get_by_test_id("tally-time")).to_contain_text("Kết quả chính thức")
    expect(walker.locator("main")).not_to_contain_text("đang chờ")
    expect(walker.locator("main")).not_to_contain_text("chưa phải kết quả chính thức")
    shot(walker, "11_phone_public_tally")

    # == 7. Reports: the unit, the province, the nation; the year-end DOCX =============
    office.click("[data-nav=reports]")
    office.select_option("#f-org", ZONES)
    office.select_option("#f-year", str(year))
    office.get_by_test_id("report-apply").click()
    expect(office.get_by_test_id("report-org")).to_have_text(ZONES_NAME)
    expect(office.get_by_test_id("kpi-units")).to_have_text("3")
    expect(office.get_by_test_id("kpi-drives")).to_have_text("1")
    expect(office.get_by_test_id("kpi-quota")).to_have_text("0,2%")  # 3 of 1.600
    for key, value in {"registered": "4", "present": "4", "deferred": "1",
                       "first_time": "2", "repeat": "1", "percent_of_expected": "5,0%",
                       "share_large_bags": "67%", "share_first_time": "67%"}.items():
        expect(indicator(office, key), key).to_have_text(value)
    expect(office.get_by_test_id("closed-drives")).to_contain_text(drive_title)
    expect(office.get_by_test_id("deferrals")).to_contain_text("1")
    shot(office, "12_report_unit")

    office.select_option("#f-org", PROVINCE)
    office.get_by_test_id("report-apply").click()
    expect(office.get_by_test_id("report-org")).to_have_text(
        "Ban Chỉ đạo vận động hiến máu tình nguyện tỉnh Hưng Yên")
    expect(office.get_by_test_id("kpi-units")).to_have_text("3")
    expect(office.get_by_test_id("kpi-drives")).to_have_text("1")
    expect(indicator(office, "first_time")).to_have_text("2")
    expect(indicator(office, "repeat")).to_have_text("1")
    ranked = office.get_by_test_id("ranking").locator("tbody tr").filter(has_text=ZONES_NAME)
    expect(ranked).to_contain_text("1.600")
    expect(ranked.locator("td").nth(3)).to_have_text("3")
    shot(office, "13_report_province")
    with office.expect_download() as download:
        office.get_by_test_id("report-docx").click()
    assert download.value.suggested_filename.endswith(".docx")
    summary = docx_text(Path(download.value.path()).read_bytes())
    assert f"Tổng kết công tác vận động hiến máu tình nguyện năm {year}" in summary
    assert "đã triển khai 1 cuộc hiến máu, tiếp nhận 3 đơn vị máu" in summary
    assert "Người hiến lần đầu | 2 |" in summary
    assert "Người hiến nhắc lại | 1 |" in summary
    assert "Số người tạm hoãn | 1 |" in summary
    assert re.search(rf"1 \| {re.escape(ZONES_NAME)} \| 1\.600 \| 3 \|", summary)

    admin = signed_in(browser, live_server, "admin")
    admin.goto(f"{url}/bao-cao/?nam={year}")
    expect(admin.get_by_test_id("report-org")).to_have_text(
        "Ban Chỉ đạo Quốc gia vận động hiến máu tình nguyện")
    expect(admin.get_by_test_id("kpi-units")).to_have_text("3")
    expect(admin.get_by_test_id("kpi-drives")).to_have_text("1")
    expect(indicator(admin, "first_time")).to_have_text("2")
    expect(indicator(admin, "repeat")).to_have_text("1")
    expect(indicator(admin, "deferred")).to_have_text("1")
    shot(admin, "14_report_nation")

    # == 8. Honors: the round proposes the veteran at the 20-donation milestone ========
    office.goto(f"{url}/ton-vinh/")
    office.get_by_role("link", name="Lập đợt tôn vinh").click()
    office.select_option("select[name=committee]", PROVINCE)
    office.fill("input[name=title]", f"Tôn vinh người hiến máu tiêu biểu năm {year}")
    office.fill("input[name=period_start]", dmy(start))
    office.fill("input[name=period_end]", dmy(end))
    office.fill("input[name=individual_from]", "5")
    office.click("main button[type=submit]")
    office.get_by_test_id("propose").click()
    individuals = office.get_by_test_id("list-individual")
    veteran_row = individuals.get_by_test_id("nomination").filter(has_text=VETERAN["name"])
    expect(veteran_row).to_have_count(1)
    expect(veteran_row.locator("td").nth(2)).to_have_text("20")
    expect(veteran_row).to_contain_text("Bằng khen của Chủ tịch UBND tỉnh")
    expect(veteran_row).to_contain_text("Đạt mốc 20 lần trong kỳ (từ 19 lên 20 lần)")
    expect(individuals).not_to_contain_text(NEWCOMER)  # one donation: below the round's 5
    shot(office, "15_honor_round")
    office.get_by_test_id("approve").click()
    expect(office.get_by_test_id("round-status")).to_have_text("đã duyệt", ignore_case=True)

    # == 9. A mailing about the next drive; the outbox sends it, every blank filled =====
    upcoming = Drive.objects.get(code=demo_code(UPCOMING_DRIVE))
    office.click("[data-nav=outreach]")
    office.get_by_test_id("new-mailing").click()
    office.select_option("select[name=sender]", PROVINCE)
    office.select_option("select[name=drive]", str(upcoming.code))
    office.fill("input[name=title]", "Mời hiến máu đợt tiếp theo ở Khu công nghiệp")
    office.check("input[name=channels][value=sms]")
    office.check("input[name=channels][value=zalo]")
    office.fill("textarea[name=body]", "Kính gửi {ho_ten}: mời bạn đến {dot} ngày {ngay} "
                                       "tại {dia_diem}. Đăng ký: {lien_ket}")
    office.select_option("select[name=club]", str(demo_code(DEMO_CLUB)))
    office.get_by_test_id("preview").click()
    rendered = office.get_by_test_id("rendered").first
    expect(rendered).to_contain_text(dmy(upcoming.date))
    expect(rendered).to_contain_text(upcoming.venue)
    expect(rendered).not_to_contain_text("{")
    shot(office, "16_mailing_preview")
    office.get_by_test_id("send").click()
    expect(office.get_by_test_id("message-row").first).to_be_visible()

    sent = outbox.send_due()  # the background worker's turn
    messages = list(Message.objects.filter(mailing__title="Mời hiến máu đợt tiếp theo ở "
                                                          "Khu công nghiệp"))
    assert messages and sent["sent"] == len(messages)
    link = f"{url}/hien-mau/{upcoming.code}/"
    for message in messages:
        assert message.status == "sent", message.status
        assert "{" not in message.body and "}" not in message.body, message.body
        assert message.donor.full_name in message.body
        assert upcoming.title in message.body and dmy(upcoming.date) in message.body
        assert upcoming.venue in message.body and link in message.body
    written = "".join(path.read_text(encoding="utf-8") for path in outbox_here.glob("*.log"))
    assert written.count(link) == len(messages) and "{" not in written
    # The link in the message opens the next drive's sign-up page.
    walker.goto(re.search(r"https?://\S+/hien-mau/\S+/", messages[0].body).group(0))
    expect(walker.get_by_test_id("sign-up-form")).to_be_visible()
    expect(walker.locator("h1")).to_have_text(upcoming.title)
    shot(walker, "17_phone_next_drive")
