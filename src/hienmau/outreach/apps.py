from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "hienmau.outreach"
    verbose_name = _("Liên lạc với người hiến máu")

    def ready(self):
        from hienmau.drives.signals import known_person_signed_up
        from hienmau.orgs import audit_display
        from hienmau.outreach import signup_notice
        from hienmau.outreach.models import Appeal, Mailing

        audit_display.register(Appeal, {
            "hienmau.outreach.appeal_created": _("Phát lời kêu gọi hiến máu khẩn cấp"),
            "hienmau.outreach.appeal_closed": _("Kết thúc lời kêu gọi hiến máu khẩn cấp"),
        })
        audit_display.register(Mailing, {
            "hienmau.outreach.mailing_queued": _("Gửi tin nhắn hàng loạt"),
            "hienmau.outreach.mailing_cancelled": _("Hủy đợt gửi tin nhắn"),
            "hienmau.outreach.club_member_added": _("Thêm thành viên câu lạc bộ"),
            "hienmau.outreach.club_member_removed": _("Bỏ thành viên khỏi câu lạc bộ"),
        })
        # A known person's public sign-up: eligibility details go to the contact on
        # record (outreach/signup_notice.py; drives may not import outreach).
        known_person_signed_up.connect(signup_notice.on_known_person_signed_up,
                                       dispatch_uid="outreach.signup_notice")
