"""The demo data: the seeds' organizations, loaded idempotently."""

import datetime
import io

import pytest
from django.core.management import call_command

from hienmau.accounts.models import User
from hienmau.demo import data, plan2024
from hienmau.demo.loader import demo_code
from hienmau.donors.models import Donor
from hienmau.orgs.duplicates import probable_duplicate_pairs
from hienmau.orgs.models import AuditEntry, Membership, Organization


@pytest.fixture
def demo(demo_data, db):
    """The demo, loaded once for this module (tests/module_data.py)."""


def org(key) -> Organization:
    return Organization.objects.get(code=demo_code(key))


def test_loading_twice_creates_nothing_more(demo, capsys):
    counts = (Organization.objects.count(), User.objects.count(), Membership.objects.count(),
              AuditEntry.objects.count())
    call_command("load_demo")
    assert "0 tổ chức mới" in capsys.readouterr().out
    assert counts == (Organization.objects.count(), User.objects.count(),
                      Membership.objects.count(), AuditEntry.objects.count())


def test_loading_keeps_what_users_changed(demo):
    from hienmau.orgs import services

    services.update_organization(org("hy.utehy"), actor=None, headcount=900)
    call_command("load_demo", stdout=io.StringIO())
    assert org("hy.utehy").headcount == 900


def test_seed_002_appendix_units_are_under_the_province_in_four_sections(demo):
    province = org("hy")
    sections = {number: [org(k).name for k, _quota in rows] for number, _title, rows in
                plan2024.SECTIONS}
    assert len(sections["I"]) == 10 and "Ban Chỉ đạo vận động HMTN thị xã Mỹ Hào" in sections["I"]
    assert sections["II"] == ["Ban Chỉ đạo vận động HMTN các Khu công nghiệp tỉnh Hưng Yên"]
    assert len(sections["III"]) == 2 and len(sections["IV"]) == 6
    for _number, _title, rows in plan2024.SECTIONS:
        for key, _quota in rows:
            assert org(key).parent_org() == province


def test_seed_000_companies_are_in_the_industrial_zone_committee(demo):
    names = [o.name for o in org("hy.kcn").children()]
    assert "Công ty TNHH Điện tử Canon Việt Nam" in names
    assert len([n for n in names if n.startswith("Công ty")]) == 10


def test_abolished_units_point_to_their_2025_successors(demo):
    last_day = datetime.date(2025, 6, 30)
    for old, new in [("hy.khoaichau", "hy.khoaichau.successor"), ("hy.kimdong", "hy"),
                     ("hp.duongkinh", "hp.duongkinh.successor"),
                     ("qn.mongcai", "qn.mongcai.successor"), ("hd", "hp")]:
        assert (org(old).successor, org(old).valid_to) == (org(new), last_day)
    assert org("hy.khoaichau.successor").commune_name == "Xã Khoái Châu"
    assert org("qn.mongcai.successor").commune_name == "Phường Móng Cái 1"
    assert org("hy.khoaichau").name == "Ban Chỉ đạo vận động HMTN huyện Khoái Châu"


def test_receiving_institutions_of_the_seeds_exist(demo):
    names = set(Organization.objects.filter(kind="receiving_institution")
                .values_list("name", flat=True))
    assert {"Viện Huyết học - Truyền máu Trung ương", "Bệnh viện Hữu nghị Việt Đức",
            "Trung tâm Huyết học - Truyền máu tỉnh Quảng Ninh"} <= names


def test_one_demo_account_per_role_and_a_club_leader(demo):
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles == {"vanphong": "office", "dieuphoi": "coordinator",
                     "vienhuyethoc": "institution_staff", "lanhdao": "viewer",
                     "truongclb": "coordinator"}
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="vanphong").check_password(data.DEMO_PASSWORD)


def test_demo_data_has_no_probable_duplicates(demo):
    assert probable_duplicate_pairs(Organization.objects.all()) == []


def test_the_demo_honor_round_proposes_milestones_and_a_family(demo):
    from hienmau.demo.loader import HONOR_ROUND
    from hienmau.honors.models import HonorRound

    honor_round = HonorRound.objects.get(title=HONOR_ROUND)
    listed = {(str(n.recipient), n.tier) for n in honor_round.nominations.all()}
    assert {("Nguyễn Văn Hùng", 20), ("Đỗ Quang Huy", 30), ("Vũ Thị Thu Hà", 5),
            ("Gia đình Vũ Thị Thu Hà", 5)} <= listed


def test_the_demo_club_has_members_the_coordinator_can_message(demo):
    from hienmau.demo.loader import DEMO_CLUB
    from hienmau.orgs.access import has_perm
    from hienmau.orgs.roles import MESSAGE_DONORS
    from hienmau.outreach import audience, consent

    club = org(DEMO_CLUB)
    assert club.kind == "club" and club.club_donors.count() == 8
    assert has_perm(User.objects.get(username="dieuphoi"), club, MESSAGE_DONORS)
    # Its leader manages it, and sees its members though they are kept by companies.
    leader = User.objects.get(username="truongclb")
    assert has_perm(leader, club, MESSAGE_DONORS)
    assert Donor.objects.visible_to(leader).count() == 8
    members = audience.select(club, audience.Filters(club=str(club.code)))
    assert len(members) == 8
    # Most demo donors agreed to SMS and Zalo; some did not, so previews show both.
    agreed = consent.consented(members, ["sms"])
    assert 0 < len(agreed) < len(members)


def test_demo_donors_load_once_with_their_history(demo):
    call_command("load_demo", stdout=io.StringIO())
    # The seven of demo/donors.py and the thirty workers at today's drive.
    assert Donor.objects.count() == 7 + 30
    hung = Donor.objects.get(name_key="nguyen van hung")
    assert hung.id_number.startswith("033090") and hung.donations.count() == 2
    assert hung.donations.first().drive.organizer == hung.home
