"""Which report a user may read: the scope a page or an API call asks for, within the
organizations the user may see. Outside them an organization does not exist for the
user (404), as everywhere else (orgs.access). Bad filters fall back to none."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from hienmau.orgs.access import get_organization_for_user
from hienmau.orgs.models import Kind, Organization
from hienmau.plans.models import Campaign
from hienmau.reports import queries
from hienmau.reports.queries import Scope

FIRST_YEAR = 2015


@dataclass
class Choices:
    """What the filters can be set to, for the page's form."""

    year: int
    years: list[int]
    month: int | None
    sections: list = field(default_factory=list)
    campaigns: list = field(default_factory=list)
    institutions: list = field(default_factory=list)
    organizations: list = field(default_factory=list)


def scope_for(user, *, today: datetime.date, organization=None, year=None, month=None,
              section=None, campaign=None, institution=None) -> tuple[Scope, Choices]:
    """The scope asked for: `organization` (a code; default the highest the user may
    see), plan `year`, `month` (1–12 within that plan year), plan `section` (its
    number), `campaign` and receiving `institution` (codes)."""
    org = (get_organization_for_user(user, organization) if organization
           else default_organization(user))
    this_year = queries.plan_year_of(today)
    year = _int(year, this_year, FIRST_YEAR, this_year + 1)
    start, end = queries.plan_year(year)
    month = _int(month, None, 1, 12)
    if month:
        # A plan year runs December to November: its December is the year before's.
        start, end = queries.month_range(start.year if month >= start.month else end.year,
                                         month)
    plan = queries.committee_plan(committee_of(org), *queries.plan_year(year))
    sections = list(plan.sections.all()) if plan else []
    chosen_section = next((s for s in sections if section and s.number == section), None)
    campaigns = list(Campaign.objects.order_by("name"))
    institutions = list(Organization.objects.filter(kind=Kind.RECEIVING_INSTITUTION)
                        .order_by("name"))
    scope = Scope(org, start, end, chosen_section, _by_code(campaigns, campaign),
                  _by_code(institutions, institution))
    return scope, Choices(year, list(range(this_year + 1, FIRST_YEAR - 1, -1)), month,
                          sections, campaigns, institutions, _organizations(user, org))


def default_organization(user) -> Organization:
    found = Organization.objects.visible_to(user).order_by("depth", "path").first()
    if found is None:
        raise Http404(_("Bạn chưa có vai trò ở tổ chức nào."))
    return found


def committee_of(org: Organization) -> Organization:
    """The committee whose plan sets the unit's year: itself or the nearest above."""
    if org.kind.endswith("committee"):
        return org
    return org.ancestors().filter(kind__endswith="committee").order_by("-depth").first() \
        or org


def shows_equivalents(organization: Organization) -> bool:
    """250 ml equivalents are shown where the organization or one above it asks."""
    if organization.shows_250ml_equivalents:
        return True
    return organization.ancestors().filter(shows_250ml_equivalents=True).exists()


def _organizations(user, current: Organization) -> list[Organization]:
    """The path above the current organization that the user may see, itself and the
    units just below it: where a report can go next."""
    steps = range(Organization.steplen, len(current.path), Organization.steplen)
    above = list(Organization.objects.visible_to(user).filter(
        path__in=[current.path[:i] for i in steps]).order_by("depth"))
    return above + [current] + list(current.children().order_by("name"))


def _int(text, default, low, high):
    try:
        value = int(text)
    except (TypeError, ValueError):
        return default
    return value if low <= value <= high else default


def _by_code(candidates, code):
    if not code:
        return None
    try:
        return next((c for c in candidates if str(c.code) == str(code)), None)
    except ValidationError:
        return None
