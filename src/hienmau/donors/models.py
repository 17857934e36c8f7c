"""The donor registry: one record per person, their consents and their donations.

Identity rules live in `donors/identity.py`, eligibility in `donors/eligibility.py`;
the models only store what those rules read and write.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hienmau.constraints import ConstraintsOnFields
from hienmau.donors.identity import person_key
from hienmau.orgs.models import Kind, Organization, scope_ids, scope_paths, subtree_q
from hienmau.orgs.roles import VIEW_DONORS
from hienmau.text import clean_name, given_name_first, search_key


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


class IdType(models.TextChoices):
    CCCD = "cccd", _("Căn cước công dân (12 số)")
    CMND = "cmnd", _("Chứng minh nhân dân (9 hoặc 12 số)")
    PASSPORT = "passport", _("Hộ chiếu")
    OTHER = "other", _("Giấy tờ khác")


class BloodGroup(models.TextChoices):
    GROUP_O = "O", "O"
    A = "A", "A"
    B = "B", "B"
    AB = "AB", "AB"


class Rh(models.TextChoices):
    POSITIVE = "+", _("Rh dương (+)")
    NEGATIVE = "-", _("Rh âm (−)")


class DonorQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Donors of the user's organizations and those below them: the unit that keeps
        the record, the workplace or school, the clubs, and the receiving institutions
        the person gave blood at. Records merged into another stay out (the other one
        holds their data).

        One EXISTS over `DonorUnit` (those organizations, kept per donor), not an OR of
        joins and a subquery over donations: PostgreSQL cannot plan such an OR but by
        hashing every donation first, 2 s at 5 million donations for an institution's
        staff (tests/bench/bench_donors.py)."""
        queryset = self.filter(merged_into__isnull=True)
        if getattr(user, "is_superuser", False) and user.is_active:
            return queryset
        paths = scope_paths(user, VIEW_DONORS)
        if not paths:
            return queryset.none()
        units = scope_ids(user, VIEW_DONORS)
        if units is None:  # a very large scope
            units = Organization.objects.filter(subtree_q(paths)).values("pk")
        return queryset.filter(Exists(DonorUnit.objects.filter(donor=OuterRef("pk"),
                                                               organization__in=units)))

    def search(self, text: str):
        """By name without diacritics (any part of it), by identity number, or by phone;
        see `donors.search.search`."""
        from hienmau.donors.search import search

        return search(self, text)

    def in_name_order(self):
        """As Vietnamese lists sort people: by given name, then middle and family name."""
        return self.order_by("sort_key", "pk")


