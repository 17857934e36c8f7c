"""The crawl: every page a demo role can reach answers without a server error.

For each demo account: the pages of its menu, every option of every report filter (each
unit with each plan year, each month, section, campaign and institution) and every page
linked from those (object pages, tabs, pagination, downloads). A page may answer 200, a
redirect, 403 or 404 (a link may lead where the role may not go); a 5xx, or an
exception, fails the test and names the page and the page that linked to it.

The demo is loaded once for the module; the crawl only reads (GET).
"""

import os
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from hienmau.demo.data import DEMO_PASSWORD

TRACE = os.environ.get("HIENMAU_CRAWL_TRACE") == "1"
ROLES = ["admin", "vanphong", "dieuphoi", "vienhuyethoc", "lanhdao", "truongclb"]

# Left out: signing out ends the crawl's session; Django's admin and the API's docs page
# are other projects' screens (the admin's index is still opened from the menu).
SKIPPED_PREFIXES = ("/dang-xuat/", "/admin/", "/api/", "/static/", "/media/")
MENU_ONLY_PREFIXES = ("/admin/", "/api/")
# Pages of one kind opened per role (object pages of one view, one list's pages…).
PER_SHAPE = 3


class _Links(HTMLParser):
    """The links of a page and its GET forms' <select> options."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.menu: list[str] = []
        self.selects: list[tuple[str, str, list[str]]] = []  # (form action, name, values)
        self._in_nav = 0
        self._form_action: str | None = None
        self._select: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav":
            self._in_nav += 1
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
            if self._in_nav:
                self.menu.append(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self._form_action = attrs.get("action") or ""
        elif tag == "select" and self._form_action is not None and attrs.get("name"):
            self._select = (attrs["name"], [])
        elif tag == "option" and self._select is not None and attrs.get("value"):
            self._select[1].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_nav = max(0, self._in_nav - 1)
        elif tag == "form":
            self._form_action = None
        elif tag == "select" and self._select is not None:
            self.selects.append((self._form_action or "", *self._select))
            self._select = None


def _parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def _local(url: str, base: str) -> str | None:
    """The path and query of a link on this site, or None for another site or a fragment."""
    parts = urlsplit(urljoin(base, url))
    if parts.scheme not in ("http", "") or parts.netloc not in ("testserver", ""):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Crawl:
    def __init__(self, client: Client, *, with_unit_years=False):
        self.client = client
        self.with_unit_years = with_unit_years
        self.seen: set[str] = set()
        self.failures: list[str] = []
        self.shapes: Counter = Counter()
        self.visited = 0

    def get(self, path: str, referrer: str, *, every=False):
        if path in self.seen:
            return None
        self.seen.add(path)
        shape = _shape(path)
        self.shapes[shape] += 1
        if not every and self.shapes[shape] > PER_SHAPE:
            return None
        self.visited += 1
        if TRACE:
            print(self.visited, path, flush=True)
        try:
            response = self.client.get(path)
        except Exception as error:  # the test client re-raises the view's exception
            self.failures.append(f"{path} (from {referrer}): {type(error).__name__}: {error}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{path} (from {referrer}): HTTP {response.status_code}")
            return None
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            return None
        return _parse(response.content.decode())

    def report_filters(self, path: str, page: _Links):
        """Each option of each report filter alone and, where asked, each unit with
        each plan year in which it has drives (where data can disagree with a page)."""
        base = urlsplit(path).path
        by_name = {name: values for action, name, values in page.selects
                   if (action or base) == base}
        for name, values in by_name.items():
            for value in values:
                self.get(f"{base}?{urlencode({name: value})}", path, every=True)
        if not self.with_unit_years:
            return
        for unit in by_name.get("don_vi", []):
            for year in _plan_years_with_drives(unit):
                self.get(f"{base}?{urlencode({'don_vi': unit, 'nam': year})}", path,
                         every=True)

    def run(self):
        home = self.get("/", "login")
        assert home is not None, "the home page does not open"
        menu = [p for p in (_local(h, "/") for h in home.menu) if p]
        assert menu, "the home page has no menu"
        queue = deque()
        for path in menu:
            if path.startswith(MENU_ONLY_PREFIXES):
                self.get(path, "menu")
                continue
            page = self.get(path, "menu")
            if page is None:
                continue
            if path.startswith("/bao-cao/"):
                self.report_filters(path, page)
            queue.append((path, page))
        # Every page linked from the menu's pages, and the pages those link to in turn
        # when they are tabs of the same section (same first path segment).
        while queue:
            path, page = queue.popleft()
            for href in page.links:
                target = _local(href, path)
                if not target or target.startswith(SKIPPED_PREFIXES) or target in self.seen:
                    continue
                linked = self.get(target, path)
                if linked is not None and _section(target) == _section(path) and \
                        _depth(target) <= 3:
                    queue.append((target, linked))


def _plan_years_with_drives(unit_code: str) -> list[int]:
    from hienmau.orgs.models import Organization
    from hienmau.plans.models import Drive
    from hienmau.reports.queries import plan_year_of

    path = Organization.objects.get(code=unit_code).path
    days = Drive.objects.filter(organizer__path__startswith=path).values_list("date",
                                                                              flat=True)
    return sorted({plan_year_of(day) for day in days})


def _shape(path: str) -> tuple:
    """Pages of one kind: the same view with the same query parameters. The calendar
    links every day to "new drive on that day", a list links every page: a few of each
    kind say what the rest would."""
    parts = urlsplit(path)
    try:
        view = resolve(parts.path).view_name
    except Resolver404:
        view = parts.path
    return view, tuple(sorted(parse_qs(parts.query)))


def _section(path: str) -> str:
    return urlsplit(path).path.strip("/").split("/")[0]


def _depth(path: str) -> int:
    return len([p for p in urlsplit(path).path.split("/") if p])


@pytest.mark.parametrize("username", ROLES)
def test_every_reachable_page_answers_without_a_server_error(demo_data, db, username):
    client = Client(raise_request_exception=True)
    assert client.login(username=username, password=DEMO_PASSWORD)
    # Every unit with every plan year that has drives, once: the superuser's filter lists
    # every unit; the other roles' lists are parts of it.
    crawl = Crawl(client, with_unit_years=username == "admin")
    crawl.run()
    assert not crawl.failures, "\n".join(crawl.failures)
    # The crawl really went somewhere: every role has several pages and objects.
    assert crawl.visited > 20
