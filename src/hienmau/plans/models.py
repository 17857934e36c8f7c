"""Annual plans, the quotas they give, themed campaigns and the drives of the year."""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hienmau.constraints import ConstraintsOnFields
from hienmau.orgs.models import Kind, Organization, scope_paths, subtree_q
from hienmau.orgs.roles import VIEW


def _visible(queryset, user, *fields: str):
    """Rows where any of `fields` (organization foreign keys) lies in the user's subtrees."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return queryset
    paths = scope_paths(user, VIEW)
    if not paths:
        return queryset.none()
    q = Q(pk__in=[])
    for field in fields:
        q |= subtree_q(paths, f"{field}__path")
    return queryset.filter(q).distinct()


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Campaigns of the user's committees and of every committee above them
        (national campaigns such as "Chủ nhật đỏ" are for everybody)."""
        if getattr(user, "is_superuser", False) and user.is_active:
            return self
        paths = scope_paths(user, VIEW)
        prefixes = {p[:i] for p in paths for i in range(Organization.steplen, len(p) + 1,
                                                        Organization.steplen)}
        return self.filter(subtree_q(paths, "owner__path") | Q(owner__path__in=prefixes))


class Campaign(models.Model):
    """A recurring themed campaign, e.g. "Lễ hội Xuân hồng" every spring."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="campaigns",
                              verbose_name=_("đơn vị phát động"))
    name = models.CharField(_("tên chiến dịch"), max_length=200)
    usual_month = models.PositiveSmallIntegerField(
        _("tháng thường tổ chức"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)])
    description = models.TextField(_("mô tả"), blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("chiến dịch")
        verbose_name_plural = pgettext_lazy("số nhiều", "chiến dịch")
        ordering = ["usual_month", "name"]
        constraints = [models.UniqueConstraint(
            fields=["owner", "name"], name="campaign_name_per_owner",
            violation_error_code="campaign_name_per_owner",
            violation_error_message=_("Ban Chỉ đạo này đã có chiến dịch cùng tên."))]

    def __str__(self) -> str:
        return self.name


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    APPROVED = "approved", _("Đã ban hành")
    CLOSED = "closed", _("Đã kết thúc")


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Plans of the user's committees, and plans that give one of the user's units a quota."""
        return _visible(self, user, "committee", "quotas__organization")


