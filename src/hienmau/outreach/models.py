"""Messages to donors: mailings (who, what, through which channels), the outbox of one
row per message, emergency appeals and their answers.

Rules live in plain modules beside this one: `consent.py` (who may be messaged on which
channel), `limits.py` (quiet hours, weekly cap), `wording.py` (templates), `audience.py`
(who a mailing reaches), `outbox.py` (queueing and sending), `appeals.py` (waves).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hienmau.donors.models import BloodGroup, Donor, Rh
from hienmau.orgs.models import Organization


class Channel(models.TextChoices):
    ZALO = "zalo", _("Zalo")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class MailingKind(models.TextChoices):
    MESSAGE = "message", _("Tin nhắn của đơn vị")
    CLUB = "club", _("Tin nhắn câu lạc bộ")
    INVITATION = "invitation", _("Mời tham gia đợt hiến máu")
    REMINDER = "reminder", _("Nhắc lịch trước ngày hiến")
    ELIGIBLE_AGAIN = "eligible_again", _("Báo đã đủ thời gian hiến lại")
    APPEAL = "appeal", _("Kêu gọi hiến máu khẩn cấp")
    SIGNUP_ELIGIBILITY = "signup_eligibility", _("Báo ngày hiến lại cho người vừa đăng ký")


class MailingStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SENDING = "sending", _("Đang gửi")
    DONE = "done", _("Đã gửi xong")
    CANCELLED = "cancelled", _("Đã hủy")


class MailingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Mailings of the user's organizations and those below (who sent them)."""
        from hienmau.orgs.models import scope_paths, subtree_q
        from hienmau.orgs.roles import VIEW_DONORS

        if getattr(user, "is_superuser", False) and user.is_active:
            return self.all()
        paths = scope_paths(user, VIEW_DONORS)
        return self.filter(subtree_q(paths, "sender__path")) if paths else self.none()


