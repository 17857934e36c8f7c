"""Awards: recorded one by one by the office of the recipient's unit, shown on the
person's, family's and unit's pages, counted in the reports of the units above."""

import datetime

from django.urls import reverse

from hienmau.donors import services as donors
from hienmau.honors import figures, services
from hienmau.honors.models import Award, Kind
from hienmau.reports import dashboard
from hienmau.reports.queries import Scope, plan_year

D = datetime.date


def test_the_office_records_an_award_shown_on_the_donors_page(client, office, hung, tree):
    client.force_login(office)
    page = client.get(reverse("donors:detail", args=[hung.code])).content.decode()
    assert "Chưa ghi khen thưởng nào." in page
    url = f"{reverse('honors:award_create')}?nguoi={hung.code}"
    response = client.post(url, {"title": "", "issuer": "UBND tỉnh A", "date": "14/06/2024"})
    assert "Trường này là bắt buộc." in response.content.decode() or \
        "This field is required." in response.content.decode()
    page = client.post(url, {"title": "Bằng khen của Chủ tịch UBND tỉnh",
                             "issuer": "Chủ tịch UBND tỉnh A", "number": "1234/QĐ-UBND",
                             "date": "14/06/2024"}, follow=True).content.decode()
    assert "Đã ghi khen thưởng cho Nguyễn Văn Hùng." in page
    assert "Bằng khen của Chủ tịch UBND tỉnh" in page and "QĐ số 1234/QĐ-UBND" in page
    award = Award.objects.get()
    page = client.post(reverse("honors:award_delete", args=[award.code]),
                       follow=True).content.decode()
    assert "Đã xóa khen thưởng" in page and not Award.objects.exists()


def test_family_and_unit_awards_on_their_pages(client, office, hung, tree):
    lan = donors.create_donor(actor=office, full_name="Trần Thị Lan", birth_year=1992,
                              sex="F", phone="0987 654 321", home=tree["district_one"])
    household = donors.join_household(lan, hung, actor=office)
    client.force_login(office)
    client.post(f"{reverse('honors:award_create')}?gia-dinh={household.code}", {
        "title": "Cúp thủy tinh màu đồng", "issuer": "BCĐ tỉnh A", "date": "14/06/2024"})
    page = client.get(reverse("donors:detail", args=[lan.code])).content.decode()
    assert "Cúp thủy tinh màu đồng" in page  # on every member's page
    client.post(f"{reverse('honors:award_create')}?don-vi={tree['company'].code}", {
        "title": "Giải thưởng Giọt hồng", "issuer": "Viện Huyết học - Truyền máu TW",
        "date": "20/12/2024"})
    page = client.get(reverse("orgs:detail", args=[tree["company"].code])).content.decode()
    assert "Giải thưởng Giọt hồng" in page


def test_only_the_office_of_the_recipients_unit_records_or_deletes(client, coordinator,
                                                                   outsider, office, hung):
    award = services.record_award(actor=office, recorded_for=hung.home, kind=Kind.INDIVIDUAL,
                                  recipient=hung, title="Giấy khen", issuer="Hội CTĐ tỉnh",
                                  date=D(2024, 6, 14))
    url = f"{reverse('honors:award_create')}?nguoi={hung.code}"
    for user in (coordinator, outsider):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(reverse("honors:award_delete", args=[award.code])).status_code \
            == 404
    assert Award.objects.count() == 1


def test_awards_are_counted_in_the_reports_of_the_units_above(office, hung, tree):
    for day in (D(2023, 6, 14), D(2023, 6, 14), D(2022, 6, 14)):
        services.record_award(actor=office, recorded_for=hung.home, kind=Kind.INDIVIDUAL,
                              recipient=hung, title="Giấy khen", issuer="Hội CTĐ", date=day)
    services.record_award(actor=office, recorded_for=tree["district_two"],
                          kind=Kind.COLLECTIVE, recipient=tree["district_two"],
                          title="Bằng khen", issuer="UBND tỉnh A", date=D(2023, 6, 14))
    start, end = plan_year(2023)
    assert figures.awards_by_kind([tree["province"].path], start, end) == {
        Kind.INDIVIDUAL: 2, Kind.COLLECTIVE: 1}
    assert figures.awards_by_kind([tree["district_one"].path], start, end) == {
        Kind.INDIVIDUAL: 2}
    report = dashboard.build(Scope(tree["province"], start, end), D(2023, 12, 1))
    lines = {line.key: (line.now, line.before) for line in dashboard.indicators(report)}
    assert lines["awards_individual"] == (2, 1)
    assert lines["awards_collective"] == (1, 0)
    assert "awards_family" not in lines
