"""The main menu, for every page: the project level knows every app's pages."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hienmau.orgs.models import scope_paths
from hienmau.orgs.roles import (
    MANAGE_TREE,
    MESSAGE_DONORS,
    SEND_APPEALS,
    VIEW,
    VIEW_AUDIT,
    VIEW_DONORS,
)


def navigation(request):
    """The main menu: one entry per thing the user's roles let them do somewhere; the
    occasional tools (duplicates, audit trail, API, admin) in one drop-down, so that the
    menu keeps to one line on a laptop's 1366 px."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_tools": []}

    def anywhere(perm):
        return user.is_superuser or bool(scope_paths(user, perm))

    items = [("home", reverse("home"), _("Trang chủ"))]
    if anywhere(VIEW):
        items.append(("orgs", reverse("orgs:tree"), _("Tổ chức")))
        items.append(("plans", reverse("plans:list"), _("Kế hoạch")))
        items.append(("drives", reverse("plans:drives"), _("Đợt hiến máu")))
        items.append(("reports", reverse("reports:dashboard"), _("Báo cáo")))
        items.append(("honors", reverse("honors:rounds"), _("Tôn vinh")))
    if anywhere(VIEW_DONORS):
        items.append(("donors", reverse("donors:list"), _("Người hiến máu")))
    if anywhere(MESSAGE_DONORS):
        # One entry for both halves: the two pages link to each other with tabs.
        items.append(("outreach", reverse("outreach:mailings"), _("Gửi tin")))
    elif anywhere(SEND_APPEALS):
        # Hospital staff only ask for blood: they land on the appeals.
        items.append(("outreach", reverse("outreach:appeals"), _("Kêu gọi khẩn cấp")))
    tools = []
    if anywhere(MANAGE_TREE):
        tools.append(("duplicates", reverse("orgs:duplicates"), _("Tên trùng lặp")))
    if anywhere(VIEW_AUDIT):
        tools.append(("audit", reverse("orgs:audit"), _("Nhật ký thay đổi")))
    tools.append(("api", reverse("api:openapi-view"), _("API")))
    if user.is_superuser:
        tools.append(("admin", reverse("admin:index"), _("Quản trị hệ thống")))
    return {"nav_items": items, "nav_tools": tools, "active_nav": _active(request)}


def _active(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.view_name in ("orgs:duplicates", "orgs:audit"):
        return match.url_name
    if match.view_name == "plans:institution_settings":
        return "orgs"  # a section of the institution's page
    if match.namespace == "plans":
        drive_pages = ("drives", "calendar", "drive", "drive_create", "drive_edit",
                       "drive_cancel", "drive_announcement")
        return "drives" if match.url_name in drive_pages else "plans"
    sections = {"orgs": "orgs", "admin": "admin", "donors": "donors", "reports": "reports",
                "honors": "honors", "outreach": "outreach"}
    return sections.get(match.namespace, match.url_name or "")
