from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonorsConfig(AppConfig):
    name = "hienmau.donors"
    verbose_name = _("Người hiến máu")

    def ready(self):
        from hienmau.donors.models import Donor
        from hienmau.orgs import audit_display

        audit_display.register(Donor, {
            "hienmau.donor.created": _("Thêm người hiến máu"),
            "hienmau.donor.changed": _("Sửa hồ sơ người hiến máu"),
            "hienmau.donor.exported": _("Xuất dữ liệu cá nhân của người hiến máu"),
            "hienmau.donor.erased": _("Xóa dữ liệu cá nhân của người hiến máu"),
            "hienmau.donor.consent_given": _("Ghi nhận đồng ý nhận tin"),
            "hienmau.donor.consent_withdrawn": _("Ghi nhận rút lại đồng ý nhận tin"),
            "hienmau.donor.prior_donations": _("Ghi số lần hiến trước khi dùng HienMau"),
            "hienmau.donor.household_joined": _("Ghép vào gia đình"),
            "hienmau.donor.household_left": _("Tách khỏi gia đình"),
            "hienmau.donor.tiers_saved": _("Lưu các mốc tôn vinh số lần hiến"),
            "hienmau.donor.merged": _("Gộp hồ sơ trùng"),
            "hienmau.donor.unmerged": _("Hoàn tác gộp hồ sơ"),
        })
