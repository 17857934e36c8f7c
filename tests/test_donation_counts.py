"""One count of "how many times has this person given" (`donors.history.times_given`)
across the seams: the check-in desk, the donor page, the certificate, honors and reports
say the same thing of donors at their 18th and 21st donation.

    Hùng: 17 donations before HienMau (recorded with their source), his 18th today.
    Lan: 5 before HienMau, 14 written in from an old book, her 20th at huyện Hai's drive
         90 days ago, her 21st today.
    Mai: her first donation today.

Today's drive is huyện Một's, received by the institute; one of its three bags was
discarded after closing (2 units confirmed).
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from hienmau.donors import services as donors
from hienmau.drives import drive_day, registrations
from hienmau.drives.drive_day import ScreeningInput
from hienmau.drives.models import Donation
from hienmau.plans.models import Drive
from hienmau.reports import dashboard, queries
from hienmau.reports.queries import Scope
from tests.office import pdf_text

ACCEPT = ScreeningInput(accepted=True, weight_kg=Decimal("60"), hemoglobin_g_l=135,
                        systolic_mm_hg=120, diastolic_mm_hg=80, pulse_bpm=72)
SOURCE = "Sổ theo dõi người hiến máu của Hội CTĐ huyện"


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def people(tree, office, hung):
    donors.record_prior_donations(hung, actor=office, count=17, source=SOURCE)
    lan = donors.create_donor(actor=office, full_name="Trần Thị Lan",
                              birth_date=datetime.date(1985, 3, 8), sex="F",
                              phone="0987 654 321", home=tree["district_one"], weight_kg=55)
    donors.record_prior_donations(lan, actor=office, count=5, source=SOURCE)
    for n in range(14):  # from an old book, no drive
        Donation.objects.create(donor=lan, date=days_ago(300 + 200 * n), volume_ml=250,
                                source="Sổ hiến máu cũ")
    mai = donors.create_donor(actor=office, full_name="Lê Thị Mai",
                              birth_date=datetime.date(2003, 9, 2), sex="F",
                              phone="0903 111 222", home=tree["district_one"], weight_kg=52)
    return {"hung": hung, "lan": lan, "mai": mai}


@pytest.fixture
def earlier_drive(tree, people, staff):
    """Huyện Hai's drive 90 days ago, where Lan gave her 20th (recorded person by person)."""
    drive = Drive.objects.create(date=days_ago(90), venue="Nhà văn hóa huyện Hai",
                                 organizer=tree["district_two"], expected_units=1,
                                 receiving_institution=tree["institute"], title="Hè hồng")
    Donation.objects.create(donor=people["lan"], date=drive.date, volume_ml=350, drive=drive,
                            receiving_institution=tree["institute"])
    drive_day.close(drive, actor=staff, units_collected=1)
    return drive


@pytest.fixture
def drive(tree, people, earlier_drive, coordinator, staff):
    """Today's drive, where all three gave; not closed yet."""
    drive = Drive.objects.create(date=timezone.localdate(), venue="Nhà văn hóa huyện Một",
                                 organizer=tree["district_one"], expected_units=3,
                                 receiving_institution=tree["institute"],
                                 title="Ngày hội hiến máu Xuân hồng")
    for n, key in enumerate(("hung", "lan", "mai")):
        registration = registrations.register(drive, people[key], source="coordinator",
                                              actor=coordinator,
                                              today=timezone.localdate())[0]
        drive_day.check_in(registration, actor=coordinator)
        drive_day.screen(registration, ACCEPT, actor=staff)
        drive_day.collect(registration, volume_ml=350, bag=f"B-{n + 1}", actor=staff)
    return drive


@pytest.fixture
def closed(drive, staff):
    drive_day.close(drive, actor=staff, units_collected=2,
                    note="Một túi bị loại sau xét nghiệm")
    return drive


def test_the_desk_says_how_many_times_each_person_has_given(client, drive, people, staff):
    client.force_login(staff)
    for key, times in (("hung", 18), ("lan", 21), ("mai", 1)):
        reference = drive.registrations.get(donor=people[key]).reference
        page = client.get(reverse("drives:station_person", args=[drive.code, reference]))
        assert f"Đã hiến {times} lần" in page.content.decode(), key


def test_the_donor_page_counts_the_same(client, drive, people, office):
    client.force_login(office)
    for key, times, following in (
            ("hung", 18, "Mốc tiếp theo: lần thứ 20, còn 2 lần"),
            ("lan", 21, "Mốc tiếp theo: lần thứ 30, còn 9 lần")):
        page = client.get(reverse("donors:detail", args=[people[key].code])).content.decode()
        assert f'data-testid="donation-count">{times}<' in page, key
        assert following in page, key