class Household(models.Model):
    """A family whose members' donations count together for the family milestones
    (Quy chế tôn vinh, Điều 8: "gia đình có nhiều thành viên tham gia hiến máu")."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("tên gia đình"), max_length=150,
                            help_text=_("Ví dụ: Gia đình ông Nguyễn Văn Hùng."))
    # The unit that keeps the family's record (its first member's): who may see it.
    home = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="households",
                             verbose_name=_("đơn vị quản lý hồ sơ"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gia đình")
        verbose_name_plural = pgettext_lazy("số nhiều", "gia đình")

    def __str__(self) -> str:
        return self.name


class Donor(ConstraintsOnFields, models.Model):
    """A person who gives (or may give) blood. One record per person."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    name_key = models.CharField(max_length=150, editable=False, db_index=True)
    # name_key from the given name back ("hung van nguyen"): the list's order, and a
    # name's ending (what people type: "hung", "van hung") as a prefix an index finds.
    # On PostgreSQL its collation is "C" (migration 0008), so that order and prefix
    # ranges are byte-wise on both databases.
    sort_key = models.CharField(max_length=150, editable=False, default="")
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("năm sinh"), null=True, blank=True,
        help_text=_("Khi hồ sơ cũ chỉ ghi năm sinh."))
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices, blank=True)
    id_type = models.CharField(_("loại giấy tờ"), max_length=10, choices=IdType.choices,
                               blank=True)
    id_number = models.CharField(_("số giấy tờ"), max_length=30, null=True, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True, db_index=True,
                             help_text=_("Lưu theo chuẩn quốc tế (+84…)."))
    phone_other = models.CharField(_("điện thoại khác"), max_length=20, blank=True)
    # One record per person without a document (`identity.person_key`): name, birth year
    # and phone; None when the record has a document, no phone, or is merged or erased.
    identity_key = models.CharField(max_length=200, null=True, blank=True, editable=False)
    email = models.EmailField(_("e-mail"), blank=True)
    province_code = models.PositiveIntegerField(_("tỉnh/thành phố"), null=True, blank=True)
    commune_code = models.PositiveIntegerField(_("xã/phường"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    home = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="donors",
                             verbose_name=_("đơn vị quản lý hồ sơ"))
    workplace = models.ForeignKey(Organization, on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="staff_donors",
                                  verbose_name=_("nơi làm việc, học tập"))
    clubs = models.ManyToManyField(Organization, blank=True, related_name="club_donors",
                                   verbose_name=_("câu lạc bộ"),
                                   limit_choices_to={"kind": Kind.CLUB})
    blood_group = models.CharField(_("nhóm máu ABO"), max_length=2,
                                   choices=BloodGroup.choices, blank=True)
    rh = models.CharField(_("Rh"), max_length=1, choices=Rh.choices, blank=True)
    weight_kg = models.DecimalField(_("cân nặng (kg)"), max_digits=4, decimal_places=1,
                                    null=True, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    household = models.ForeignKey(Household, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="members", verbose_name=_("gia đình"))
    # Donations before HienMau, as an office recorded them (milestones count them).
    prior_donations = models.PositiveSmallIntegerField(
        _("số lần hiến trước khi có HienMau"), default=0)
    prior_donations_source = models.CharField(
        _("nguồn số lần hiến trước"), max_length=255, blank=True,
        help_text=_("Ví dụ: sổ theo dõi của Hội Chữ thập đỏ huyện, giấy chứng nhận đã cấp."))
    # Health data (docs/domain.md §6): the reason is shown to receiving-institution staff only.
    permanently_excluded = models.BooleanField(_("không đủ điều kiện hiến máu vĩnh viễn"),
                                               default=False)
    exclusion_reason = models.CharField(_("lý do (chỉ đơn vị tiếp nhận máu xem)"),
                                        max_length=255, blank=True)
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="merged_from", editable=False)
    erased_at = models.DateTimeField(_("đã xóa dữ liệu cá nhân lúc"), null=True, blank=True,
                                     editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DonorQuerySet.as_manager()
    CONSTRAINT_FIELDS = {"one_donor_per_id_document": "id_number",
                         "one_donor_per_person_key": "phone",
                         "donor_birth_date_or_year": "birth_year"}

    AUDITED_FIELDS = ("full_name", "birth_date", "birth_year", "sex", "id_type", "id_number",
                      "phone", "phone_other", "email", "province_code", "commune_code",
                      "address", "home", "workplace", "blood_group", "rh", "weight_kg",
                      "notes", "permanently_excluded")

    class Meta:
        verbose_name = _("người hiến máu")
        verbose_name_plural = pgettext_lazy("số nhiều", "người hiến máu")
        ordering = ["sort_key", "pk"]
        indexes = [
            # Search by number does not know the document type: the number alone.
            models.Index(fields=["id_number"], name="donor_id_number"),
            models.Index(fields=["sort_key", "id"], name="donor_sort_key"),
            # Few donors give a second phone: an index of the others only. A full index
            # is all "" to SQLite's statistics, which then scans the table instead
            # (0,4 s at 200.000 donors); queries name the same condition to use this one.
            models.Index(fields=["phone_other"], condition=~Q(phone_other=""),
                         name="donor_phone_other"),
        ]
        constraints = [
            # One record per identity document: exact duplicates are impossible.
            models.UniqueConstraint(fields=["id_type", "id_number"],
                                    condition=Q(id_number__isnull=False),
                                    name="one_donor_per_id_document",
                                    violation_error_code="one_donor_per_id_document",
                                    violation_error_message=_(
                                        "Đã có người hiến máu với giấy tờ này.")),
            # One record per person without a document: the same name, birth year and
            # phone are the same person (donors.matching), whoever writes them at once.
            models.UniqueConstraint(fields=["identity_key"],
                                    condition=Q(identity_key__isnull=False),
                                    name="one_donor_per_person_key",
                                    violation_error_code="one_donor_per_person_key",
                                    violation_error_message=_(
                                        "Đã có người hiến máu cùng họ tên, năm sinh và số "
                                        "điện thoại này.")),
            models.CheckConstraint(condition=Q(birth_date__isnull=False)
                                   | Q(birth_year__isnull=False),
                                   name="donor_birth_date_or_year",
                                   violation_error_code="donor_birth_date_or_year",
                                   violation_error_message=_("Hãy ghi ngày sinh hoặc năm sinh.")),
        ]

    def save(self, *args, **kwargs):
        self.full_name = clean_name(self.full_name)
        self.name_key = search_key(self.full_name)
        self.sort_key = given_name_first(self.name_key)
        if self.birth_date:
            self.birth_year = self.birth_date.year
        if not self.id_number:
            self.id_number = None  # several donors without a document are fine
        self.identity_key = self.person_key()
        super().save(*args, **kwargs)
        refresh_units([self.pk])

    def __str__(self) -> str:
        return self.full_name

    def person_key(self) -> str | None:
        """The `identity_key` this record holds as it stands."""
        if self.id_number or self.merged_into_id or self.erased_at:
            return None
        return person_key(self.name_key, self.birth_year, self.phone)

    @property
    def phone_local(self) -> str:
        """The phone as people read it ("0912 345 678"); stored in E.164."""
        from hienmau.donors.identity import IdentityError, format_phone_local

        try:
            return format_phone_local(self.phone) if self.phone else ""
        except IdentityError:
            return self.phone

    @property
    def blood_type(self) -> str:
        return f"{self.blood_group}{self.rh}" if self.blood_group else ""


class DonorUnit(models.Model):
    """An organization a donor belongs to or gave blood at, the relation that decides who
    sees the donor (`DonorQuerySet.visible_to`). Derived from the donor's home,
    workplace, clubs and donations by `refresh_units`, which every write path calls."""

    # No index of their own: the unique (donor, organization) and the (organization,
    # donor) index below serve both columns, and an import writes 100.000 rows here.
    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="unit_links",
                              db_index=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+",
                                     db_index=False)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["donor", "organization"], name="one_link_per_donor_and_unit",
            violation_error_code="one_link_per_donor_and_unit",
            violation_error_message=_("Người hiến máu này đã thuộc đơn vị này."))]
        indexes = [models.Index(fields=["organization", "donor"], name="donorunit_unit_donor")]

    def __str__(self) -> str:
        return f"{self.donor_id} → {self.organization_id}"


