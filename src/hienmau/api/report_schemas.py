"""Schemas of the report endpoint (`api/reports.py`). Percentages are numbers with one
decimal (185.0 means 185%); null where there is nothing to compare with."""

import datetime
import uuid

from ninja import Field, Schema


class ReportFilters(Schema):
    organization: uuid.UUID | None = None  # default: the highest the user may see
    # plan year (01/12 of the year before to 30/11)
    year: int | None = Field(None, ge=1900, le=2100)
    month: int | None = Field(None, ge=1, le=12)  # within the plan year
    section: str | None = None  # a section's number in the committee's plan ("I")
    campaign: uuid.UUID | None = None
    institution: uuid.UUID | None = None  # receiving institution


class IndicatorOut(Schema):
    key: str
    label: str
    kind: str  # count, percent, decimal
    value: float | None
    previous_year: float | None


class MonthOut(Schema):
    month: str  # "03/23"
    units: int | None  # None: the month has not come yet
    cumulative: int | None
    previous_year: int
    needed_pace: int | None


class ComparisonOut(Schema):
    """The growth over the same period last year, only where the two are alike
    (`reports.comparison`): else null, and `note` says why."""

    comparable: bool
    growth_percent: float | None
    previous_plan_year: int | None
    compared_until: datetime.date | None  # this period under way: last year to that day
    note: str


class UnitOut(Schema):
    code: uuid.UUID
    name: str
    own: bool  # the drives the organization holds itself, not a unit below it
    quota: int | None
    units: int
    percent_of_quota: float | None
    drives: int
    previous_year_units: int
    growth_percent: float | None  # null: not compared (see `growth_note`)
    growth_note: str
    planned_ahead: int
    at_risk: bool


class ReportOut(Schema):
    organization: uuid.UUID
    organization_name: str
    start: datetime.date
    end: datetime.date
    previous_start: datetime.date
    previous_end: datetime.date
    unit_of_blood: str
    drives: int
    units: int
    quota: int | None
    national_quota: int | None
    provincial_quota: int | None
    indicators: list[IndicatorOut]
    deferrals_by_reason: dict[str, int]
    months: list[MonthOut]
    comparison: ComparisonOut
    ranking: list[UnitOut]  # the units ranked, then the organization's own drives
    drives_ahead: int
