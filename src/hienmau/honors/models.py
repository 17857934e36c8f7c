"""Honor rounds (a ceremony's or a period's lists of people, families and units to honor)
and the nominations on them; the awards people, families and units received."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hienmau.constraints import ConstraintsOnFields
from hienmau.donors.models import Donor, Household
from hienmau.orgs.models import Organization, scope_paths, subtree_q
from hienmau.orgs.roles import MANAGE_HONORS, VIEW


class Kind(models.TextChoices):
    INDIVIDUAL = "individual", _("cá nhân")
    FAMILY = "family", _("gia đình")
    COLLECTIVE = "collective", _("tập thể")


class RoundQuerySet(models.QuerySet):
    def visible_to(self, user, perm: str = VIEW):
        """Rounds of the user's committees and those below them."""
        if user.is_superuser and user.is_active:
            return self.all()
        paths = scope_paths(user, perm)
        return self.filter(subtree_q(paths, "committee__path")) if paths else self.none()

    def managed_by(self, user):
        return self.visible_to(user, MANAGE_HONORS)


class HonorRound(ConstraintsOnFields, models.Model):
    """A round of honors: "Tôn vinh 14/6/2025", or a period such as 2022–2024 (seed 003),
    with the rules HienMau proposes its lists by. The office edits the lists (every
    change with its reason) and approves them; an approved round no longer changes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("đang lập danh sách")
        APPROVED = "approved", _("đã duyệt")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    committee = models.ForeignKey(Organization, on_delete=models.PROTECT,
                                  related_name="honor_rounds", verbose_name=_("Ban Chỉ đạo"))
    title = models.CharField(_("tên đợt tôn vinh"), max_length=200,
                             help_text=_("Ví dụ: Tôn vinh người hiến máu tiêu biểu 14/6/2025."))
    period_start = models.DateField(_("xét từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    ceremony_date = models.DateField(_("ngày tổ chức tôn vinh"), null=True, blank=True)
    individual_from = models.PositiveSmallIntegerField(
        _("cá nhân: từ mốc (số lần hiến)"), default=1,
        help_text=_("Đề xuất người đạt một mốc từ số lần này trở lên trong kỳ xét."))
    family_from = models.PositiveSmallIntegerField(
        _("gia đình: từ mốc (số lần hiến của cả gia đình)"), default=3)
    collective_percent = models.DecimalField(
        _("tập thể: đạt chỉ tiêu từ (phần trăm)"), max_digits=5, decimal_places=1, null=True,
        blank=True, default=100, help_text=_("Để trống nếu không xét theo chỉ tiêu."))
    collective_growth = models.DecimalField(
        _("hoặc tăng so với cùng kỳ năm trước từ (phần trăm)"), max_digits=5, decimal_places=1,
        null=True, blank=True, help_text=_("Để trống nếu không xét theo mức tăng."))
    collective_award = models.CharField(
        _("hình thức khen thưởng tập thể"), max_length=255,
        default="Bằng khen của Chủ tịch UBND tỉnh")
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices,
                              default=Status.DRAFT)
    proposed_at = models.DateTimeField(_("HienMau đề xuất lúc"), null=True, blank=True)
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("người duyệt"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoundQuerySet.as_manager()
    CONSTRAINT_FIELDS = {"round_period_in_order": "period_end"}

    class Meta:
        verbose_name = _("đợt tôn vinh")
        verbose_name_plural = pgettext_lazy("số nhiều", "đợt tôn vinh")
        ordering = ["-period_end", "-pk"]
        constraints = [models.CheckConstraint(
            condition=models.Q(period_end__gte=models.F("period_start")),
            name="round_period_in_order",
            violation_error_code="round_period_in_order",
            violation_error_message=_("Ngày kết thúc kỳ xét không được trước ngày bắt đầu."))]

    def __str__(self) -> str:
        return self.title

    @property
    def approved(self) -> bool:
        return self.status == self.Status.APPROVED


class Recipient(models.Model):
    """A person, a family or a unit: exactly one of the three, as `kind` says."""

    kind = models.CharField(_("đối tượng"), max_length=20, choices=Kind.choices)
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="%(class)ss")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="%(class)ss")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="%(class)ss")

    class Meta:
        abstract = True

    @property
    def recipient(self):
        return self.donor or self.household or self.organization


# A list's order: by kind, the highest tier, then the most donations; those without a
# tier (added by the office) after, on both databases (PostgreSQL puts NULL first in
# a descending order, SQLite last).
HIGHEST_FIRST = [models.F("tier").desc(nulls_last=True),
                 models.F("donations").desc(nulls_last=True), "pk"]


class Nomination(Recipient):
    """One person, family or unit on a round's list: what HienMau proposed and why, and
    what the office decided (`included`), with its reason when it differs from the
    proposal or when the office added the nomination itself."""

    round = models.ForeignKey(HonorRound, on_delete=models.CASCADE, related_name="nominations")
    donations = models.PositiveIntegerField(_("số lần hiến"), null=True, blank=True)
    tier = models.PositiveSmallIntegerField(_("mốc"), null=True, blank=True)
    award = models.CharField(_("hình thức tôn vinh, khen thưởng"), max_length=255)
    basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    proposed = models.BooleanField(_("HienMau đề xuất"), default=True)
    included = models.BooleanField(_("có trong danh sách"), default=True)
    reason = models.CharField(_("lý do điều chỉnh"), max_length=500, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta(Recipient.Meta):
        verbose_name = _("đề nghị tôn vinh")
        verbose_name_plural = pgettext_lazy("số nhiều", "đề nghị tôn vinh")
        ordering = ["round", "kind", *HIGHEST_FIRST]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "donor"], name="one_nomination_per_donor",
                condition=models.Q(donor__isnull=False),
                violation_error_code="one_nomination_per_donor",
                violation_error_message=_("Người này đã có trong danh sách đề nghị của đợt xét.")),
            models.UniqueConstraint(
                fields=["round", "household"], name="one_nomination_per_household",
                condition=models.Q(household__isnull=False),
                violation_error_code="one_nomination_per_household",
                violation_error_message=_(
                    "Gia đình này đã có trong danh sách đề nghị của đợt xét.")),
            models.UniqueConstraint(
                fields=["round", "organization"], name="one_nomination_per_unit",
                condition=models.Q(organization__isnull=False),
                violation_error_code="one_nomination_per_unit",
                violation_error_message=_(
                    "Tập thể này đã có trong danh sách đề nghị của đợt xét.")),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.award}"

    @property
    def edited(self) -> bool:
        """The office changed what HienMau proposed (or added it)."""
        return self.changed_at is not None


class Award(Recipient):
    """An award a person, a family or a unit received (Bằng khen, Giấy khen, Giọt hồng,
    Kỷ niệm chương…), as its decision says: issuer, number, date."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("hình thức khen thưởng"), max_length=255,
                             help_text=_("Ví dụ: Bằng khen của Chủ tịch UBND tỉnh."))
    issuer = models.CharField(_("cơ quan, người ký"), max_length=255)
    number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    date = models.DateField(_("ngày quyết định"))
    round = models.ForeignKey(HonorRound, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="awards", verbose_name=_("đợt tôn vinh"))
    # The unit whose office recorded it: who may see and change it.
    recorded_for = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(Recipient.Meta):
        verbose_name = _("khen thưởng")
        verbose_name_plural = pgettext_lazy("số nhiều", "khen thưởng")
        ordering = ["-date", "-pk"]
        constraints = [models.CheckConstraint(
            condition=(models.Q(kind="individual", donor__isnull=False, household__isnull=True,
                                organization__isnull=True)
                       | models.Q(kind="family", household__isnull=False, donor__isnull=True,
                                  organization__isnull=True)
                       | models.Q(kind="collective", organization__isnull=False,
                                  donor__isnull=True, household__isnull=True)),
            name="award_has_one_recipient",
            violation_error_code="award_has_one_recipient",
            violation_error_message=_(
                "Khen thưởng cá nhân ghi một người, gia đình ghi một gia đình, tập thể ghi một "
                "tập thể."))]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d/%m/%Y})"


