"""Milestones: the tiers a count reaches, the next one, those crossed in a period; the
prior donations an office records; the donor page's next milestone."""

import pytest
from django.urls import reverse

from hienmau.donors import milestones, services
from hienmau.donors.milestones import DEFAULT_TIERS, FAMILY, INDIVIDUAL, Tier
from hienmau.donors.models import MilestoneTier
from hienmau.drives.models import Donation


@pytest.mark.parametrize("count, reached, following", [
    (0, None, 1), (1, 1, 5), (4, 1, 5), (19, 15, 20), (20, 20, 30), (21, 20, 30),
    (69, 50, 70), (70, 70, 100), (100, 100, None), (150, 100, None),
])
def test_tiers_at_their_boundaries(count, reached, following):
    found = milestones.reached(count, DEFAULT_TIERS)
    assert (found.donations if found else None) == reached
    after = milestones.next_tier(count, DEFAULT_TIERS)
    assert (after.donations if after else None) == following


def test_the_confirmed_awards_of_the_quy_che():
    assert milestones.reached(20, DEFAULT_TIERS).award == "Bằng khen của Chủ tịch UBND tỉnh"
    assert milestones.reached(70, DEFAULT_TIERS).award == "Bằng khen của Thủ tướng Chính phủ"
    assert not milestones.reached(5, DEFAULT_TIERS).confirmed  # the award was not found


def test_tiers_crossed_in_a_period_and_families():
    assert [t.donations for t in milestones.crossed(19, 21, DEFAULT_TIERS)] == [20]
    assert [t.donations for t in milestones.crossed(0, 10, DEFAULT_TIERS)] == [1, 5, 10]
    assert milestones.crossed(20, 20, DEFAULT_TIERS) == []
    assert milestones.family_count([2, 3, 0]) == 5
    assert milestones.reached(5, DEFAULT_TIERS, FAMILY).award.startswith("Cúp thủy tinh màu đồng")
    assert milestones.next_tier(15, DEFAULT_TIERS, FAMILY).donations == 20


def test_a_committee_replaces_the_defaults_for_its_units(tree):
    assert milestones.tiers_for(tree["company"]) == DEFAULT_TIERS
    MilestoneTier.objects.create(committee=tree["district_one"], kind=INDIVIDUAL,
                                 donations=7, award="Quà của huyện", confirmed=False)
    assert milestones.tiers_for(tree["company"]) == [Tier(INDIVIDUAL, 7, "Quà của huyện",
                                                          False)]
    assert milestones.tiers_for(tree["district_two"]) == DEFAULT_TIERS


def test_prior_donations_need_a_source_and_count_toward_milestones(
        client, office, coordinator, hung):
    with pytest.raises(services.DonorError) as error:
        services.record_prior_donations(hung, actor=office, count=18, source="  ")
    assert error.value.code == "source_required"
    Donation.objects.create(donor=hung, date="2025-01-05", volume_ml=350)
    url = reverse("donors:prior_donations", args=[hung.code])
    client.force_login(coordinator)  # not the office
    assert client.post(url, {"count": 18, "source": "Sổ Hội CTĐ"}).status_code == 403
    client.force_login(office)
    client.post(url, {"count": 18, "source": "Sổ theo dõi của Hội CTĐ huyện"})
    hung.refresh_from_db()
    assert (hung.prior_donations, hung.prior_donations_source) == (
        18, "Sổ theo dõi của Hội CTĐ huyện")
    page = client.get(reverse("donors:detail", args=[hung.code])).content.decode()
    assert 'data-testid="donation-count">19<' in page
    assert "trong đó 18 lần trước khi có HienMau (Sổ theo dõi của Hội CTĐ huyện)" in page
    assert "Mốc tiếp theo: lần thứ 20, còn 1 lần (Bằng khen của Chủ tịch UBND tỉnh)" in page


def test_another_units_user_cannot_record_prior_donations(client, outsider, hung):
    client.force_login(outsider)
    response = client.post(reverse("donors:prior_donations", args=[hung.code]),
                           {"count": 5, "source": "x"})
    assert response.status_code == 404
