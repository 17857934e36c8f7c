"""The year-end summary and a unit's report as DOCX and PDF: the seed's sentence from
data, last year beside it, the ranking, the charts; both open in LibreOffice."""

import datetime
import io

from django.urls import reverse
from docx import Document

from hienmau.reports import dashboard, documents, queries
from hienmau.reports.queries import Scope
from tests import office

D = datetime.date


def report_of(org):
    start, end = queries.plan_year(2023)
    return dashboard.build(Scope(org, start, end), D(2024, 1, 10))


def test_the_province_summary_says_what_seed_002_says(tree, year_2023):
    report = report_of(tree["province"])
    assert documents.is_summary(report)
    assert documents.result_sentence(report) == (
        "Tính từ ngày 01/12/2022 đến 30/11/2023, các cơ quan, đơn vị, địa phương đã triển "
        "khai 3 cuộc hiến máu, tiếp nhận 310 đơn vị máu, đạt 124% kế hoạch do Ban Chỉ đạo "
        "Quốc gia vận động hiến máu tình nguyện giao, đạt 100% kế hoạch do UBND tỉnh giao.")
    # 2022 holds huyện Hai's drive alone: not a year to compare with (test_comparison.py).
    assert documents.comparison_sentence(report) == (
        "Không so sánh với cùng kỳ năm 2022: số liệu năm đó chưa đầy đủ (năm đó chỉ có kết "
        "quả của 1 trong 2 đơn vị có kết quả kỳ này).")


def test_docx_has_the_layout_figures_ranking_and_charts(tree, year_2023):
    content = documents.report_docx(report_of(tree["province"]), day=D(2023, 12, 5))
    text = office.docx_text(content)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Tổng kết công tác vận động hiến máu tình nguyện năm 2023" in text
    assert "tiếp nhận 310 đơn vị máu" in text
    assert "1 | BCĐ huyện Một | 300 | 250 | 83% | 0" in text
    assert "2 | BCĐ huyện Hai | 200 | 60 | 30% | 70" in text
    assert len(Document(io.BytesIO(content)).inline_shapes) == 2  # the two charts


def test_a_units_report_is_not_a_summary(tree, year_2023):
    report = report_of(tree["company"])
    assert not documents.is_summary(report)
    assert "Công ty Một đã triển khai 1 cuộc hiến máu, tiếp nhận 40 đơn vị máu, đạt 80% so " \
           "với số dự kiến (50 đơn vị máu)." in documents.result_sentence(report)


def test_pdf_has_the_same_words(tree, year_2023):
    content = documents.report_pdf(report_of(tree["province"]), day=D(2023, 12, 5))
    assert content.startswith(b"%PDF")
    text = office.pdf_text(content)
    assert "tiếp nhận 310 đơn vị máu" in " ".join(text.split())
    assert "BCĐ huyện Một" in text


def test_both_open_in_libreoffice(tree, year_2023, tmp_path):
    report = report_of(tree["district_one"])
    converted = office.convert({"bao-cao.docx": documents.report_docx(report)}, "pdf",
                                    tmp_path)
    assert office.page_count(converted["bao-cao.docx"]) >= 1


def test_downloads_are_scoped(client, office, outsider, tree, year_2023):
    client.force_login(office)
    for extension in ("docx", "pdf"):
        response = client.get(reverse("reports:file", args=[extension]), {"nam": 2023})
        assert response.status_code == 200
        assert f'.{extension}"' in response["Content-Disposition"]
    client.force_login(outsider)
    response = client.get(reverse("reports:file", args=["pdf"]),
                          {"don_vi": tree["district_one"].code})
    assert response.status_code == 404
