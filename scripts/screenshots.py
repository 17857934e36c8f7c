"""Full-page screenshots of HienMau pages, to look at what a person sees.

    PORT=8765 ./dev start &
    .venv/bin/python scripts/screenshots.py / /don-vi/ /nhat-ky/            # as vanphong
    .venv/bin/python scripts/screenshots.py --user dieuphoi /don-vi/
    .venv/bin/python scripts/screenshots.py --anonymous /dang-nhap/

PNG files go to var/screenshots/, named after the user and the path.
"""

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--user", default="vanphong")
    parser.add_argument("--password", default="hienmau-demo-2024")
    parser.add_argument("--anonymous", action="store_true")
    parser.add_argument("--out", default="var/screenshots")
    options = parser.parse_args()
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    who = "anonymous" if options.anonymous else options.user
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        if not options.anonymous:
            page.goto(f"{options.base}/dang-nhap/")
            page.fill("input[name=username]", options.user)
            page.fill("input[name=password]", options.password)
            page.click("button[type=submit]")
        for path in options.paths:
            page.goto(options.base + path)
            page.wait_for_load_state("networkidle")
            name = re.sub(r"[^\w]+", "_", path).strip("_") or "home"
            target = out / f"{who}_{name}.png"
            page.screenshot(path=str(target), full_page=True)
            print(target)
        browser.close()


if __name__ == "__main__":
    main()
