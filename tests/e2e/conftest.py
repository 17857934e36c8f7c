"""Browser tests: Debian's Chromium driven by Playwright, against a live server.

No browser is downloaded: Playwright launches /usr/bin/chromium. Without Chromium the
tests are skipped with a notice, unless HIENMAU_REQUIRE_BROWSER=1 (CI), where a
missing browser is a failure.
"""

import io
import os
import shutil

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; Django's guard against
# database access from async code would otherwise stop the live server's fixtures.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = next((path for path in ("/usr/bin/chromium", shutil.which("chromium"),
                                   shutil.which("chromium-browser"))
                 if path and os.access(path, os.X_OK)), None)
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pytest_collection_modifyitems(items):
    # Each module also sets `pytestmark = pytest.mark.e2e`; this catches one that forgets.
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        message = "Chromium chưa được cài: sudo apt-get install chromium"
        if os.environ.get("HIENMAU_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


def sign_in(page, base_url, username, password=None):
    """Sign in on `page` through the login form; returns the page."""
    from hienmau.demo.data import DEMO_PASSWORD

    page.goto(f"{base_url}/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password or DEMO_PASSWORD)
    # Wait for the answer page (the home page, or the form again with its error).
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return page


@pytest.fixture
def login(page, live_server, demo):
    def do_login(username, password=None):
        return sign_in(page, live_server.url, username, password)
    return do_login
