"""Honor rounds: the proposed lists from data, the office's edits with their reasons
(kept when the lists are made again), approval, awards recorded from the lists."""

import datetime

import pytest

from hienmau.donors import services as donors
from hienmau.honors import services
from hienmau.honors.models import Award, Kind
from hienmau.honors.services import HonorError
from hienmau.orgs.models import AuditEntry

D = datetime.date


def listed(honor_round, kind):
    return {(str(n.recipient), n.tier, n.donations, n.included)
            for n in honor_round.nominations.filter(kind=kind)}


def test_the_round_proposes_people_families_and_units_from_data(honor_round, people, office,
                                                                 tree):
    donors.join_household(people["lan"], people["hung"], actor=office)
    counts = services.propose(honor_round, actor=office, today=D(2023, 12, 10))
    assert counts == {Kind.INDIVIDUAL: 2, Kind.FAMILY: 1, Kind.COLLECTIVE: 1}
    assert listed(honor_round, Kind.INDIVIDUAL) == {
        ("Nguyễn Văn Hùng", 20, 21, True), ("Trần Thị Lan", 1, 1, True)}
    # The family: 19 before the period, 22 at its end: tiers 20 crossed.
    assert listed(honor_round, Kind.FAMILY) == {("Gia đình Nguyễn Văn Hùng", 20, 22, True)}
    unit = honor_round.nominations.get(kind=Kind.COLLECTIVE)
    assert (unit.organization, unit.basis) == (
        tree["district_one"], "Đạt 83% chỉ tiêu (250/300 đơn vị máu)")


def test_the_offices_decisions_survive_a_new_proposal(honor_round, people, office, tree):
    services.propose(honor_round, actor=office)
    lan = honor_round.nominations.get(donor=people["lan"])
    with pytest.raises(HonorError) as error:
        services.decide(lan, actor=office, included=False, reason=" ")
    assert error.value.code == "reason_required"
    services.decide(lan, actor=office, included=False, reason="Chưa đủ 18 tuổi khi hiến")
    added = services.add(honor_round, actor=office, kind=Kind.COLLECTIVE,
                         subject=tree["company"], award="Giấy khen của BCĐ tỉnh",
                         reason="Vận động 3 đợt đột xuất khi bệnh viện thiếu máu")
    services.propose(honor_round, actor=office)  # again: nothing the office did is lost
    lan.refresh_from_db()
    assert (lan.included, lan.reason) == (False, "Chưa đủ 18 tuổi khi hiến")
    assert honor_round.nominations.filter(pk=added.pk, proposed=False).exists()
    assert honor_round.nominations.count() == 4  # Hùng, Lan, huyện Một, the company: once
    with pytest.raises(HonorError) as error:
        services.add(honor_round, actor=office, kind=Kind.INDIVIDUAL, subject=people["hung"],
                     award="Bằng khen", reason="Trùng")
    assert error.value.code == "already_listed"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"hienmau.honors.nomination_decided", "hienmau.honors.nomination_added",
            "hienmau.honors.proposed"} <= actions


def test_approved_lists_no_longer_change_and_give_awards_once(honor_round, people, office):
    with pytest.raises(HonorError) as error:
        services.approve(honor_round, actor=office)
    assert error.value.code == "not_proposed"
    services.propose(honor_round, actor=office)
    lan = honor_round.nominations.get(donor=people["lan"])
    services.decide(lan, actor=office, included=False, reason="Hồ sơ chưa đủ")
    services.approve(honor_round, actor=office)
    with pytest.raises(HonorError) as error:
        services.propose(honor_round, actor=office)
    assert error.value.code == "approved"
    with pytest.raises(HonorError):
        services.decide(lan, actor=office, included=True, reason="Bổ sung")
    honor_round.refresh_from_db()
    recorded = services.record_round_awards(honor_round, actor=office, issuer="UBND tỉnh A",
                                            number="123/QĐ-UBND", date=D(2024, 6, 14))
    assert recorded == 2  # Hùng and huyện Một; Lan was taken off
    assert services.record_round_awards(honor_round, actor=office, issuer="UBND tỉnh A",
                                        number="123/QĐ-UBND", date=D(2024, 6, 14)) == 0
    award = Award.objects.get(donor=people["hung"])
    assert (award.title, award.number) == ("Bằng khen của Chủ tịch UBND tỉnh", "123/QĐ-UBND")
