"""What happens at a drive: donations collected or deferred (later: registrations,
check-in, screening, tally). Donors come from `donors`; drives are scheduled in `plans`.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hienmau.donors.models import Donor
from hienmau.orgs.models import Kind, Organization


class DonationType(models.TextChoices):
    WHOLE_BLOOD = "whole_blood", _("Máu toàn phần")
    RED_CELLS_APHERESIS = "red_cells_apheresis", _("Hồng cầu gạn tách")
    PLATELETS_APHERESIS = "platelets_apheresis", _("Tiểu cầu gạn tách")
    PLASMA_APHERESIS = "plasma_apheresis", _("Huyết tương gạn tách")
    GRANULOCYTES_APHERESIS = "granulocytes_apheresis", _("Bạch cầu hạt gạn tách")


class Outcome(models.TextChoices):
    COLLECTED = "collected", _("Đã hiến")
    DEFERRED = "deferred", _("Tạm hoãn")
    INCOMPLETE = "incomplete", _("Không hoàn thành")


class Donation(models.Model):
    """One visit to give blood: collected, deferred at screening, or not completed."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="donations")
    date = models.DateField(_("ngày"), db_index=True)
    type = models.CharField(_("loại"), max_length=30, choices=DonationType.choices,
                            default=DonationType.WHOLE_BLOOD)
    volume_ml = models.PositiveSmallIntegerField(_("thể tích (ml)"), null=True, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=20, choices=Outcome.choices,
                               default=Outcome.COLLECTED)
    # Health data: only receiving-institution staff see the reason (DOMAIN.md §6).
    deferral_reason = models.CharField(_("lý do tạm hoãn"), max_length=255, blank=True)
    deferred_until = models.DateField(_("tạm hoãn đến ngày"), null=True, blank=True)
    drive = models.ForeignKey("plans.Drive", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="donations", verbose_name=_("đợt hiến máu"))
    receiving_institution = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True,
        related_name="received_donations", verbose_name=_("đơn vị tiếp nhận máu"),
        limit_choices_to={"kind": Kind.RECEIVING_INSTITUTION})
    bag_number = models.CharField(_("mã túi máu"), max_length=30, null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=100, blank=True,
                              help_text=_("Ví dụ: sổ hiến máu cũ, danh sách của bệnh viện."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lần hiến máu")
        verbose_name_plural = pgettext_lazy("số nhiều", "lần hiến máu")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["donor", "-date"], name="donation_donor_date")]
        constraints = [
            # A bag number names one bag at its institution.
            models.UniqueConstraint(fields=["receiving_institution", "bag_number"],
                                    condition=Q(bag_number__isnull=False),
                                    name="one_donation_per_bag"),
            models.CheckConstraint(condition=Q(volume_ml__isnull=True)
                                   | Q(volume_ml__gt=0, volume_ml__lte=1000),
                                   name="donation_volume_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.donor} {self.date:%d/%m/%Y}"
