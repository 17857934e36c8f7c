"""The round pages as an office uses them: create, propose, edit with reasons, add,
approve, download, record the decision; and who may see or change a round."""

import io

import openpyxl
from django.urls import reverse

from hienmau.donors import services as donors
from hienmau.honors.models import Award, HonorRound, Kind
from tests import office as office_files


def test_an_office_runs_a_round_from_the_pages(client, office, tree, year_2023, people,
                                               tmp_path):
    client.force_login(office)
    assert "Chưa có đợt tôn vinh nào" in client.get(reverse("honors:rounds")).content.decode()
    response = client.post(reverse("honors:round_create"), {
        "committee": tree["province"].code, "title": "Tôn vinh 14/6/2024",
        "period_start": "01/12/2022", "period_end": "01/11/2022", "individual_from": 1,
        "family_from": 3, "collective_percent": "80", "collective_award": "Bằng khen"})
    assert "Ngày kết thúc kỳ xét phải sau ngày bắt đầu." in response.content.decode()
    response = client.post(reverse("honors:round_create"), {
        "committee": tree["province"].code, "title": "Tôn vinh 14/6/2024",
        "period_start": "01/12/2022", "period_end": "30/11/2023", "individual_from": 1,
        "family_from": 3, "collective_percent": "80", "collective_award": "Bằng khen"},
        follow=True)
    honor_round = HonorRound.objects.get()
    assert "Chưa có danh sách" in response.content.decode()
    page = client.post(reverse("honors:propose", args=[honor_round.code]),
                       follow=True).content.decode()
    assert "Đã lập danh sách đề xuất: 2 cá nhân, 0 gia đình, 1 tập thể." in page
    assert "Nguyễn Văn Hùng" in page and "BCĐ huyện Một" in page

    lan = honor_round.nominations.get(donor=people["lan"])
    decide = reverse("honors:decide", args=[honor_round.code])
    page = client.post(decide, {"nomination": lan.pk, "included": "0", "reason": ""},
                       follow=True).content.decode()
    assert "Hãy ghi lý do điều chỉnh." in page
    page = client.post(decide, {"nomination": lan.pk, "included": "0",
                                "reason": "Chưa đủ hồ sơ"}, follow=True).content.decode()
    assert "Đã bỏ Trần Thị Lan khỏi danh sách." in page and "Lý do: Chưa đủ hồ sơ" in page

    son = donors.create_donor(actor=office, full_name="Lê Văn Sơn", birth_year=1980, sex="M",
                              phone="0903 111 222", home=tree["district_two"])
    add = reverse("honors:add", args=[honor_round.code])
    page = client.post(add, {"kind": Kind.FAMILY, "person": "0903111222",
                             "award": "Giấy khen", "reason": "Ba thế hệ"},
                       follow=True).content.decode()
    assert "Lê Văn Sơn chưa thuộc gia đình nào" in page
    page = client.post(add, {"kind": Kind.INDIVIDUAL, "person": "0903111222",
                             "award": "Giấy khen của BCĐ tỉnh",
                             "reason": "Hiến máu cứu người bị tai nạn"},
                       follow=True).content.decode()
    assert "Đã thêm Lê Văn Sơn vào danh sách." in page
    assert honor_round.nominations.get(donor=son).proposed is False

    xlsx = client.get(reverse("honors:export", args=[honor_round.code, "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Cá nhân", "Tập thể", "Điều chỉnh"]
    names = [row[1] for row in book["Cá nhân"].iter_rows(min_row=7, values_only=True)]
    assert names == ["Nguyễn Văn Hùng", "Lê Văn Sơn"]  # Lan taken off; the highest first
    changes = [row[4] for row in book["Điều chỉnh"].iter_rows(min_row=2, values_only=True)]
    assert changes == ["Chưa đủ hồ sơ", "Hiến máu cứu người bị tai nạn"]
    docx = client.get(reverse("honors:export", args=[honor_round.code, "docx"])).content
    text = office_files.docx_text(docx)
    assert "DANH SÁCH" in text and "Tôn vinh 14/6/2024" in text and "Lê Văn Sơn" in text
    assert "Trần Thị Lan" not in text
    converted = office_files.convert({"danh-sach.docx": docx, "danh-sach.xlsx": xlsx.content},
                                     "pdf", tmp_path)
    assert office_files.page_count(converted["danh-sach.docx"]) >= 1
    assert client.get(reverse("honors:export", args=[honor_round.code, "pdf"])).status_code \
        == 404

    page = client.post(reverse("honors:approve", args=[honor_round.code]),
                       follow=True).content.decode()
    assert "Đã duyệt danh sách." in page and "Ghi quyết định khen thưởng" in page
    page = client.post(reverse("honors:record_awards", args=[honor_round.code]), {
        "issuer": "Chủ tịch UBND tỉnh A", "number": "1234/QĐ-UBND", "date": "10/06/2024"},
        follow=True).content.decode()
    assert "Đã ghi khen thưởng cho 3 đối tượng theo quyết định 1234/QĐ-UBND." in page
    assert Award.objects.filter(round=honor_round).count() == 3


def test_who_sees_and_changes_a_round(client, office, viewer, coordinator, outsider,
                                      honor_round, people):
    from hienmau.honors import services

    services.propose(honor_round, actor=office)
    lan = honor_round.nominations.get(donor=people["lan"])
    services.decide(lan, actor=office, included=False, reason="Chưa đủ hồ sơ")
    url = reverse("honors:round", args=[honor_round.code])
    client.force_login(viewer)  # the province's leaders: the lists as decided, no changes
    page = client.get(url).content.decode()
    assert "Nguyễn Văn Hùng" in page and "Trần Thị Lan" not in page
    assert 'data-testid="propose"' not in page
    assert client.post(reverse("honors:propose", args=[honor_round.code])).status_code == 403
    assert client.get(reverse("honors:round_create")).status_code == 403
    assert client.get(reverse("honors:certificates", args=[honor_round.code])).status_code \
        == 403
    for user in (coordinator, outsider):  # units below or beside: not the province's round
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(reverse("honors:export", args=[honor_round.code, "xlsx"])) \
            .status_code == 404
        assert client.post(reverse("honors:approve", args=[honor_round.code])).status_code \
            == 404
        assert client.get(reverse("honors:certificates", args=[honor_round.code])) \
            .status_code == 404
        assert "Tôn vinh người hiến máu" not in client.get(
            reverse("honors:rounds")).content.decode()


def test_certificates_of_an_approved_round_one_page_each(client, office, honor_round,
                                                          people):
    from hienmau.honors import services

    services.propose(honor_round, actor=office)
    url = reverse("honors:certificates", args=[honor_round.code])
    client.force_login(office)
    page = client.get(url, follow=True).content.decode()
    assert "Giấy chứng nhận được in khi danh sách đã duyệt." in page
    services.approve(honor_round, actor=office)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    listed = honor_round.nominations.filter(included=True).count()
    assert office_files.page_count(response.content) == listed == 3  # Hùng, Lan, huyện Một
    assert response.content.startswith(b"%PDF")
