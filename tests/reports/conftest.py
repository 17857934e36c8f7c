"""A province's plan year 2023 with its results, worked out by hand:

    Tỉnh A: plan 2023, national quota 250, provincial quota 310
    ├── huyện Một: quota 300. 05/03/2023: 120 of 100 expected (totals typed in)
    │   └── Công ty Một. 10/06/2023: 40 of 50 expected
    ├── huyện Hai: quota 200. 01/04/2022 (the year before): 70
    └── joint drive of the province, 01/08/2023: 150 units of 100 expected, shared
        60 / 40 between huyện Một and huyện Hai: 90 and 60 of its units.

All received by the institute. Province 2023: 3 drives, 310 units (124% of 250
expected); huyện Một 250 of 300 (83,3%); huyện Hai 60 of 200 (30%), 70 the year before.
"""

import datetime

import pytest

from hienmau.drives import drive_day
from hienmau.plans import services as plans

D = datetime.date


def closed(drive, units, **totals):
    drive_day.close(drive, actor=None, units_collected=units, totals=totals)
    drive.refresh_from_db()
    return drive


@pytest.fixture
def year_2023(tree):
    province, one, two = tree["province"], tree["district_one"], tree["district_two"]
    plan = plans.create_plan(actor=None, committee=province, title="Kế hoạch 2023",
                             starts_on=D(2022, 12, 1), ends_on=D(2023, 11, 30),
                             national_quota=250, provincial_quota=310)
    section = plans.save_section(plan, actor=None, number="I", title="Các huyện")
    plans.save_quota(plan, actor=None, organization=one, units=300, section=section)
    plans.save_quota(plan, actor=None, organization=two, units=200, section=section)

    def drive(day, organizer, expected, **extra):
        return plans.create_drive(actor=None, date=day, venue="Nhà văn hóa",
                                  organizer=organizer, expected_units=expected,
                                  receiving_institution=tree["institute"], **extra)

    drives = {
        "one": closed(drive(D(2023, 3, 5), one, 100), 120, people_registered=180,
                      people_present=150, people_deferred=30, people_first_time=40,
                      units_by_volume={"350": 100, "250": 20},
                      deferrals_by_reason={"hemoglobin": 30}),
        "company": closed(drive(D(2023, 6, 10), tree["company"], 50), 40),
        "joint": closed(drive(D(2023, 8, 1), province, 100, shares=[(one, 60), (two, 40)]),
                        150),
        "two_before": closed(drive(D(2022, 4, 1), two, 60), 70),
    }
    return {"plan": plan, "section": section, "drives": drives}
