import datetime
import unicodedata

from django import forms
from django.template import Context, Template
from django.utils import translation

from hienmau.text import clean_name, search_key


def test_names_are_stored_in_nfc_with_single_spaces():
    nfd = unicodedata.normalize("NFD", "  Nguyễn   Văn  Hùng ")
    assert clean_name(nfd) == "Nguyễn Văn Hùng"
    assert unicodedata.is_normalized("NFC", clean_name(nfd))


def test_search_key_drops_case_diacritics_and_d_stroke():
    assert search_key("Đặng Thị Đào") == "dang thi dao"
    assert search_key("BCĐ vận động HMTN huyện Khoái Châu") == "bcd van dong hmtn huyen khoai chau"
    assert search_key(unicodedata.normalize("NFD", "Mỹ Hào")) == "my hao"
    assert search_key("Trường Đại Học TC- QTKD") == "truong dai hoc tc qtkd"


def test_vietnamese_dates_are_read_day_first():
    """Django's own vi locale would read 05/06/2025 as 6 May (ARCHITECTURE.md)."""
    with translation.override("vi"):
        assert forms.DateField().clean("05/06/2025") == datetime.date(2025, 6, 5)
        assert forms.DateField().clean("16-6-2025") == datetime.date(2025, 6, 16)
    with translation.override("en"):
        assert forms.DateField().clean("05/06/2025") == datetime.date(2025, 6, 5)


def test_dates_and_thousands_are_shown_the_vietnamese_way():
    template = Template('{% load humanize %}{{ d|date:"SHORT_DATE_FORMAT" }} {{ n|intcomma }}')
    with translation.override("vi"):
        text = template.render(Context({"d": datetime.date(2024, 6, 4), "n": 13762}))
    assert text == "04/06/2024 13.762"


def test_screens_are_vietnamese_even_for_an_english_browser(client):
    response = client.get("/dang-nhap/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response["Content-Language"] == "vi"
    assert "Đăng nhập" in response.text


def test_the_chosen_language_is_kept_in_a_cookie(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.get("/dang-nhap/")["Content-Language"] == "en"
