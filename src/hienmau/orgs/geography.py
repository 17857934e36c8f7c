"""Provinces and communes from the current official list (package `vietnam-provinces`).

Since 1/7/2025 there are 34 provinces and no districts (NQ 202/2025/QH15); abolished
units live on as organizations with a validity period, not in this list.
"""

from functools import cache

from django.utils.translation import gettext as _
from vietnam_provinces import Province, Ward

from hienmau.text import search_key


@cache
def provinces() -> list[tuple[int, str]]:
    return sorted(((int(p.code), p.name) for p in Province.iter_all()),
                  key=lambda item: search_key(item[1]))


@cache
def communes(province_code: int) -> list[tuple[int, str]]:
    wards = [(int(w.code), w.name) for w in Ward.iter_by_province(province_code)]
    return sorted(wards, key=lambda item: search_key(item[1]))


def province_name(code: int | None) -> str:
    return dict(provinces()).get(code, "") if code else ""


def commune_name(code: int | None) -> str:
    if not code:
        return ""
    try:
        return Ward.from_code(code).name
    except ValueError:
        return ""


def commune_province(code: int) -> int | None:
    try:
        return int(Ward.from_code(code).province_code)
    except ValueError:
        return None


def check_place(province_code: int | None, commune_code: int | None) -> dict[str, str]:
    """Errors, by field, for a province/commune pair; empty when they are consistent."""
    errors = {}
    if province_code and province_code not in dict(provinces()):
        errors["province_code"] = _("Mã tỉnh/thành phố không có trong danh mục hiện hành.")
    if commune_code:
        parent = commune_province(commune_code)
        if parent is None:
            errors["commune_code"] = _("Mã xã/phường không có trong danh mục hiện hành.")
        elif province_code and parent != province_code:
            errors["commune_code"] = _("Xã/phường này không thuộc tỉnh/thành phố đã chọn.")
        elif not province_code:
            errors["province_code"] = _("Hãy chọn tỉnh/thành phố của xã/phường.")
    return errors
