from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from hienmau.orgs.models import Organization
from hienmau.orgs.roles import Role

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


@login_required
def home(request):
    user = request.user
    memberships = user.memberships.select_related("organization").order_by("organization__path")
    visible = Organization.objects.visible_to(user)
    context = {
        "memberships": [(m, ROLE_ABILITIES[m.role]) for m in memberships],
        "visible_count": visible.count(),
        "current_count": visible.current().count(),
    }
    return render(request, "home.html", context)