class EmulationWeights(models.Model):
    """A committee's weights for the emulation ranking of the units below it
    (`honors.emulation`); without them, the defaults there."""

    committee = models.OneToOneField(Organization, on_delete=models.CASCADE,
                                     related_name="emulation_weights")
    quota = models.PositiveSmallIntegerField(_("đạt chỉ tiêu (điểm)"), default=40)
    growth = models.PositiveSmallIntegerField(_("tăng so với cùng kỳ (điểm)"), default=20)
    large_bags = models.PositiveSmallIntegerField(_("túi 350 ml trở lên (điểm)"), default=15)
    repeat = models.PositiveSmallIntegerField(_("người hiến nhắc lại (điểm)"), default=15)
    mobilization = models.PositiveSmallIntegerField(_("đạt số dự kiến của các đợt (điểm)"),
                                                    default=10)
    growth_full_at = models.PositiveSmallIntegerField(
        _("mức tăng được điểm tối đa (phần trăm)"), default=20)

    class Meta:
        verbose_name = _("cách tính điểm thi đua")
        verbose_name_plural = pgettext_lazy("số nhiều", "cách tính điểm thi đua")

    def __str__(self) -> str:
        return f"{self.committee}: {self.quota}/{self.growth}/{self.large_bags}/" \
               f"{self.repeat}/{self.mobilization}"
