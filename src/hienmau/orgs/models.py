import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from hienmau.constraints import ConstraintsOnFields
from hienmau.orgs import geography
from hienmau.orgs.roles import VIEW, Role, roles_with
from hienmau.text import clean_name, search_key


class Kind(models.TextChoices):
    NATIONAL_COMMITTEE = "national_committee", _("Ban Chỉ đạo quốc gia")
    PROVINCIAL_COMMITTEE = "provincial_committee", _("Ban Chỉ đạo cấp tỉnh")
    COMMUNE_COMMITTEE = "commune_committee", _("Ban Chỉ đạo cấp xã/huyện")
    INDUSTRIAL_ZONE_COMMITTEE = "industrial_zone_committee", _("Ban Chỉ đạo khu công nghiệp")
    UNIVERSITY = "university", _("Trường đại học, cao đẳng")
    AGENCY = "agency", _("Cơ quan, sở, ngành")
    COMPANY = "company", _("Doanh nghiệp")
    UNION = "union", _("Đoàn thể")
    CLUB = "club", _("Câu lạc bộ")
    RED_CROSS = "red_cross", _("Hội Chữ thập đỏ")
    RECEIVING_INSTITUTION = "receiving_institution", _("Đơn vị tiếp nhận máu")


def scope_paths(user, perm: str = VIEW) -> list[str]:
    """Tree paths of the organizations where `user` holds a role granting `perm`.

    A role on a unit also covers the ended units it succeeded (and theirs, two steps back):
    the office that inherited an abolished district's work keeps its history correctable.

    Memberships are read once per user object (one query per request), then reused
    by every scoping call of that request.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_hienmau_memberships", None)
    if cached is None:
        rows = Membership.objects.filter(user=user).values_list(
            "role", "organization__path", "organization__predecessors__path",
            "organization__predecessors__predecessors__path")
        cached = sorted({(path, role) for role, *paths in rows for path in paths if path})
        user._hienmau_memberships = cached
    allowed = roles_with(perm)
    paths = sorted(path for path, role in cached if role in allowed)
    # Drop paths already covered by an ancestor's path: fewer OR terms in every query.
    return [p for i, p in enumerate(paths) if not any(p.startswith(q) for q in paths[:i])]


# Past this many organizations, a scope is given to the database as a subquery on paths
# rather than as a list of ids.
SCOPE_IDS_LIMIT = 2000


def scope_ids(user, perm: str = VIEW) -> list[int] | None:
    """Ids of the organizations in the user's subtrees for `perm`, or None when there are
    more than SCOPE_IDS_LIMIT. A list of ids lets PostgreSQL estimate each one from its
    statistics; given a subquery on paths it guesses, and guessed wrong by a million rows
    for a receiving institution's staff (tests/bench/bench_donors.py). Not cached: a unit
    created a moment ago belongs to the scope at once."""
    paths = scope_paths(user, perm)
    if not paths:
        return []
    ids = list(Organization.objects.filter(subtree_q(paths))
               .values_list("pk", flat=True)[:SCOPE_IDS_LIMIT + 1])
    return ids if len(ids) <= SCOPE_IDS_LIMIT else None


def subtree_q(paths: list[str], field: str = "path") -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


class OrganizationQuerySet(MP_NodeQuerySet):
    def visible_to(self, user, perm: str = VIEW):
        """The only starting point for listing organizations: the user's subtrees."""
        if getattr(user, "is_superuser", False) and user.is_active:
            return self.all()
        paths = scope_paths(user, perm)
        return self.filter(subtree_q(paths)) if paths else self.none()

    def search(self, text: str):
        key = search_key(text)
        if not key:
            return self
        return self.filter(Q(name_key__contains=key) | Q(short_name_key__contains=key))

    def valid_on(self, day, until=None):
        """Units in activity on `day`, or with `until`, on at least one day from `day` to
        `until` (a plan year). What a record of that date may name: the rule every form,
        service and API endpoint uses (`Organization.is_active_on` for one unit)."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=until or day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def current(self, on=None):
        return self.valid_on(on or timezone.localdate())


class OrganizationManager(MP_NodeManager):
    def get_queryset(self):
        return OrganizationQuerySet(self.model).order_by("path")

    def visible_to(self, user, perm: str = VIEW):
        return self.get_queryset().visible_to(user, perm)

    def valid_on(self, day, until=None):
        return self.get_queryset().valid_on(day, until)


class Organization(ConstraintsOnFields, MP_Node):
    """A committee, unit or institution, placed in one tree of any depth.

    Abolished units are kept, with their name as it was, a validity period and a
    successor (the 2025 reform abolished districts and merged provinces).
    """

    code = models.UUIDField(_("mã"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    kind = models.CharField(_("loại"), max_length=40, choices=Kind.choices)
    province_code = models.PositiveIntegerField(_("tỉnh/thành phố"), null=True, blank=True)
    commune_code = models.PositiveIntegerField(_("xã/phường"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    population = models.PositiveIntegerField(
        _("dân số"), null=True, blank=True,
        help_text=_("Dùng để tính tỷ lệ dân số tham gia hiến máu."),
    )
    headcount = models.PositiveIntegerField(
        _("số cán bộ, nhân viên"), null=True, blank=True,
        help_text=_("Dùng để tính tỷ lệ cán bộ, người lao động tham gia hiến máu."),
    )
    contact_name = models.CharField(_("người liên hệ"), max_length=150, blank=True)
    contact_phone = models.CharField(_("điện thoại liên hệ"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-mail liên hệ"), blank=True)
    valid_from = models.DateField(_("hoạt động từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("hoạt động đến ngày"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", verbose_name=_("đơn vị kế thừa"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="predecessors",
    )
    uses_isbt128 = models.BooleanField(
        _("dùng mã túi máu ISBT 128"), default=False,
        help_text=_("Đơn vị tiếp nhận máu dán mã ISBT 128 trên túi: mã quét được kiểm tra cấu "
                    "trúc và ký tự kiểm tra."))
    bag_number_pattern = models.CharField(
        _("quy cách mã túi máu"), max_length=100, blank=True,
        help_text=_("Mã túi của đơn vị khi không dùng ISBT 128: # là một chữ số, @ là một chữ "
                    "cái, * là chữ hoặc số, ký tự khác giữ nguyên; nhiều quy cách cách nhau "
                    "bằng dấu phẩy. Ví dụ: HM####-######. Để trống: mã túi chỉ cần có chữ "
                    "số."))
    shows_250ml_equivalents = models.BooleanField(
        _("báo cáo kèm số quy đổi 250 ml"), default=False,
        help_text=_("Báo cáo của tổ chức này và các đơn vị trực thuộc ghi thêm số đơn vị máu "
                    "quy đổi ra túi 250 ml bên cạnh số túi máu."))
    notes = models.TextField(_("ghi chú"), blank=True)
    # Search keys: lower case, no diacritics. Kept in columns so lists filter in SQL.
    name_key = models.CharField(max_length=255, editable=False, db_index=True)
    short_name_key = models.CharField(max_length=100, editable=False, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = OrganizationManager()
    CONSTRAINT_FIELDS = {"org_valid_period_ordered": "valid_to"}

    # Fields recorded in the audit trail when they change.
    AUDITED_FIELDS = (
        "name", "short_name", "kind", "province_code", "commune_code", "address",
        "population", "headcount", "shows_250ml_equivalents", "contact_name", "contact_phone",
        "contact_email", "uses_isbt128", "bag_number_pattern",
        "valid_from", "valid_to", "successor", "notes",
    )

    class Meta:
        verbose_name = _("tổ chức")
        verbose_name_plural = pgettext_lazy("số nhiều", "tổ chức")
        indexes = [
            # LIKE 'prefix%' on PostgreSQL only uses an index built with pattern ops.
            models.Index(fields=["path"], name="org_path_prefix",
                         opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="org_valid_period_ordered",
                violation_error_code="org_valid_period_ordered",
                violation_error_message=_(
                    "Ngày kết thúc hoạt động không được trước ngày bắt đầu."),
            ),
        ]

    def save(self, *args, **kwargs):
        self.name = clean_name(self.name)
        self.short_name = clean_name(self.short_name)
        self.name_key = search_key(self.name)
        self.short_name_key = search_key(self.short_name)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.name

    @property
    def province_name(self) -> str:
        return geography.province_name(self.province_code)

    @property
    def commune_name(self) -> str:
        return geography.commune_name(self.commune_code)

    def is_active_on(self, day, until=None) -> bool:
        """`OrganizationQuerySet.valid_on` for one unit."""
        return (self.valid_from is None or self.valid_from <= (until or day)) and (
            self.valid_to is None or self.valid_to >= day
        )

    @property
    def is_current(self) -> bool:
        return self.is_active_on(timezone.localdate())

    # Tree reads. treebeard 7 moved them to the manager; these keep call sites short.
    def parent_org(self) -> "Organization | None":
        return Organization.objects.get_parent(self)

    def children(self) -> OrganizationQuerySet:
        return Organization.objects.get_children(self)

    def ancestors(self) -> OrganizationQuerySet:
        return Organization.objects.get_ancestors(self)

    def paths_above(self) -> list[str]:
        """Its own path and its ancestors', from the root down (no query)."""
        return [self.path[:i] for i in range(self.steplen, len(self.path) + 1, self.steplen)]

    def is_within(self, other: "Organization") -> bool:
        """True when self is `other` or lies below it."""
        return self.path.startswith(other.path)


