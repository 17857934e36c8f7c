"""The demo's 2023 (seed 002) against its 2022, of which only the industrial zones'
drives were typed in (demo/history.py): no "tăng 966%", and the province's own drive as
a named row of the units' table."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from hienmau.demo.loader import demo_code
from hienmau.orgs.models import Organization
from hienmau.reports import dashboard, documents, queries
from hienmau.reports.queries import Scope
from tests import office

D = datetime.date


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_the_demo_province_2023_is_not_966_percent_up(demo):
    org = Organization.objects.get(code=demo_code("hy"))
    report = dashboard.build(Scope(org, *queries.plan_year(2023)), D(2026, 11, 23))
    assert report.before.units == 1_736  # 2022: the industrial zones' ten drives alone
    sentence = documents.comparison_sentence(report)
    assert sentence == ("Không so sánh với cùng kỳ năm 2022: số liệu năm đó chưa đầy đủ (năm "
                        "đó chỉ có kết quả của 1 trong 20 đơn vị có kết quả kỳ này).")
    text = office.docx_text(documents.report_docx(report))
    assert sentence in text and "966" not in text
    # The zones compared with themselves: 1.968 against 1.736.
    zones = next(row for row in report.ranked if row.organization.code == demo_code("hy.kcn"))
    assert zones.growth == Decimal("13.4")
    # The province's own drive (Hành trình đỏ's 300 expected): named, not ranked, and the
    # table adds up to 18.499.
    assert report.own_row.label == ("Các đợt do Ban Chỉ đạo vận động hiến máu tình nguyện "
                                    "tỉnh Hưng Yên tổ chức trực tiếp")
    assert f" | {report.own_row.label} |  | 424 |  | 0" in text
    assert " | Tổng cộng | 12.600 | 18.499 |  | 1.736" in text
    assert "20 | Ban Chỉ đạo vận động hiến máu tình nguyện tỉnh Hưng Yên" not in text