class Mailing(models.Model):
    """One sending to an audience: typed by a person (a unit's message, a club's news),
    or made by the daily job (invitations, reminders) or an appeal's waves."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sender = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="mailings",
                               verbose_name=_("đơn vị gửi"))
    kind = models.CharField(_("loại"), max_length=20, choices=MailingKind.choices,
                            default=MailingKind.MESSAGE)
    title = models.CharField(_("tên đợt gửi"), max_length=200)
    # The audience as its form's values (`audience.Filters`), kept to show and re-count.
    filters = models.JSONField(_("người nhận"), default=dict, blank=True)
    channels = models.JSONField(_("kênh gửi"), default=list,
                                help_text=_("Theo thứ tự ưu tiên: mỗi người nhận một tin, qua "
                                            "kênh đầu tiên họ đã đồng ý."))
    subject = models.CharField(_("tiêu đề e-mail"), max_length=200, blank=True)
    body = models.TextField(_("nội dung"))
    status = models.CharField(_("trạng thái"), max_length=20, choices=MailingStatus.choices,
                              default=MailingStatus.DRAFT)
    drive = models.ForeignKey("plans.Drive", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="mailings", verbose_name=_("đợt hiến máu"))
    appeal = models.ForeignKey("outreach.Appeal", on_delete=models.CASCADE, null=True,
                               blank=True, related_name="mailings")
    # What queueing left out, by reason ({"no_consent": n, "weekly_cap": n, …}).
    skipped = models.JSONField(default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    objects = MailingQuerySet.as_manager()

    class Meta:
        verbose_name = _("đợt gửi tin")
        verbose_name_plural = pgettext_lazy("số nhiều", "đợt gửi tin")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    DELIVERED = "delivered", _("Đã đến máy")
    FAILED = "failed", _("Gửi lỗi")
    BOUNCED = "bounced", _("Bị trả lại")
    CANCELLED = "cancelled", _("Đã hủy")


class Message(models.Model):
    """One message to one donor on one channel: the outbox row a worker claims, sends and
    updates from the provider's delivery callbacks."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="messages")
    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="messages")
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    # The phone (E.164) or e-mail address it went to, as it was that day.
    address = models.CharField(_("địa chỉ nhận"), max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(_("nội dung"))
    # What makes a job's message unique ("reminder:<registration>"): re-running the daily
    # job creates nothing twice. Blank for typed mailings.
    key = models.CharField(max_length=120, blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=MessageStatus.choices,
                              default=MessageStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Set by the worker that took the row (a guarded UPDATE), cleared when it is done.
    claimed_at = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(_("mã của nhà cung cấp"), max_length=120, blank=True)
    error = models.CharField(_("lỗi"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("đến máy lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tin nhắn")
        verbose_name_plural = pgettext_lazy("số nhiều", "tin nhắn")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""),
                                    name="one_message_per_job_key",
                                    violation_error_code="one_message_per_job_key",
                                    violation_error_message=_("Tin nhắn này đã được lập.")),
            models.UniqueConstraint(
                fields=["mailing", "donor"], name="one_message_per_mailing",
                violation_error_code="one_message_per_mailing",
                violation_error_message=_("Người này đã có tin nhắn trong đợt gửi này.")),
        ]
        indexes = [
            # The weekly cap counts a donor's recent messages.
            models.Index(fields=["donor", "created_at"], name="message_donor_created"),
            models.Index(fields=["channel", "provider_id"], name="message_provider_id"),
            models.Index(fields=["status", "next_attempt_at"], name="message_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address}"


class AppealStatus(models.TextChoices):
    OPEN = "open", _("Đang kêu gọi")
    FILLED = "filled", _("Đã đủ người")
    CLOSED = "closed", _("Đã kết thúc")


class AppealQuerySet(models.QuerySet):
    def visible_to(self, user):
        from hienmau.orgs.models import scope_paths, subtree_q
        from hienmau.orgs.roles import VIEW_DONORS

        if getattr(user, "is_superuser", False) and user.is_active:
            return self.all()
        paths = scope_paths(user, VIEW_DONORS)
        return self.filter(subtree_q(paths, "requester__path")) if paths else self.none()


class Appeal(models.Model):
    """An emergency call for donors of one blood group (hiến máu đợt xuất): sent in waves
    until enough people have answered yes."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requester = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                  related_name="appeals", verbose_name=_("đơn vị kêu gọi"))
    blood_group = models.CharField(_("nhóm máu ABO"), max_length=2, choices=BloodGroup.choices)
    rh = models.CharField(_("Rh"), max_length=1, choices=Rh.choices, blank=True,
                          help_text=_("Để trống nếu cần cả Rh dương và Rh âm."))
    province_code = models.PositiveIntegerField(_("tỉnh/thành phố"), null=True, blank=True)
    commune_code = models.PositiveIntegerField(_("xã/phường"), null=True, blank=True)
    needed = models.PositiveIntegerField(_("số người cần"))
    place = models.CharField(_("nơi đến hiến"), max_length=300)
    needed_by = models.DateTimeField(_("cần trước"))
    wave_size = models.PositiveIntegerField(
        _("số người mỗi đợt gửi"), null=True, blank=True,
        help_text=_("Để trống: mỗi đợt gửi gấp 3 lần số người còn thiếu."))
    wave_minutes = models.PositiveIntegerField(_("phút giữa hai đợt gửi"), default=30)
    channels = models.JSONField(_("kênh gửi"), default=list)
    body = models.TextField(_("nội dung"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=AppealStatus.choices,
                              default=AppealStatus.OPEN)
    waves_sent = models.PositiveSmallIntegerField(default=0)
    next_wave_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("kêu gọi hiến máu khẩn cấp")
        verbose_name_plural = pgettext_lazy("số nhiều", "kêu gọi hiến máu khẩn cấp")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.blood_group}{self.rh} × {self.needed}"

    @property
    def blood_type(self) -> str:
        return f"{self.blood_group}{self.rh}"


class Answer(models.TextChoices):
    YES = "yes", _("Sẽ đến hiến")
    NO = "no", _("Không đến được")


class AppealResponse(models.Model):
    """A donor's answer to an appeal, through the link of their message."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="responses")
    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.SET_NULL, null=True, related_name="+")
    answer = models.CharField(_("trả lời"), max_length=5, choices=Answer.choices)
    answered_at = models.DateTimeField(_("trả lời lúc"), auto_now=True)

    class Meta:
        verbose_name = _("trả lời kêu gọi")
        verbose_name_plural = pgettext_lazy("số nhiều", "trả lời kêu gọi")
        ordering = ["-answered_at"]
        constraints = [models.UniqueConstraint(
            fields=["appeal", "donor"], name="one_answer_per_appeal",
            violation_error_code="one_answer_per_appeal",
            violation_error_message=_("Người này đã trả lời lời kêu gọi này."))]

    def __str__(self) -> str:
        return f"{self.donor}: {self.answer}"


class JobRun(models.Model):
    """A daily job done for a day: several schedulers never run it twice."""

    job = models.CharField(max_length=50)
    day = models.DateField()
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["job", "day"], name="one_run_per_day",
            violation_error_code="one_run_per_day",
            violation_error_message=_("Việc này đã chạy trong ngày."))]

    def __str__(self) -> str:
        return f"{self.job} {self.day}"
