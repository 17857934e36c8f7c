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
    """Django's own vi locale would read 05/06/2025 as 6 May (docs/domain.md §7.3)."""
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


def _year_variables_without_a_year_format() -> list[str]:
    """Every `{{ …year… }}` or `with x=…year…` in the templates whose value would be
    shown through Django's number localization (1984 → "1.984")."""
    import pathlib
    import re

    import hienmau

    safe = ("unlocalize", "stringformat", "date:")
    found = []
    root = pathlib.Path(hienmau.__file__).parent
    for path in sorted(root.rglob("templates/**/*.html")):
        text = path.read_text()
        # Inside {% blocktranslate %} a {{ name }} is the value given by `with name=…`.
        outside = re.sub(r"\{%\s*blocktranslate.*?endblocktranslate\s*%\}", " ", text,
                         flags=re.S)
        given = " ".join(re.findall(r"\{%\s*blocktranslate(.*?)%\}", text))
        shown = re.findall(r"\{\{(.*?)\}\}", outside) + re.findall(
            r"\b\w+=([\w.]+(?:\|[\w:]+(?:\"[^\"]*\"|'[^']*')?)*)", given)
        for expression in shown:
            variable = expression.strip().split("|")[0].split(".")[-1]
            if re.search(r"year|^nam$", variable) and not any(
                    f in expression for f in safe):
                found.append(f"{path.relative_to(root)}: {expression.strip()}")
    return found


def test_no_template_shows_a_year_with_a_thousands_separator():
    """Years (birth year, plan year) are shown as 1984, not as counts ("1.984")."""
    assert _year_variables_without_a_year_format() == []
    template = Template('{{ year|stringformat:"d" }} {{ n }}')
    with translation.override("vi"):
        assert template.render(Context({"year": 1984, "n": 1984})) == "1984 1.984"
