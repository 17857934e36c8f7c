"""Honor rounds with their lists, the awards of a unit and those below it, and the
emulation ranking: read-only, scoped as the pages are (`honors.views`)."""

import uuid

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router

from hienmau.api.honor_schemas import (
    AwardOut,
    EmulationFilters,
    EmulationOut,
    RoundDetailOut,
    RoundOut,
)
from hienmau.api.schemas import ErrorOut
from hienmau.honors import emulation
from hienmau.honors.figures import recipients_under
from hienmau.honors.models import Award, HonorRound
from hienmau.orgs.access import get_organization_for_user, has_perm
from hienmau.orgs.roles import MANAGE_HONORS
from hienmau.reports import access, dashboard

router = Router()


def _round(honor_round: HonorRound) -> dict:
    return {"code": honor_round.code, "title": honor_round.title,
            "committee": honor_round.committee.code,
            "committee_name": honor_round.committee.name,
            "period_start": honor_round.period_start, "period_end": honor_round.period_end,
            "ceremony_date": honor_round.ceremony_date, "status": honor_round.status,
            "individual_from": honor_round.individual_from,
            "family_from": honor_round.family_from,
            "collective_percent": _float(honor_round.collective_percent),
            "collective_growth": _float(honor_round.collective_growth)}


def _float(value):
    return None if value is None else float(value)


@router.get("/honors/rounds", response=list[RoundOut], tags=["honors"])
def rounds(request):
    """The honor rounds of the user's committees and those below them, latest first."""
    return [_round(r) for r in HonorRound.objects.visible_to(request.user).select_related(
        "committee")]


@router.get("/honors/rounds/{code}", response={200: RoundDetailOut, 404: ErrorOut},
            tags=["honors"])
def round_detail(request, code: uuid.UUID):
    """A round and its lists. Outside the committee's office, only the nominations kept
    on the lists."""
    honor_round = get_object_or_404(HonorRound.objects.visible_to(request.user)
                                    .select_related("committee"), code=code)
    manage = has_perm(request.user, honor_round.committee, MANAGE_HONORS)
    nominations = honor_round.nominations.select_related("donor", "household",
                                                         "organization")
    if not manage:
        nominations = nominations.filter(included=True)
    return {**_round(honor_round), "nominations": [
        {"kind": n.kind, "name": str(n.recipient),
         "donor": n.donor.code if n.donor else None,
         "organization": n.organization.code if n.organization else None,
         "donations": n.donations, "tier": n.tier, "award": n.award, "basis": n.basis,
         "proposed": n.proposed, "included": n.included, "reason": n.reason if manage else ""}
        for n in nominations]}


@router.get("/honors/awards", response={200: list[AwardOut], 404: ErrorOut}, tags=["honors"])
def awards(request, organization: uuid.UUID):
    """Awards received by the unit, the families and persons it keeps, and those below."""
    org = get_organization_for_user(request.user, organization)
    found = Award.objects.filter(recipients_under([org.path])).select_related(
        "donor", "household", "organization", "round")[:1000]
    return [{"kind": a.kind, "recipient": str(a.recipient), "title": a.title,
             "issuer": a.issuer, "number": a.number, "date": a.date,
             "round": a.round.code if a.round else None} for a in found]


@router.get("/honors/emulation", response={200: EmulationOut, 404: ErrorOut},
            tags=["honors"])
def emulation_ranking(request, filters: Query[EmulationFilters]):
    """The emulation ranking of the units below an organization for a plan year, each
    component's figure and points beside the total."""
    scope, choices = access.scope_for(request.user, today=timezone.localdate(),
                                      organization=filters.organization, year=filters.year)
    report = dashboard.build(scope, timezone.localdate())
    weights = emulation.weights_for(scope.organization)
    scores = emulation.ranking([row for row in report.units if not row.own], weights)
    return {"organization": scope.organization.code, "year": choices.year,
            "growth_full_at": weights.growth_full_at,
            "ranking": [{"rank": i, "organization": s.organization.code,
                         "name": s.organization.name, "total": _float(s.total),
                         "points": float(s.points), "possible": s.possible,
                         "components": [{"key": c.key, "label": c.label, "scored": c.scored,
                                         "value": _float(c.value), "points": float(c.points),
                                         "weight": weights.of(c.key), "basis": c.basis}
                                        for c in s.components]}
                        for i, s in enumerate(scores, start=1)]}