def units_of(donor_ids) -> set[tuple[int, int]]:
    """(donor id, organization id) pairs as the donors' records say today."""
    donor_ids = list(donor_ids)
    pairs = set()
    for pk, home, workplace in Donor.objects.filter(pk__in=donor_ids).values_list(
            "pk", "home_id", "workplace_id"):
        pairs.update((pk, org) for org in (home, workplace) if org)
    pairs.update(Donor.clubs.through.objects.filter(donor_id__in=donor_ids)
                 .values_list("donor_id", "organization_id"))
    pairs.update(Donor.objects.filter(pk__in=donor_ids,
                                      donations__receiving_institution__isnull=False)
                 .values_list("pk", "donations__receiving_institution").distinct())
    return pairs


_REFRESH_CHUNK = 1000


def refresh_units(donor_ids) -> None:
    """Bring `DonorUnit` in line with the donors' records; call it after any write that
    changes a donor's home, workplace, clubs or donations (Donor.save and Donation.save
    do it themselves; bulk writes and queryset updates call it)."""
    donor_ids = sorted(set(donor_ids))
    for start in range(0, len(donor_ids), _REFRESH_CHUNK):
        chunk = donor_ids[start:start + _REFRESH_CHUNK]
        wanted = units_of(chunk)
        have = set(DonorUnit.objects.filter(donor_id__in=chunk)
                   .values_list("donor_id", "organization_id"))
        stale = have - wanted
        if stale:
            gone = Q(pk__in=[])
            for donor_id, org_id in stale:
                gone |= Q(donor_id=donor_id, organization_id=org_id)
            DonorUnit.objects.filter(gone).delete()
        DonorUnit.objects.bulk_create(
            [DonorUnit(donor_id=d, organization_id=o) for d, o in wanted - have],
            ignore_conflicts=True)


@receiver(m2m_changed, sender=Donor.clubs.through)
def _clubs_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        refresh_units([instance.pk])
    elif pk_set:
        refresh_units(pk_set)
    else:  # a club's members cleared: whoever it had
        refresh_units(DonorUnit.objects.filter(organization=instance)
                      .values_list("donor_id", flat=True))