def test_the_certificates_say_which_donation_it_is(client, drive, people, staff):
    client.force_login(staff)
    text = pdf_text(client.get(reverse("drives:drive_certificates", args=[drive.code])).content)
    for name, times in (("NGUYỄN VĂN HÙNG", 18), ("TRẦN THỊ LAN", 21), ("LÊ THỊ MAI", 1)):
        page = text[text.index(name):]
        assert re.search(rf"350 ml máu toàn phần, lần thứ {times}, ngày", page), name
    lan = Donation.objects.get(drive=drive, donor=people["lan"])
    verify = client.get(reverse("drives:verify_certificate", args=[lan.code]))
    assert "lần thứ 21" in verify.content.decode()


def test_the_honor_round_proposes_the_milestones_crossed(client, closed, people, tree,
                                                         office):
    from hienmau.honors import services

    honor_round = services.create_round(
        actor=office, committee=tree["province"], title="Tôn vinh người hiến máu",
        period_start=days_ago(120), period_end=timezone.localdate(), individual_from=1,
        family_from=3)
    client.force_login(office)
    client.post(reverse("honors:propose", args=[honor_round.code]))
    page = client.get(reverse("honors:round", args=[honor_round.code])).content.decode()
    rows = {name: row for row in page.split('data-testid="nomination"')[1:]
            for name in ("Trần Thị Lan", "Lê Thị Mai", "Nguyễn Văn Hùng") if name in row}
    # Lan went from 19 to 21: the 20 milestone; Mai her first; Hùng, 17 to 18, none.
    assert set(rows) == {"Trần Thị Lan", "Lê Thị Mai"}
    assert '<td class="text-end">21</td>' in rows["Trần Thị Lan"]
    assert "Bằng khen của Chủ tịch UBND tỉnh" in rows["Trần Thị Lan"]
    assert '<td class="text-end">1</td>' in rows["Lê Thị Mai"]


def test_the_emulation_ranking_scores_repeat_donors_as_people(client, closed, tree, office):
    client.force_login(office)
    page = client.get(reverse("honors:emulation"), {
        "don_vi": tree["province"].code,
        "nam": queries.plan_year_of(timezone.localdate())}).content.decode()
    row = page[page.index(">BCĐ huyện Một<"):]
    cell = row[row.index('data-key="repeat"'):row.index("</td>", row.index('data-key="repeat"'))]
    # Hùng and Lan of the three people who gave: 66,7% repeat donors (it said 0%).
    assert "66,7%" in cell


def indicator(html, key):
    row = html[html.index(f'data-key="{key}"'):]
    return row[:row.index("</tr>")]


def test_the_report_counts_first_time_and_repeat_donors_as_people(client, closed, tree,
                                                                  office):
    """Today's month: 2 units (a bag discarded), 3 people: Mai first-time, Hùng and Lan
    repeat (it said "lần đầu 2, nhắc lại 0": Hùng's 17 before HienMau not counted, and
    2 units less 2 first-timers)."""
    today = timezone.localdate()
    client.force_login(office)
    for org in (tree["district_one"], tree["province"]):
        html = client.get(reverse("reports:dashboard"), {
            "don_vi": org.code, "nam": queries.plan_year_of(today),
            "thang": today.month}).content.decode()
        assert 'fw-semibold">1<' in indicator(html, "first_time"), org
        assert 'fw-semibold">2<' in indicator(html, "repeat"), org
        assert 'fw-semibold">33%<' in indicator(html, "share_first_time"), org


def test_over_a_period_repeat_donors_are_counted_drive_by_drive(closed, tree):
    """Over the last 120 days: Mai first-time; Hùng repeat at huyện Một's drive, Lan at
    both drives (the figures add up from the drives, as the units' rows do)."""
    def report(org):
        return dashboard.build(Scope(org, days_ago(120), timezone.localdate()),
                               timezone.localdate())

    province = report(tree["province"])
    assert (province.now.units, province.now.first_time, province.now.repeat) == (3, 1, 3)
    assert province.now.share_first_time == Decimal("25.0")
    rows = {row.organization.name: row.now for row in province.units}
    assert (rows["BCĐ huyện Một"].first_time, rows["BCĐ huyện Một"].repeat) == (1, 2)
    assert (rows["BCĐ huyện Hai"].first_time, rows["BCĐ huyện Hai"].repeat) == (0, 1)
    institute = report(tree["institute"])  # every drive it received
    assert (institute.now.first_time, institute.now.repeat) == (1, 3)


def test_closing_a_drive_counts_its_first_time_donors_with_their_history(closed):
    assert closed.result.people_first_time == 1  # Mai; not Hùng (17 before HienMau)
