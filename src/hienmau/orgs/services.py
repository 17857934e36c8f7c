"""Every change to organizations and memberships goes through these functions.

Each one checks the business rules, writes inside one transaction and records the
audit entry in that same transaction (docs/architecture.md §2). Views, the API, the demo
loader and tests all call them; none re-implements them. Permission checks are the
caller's job (see `access.py`); these functions enforce what holds for everybody.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from treebeard.exceptions import InvalidMoveToDescendant

from hienmau.errors import RuleError
from hienmau.orgs import audit
from hienmau.orgs.geography import check_place
from hienmau.orgs.models import DuplicateReview, Membership, Organization
from hienmau.orgs.roles import Role


class OrganizationError(RuleError):
    """A change refused by a business rule; `code` is stable for tests and API clients."""


def _check(org: Organization) -> None:
    place_errors = check_place(org.province_code, org.commune_code)
    if place_errors:
        field, message = next(iter(place_errors.items()))
        raise OrganizationError(message, code="invalid_place", field=field)
    if org.valid_from and org.valid_to and org.valid_to < org.valid_from:
        raise OrganizationError(
            _("Ngày kết thúc hoạt động không được trước ngày bắt đầu."),
            code="invalid_period", field="valid_to",
        )
    if org.successor_id and org.pk and org.successor.is_within(org):
        raise OrganizationError(
            _("Đơn vị kế thừa không được là chính đơn vị này hoặc đơn vị trực thuộc nó."),
            code="successor_in_subtree", field="successor",
        )


def _locked(org: Organization) -> Organization:
    """A fresh copy of `org`, locked until the transaction ends.

    When two people save one unit at once, the second waits for the first, so each
    audit entry's "before" values are what the database really held. (treebeard
    locks the parent itself when it adds or moves nodes.)
    """
    return Organization.objects.select_for_update().get(pk=org.pk)


@transaction.atomic
def mark_not_duplicate(a: Organization, b: Organization, *, actor) -> None:
    """Record that two look-alike names are two different units (idempotent)."""
    first, second = DuplicateReview.key(a, b)
    _review, created = DuplicateReview.objects.get_or_create(
        first_id=first, second_id=second,
        defaults={"reviewed_by": actor if getattr(actor, "pk", None) else None})
    if created:
        audit.log("hienmau.org.not_duplicate", actor=actor, organization=a.parent_org() or a,
                  obj=a, data={"other": str(b)})


@transaction.atomic
def create_organization(
    *, actor, parent: Organization | None, reviewed_similar=(), **fields
) -> Organization:
    """Create an organization under `parent` (a root when None).

    `reviewed_similar`: look-alike siblings the user checked and confirmed to be other
    units; recorded so the duplicates list does not raise them again.
    """
    candidate = Organization(**fields)
    _check(candidate)
    if parent:
        org = Organization.objects.add_child(parent, fields)
    else:
        org = Organization.objects.add_root(fields)
    audit.log(
        "hienmau.org.created", actor=actor, organization=org, obj=org,
        data={"fields": audit.snapshot(org, Organization.AUDITED_FIELDS),
              "parent": str(parent) if parent else None},
    )
    for other in reviewed_similar:
        mark_not_duplicate(org, other, actor=actor)
    return org


@transaction.atomic
def update_organization(
    org: Organization, *, actor, reviewed_similar=(), **fields
) -> Organization:
    org = _locked(org)
    before = audit.snapshot(org, Organization.AUDITED_FIELDS)
    for name, value in fields.items():
        if name not in Organization.AUDITED_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        setattr(org, name, value)
    _check(org)
    org.save()
    changes = audit.diff(before, audit.snapshot(org, Organization.AUDITED_FIELDS))
    if changes:
        audit.log("hienmau.org.changed", actor=actor, organization=org, obj=org,
                  data={"changes": changes})
    for other in reviewed_similar:
        mark_not_duplicate(org, other, actor=actor)
    return org


@transaction.atomic
def move_organization(org: Organization, new_parent: Organization, *, actor) -> Organization:
    org, new_parent = _locked(org), _locked(new_parent)
    old_parent = org.parent_org()
    if old_parent and old_parent.pk == new_parent.pk:
        return org
    try:
        Organization.objects.move(org, new_parent, pos="last-child")
    except InvalidMoveToDescendant:
        raise OrganizationError(
            _("Không thể chuyển một đơn vị vào chính nó hoặc đơn vị trực thuộc nó."),
            code="move_into_subtree", field="parent",
        ) from None
    org.refresh_from_db()
    audit.log(
        "hienmau.org.moved", actor=actor, organization=org, obj=org,
        data={"from": str(old_parent) if old_parent else None, "to": str(new_parent)},
    )
    return org


@transaction.atomic
def merge_into_successor(
    org: Organization,
    *,
    successor: Organization,
    last_day: datetime.date,
    move_children: bool,
    actor,
) -> Organization:
    """End `org` on `last_day` and name the organization that carries on its work.

    The organization keeps its name, its history and its place in the tree. Its units
    still active after `last_day` can move under the successor, as the communes of an
    abolished district did on 1/7/2025.
    """
    org, successor = _locked(org), _locked(successor)
    if successor.is_within(org):
        raise OrganizationError(
            _("Đơn vị kế thừa không được là chính đơn vị này hoặc đơn vị trực thuộc nó."),
            code="successor_in_subtree", field="successor",
        )
    if org.valid_from and last_day < org.valid_from:
        raise OrganizationError(
            _("Ngày kết thúc hoạt động không được trước ngày bắt đầu."),
            code="invalid_period", field="last_day",
        )
    if not successor.is_active_on(last_day + datetime.timedelta(days=1)):
        raise OrganizationError(
            _("Đơn vị kế thừa phải đang hoạt động vào ngày sau ngày kết thúc."),
            code="successor_inactive", field="successor",
        )
    moved = []
    if move_children:
        for child in org.children():
            if child.is_active_on(last_day + datetime.timedelta(days=1)):
                Organization.objects.move(child, successor, pos="last-child")
                moved.append(child.name)
        org.refresh_from_db()
    org.successor, org.valid_to = successor, last_day
    org.save(update_fields=["successor", "valid_to", "updated_at"])
    data = {"successor": str(successor), "last_day": last_day.strftime("%d/%m/%Y"),
            "moved_children": moved}
    audit.log("hienmau.org.merged", actor=actor, organization=org, obj=org, data=data)
    audit.log("hienmau.org.received_merge", actor=actor, organization=successor, obj=successor,
              data={"predecessor": str(org), **data})
    return org


@transaction.atomic
def delete_organization(org: Organization, *, actor) -> None:
    """Delete an organization typed by mistake. Real units are ended, never deleted."""
    org = _locked(org)
    if org.children().exists():
        raise OrganizationError(
            _("Không thể xóa tổ chức còn đơn vị trực thuộc."), code="has_children")
    if org.successor_id:
        raise OrganizationError(
            _("Không thể xóa đơn vị đã sáp nhập, giải thể: lịch sử của nó phải được giữ lại."),
            code="has_history")
    if org.predecessors.exists():
        raise OrganizationError(
            _("Không thể xóa tổ chức là đơn vị kế thừa của đơn vị khác."), code="is_successor")
    parent = org.parent_org()
    # The entry is kept under the parent, so the office that saw the unit still sees this.
    audit.log("hienmau.org.deleted", actor=actor, organization=parent, obj=org,
              data={"fields": audit.snapshot(org, Organization.AUDITED_FIELDS)})
    org.delete()


@transaction.atomic
def add_membership(*, actor, organization: Organization, user, role: str) -> Membership:
    Role(role)  # raises ValueError on an unknown role
    if Membership.objects.filter(user=user, organization=organization).exists():
        raise OrganizationError(
            _("Người dùng này đã có vai trò tại tổ chức này."), code="already_member")
    membership = Membership.objects.create(user=user, organization=organization, role=role)
    audit.log("hienmau.membership.added", actor=actor, organization=organization, obj=membership,
              data={"user": user.username, "role": role})
    return membership


@transaction.atomic
def change_membership_role(membership: Membership, role: str, *, actor) -> Membership:
    old = membership.role
    if old == role:
        return membership
    membership.role = role
    membership.save(update_fields=["role"])
    audit.log("hienmau.membership.changed", actor=actor, organization=membership.organization,
              obj=membership,
              data={"user": membership.user.username,
                    "changes": {"role": [old, role]}})
    return membership


@transaction.atomic
def remove_membership(membership: Membership, *, actor) -> None:
    audit.log("hienmau.membership.removed", actor=actor, organization=membership.organization,
              obj=membership,
              data={"user": membership.user.username, "role": membership.role})
    membership.delete()
