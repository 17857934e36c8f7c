"""A round of the province for plan year 2023 over the reports' year (tests/reports):
Hùng crosses 20 in it (19 before, 2 in 2023), Lan gives her first, Lan's family with
Hùng crosses 20 too, huyện Một reaches 83% of its quota (250 of 300)."""

import datetime

import pytest

from hienmau.donors import services as donors
from hienmau.drives.models import Donation
from hienmau.honors import services
from tests.reports.conftest import year_2023  # noqa: F401 (a fixture)

D = datetime.date


@pytest.fixture
def people(tree, office, hung):
    lan = donors.create_donor(actor=office, full_name="Trần Thị Lan", birth_year=1992, sex="F",
                              phone="0987 654 321", home=tree["company"])
    donors.record_prior_donations(hung, actor=office, count=18, source="Sổ Hội CTĐ huyện")
    Donation.objects.create(donor=hung, date=D(2022, 10, 1), volume_ml=350)  # 19 before
    Donation.objects.create(donor=hung, date=D(2023, 3, 5), volume_ml=350)
    Donation.objects.create(donor=hung, date=D(2023, 8, 1), volume_ml=350)  # 21
    Donation.objects.create(donor=lan, date=D(2023, 3, 5), volume_ml=250)
    Donation.objects.create(donor=lan, date=D(2023, 12, 5), volume_ml=250)  # after the period
    return {"hung": hung, "lan": lan}


@pytest.fixture
def honor_round(tree, office, year_2023):  # noqa: F811
    return services.create_round(actor=office, committee=tree["province"],
                                 title="Tôn vinh người hiến máu tiêu biểu năm 2023",
                                 period_start=D(2022, 12, 1), period_end=D(2023, 11, 30),
                                 individual_from=1, family_from=3, collective_percent=80)
