"""How audit entries read to a person: action names and field changes in Vietnamese.

Apps above `orgs` write audit entries too; they `register` their models and action
names here (from their AppConfig.ready), since this module cannot import them.
"""

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
    "unit": _("Đơn vị"),
    "units": _("Chỉ tiêu (đơn vị máu)"),
    "quotas": _("Số chỉ tiêu"),
    "section": _("Mục"),
    "created": _("Tạo mới"),
    "absorbed": _("Hồ sơ được gộp vào"),
    "donations": _("Số lần hiến chuyển sang"),
    "file": _("Tệp"),
    "sha256": _("Mã kiểm tra tệp (SHA-256)"),
    "registrations": _("Số đăng ký"),
    "donors_created": _("Người hiến mới"),
    "donors_updated": _("Người hiến được cập nhật"),
}

# object_type (model_name) → model whose verbose names and choices label the fields.
MODELS = {"organization": Organization}


def register(model, actions: dict) -> None:
    MODELS[model._meta.model_name] = model
    ACTIONS.update(actions)


def _model_field(object_type: str, name: str):
    try:
        field = MODELS.get(object_type, Organization)._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    # A reverse relation ("registrations" of a drive) has neither a verbose name nor
    # choices: the entry's own key labels it.
    return None if field.auto_created and not field.concrete else field


def _label(field: str, object_type: str = "organization") -> str:
    if field in EXTRA_LABELS:
        return str(EXTRA_LABELS[field])
    model_field = _model_field(object_type, field)
    return str(model_field.verbose_name).capitalize() if model_field else field


def _value(field: str, value, object_type: str = "organization") -> str:
    if value in (None, "", []):
        return "—"
    if value is True or value is False:
        return str(_("có") if value else _("không"))
    model_field = _model_field(object_type, field)
    if model_field is not None and model_field.choices and field not in ("kind", "role"):
        return str(dict(model_field.flatchoices).get(value, value))
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
    if isinstance(value, dict):
        return ", ".join(f"{_label(k, object_type)}: {v}" for k, v in value.items())
    return str(value)


def describe(entry: AuditEntry) -> dict:
    """{'action': label, 'lines': ['Tên: A → B', …]} for one entry."""
    lines = []
    data = dict(entry.data)
    kind = entry.object_type
    for field, (old, new) in data.pop("changes", {}).items():
        lines.append(f"{_label(field, kind)}: {_value(field, old, kind)} → "
                     f"{_value(field, new, kind)}")
    fields = data.pop("fields", {})
    if isinstance(fields, dict):
        for field, value in fields.items():
            if value not in (None, ""):
                lines.append(f"{_label(field, kind)}: {_value(field, value, kind)}")
    elif fields:  # the names of the fields taken over (a merge)
        lines.append(f"{_('Thông tin lấy sang')}: "
                     + ", ".join(_label(field, kind) for field in fields))
    for field, value in data.items():
        if value in (None, "", []):
            continue
        lines.append(f"{_label(field, kind)}: {_value(field, value, kind)}")
    return {"action": str(ACTIONS.get(entry.action, entry.action)), "lines": lines}
