"""The API's one error shape, `{detail, code, field}`, and the one place refusals become it.

A business rule's refusal (any `hienmau.errors.RuleError`) is a 422 with the rule's code
and field; input the schemas refuse (a wrong type, a value out of range, a missing field)
is a 422 in the same shape, the field named; a missing object 404, a refused right 403,
no or a bad token 401, a body that is not JSON 400. Every operation documents these
answers with `ErrorOut`, and `detail` is always Vietnamese.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from hienmau.api.schemas import ErrorOut
from hienmau.errors import RuleError

# The answers every operation may give besides its own; a refusal by a rule is a 422.
COMMON_ERRORS = {
    "400": "Nội dung gửi lên không đọc được (không phải JSON hợp lệ).",
    "401": "Thiếu mã truy cập hoặc mã không hợp lệ.",
    "403": "Không có quyền.",
    "404": "Không tìm thấy, hoặc bạn không có quyền xem.",
    "422": "Dữ liệu không hợp lệ hoặc bị một quy tắc từ chối.",
}
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


def error(request, api: NinjaAPI, status: int, detail, code: str, field: str | None = None):
    return api.create_response(
        request, {"detail": str(detail), "code": code, "field": field}, status=status)


def _field(location) -> str | None:
    parts = [str(part) for part in location]
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] == "payload":  # the body parameter of every operation
        parts = parts[1:]
    return ".".join(parts) or None


def _invalid_message(problem: dict, field: str | None) -> str:
    kind = problem.get("type", "")
    if kind == "value_error" and problem.get("ctx", {}).get("error"):
        # A validator of ours, with its own Vietnamese message.
        return str(problem["ctx"]["error"])
    name = field or _("nội dung")
    if kind == "missing":
        return _("Thiếu trường bắt buộc “%(field)s”.") % {"field": name}
    if kind == "extra_forbidden":
        return _("Không có trường “%(field)s”.") % {"field": name}
    if kind in ("too_long", "string_too_long"):
        return _("“%(field)s” quá dài.") % {"field": name}
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal",
                "too_short", "string_too_short"):
        return _("“%(field)s” nằm ngoài giới hạn cho phép.") % {"field": name}
    return _("Giá trị của “%(field)s” không hợp lệ.") % {"field": name}


def install(api: NinjaAPI) -> None:
    """Map every error the API may meet to the one shape."""

    @api.exception_handler(RuleError)
    def refused(request, exc):
        return error(request, api, 422, exc.message, exc.code, exc.field)

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        problem = exc.errors[0] if exc.errors else {}
        field = _field(problem.get("loc", ()))
        return error(request, api, 422, _invalid_message(problem, field), "invalid", field)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        detail = str(exc)
        if not detail or "matches the given query" in detail:  # Django's own English text
            detail = _("Không tìm thấy, hoặc bạn không có quyền xem.")
        return error(request, api, 404, detail, "not_found")

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return error(request, api, 403, str(exc) or _("Bạn không có quyền làm việc này."),
                     "forbidden")

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        codes = {400: ("invalid_body", _("Nội dung gửi lên không đọc được (cần JSON hợp lệ).")),
                 401: ("unauthorized", _("Cần mã truy cập hợp lệ: Authorization: Bearer hm_…")),
                 403: ("forbidden", _("Bạn không có quyền làm việc này.")),
                 429: ("too_many_requests", _("Quá nhiều yêu cầu; hãy thử lại sau."))}
        code, detail = codes.get(exc.status_code, ("error", _("Yêu cầu không thực hiện được.")))
        return error(request, api, exc.status_code, detail, code)


def document(schema: dict) -> dict:
    """Add the common error answers, with the one error schema, to every operation."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorOut"] = ErrorOut.model_json_schema(
        ref_template="#/components/schemas/{model}")
    reference = {"$ref": "#/components/schemas/ErrorOut"}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in COMMON_ERRORS.items():
                responses[status] = {
                    "description": description,
                    "content": {"application/json": {"schema": reference}}}
    return schema
