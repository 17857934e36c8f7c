"""Each demo role logs in through the real form and sees its own menu."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

MENUS = {
    "admin": ["home", "orgs", "plans", "drives", "reports", "honors", "donors", "outreach",
              "duplicates", "audit", "api", "admin"],
    "vanphong": ["home", "orgs", "plans", "drives", "reports", "honors", "donors", "outreach",
                 "duplicates", "audit", "api"],
    "dieuphoi": ["home", "orgs", "plans", "drives", "reports", "honors", "donors", "outreach",
                 "api"],
    "vienhuyethoc": ["home", "orgs", "plans", "drives", "reports", "honors", "donors",
                     "outreach", "api"],
    "truongclb": ["home", "orgs", "plans", "drives", "reports", "honors", "donors",
                  "outreach", "api"],
    # Leaders and press see plans, drives and figures, never a person.
    "lanhdao": ["home", "orgs", "plans", "drives", "reports", "honors", "api"],
}
ROLE_LABELS = {
    "vanphong": "Văn phòng thường trực BCĐ",
    "dieuphoi": "Điều phối viên đơn vị",
    "vienhuyethoc": "Cán bộ đơn vị tiếp nhận máu",
    "lanhdao": "Người xem",
    "truongclb": "Điều phối viên đơn vị",
}


@pytest.mark.parametrize("username", list(MENUS))
def test_each_role_sees_its_menu(login, username):
    page = login(username)
    expect(page.get_by_test_id("main-menu")).to_be_visible()
    keys = page.locator("[data-testid=main-menu] a[data-nav]").evaluate_all(
        "links => links.map(a => a.dataset.nav)")
    assert keys == MENUS[username]
    if username in ROLE_LABELS:
        expect(page.get_by_test_id("membership")).to_have_count(1)
        expect(page.get_by_test_id("membership")).to_contain_text(ROLE_LABELS[username])
    else:  # the superuser has no membership, only the superuser notice
        expect(page.get_by_test_id("membership")).to_have_count(0)
        expect(page.locator("main")).to_contain_text("Bạn là quản trị hệ thống")


def test_wrong_password_is_explained(login):
    page = login("vanphong", "khong-dung-mat-khau")
    expect(page.locator(".alert-danger")).to_contain_text(
        "Tên đăng nhập/e-mail hoặc mật khẩu không đúng.")
    expect(page.get_by_test_id("main-menu")).to_have_count(0)


def test_office_unfolds_the_tree(login, live_server):
    page = login("vanphong")
    page.click("[data-nav=orgs]")
    # The province's first level opens by itself; the industrial-zone committee unfolds.
    node = page.get_by_role(
        "link", name="Ban Chỉ đạo vận động HMTN các Khu công nghiệp tỉnh Hưng Yên",
        exact=True).locator("xpath=..")
    expect(node.locator("> ul > li")).to_have_count(0)
    node.locator("> button.toggle").click()
    # htmx loads the children into the node's own list.
    children = node.locator("> ul > li[data-testid=tree-node]")
    expect(children.filter(has_text="Công ty TNHH Điện tử Canon Việt Nam")).to_have_count(1)
    expect(children.filter(has_text="Ban Quản lý các Khu công nghiệp tỉnh Hưng Yên")
           ).to_have_count(1)
    expect(node.locator("> button.toggle")).to_be_disabled()


def search_tree(page, text):
    page.click("[data-nav=orgs]")
    page.fill("input[name=q]", text)
    with page.expect_navigation():
        page.press("input[name=q]", "Enter")
    return page.get_by_test_id("search-result")


def test_office_finds_a_district_without_diacritics(login):
    page = login("vanphong")
    expect(search_tree(page, "khoai chau").filter(has_text="Khoái Châu")).not_to_have_count(0)


def test_coordinator_search_stays_in_its_subtree(login):
    page = login("dieuphoi")
    results = search_tree(page, "canon")
    expect(results).to_have_count(1)
    expect(results).to_contain_text("Công ty TNHH Điện tử Canon Việt Nam")
    # Khoái Châu is in the province, outside the industrial-zone committee's subtree.
    results = search_tree(page, "khoai chau")
    expect(results).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Khoái Châu")


def test_office_picks_a_commune_after_the_province(login):
    page = login("vanphong")
    page.click("[data-nav=orgs]")
    page.get_by_role("link", name="Ban Chỉ đạo vận động hiến máu tình nguyện tỉnh Hưng Yên").click()
    page.get_by_role("link", name="Thêm đơn vị trực thuộc").click()
    page.select_option("select[name=province_code]", label="Quảng Ninh")
    expect(page.locator("select[name=commune_code] option", has_text="Phường Móng Cái 1")
           ).to_have_count(1)


def test_language_switch_to_english(login):
    page = login("lanhdao")
    page.select_option("#language", "en")
    expect(page.locator("[data-nav=orgs]")).to_have_text("Organizations")
    page.select_option("#language", "vi")
    expect(page.locator("[data-nav=orgs]")).to_have_text("Tổ chức")
