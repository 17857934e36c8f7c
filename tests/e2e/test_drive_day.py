"""One donor on drive day, in the browser: the coordinator's desk checks them in from a
scanned code, the institution's staff screen and collect on a phone-sized screen, the
certificate is printed and its QR page verifies it; the live tally counts them."""

import pytest
from playwright.sync_api import expect

from hienmau.demo.loader import TODAYS_DRIVE, demo_code

pytestmark = pytest.mark.e2e


def test_one_donor_from_check_in_to_certificate(login, live_server, browser):
    from hienmau.drives.models import Registration

    code = demo_code(TODAYS_DRIVE)
    registration = Registration.objects.filter(drive__code=code, status="registered",
                                               donor__weight_kg__gte=50).first()
    name = registration.donor.full_name
    page = login("dieuphoi")
    page.goto(f"{live_server.url}/dot-hien-mau/{code}/")
    page.get_by_test_id("open-station").click()
    # A USB scanner types the QR code's text and presses Enter.
    page.get_by_test_id("station-search").fill(registration.reference.lower())
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("person-name")).to_have_text(name)
    expect(page.get_by_test_id("eligible")).to_be_visible()
    page.get_by_test_id("check-in").click()
    expect(page.locator(".alert-success")).to_contain_text(name)
    # The coordinator puts the live tally on the hall's screen.
    page.goto(f"{live_server.url}/dot-hien-mau/{code}/ket-qua-truc-tiep/")
    before = int(page.get_by_test_id("tally-collected").inner_text())

    # The institution's staff, on a phone.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN",
                                is_mobile=True, has_touch=True).new_page()
    from hienmau.demo.data import DEMO_PASSWORD
    phone.goto(f"{live_server.url}/dang-nhap/")
    phone.fill("input[name=username]", "vienhuyethoc")
    phone.fill("input[name=password]", DEMO_PASSWORD)
    with phone.expect_navigation():
        phone.click("main button[type=submit]")
    phone.goto(f"{live_server.url}/dot-hien-mau/{code}/ngay-hien-mau/")
    phone.get_by_test_id("station-search").fill(registration.reference)
    phone.keyboard.press("Enter")
    phone.fill("input[name=weight_kg]", "61")
    phone.fill("input[name=hemoglobin_g_l]", "138")
    phone.get_by_test_id("screen").click()
    expect(phone.get_by_test_id("collect")).to_be_visible()
    phone.get_by_test_id("bag").fill("E2E-0001")
    phone.get_by_label("350 ml").check()
    phone.get_by_test_id("collect").click()
    expect(phone.locator(".alert-success")).to_contain_text("E2E-0001")

    phone.goto(f"{live_server.url}/dot-hien-mau/{code}/ngay-hien-mau/"
               f"{registration.reference}/")
    expect(phone.get_by_test_id("collected")).to_contain_text("350 ml")
    certificate = phone.get_by_test_id("certificate").get_attribute("href")
    pdf = phone.request.get(f"{live_server.url}{certificate}")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    registration.refresh_from_db()
    phone.goto(f"{live_server.url}/chung-nhan/{registration.donation.code}/")
    expect(phone.get_by_test_id("certificate-name")).to_have_text(name)

    # The tally on the hall's screen counts the new bag by itself (htmx, every 5 s).
    expect(page.get_by_test_id("tally-collected")).to_have_text(str(before + 1),
                                                               timeout=12_000)
    phone.context.close()


def test_the_desk_scans_a_qr_code_with_the_camera(live_server, demo, browser, tmp_path):
    """Chromium's fake camera plays a video of a registration's QR code; the desk's
    camera button reads it (jsQR: desktop Chromium has no BarcodeDetector) and opens
    the person."""
    import io

    import segno
    from PIL import Image

    from hienmau.demo.data import DEMO_PASSWORD
    from hienmau.drives.models import Registration
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    code = demo_code(TODAYS_DRIVE)
    registration = Registration.objects.filter(drive__code=code, status="registered").first()
    png = io.BytesIO()
    segno.make_qr(registration.reference, error="m").save(png, kind="png", scale=12, border=4)
    frame = Image.new("RGB", (640, 480), "white")
    qr = Image.open(png).convert("RGB")
    frame.paste(qr, ((640 - qr.width) // 2, (480 - qr.height) // 2))
    # A Y4M video (4:2:0): the grey levels as luma, no colour.
    luma = frame.convert("L").tobytes()
    chroma = bytes([128]) * (640 * 480 // 4)
    video = tmp_path / "qr.y4m"
    video.write_bytes(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n"
                      + (b"FRAME\n" + luma + chroma + chroma) * 10)
    # A browser of its own: the fake camera is chosen when Chromium starts.
    camera_browser = browser.browser_type.launch(executable_path=CHROMIUM, args=[
        *CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])
    try:
        page = camera_browser.new_context(locale="vi-VN", permissions=["camera"]).new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/dang-nhap/")
        page.fill("input[name=username]", "dieuphoi")
        page.fill("input[name=password]", DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        page.goto(f"{live_server.url}/dot-hien-mau/{code}/ngay-hien-mau/")
        page.get_by_test_id("camera-scan").click()
        expect(page.get_by_test_id("person-name")).to_have_text(registration.donor.full_name)
    finally:
        camera_browser.close()