class Consent(models.Model):
    """What a donor agreed to, when and how (Nghị định 13/2023, Luật 91/2025): one row per
    purpose, withdrawn by setting `withdrawn_at`, never deleted."""

    class Purpose(models.TextChoices):
        REGISTRY = "registry", _("Lưu hồ sơ hiến máu")
        REMINDERS = "reminders", _("Nhận nhắc lịch, mời hiến máu")
        HONORS = "honors", _("Công bố tên khi tôn vinh")
        # One per channel a person agreed to be messaged on (outreach): withdrawing one
        # (an opt-out link or keyword) leaves the others standing.
        SMS = "sms", _("Nhận tin nhắn SMS")
        ZALO = "zalo", _("Nhận tin nhắn Zalo")
        EMAIL = "email", _("Nhận e-mail")

    class Channel(models.TextChoices):
        PAPER = "paper", _("Phiếu giấy")
        ONLINE = "online", _("Trực tuyến")
        PHONE = "phone", _("Qua điện thoại")
        IMPORT = "import", _("Theo danh sách của đơn vị")

    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("mục đích"), max_length=20, choices=Purpose.choices)
    channel = models.CharField(_("hình thức"), max_length=20, choices=Channel.choices)
    given_at = models.DateTimeField(_("đồng ý lúc"))
    withdrawn_at = models.DateTimeField(_("rút lại lúc"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("sự đồng ý")
        verbose_name_plural = pgettext_lazy("số nhiều", "sự đồng ý")
        ordering = ["purpose", "-given_at"]

    def __str__(self) -> str:
        return f"{self.donor}: {self.get_purpose_display()}"


class DonorView(models.Model):
    """Who opened a donor's page, and when (access log required for health data)."""

    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="views")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+")
    viewed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("lượt xem hồ sơ")
        verbose_name_plural = pgettext_lazy("số nhiều", "lượt xem hồ sơ")
        ordering = ["-viewed_at"]

    def __str__(self) -> str:
        return f"{self.donor} · {self.viewer} · {self.viewed_at:%d/%m/%Y %H:%M}"


class Merge(models.Model):
    """Two records of one person made one, with what it takes to undo it: the rows that
    moved and the fields of the kept record as they were."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kept = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="merges_kept")
    absorbed = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="merges_absorbed")
    moved = models.JSONField(default=dict)  # {"donations": [pk…], "consents": [pk…], …}
    kept_before = models.JSONField(default=dict)  # the kept record's fields before the merge
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("gộp hồ sơ")
        verbose_name_plural = pgettext_lazy("số nhiều", "gộp hồ sơ")
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.absorbed_id} → {self.kept_id}"


class NotDuplicate(models.Model):
    """A pair an office checked and found to be two different people."""

    first = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["first", "second"], name="one_donor_review_per_pair",
                violation_error_code="one_donor_review_per_pair",
                violation_error_message=_(
                    "Hai người này đã được xác nhận là hai người khác nhau.")),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="donor_review_pair_ordered",
                violation_error_code="donor_review_pair_ordered",
                violation_error_message=_("Cặp người hiến máu phải ghi theo thứ tự mã.")),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"


class StoredRuleSet(models.Model):
    """An eligibility rule set as data (`rules.RuleSet.to_dict()`), so that an office can
    put a new regulation in force from a date without a code change. The one in force on
    a day is the latest `effective_from` on or before it; without any, TT 26/2013."""

    code = models.SlugField(_("mã"), max_length=50, unique=True)
    title = models.CharField(_("tên văn bản"), max_length=255)
    effective_from = models.DateField(_("áp dụng từ ngày"), unique=True)
    data = models.JSONField(_("các quy định"),
                            help_text=_("Các con số của bộ quy tắc (tuổi, cân nặng, thể tích, "
                                        "khoảng cách giữa hai lần hiến)."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bộ quy tắc hiến máu")
        verbose_name_plural = pgettext_lazy("số nhiều", "bộ quy tắc hiến máu")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.title} ({self.effective_from:%d/%m/%Y})"

    def clean(self):
        from django.core.exceptions import ValidationError

        from hienmau.donors.rules import RuleSet, RuleSetError

        try:
            rules = RuleSet.from_dict(self.data)
        except RuleSetError as error:
            raise ValidationError({"data": str(error)}) from None
        if rules.effective_from != self.effective_from or rules.code != self.code:
            raise ValidationError(_("Mã và ngày áp dụng phải trùng với trong các quy định."))


class MilestoneTier(models.Model):
    """A committee's own milestone: the donation count and the award it proposes, for
    individuals or families. A committee that defines any replaces the quy chế's
    defaults (`donors.milestones.DEFAULT_TIERS`) for itself and the units below it."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("cá nhân")
        FAMILY = "family", _("gia đình")

    committee = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                  related_name="milestone_tiers")
    kind = models.CharField(_("áp dụng cho"), max_length=20, choices=Kind.choices)
    donations = models.PositiveSmallIntegerField(_("số lần hiến"))
    award = models.CharField(_("hình thức tôn vinh, khen thưởng đề xuất"), max_length=255)
    confirmed = models.BooleanField(_("theo văn bản quy định"), default=True,
                                    help_text=_("Bỏ chọn nếu mốc này theo thực tế địa phương, "
                                                "chưa có văn bản."))

    class Meta:
        verbose_name = _("mốc tôn vinh")
        verbose_name_plural = pgettext_lazy("số nhiều", "mốc tôn vinh")
        ordering = ["committee", "kind", "donations"]
        constraints = [models.UniqueConstraint(
            fields=["committee", "kind", "donations"], name="one_tier_per_count",
            violation_error_code="one_tier_per_count",
            violation_error_message=_(
                "Ban Chỉ đạo này đã có mốc khen thưởng với số lần hiến này."))]

    def __str__(self) -> str:
        return f"{self.donations}: {self.award}"
