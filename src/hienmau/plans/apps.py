from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "hienmau.plans"
    verbose_name = _("Kế hoạch và đợt hiến máu")

    def ready(self):
        from hienmau.orgs import audit_display
        from hienmau.plans.models import Campaign, Drive, InstitutionCapacity, Plan, Quota

        audit_display.register(Plan, {
            "hienmau.plan.created": _("Lập kế hoạch"),
            "hienmau.plan.changed": _("Sửa kế hoạch"),
            "hienmau.plan.copied": _("Lập kế hoạch năm sau từ kế hoạch cũ"),
            "hienmau.plan.section_saved": _("Lưu mục của bảng chỉ tiêu"),
        })
        audit_display.register(Quota, {
            "hienmau.quota.saved": _("Giao chỉ tiêu"),
            "hienmau.quota.deleted": _("Xóa chỉ tiêu"),
        })
        audit_display.register(Campaign, {"hienmau.campaign.saved": _("Lưu chiến dịch")})
        audit_display.register(InstitutionCapacity, {
            "hienmau.institution.capacity_changed": _("Sửa năng lực tiếp nhận máu")})
        audit_display.register(Drive, {
            "hienmau.drive.created": _("Thêm đợt hiến máu"),
            "hienmau.drive.changed": _("Sửa đợt hiến máu"),
        })