class Plan(ConstraintsOnFields, models.Model):
    """A committee's plan for one plan year (seed 002: 01/12/2023 to 30/11/2024)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    committee = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="plans",
                                  verbose_name=_("ban chỉ đạo"))
    title = models.CharField(_("tên kế hoạch"), max_length=300)
    starts_on = models.DateField(_("năm kế hoạch từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    document_number = models.CharField(_("số văn bản"), max_length=100, blank=True)
    document_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    national_quota = models.PositiveIntegerField(
        _("chỉ tiêu BCĐ Quốc gia giao (đơn vị máu)"), null=True, blank=True)
    provincial_quota = models.PositiveIntegerField(
        _("chỉ tiêu UBND tỉnh giao (đơn vị máu)"), null=True, blank=True)
    population_target_percent = models.DecimalField(
        _("mục tiêu tỷ lệ dân số hiến máu (%)"), max_digits=5, decimal_places=2,
        null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=PlanStatus.choices,
                              default=PlanStatus.DRAFT)
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("lập từ kế hoạch"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()
    CONSTRAINT_FIELDS = {"plan_year_ordered": "ends_on",
                         "one_plan_per_committee_year": "starts_on"}

    AUDITED_FIELDS = ("title", "starts_on", "ends_on", "document_number", "document_date",
                      "national_quota", "provincial_quota", "population_target_percent",
                      "status")

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = pgettext_lazy("số nhiều", "kế hoạch")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="plan_year_ordered",
                violation_error_code="plan_year_ordered",
                violation_error_message=_("Ngày kết thúc năm kế hoạch phải sau ngày bắt đầu.")),
            models.UniqueConstraint(
                fields=["committee", "starts_on"], name="one_plan_per_committee_year",
                violation_error_code="one_plan_per_committee_year",
                violation_error_message=_("Ban Chỉ đạo này đã có kế hoạch cho năm kế hoạch này.")),
        ]

    def __str__(self) -> str:
        return self.title

    def covers(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on


class Section(models.Model):
    """A group of quotas in a plan's appendix ("I. Ban Chỉ đạo các huyện, thị, thành phố")."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(_("số mục"), max_length=10)
    title = models.CharField(_("tên mục"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("mục")
        verbose_name_plural = pgettext_lazy("số nhiều", "mục")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(
            fields=["plan", "number"], name="section_number_per_plan",
            violation_error_code="section_number_per_plan",
            violation_error_message=_("Kế hoạch đã có mục mang số này."))]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Quota(models.Model):
    """Units of blood a plan asks of one unit (chỉ tiêu giao), with mobilization targets."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="quotas")
    section = models.ForeignKey(Section, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="quotas", verbose_name=_("mục"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                     related_name="quotas", verbose_name=_("đơn vị"))
    units = models.PositiveIntegerField(_("chỉ tiêu (đơn vị máu)"))
    registration_target = models.PositiveIntegerField(
        _("số người cần vận động đăng ký"), null=True, blank=True,
        help_text=_("Ví dụ: “huy động ít nhất 700 người”."))
    staff_share_percent = models.PositiveSmallIntegerField(
        _("tỷ lệ cán bộ tham gia (%)"), null=True, blank=True,
        validators=[MaxValueValidator(100)], help_text=_("Ví dụ: “ít nhất 50% cán bộ”."))
    position = models.PositiveSmallIntegerField(default=0)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = pgettext_lazy("số nhiều", "chỉ tiêu")
        ordering = ["section__position", "position", "pk"]
        constraints = [models.UniqueConstraint(
            fields=["plan", "organization"], name="one_quota_per_unit_per_plan",
            violation_error_code="one_quota_per_unit_per_plan",
            violation_error_message=_("Đơn vị này đã có chỉ tiêu trong kế hoạch."))]

    def __str__(self) -> str:
        return f"{self.organization}: {self.units}"


class DriveStatus(models.TextChoices):
    PLANNED = "planned", _("Dự kiến")
    CONFIRMED = "confirmed", _("Đã xác nhận")
    IN_PROGRESS = "in_progress", _("Đang diễn ra")
    CLOSED = "closed", _("Đã kết thúc")
    CANCELLED = "cancelled", _("Đã hủy")


class DriveQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Drives the user's units organize, share in, coordinate, execute or collect,
        and every drive of the plans of the user's committees."""
        return _visible(self, user, "organizer", "shares__organization",
                        "receiving_institution", "plan__committee",
                        "coordinating_units", "executing_units")

    def active(self):
        return self.exclude(status=DriveStatus.CANCELLED)

    def upcoming_first(self, today):
        """Today's and the coming drives first, soonest first; then the past ones, the
        latest first (what a list of drives opens on: what is about to happen)."""
        upcoming = Q(date__gte=today)
        return self.annotate(past=models.Case(
            models.When(upcoming, then=models.Value(False)), default=models.Value(True),
            output_field=models.BooleanField(),
        )).order_by("past", models.Case(models.When(upcoming, then=models.F("date"))).asc(
            nulls_last=True), models.F("date").desc(), "pk")


class Drive(ConstraintsOnFields, models.Model):
    """A blood drive on one day at one venue (Ngày hội / đợt hiến máu)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="drives", verbose_name=_("kế hoạch"))
    title = models.CharField(_("tên đợt"), max_length=300, blank=True,
                             help_text=_("Ví dụ: Lễ hội Xuân hồng huyện Khoái Châu."))
    date = models.DateField(_("ngày tổ chức"), db_index=True)
    weekday_text = models.CharField(
        _("thứ ghi trong văn bản"), max_length=20, blank=True,
        help_text=_("Thứ như văn bản gốc ghi (vd. “Chủ nhật”); hệ thống kiểm tra khớp ngày."))
    start_time = models.TimeField(_("giờ bắt đầu"), null=True, blank=True)
    end_time = models.TimeField(_("giờ kết thúc"), null=True, blank=True)
    venue = models.CharField(_("địa điểm"), max_length=300)
    organizer = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                  related_name="organized_drives",
                                  verbose_name=_("đơn vị tổ chức"))
    coordinating_units = models.ManyToManyField(
        Organization, blank=True, related_name="coordinated_drives",
        verbose_name=_("đơn vị phối hợp chỉ đạo"))
    executing_units = models.ManyToManyField(
        Organization, blank=True, related_name="executed_drives",
        verbose_name=_("đơn vị thực hiện"))
    receiving_institution = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True,
        related_name="collected_drives", verbose_name=_("đơn vị tiếp nhận máu"),
        limit_choices_to={"kind": Kind.RECEIVING_INSTITUTION})
    campaign = models.ForeignKey(Campaign, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="drives", verbose_name=_("chiến dịch"))
    target_group = models.CharField(_("đối tượng"), max_length=300, blank=True)
    expected_units = models.PositiveIntegerField(_("số đơn vị máu dự kiến"))
    registration_target = models.PositiveIntegerField(_("chỉ tiêu người đăng ký"), null=True,
                                                      blank=True)
    announcement_number = models.CharField(_("số thông báo"), max_length=100, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=DriveStatus.choices,
                              default=DriveStatus.PLANNED)
    notes = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DriveQuerySet.as_manager()
    CONSTRAINT_FIELDS = {"drive_time_window_ordered": "end_time"}

    AUDITED_FIELDS = ("title", "date", "weekday_text", "start_time", "end_time", "venue",
                      "organizer", "receiving_institution", "campaign", "target_group",
                      "expected_units", "registration_target", "announcement_number",
                      "status", "notes", "plan")

    class Meta:
        verbose_name = _("đợt hiến máu")
        verbose_name_plural = pgettext_lazy("số nhiều", "đợt hiến máu")
        ordering = ["date", "start_time", "pk"]
        # Reports read a unit's drives of a year (reports.queries): by organizer and date.
        indexes = [models.Index(fields=["organizer", "date"], name="drive_organizer_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(start_time__isnull=True)
                | Q(end_time__gt=models.F("start_time")),
                name="drive_time_window_ordered",
                violation_error_code="drive_time_window_ordered",
                violation_error_message=_("Giờ kết thúc phải sau giờ bắt đầu.")),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.organizer} {self.date:%d/%m/%Y}"


class DriveShare(models.Model):
    """One contributor's part of a joint drive's expected units, counted toward its quota.

    Seed 002's "Hành trình đỏ" on 04/06/2024: 1.100 units from five contributors.
    A drive without shares counts wholly toward its organizer.
    """

    drive = models.ForeignKey(Drive, on_delete=models.CASCADE, related_name="shares")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                     related_name="drive_shares", verbose_name=_("đơn vị"))
    expected_units = models.PositiveIntegerField(_("số đơn vị máu dự kiến"))

    class Meta:
        verbose_name = _("phần đóng góp")
        verbose_name_plural = pgettext_lazy("số nhiều", "phần đóng góp")
        constraints = [models.UniqueConstraint(
            fields=["drive", "organization"], name="one_share_per_unit_per_drive",
            violation_error_code="one_share_per_unit_per_drive",
            violation_error_message=_("Mỗi đơn vị chỉ có một phần đóng góp trong một đợt."))]

    def __str__(self) -> str:
        return f"{self.organization}: {self.expected_units}"


class InstitutionCapacity(models.Model):
    """How much a receiving institution can collect on one day, for the booking check."""

    institution = models.OneToOneField(Organization, on_delete=models.CASCADE,
                                       related_name="capacity",
                                       verbose_name=_("đơn vị tiếp nhận máu"))
    drives_per_day = models.PositiveSmallIntegerField(_("số đợt tối đa mỗi ngày"), null=True,
                                                      blank=True)
    units_per_day = models.PositiveIntegerField(_("số đơn vị máu tối đa mỗi ngày"), null=True,
                                                blank=True)

    AUDITED_FIELDS = ("units_per_day", "drives_per_day")

    class Meta:
        verbose_name = _("năng lực tiếp nhận")
        verbose_name_plural = pgettext_lazy("số nhiều", "năng lực tiếp nhận")

    def __str__(self) -> str:
        return str(self.institution)
