"""Schemas of the honors endpoints (`api/honors.py`)."""

import datetime
import uuid

from ninja import Schema


class RoundOut(Schema):
    code: uuid.UUID
    title: str
    committee: uuid.UUID
    committee_name: str
    period_start: datetime.date
    period_end: datetime.date
    ceremony_date: datetime.date | None
    status: str  # draft, approved
    individual_from: int
    family_from: int
    collective_percent: float | None
    collective_growth: float | None


class NominationOut(Schema):
    kind: str  # individual, family, collective
    name: str
    donor: uuid.UUID | None  # the person (individual), whose page has the rest
    organization: uuid.UUID | None  # the unit (collective)
    donations: int | None
    tier: int | None
    award: str
    basis: str
    proposed: bool  # False: added by the office
    included: bool
    reason: str  # the office's reason when it changed the proposal


class RoundDetailOut(RoundOut):
    nominations: list[NominationOut]


class ComponentOut(Schema):
    key: str
    label: str
    scored: bool  # False: not scored ("không chấm"), left out of `possible`
    value: float | None  # the figure, a percentage (null: not scored)
    points: float
    weight: int
    basis: str  # what the figure is measured against, or why it is not scored


class EmulationRowOut(Schema):
    rank: int
    organization: uuid.UUID
    name: str
    total: float | None  # points / possible on the full scale (null: nothing scored)
    points: float
    possible: int
    components: list[ComponentOut]


class EmulationOut(Schema):
    organization: uuid.UUID
    year: int
    growth_full_at: int
    ranking: list[EmulationRowOut]


class EmulationFilters(Schema):
    organization: uuid.UUID | None = None  # default: the highest the user may see
    year: int | None = None  # plan year


class AwardOut(Schema):
    kind: str
    recipient: str
    title: str
    issuer: str
    number: str
    date: datetime.date
    round: uuid.UUID | None
