from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonorsConfig(AppConfig):
    name = "hienmau.honors"
    verbose_name = _("Tôn vinh, khen thưởng")

    def ready(self):
        from hienmau.honors.figures import award_indicators
        from hienmau.honors.models import Award, HonorRound
        from hienmau.orgs import audit_display
        from hienmau.reports import dashboard

        audit_display.register(HonorRound, {
            "hienmau.honors.round_created": _("Mở đợt xét tôn vinh, khen thưởng"),
            "hienmau.honors.proposed": _("Đề nghị danh sách tôn vinh"),
            "hienmau.honors.nomination_added": _("Thêm người vào danh sách đề nghị"),
            "hienmau.honors.nomination_decided": _("Xét duyệt người được đề nghị"),
            "hienmau.honors.approved": _("Phê duyệt danh sách tôn vinh"),
        })
        audit_display.register(Award, {
            "hienmau.honors.award_recorded": _("Ghi nhận khen thưởng"),
            "hienmau.honors.award_deleted": _("Xóa khen thưởng"),
            "hienmau.honors.weights_saved": _("Lưu trọng số chấm điểm thi đua"),
        })

        if award_indicators not in dashboard.MORE_INDICATORS:
            dashboard.MORE_INDICATORS.append(award_indicators)