class Membership(models.Model):
    """A user's role on an organization; it applies to the organization's subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("người dùng"),
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("tổ chức"),
    )
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thành viên")
        verbose_name_plural = pgettext_lazy("số nhiều", "thành viên")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="one_role_per_org",
                violation_error_code="one_role_per_org",
                violation_error_message=_("Người này đã có vai trò tại tổ chức này.")),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organization}"


class DuplicateReview(models.Model):
    """An office's answer that two look-alike sibling names are two different units.

    Kept so that the probable-duplicates list shows each pair until someone has
    looked at it, and not after. `first` has the smaller primary key.
    """

    first = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("người xác nhận"),
    )
    reviewed_at = models.DateTimeField(_("xác nhận lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("cặp tên đã xác nhận không trùng")
        verbose_name_plural = pgettext_lazy("số nhiều", "cặp tên đã xác nhận không trùng")
        constraints = [
            models.UniqueConstraint(
                fields=["first", "second"], name="one_review_per_pair",
                violation_error_code="one_review_per_pair",
                violation_error_message=_("Hai tổ chức này đã được xác nhận không trùng nhau.")),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="review_pair_ordered",
                violation_error_code="review_pair_ordered",
                violation_error_message=_("Cặp tổ chức phải ghi theo thứ tự mã.")),
        ]

    def __str__(self) -> str:
        return f"{self.first} ≠ {self.second}"

    @staticmethod
    def key(a: Organization, b: Organization) -> tuple[int, int]:
        return (a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)


class AuditEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        from hienmau.orgs.roles import VIEW_AUDIT

        if getattr(user, "is_superuser", False) and user.is_active:
            return self.all()
        paths = scope_paths(user, VIEW_AUDIT)
        return self.filter(subtree_q(paths, "organization__path")) if paths else self.none()


class AuditEntry(models.Model):
    """Who did what, when, to which object. Written in the same transaction as the change."""

    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("người thực hiện"),
    )
    # Kept as text too: the entry must still say who acted after the account is deleted.
    actor_name = models.CharField(_("người thực hiện"), max_length=200, blank=True)
    action = models.CharField(_("hành động"), max_length=100, db_index=True)
    # The organization whose subtree scopes who may read this entry.
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="audit_entries", verbose_name=_("tổ chức"),
    )
    object_type = models.CharField(max_length=50)
    object_code = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=255)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = pgettext_lazy("số nhiều", "nhật ký thay đổi")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.actor_name}: {self.action}"
