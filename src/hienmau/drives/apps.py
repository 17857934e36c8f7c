from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DrivesConfig(AppConfig):
    name = "hienmau.drives"
    verbose_name = _("Ngày hiến máu")

    def ready(self):
        from hienmau.drives.models import Registration
        from hienmau.orgs import audit_display
        from hienmau.plans.models import Drive

        audit_display.register(Registration, {
            "hienmau.registration.created": _("Thêm đăng ký hiến máu"),
            "hienmau.registration.changed": _("Sửa đăng ký hiến máu"),
            "hienmau.registration.renewed": _("Đăng ký lại sau khi đã hủy"),
            "hienmau.drive_day.checked_in": _("Tiếp đón người hiến"),
            "hienmau.drive_day.screened": _("Ghi kết quả khám sàng lọc"),
            "hienmau.drive_day.collected": _("Ghi nhận lấy máu"),
        })
        audit_display.register(Drive, {
            # The registration list import (imports) writes against the drive too.
            "hienmau.registration.imported": _("Nhập danh sách đăng ký"),
            "hienmau.registration.import_undone": _("Hoàn tác nhập danh sách đăng ký"),
            "hienmau.drive.closed": _("Kết thúc đợt hiến máu"),
            "hienmau.drive.result_corrected": _("Sửa kết quả đợt hiến máu"),
        })
