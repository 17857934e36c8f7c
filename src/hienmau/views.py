import datetime
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hienmau.drives import drive_day
from hienmau.drives.access import can_check_in, records_health, sees_registrations
from hienmau.orgs.models import Organization
from hienmau.orgs.roles import Role
from hienmau.plans.models import Drive

# The home page's drives: today's and those of the coming days, at most this many.
DRIVES_DAYS_AHEAD = 30
DRIVES_SHOWN = 8

# What each role can do, shown on the home page so a new user knows where to start.
ROLE_ABILITIES = {
    Role.OFFICE: [
        _("Xem, thêm, sửa, chuyển, sáp nhập các tổ chức trực thuộc"),
        _("Giao vai trò cho cán bộ, điều phối viên"),
        _("Lập kế hoạch, giao chỉ tiêu, xét tôn vinh"),
        _("Gửi tin cho người hiến máu, kêu gọi hiến máu khẩn cấp"),
        _("Xem nhật ký thay đổi và danh sách tên trùng lặp"),
    ],
    Role.COORDINATOR: [
        _("Xem tổ chức của mình và các đơn vị trực thuộc"),
        _("Cập nhật thông tin, thêm đơn vị trực thuộc"),
        _("Tổ chức đợt hiến máu, đăng ký người hiến máu"),
        _("Gửi tin cho người hiến máu đã đồng ý nhận tin"),
    ],
    Role.INSTITUTION_STAFF: [
        _("Xem thông tin đơn vị tiếp nhận máu và các đơn vị trực thuộc"),
        _("Khám sàng lọc, tiếp nhận máu, cấp giấy chứng nhận"),
        _("Kêu gọi hiến máu khẩn cấp theo nhóm máu"),
    ],
    Role.VIEWER: [
        _("Xem kế hoạch, đợt hiến máu và số liệu; không thấy thông tin cá nhân người hiến"),
    ],
}


@dataclass(frozen=True)
class DriveAhead:
    """A drive on the home page, with what the user may open for it."""
    drive: Drive
    today: bool
    station: bool  # the check-in desk (or screening and collection) works now
    health: bool  # the user screens and collects (the receiving institution's staff)
    registrations: bool


def drives_ahead(user, today: datetime.date) -> tuple[list[DriveAhead], int]:
    """The user's drives of today and the coming days (not cancelled), soonest first,
    and how many there are in all."""
    drives = (Drive.objects.visible_to(user).active()
              .filter(date__gte=today,
                      date__lte=today + datetime.timedelta(days=DRIVES_DAYS_AHEAD))
              .select_related("organizer", "receiving_institution", "plan__committee")
              .order_by("date", "start_time", "pk"))
    shown = []
    for drive in drives[:DRIVES_SHOWN]:
        try:
            drive_day.check_running(drive, today)
            running = True
        except drive_day.DriveDayError:
            running = False
        health = records_health(user, drive)
        shown.append(DriveAhead(
            drive=drive, today=drive.date == today, health=health,
            station=running and (health or can_check_in(user, drive)),
            registrations=sees_registrations(user, drive)))
    return shown, (len(shown) if len(shown) < DRIVES_SHOWN else drives.count())


@login_required
def home(request):
    user = request.user
    memberships = user.memberships.select_related("organization").order_by("organization__path")
    visible = Organization.objects.visible_to(user)
    ahead, ahead_count = drives_ahead(user, timezone.localdate())
    context = {
        "memberships": [(m, ROLE_ABILITIES[m.role]) for m in memberships],
        "visible_count": visible.count(),
        "current_count": visible.current().count(),
        "drives": ahead, "drives_count": ahead_count, "days_ahead": DRIVES_DAYS_AHEAD,
    }
    return render(request, "home.html", context)
