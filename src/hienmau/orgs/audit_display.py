"""How audit entries read to a person: action names and field changes in Vietnamese."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from hienmau.orgs import geography
from hienmau.orgs.models import AuditEntry, Kind, Organization
from hienmau.orgs.roles import Role

ACTIONS = {
    "hienmau.org.created": _("Tạo tổ chức"),
    "hienmau.org.changed": _("Sửa thông tin tổ chức"),
    "hienmau.org.moved": _("Chuyển tổ chức sang đơn vị cấp trên khác"),
    "hienmau.org.merged": _("Kết thúc hoạt động, chuyển cho đơn vị kế thừa"),
    "hienmau.org.received_merge": _("Tiếp nhận đơn vị sáp nhập"),
    "hienmau.org.deleted": _("Xóa tổ chức"),
    "hienmau.org.not_duplicate": _("Xác nhận không trùng tên"),
    "hienmau.membership.added": _("Giao vai trò"),
    "hienmau.membership.changed": _("Đổi vai trò"),
    "hienmau.membership.removed": _("Bỏ vai trò"),
}

EXTRA_LABELS = {
    "parent": _("Trực thuộc"),
    "from": _("Từ"),
    "to": _("Đến"),
    "successor": _("Đơn vị kế thừa"),
    "predecessor": _("Đơn vị được sáp nhập"),
    "other": _("Khác với"),
    "last_day": _("Ngày hoạt động cuối cùng"),
    "moved_children": _("Đơn vị trực thuộc được chuyển"),
    "user": _("Người dùng"),
    "role": _("Vai trò"),
}


def _label(field: str) -> str:
    if field in EXTRA_LABELS:
        return str(EXTRA_LABELS[field])
    try:
        return str(Organization._meta.get_field(field).verbose_name).capitalize()
    except FieldDoesNotExist:
        return field


def _value(field: str, value) -> str:
    if value in (None, "", []):
        return "—"
    if field == "kind" and value in Kind.values:
        return str(Kind(value).label)
    if field == "role" and value in Role.values:
        return str(Role(value).label)
    if field == "province_code":
        return geography.province_name(value) or str(value)
    if field == "commune_code":
        return geography.commune_name(value) or str(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def describe(entry: AuditEntry) -> dict:
    """{'action': label, 'lines': ['Tên: A → B', …]} for one entry."""
    lines = []
    data = dict(entry.data)
    for field, (old, new) in data.pop("changes", {}).items():
        lines.append(f"{_label(field)}: {_value(field, old)} → {_value(field, new)}")
    for field, value in data.pop("fields", {}).items():
        if value not in (None, ""):
            lines.append(f"{_label(field)}: {_value(field, value)}")
    for field, value in data.items():
        if value in (None, "", []):
            continue
        lines.append(f"{_label(field)}: {_value(field, value)}")
    return {"action": str(ACTIONS.get(entry.action, entry.action)), "lines": lines}
