"""What happens at a drive: registrations, check-in, screening, donations collected or
deferred, and the confirmed result that closes it. Donors come from `donors`; drives are
scheduled in `plans`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hienmau.donors.models import Donor, DonorUnit, refresh_units
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
    # Health data: only receiving-institution staff see the reason (docs/domain.md §6).
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
    # The drive-day visit it is the outcome of: one per registration, so that two
    # stations can never count a person twice.
    registration = models.OneToOneField("drives.Registration", on_delete=models.PROTECT,
                                        null=True, blank=True, related_name="donation")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
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
                                    name="one_donation_per_bag",
                                    violation_error_code="one_donation_per_bag",
                                    violation_error_message=_(
                                        "Mã túi này đã được ghi cho một lần hiến khác của đơn "
                                        "vị tiếp nhận máu.")),
            models.CheckConstraint(condition=Q(volume_ml__isnull=True)
                                   | Q(volume_ml__gt=0, volume_ml__lte=1000),
                                   name="donation_volume_plausible",
                                   violation_error_code="donation_volume_plausible",
                                   violation_error_message=_(
                                       "Thể tích phải lớn hơn 0 và không quá 1.000 ml.")),
        ]

    def __str__(self) -> str:
        return f"{self.donor} {self.date:%d/%m/%Y}"

    # A donation makes its receiving institution one of the donor's units (who sees the
    # donor); bulk writes call `refresh_units` themselves.
    def save(self, *args, refresh_units_of_donor: bool = True, **kwargs):
        super().save(*args, **kwargs)
        if refresh_units_of_donor:
            refresh_units([self.donor_id])
        elif self.receiving_institution_id:
            # The caller knows that only this institution can be new to the donor (a
            # donation recorded at a drive): one insert instead of recomputing them all.
            DonorUnit.objects.bulk_create([DonorUnit(
                donor_id=self.donor_id, organization_id=self.receiving_institution_id)],
                ignore_conflicts=True)

    def delete(self, *args, **kwargs):
        donor_id = self.donor_id
        result = super().delete(*args, **kwargs)
        refresh_units([donor_id])
        return result


class Source(models.TextChoices):
    ONLINE = "online", _("Đăng ký trực tuyến")
    COORDINATOR = "coordinator", _("Điều phối viên nhập")
    IMPORT = "import", _("Nhập từ tệp")
    WALK_IN = "walk_in", _("Đến trực tiếp")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Đã đăng ký")
    CONFIRMED = "confirmed", _("Đã xác nhận")
    CHECKED_IN = "checked_in", _("Đã có mặt")
    DONATED = "donated", _("Đã hiến")
    DEFERRED = "deferred", _("Tạm hoãn")
    NO_SHOW = "no_show", _("Không đến")
    CANCELLED = "cancelled", _("Đã hủy")


# Registrations that still expect the person at the drive.
EXPECTED_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.CONFIRMED)


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=RegistrationStatus.CANCELLED)


class Registration(models.Model):
    """A person registered for a drive (danh sách đăng ký hiến máu): one per person and
    drive, whichever way they came (online, a coordinator, a unit's spreadsheet)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # What the person is told and shows at check-in (as text and as a QR code).
    reference = models.CharField(_("mã đăng ký"), max_length=12, unique=True)
    # No index of its own: the unique (drive, donor) and the (drive, status) index lead
    # with it, and an import writes 100.000 registrations at once.
    drive = models.ForeignKey("plans.Drive", on_delete=models.PROTECT, db_index=False,
                              related_name="registrations", verbose_name=_("đợt hiến máu"))
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="registrations",
                              verbose_name=_("người hiến máu"))
    source = models.CharField(_("nguồn"), max_length=20, choices=Source.choices)
    status = models.CharField(_("trạng thái"), max_length=20, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.REGISTERED)
    mobilized_by = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True,
        related_name="mobilized_registrations", verbose_name=_("đơn vị vận động"),
        help_text=_("Đơn vị đã vận động người này, để theo dõi chỉ tiêu vận động."))
    batch = models.ForeignKey("drives.RegistrationImport", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="registrations",
                              verbose_name=_("lần nhập tệp"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    checked_in_at = models.DateTimeField(_("có mặt lúc"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("đăng ký hiến máu")
        verbose_name_plural = pgettext_lazy("số nhiều", "đăng ký hiến máu")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A person is registered at most once per drive; cancelling and registering
            # again reuses the same row.
            models.UniqueConstraint(
                fields=["drive", "donor"], name="one_registration_per_drive",
                violation_error_code="one_registration_per_drive",
                violation_error_message=_("Người này đã đăng ký đợt hiến máu này.")),
        ]
        indexes = [models.Index(fields=["drive", "status"], name="registration_drive_status")]

    def __str__(self) -> str:
        return self.reference


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Chờ chọn cột")
    VALIDATING = "validating", _("Đang kiểm tra")
    VALIDATED = "validated", _("Đã kiểm tra, chờ nhập")
    IMPORTING = "importing", _("Đang nhập")
    DONE = "done", _("Đã nhập")
    FAILED = "failed", _("Lỗi")
    UNDONE = "undone", _("Đã hoàn tác")


class RegistrationImport(models.Model):
    """One import of a registration list into a drive: who, when, which file (name and
    SHA-256), what it created and changed, so that it can be shown, repeated without
    effect, and undone before the drive."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    drive = models.ForeignKey("plans.Drive", on_delete=models.PROTECT,
                              related_name="registration_imports")
    mobilized_by = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+",
                                     verbose_name=_("đơn vị vận động"))
    file_name = models.CharField(_("tên tệp"), max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    # The file itself, for the background worker and for the rejected rows' download.
    file_data = models.BinaryField(editable=False)
    mapping = models.JSONField(_("cột"), default=dict)
    accepted_changes = models.BooleanField(
        _("cập nhật hồ sơ đã có"), default=False,
        help_text=_("Ghi giá trị của tệp vào các ô còn trống hoặc khác trong hồ sơ đã có."))
    status = models.CharField(_("trạng thái"), max_length=20, choices=ImportStatus.choices,
                              default=ImportStatus.UPLOADED)
    # The rows with something to say: sheet row number, ok / warning / error, messages.
    report = models.JSONField(default=list, editable=False)
    # The review's counts (rows, errors, new and known people…), shown before importing.
    summary = models.JSONField(default=dict, editable=False)
    # The rows as the check read them (typed values, zlib-compressed JSON), so that
    # importing does not read and parse the file a second time; emptied once imported.
    # Bytes, not a JSON column: 100.000 rows are read and written in one piece, and
    # PostgreSQL's jsonb would parse and print 25 MB each way.
    parsed_rows = models.BinaryField(default=b"", editable=False)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    registrations_created = models.PositiveIntegerField(default=0)
    registrations_existing = models.PositiveIntegerField(default=0)
    donors_created = models.PositiveIntegerField(default=0)
    donors_updated = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    # Donor fields the import changed ({donor id: {field: [old, new]}}), for undoing it.
    changes = models.JSONField(default=dict, editable=False)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the step under way (checking, importing) last showed it was alive: set when it
    # starts and as it reads rows. Long silent, its worker died (imports.runner.stalled).
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lần nhập danh sách đăng ký")
        verbose_name_plural = pgettext_lazy("số nhiều", "lần nhập danh sách đăng ký")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name


class Screening(models.Model):
    """The screening at the drive (khám sàng lọc) of a person checked in: what was
    measured and the decision. Health data: only the receiving institution's staff see it;
    others see "not donated today, eligible again from …" (docs/domain.md §6)."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE,
                                        related_name="screening")
    weight_kg = models.DecimalField(_("cân nặng (kg)"), max_digits=4, decimal_places=1,
                                    null=True, blank=True)
    hemoglobin_g_l = models.PositiveSmallIntegerField(_("huyết sắc tố (g/l)"), null=True,
                                                      blank=True)
    systolic_mm_hg = models.PositiveSmallIntegerField(_("huyết áp tâm thu (mmHg)"), null=True,
                                                      blank=True)
    diastolic_mm_hg = models.PositiveSmallIntegerField(_("huyết áp tâm trương (mmHg)"),
                                                       null=True, blank=True)
    pulse_bpm = models.PositiveSmallIntegerField(_("mạch (lần/phút)"), null=True, blank=True)
    accepted = models.BooleanField(_("đủ điều kiện hiến"))
    deferral_reason = models.CharField(_("lý do tạm hoãn"), max_length=40, blank=True)
    deferred_until = models.DateField(_("tạm hoãn đến ngày"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    screened_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("khám sàng lọc")
        verbose_name_plural = pgettext_lazy("số nhiều", "khám sàng lọc")
        constraints = [
            models.CheckConstraint(condition=Q(accepted=True, deferral_reason="")
                                   | Q(accepted=False) & ~Q(deferral_reason=""),
                                   name="screening_deferral_has_reason",
                                   violation_error_code="screening_deferral_has_reason",
                                   violation_error_message=_(
                                       "Tạm hoãn phải có lý do; người đủ điều kiện hiến thì "
                                       "không ghi lý do tạm hoãn.")),
        ]

    def __str__(self) -> str:
        return f"{self.registration}"


class DriveResult(models.Model):
    """The confirmed result that closes a drive: from its per-person records (the tally
    at closing, corrected by the receiving institution: bags discarded later) or, for a
    drive recorded only as totals (past years), the totals typed in."""

    drive = models.OneToOneField("plans.Drive", on_delete=models.CASCADE, related_name="result")
    units_collected = models.PositiveIntegerField(_("số đơn vị máu tiếp nhận"))
    people_registered = models.PositiveIntegerField(_("số người đăng ký"), null=True,
                                                    blank=True)
    people_present = models.PositiveIntegerField(_("số người có mặt"), null=True, blank=True)
    people_deferred = models.PositiveIntegerField(_("số người tạm hoãn"), null=True, blank=True)
    # Donors giving blood for the first time (reports: new vs repeat donors).
    people_first_time = models.PositiveIntegerField(_("số người hiến lần đầu"), null=True,
                                                    blank=True)
    # Deferrals by reason {reason: people}, from the screening records.
    deferrals_by_reason = models.JSONField(_("tạm hoãn theo lý do"), default=dict, blank=True)
    # Bags by volume {"250": n, "350": n, "450": n}: the 250 ml equivalents come from it.
    units_by_volume = models.JSONField(_("số túi theo thể tích"), default=dict, blank=True)
    # What the tally said when the drive was closed (None: totals typed in).
    tally_units = models.PositiveIntegerField(null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    confirmed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kết quả đợt hiến máu")
        verbose_name_plural = pgettext_lazy("số nhiều", "kết quả đợt hiến máu")

    def __str__(self) -> str:
        return f"{self.drive}: {self.units_collected}"

    @property
    def from_records(self) -> bool:
        return self.tally_units is not None
