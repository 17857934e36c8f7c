"""What a person sees before reading: the menu keeps to one line on a 1366 px laptop, and
no page of any role's menu scrolls sideways on a 390 px phone (long tables become cards
or scroll inside their own box)."""

import pytest

from hienmau.demo.loader import TODAYS_DRIVE, demo_code
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

ROLES = ["admin", "vanphong", "dieuphoi", "vienhuyethoc", "lanhdao", "truongclb"]


def _signed_in(browser, live_server, username, viewport, phone=False):
    context = browser.new_context(viewport=viewport, locale="vi-VN", is_mobile=phone,
                                  has_touch=phone)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return sign_in(page, live_server.url, username)


def _menu_paths(page) -> list[str]:
    hrefs = page.locator("[data-testid=main-menu] a[data-nav]").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    return [h for h in hrefs if not h.startswith(("/admin/", "/api/"))]


def test_the_menu_keeps_to_one_line_at_1366(browser, live_server, demo):
    for username in ROLES:
        page = _signed_in(browser, live_server, username, {"width": 1366, "height": 900})
        tops = page.locator(".navbar .navbar-nav > .nav-item").evaluate_all(
            "items => items.map(li => Math.round(li.getBoundingClientRect().top))")
        assert len(set(tops)) == 1, f"{username}: the menu wraps ({sorted(set(tops))})"
        page.context.close()


@pytest.mark.parametrize("username", ROLES)
def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, demo, username):
    page = _signed_in(browser, live_server, username, {"width": 390, "height": 844},
                      phone=True)
    paths = ["/", *_menu_paths(page)]
    if username in ("dieuphoi", "vienhuyethoc"):
        paths.append(f"/dot-hien-mau/{demo_code(TODAYS_DRIVE)}/")
    wide = {}
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width
    page.context.close()
    assert not wide, f"{username}: pages wider than the phone: {wide}"
