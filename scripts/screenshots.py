"""Full-page screenshots of HienMau pages, to look at what a person sees.

    PORT=8765 ./dev start &
    .venv/bin/python scripts/screenshots.py / /don-vi/ /nhat-ky/            # as vanphong
    .venv/bin/python scripts/screenshots.py --user dieuphoi /don-vi/
    .venv/bin/python scripts/screenshots.py --anonymous /dang-nhap/
    .venv/bin/python scripts/screenshots.py --phone --user dieuphoi /dot-hien-mau/…/

PNG files go to var/screenshots/, named after the user and the path. The browser is
Debian's Chromium (/usr/bin/chromium); nothing is downloaded.
"""

import argparse
import os
import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def demo_password() -> str:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hienmau.settings")
    django.setup()
    from hienmau.demo.data import DEMO_PASSWORD

    return DEMO_PASSWORD


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="paths to capture, e.g. / /don-vi/")
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--user", default="vanphong")
    parser.add_argument("--password", help="default: the demo accounts' password")
    parser.add_argument("--anonymous", action="store_true", help="do not log in")
    parser.add_argument("--out", default="var/screenshots")
    parser.add_argument("--phone", action="store_true", help="a 390×844 phone screen")
    options = parser.parse_args()
    base = options.base.rstrip("/")
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    who = "anonymous" if options.anonymous else options.user
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        viewport = {"width": 390, "height": 844} if options.phone else {"width": 1366,
                                                                           "height": 900}
        page = browser.new_page(viewport=viewport, locale="vi-VN", is_mobile=options.phone,
                                has_touch=options.phone)
        if not options.anonymous:
            page.goto(f"{base}/dang-nhap/")
            page.fill("input[name=username]", options.user)
            page.fill("input[name=password]", options.password or demo_password())
            with page.expect_navigation():
                page.click("main button[type=submit]")
            if "/dang-nhap/" in page.url:
                browser.close()
                sys.exit(f"Đăng nhập thất bại (login failed) as {options.user}")
        for path in options.paths:
            response = page.goto(base + path)
            page.wait_for_load_state("networkidle")
            name = re.sub(r"\W+", "_", path).strip("_") or "home"
            target = out / f"{who}_{name}{'_phone' if options.phone else ''}.png"
            page.screenshot(path=str(target), full_page=True)
            print(target, response.status if response else "")
        browser.close()


if __name__ == "__main__":
    main()
