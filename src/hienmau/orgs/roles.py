"""Roles a user holds on an organization, and what each role may do.

A role on an organization applies to its whole subtree. Permissions are plain
strings so that views, the API and tests name them the same way.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE = "office", _("Văn phòng thường trực BCĐ")
    COORDINATOR = "coordinator", _("Điều phối viên đơn vị")
    INSTITUTION_STAFF = "institution_staff", _("Cán bộ đơn vị tiếp nhận máu")
    VIEWER = "viewer", _("Người xem")


VIEW = "orgs.view"  # see organizations and their details
CHANGE = "orgs.change"  # edit an organization's details, add units below it
MANAGE_TREE = "orgs.manage_tree"  # move, merge, delete organizations
MANAGE_MEMBERS = "orgs.manage_members"  # give and take roles
VIEW_AUDIT = "orgs.view_audit"  # read the audit trail
MANAGE_PLANS = "plans.manage"  # write a committee's plans, quotas and campaigns
CHANGE_DRIVES = "drives.change"  # create, edit, cancel the drives a unit organizes
# Donors are personal data: leaders and press (viewers) see counts, never people.
VIEW_DONORS = "donors.view"  # see donor records of the unit and below
CHANGE_DONORS = "donors.change"  # create and edit donor records
SEE_HEALTH_DATA = "donors.health"  # deferral and exclusion reasons (docs/domain.md §6)
MANAGE_DONORS = "donors.manage"  # merge duplicates, erase a person's data
REGISTER_DONORS = "drives.register"  # register people for drives, import their lists
CLOSE_DRIVES = "drives.close"  # confirm a drive's final count and close it
MANAGE_HONORS = "honors.manage"  # honor rounds, their lists, awards
# Messages to donors (invitations, a club's news), within their consent (outreach).
MESSAGE_DONORS = "outreach.send"
# Emergency appeals for a blood group (hiến máu đợt xuất): the office or the institution.
SEND_APPEALS = "outreach.appeal"

PERMISSIONS: dict[str, frozenset[str]] = {
    VIEW: frozenset(Role.values),
    CHANGE: frozenset({Role.OFFICE, Role.COORDINATOR}),
    MANAGE_TREE: frozenset({Role.OFFICE}),
    MANAGE_MEMBERS: frozenset({Role.OFFICE}),
    VIEW_AUDIT: frozenset({Role.OFFICE}),
    MANAGE_PLANS: frozenset({Role.OFFICE}),
    CHANGE_DRIVES: frozenset({Role.OFFICE, Role.COORDINATOR}),
    VIEW_DONORS: frozenset({Role.OFFICE, Role.COORDINATOR, Role.INSTITUTION_STAFF}),
    CHANGE_DONORS: frozenset({Role.OFFICE, Role.COORDINATOR, Role.INSTITUTION_STAFF}),
    SEE_HEALTH_DATA: frozenset({Role.INSTITUTION_STAFF}),
    MANAGE_DONORS: frozenset({Role.OFFICE}),
    REGISTER_DONORS: frozenset({Role.OFFICE, Role.COORDINATOR, Role.INSTITUTION_STAFF}),
    CLOSE_DRIVES: frozenset({Role.OFFICE, Role.INSTITUTION_STAFF}),
    MANAGE_HONORS: frozenset({Role.OFFICE}),
    MESSAGE_DONORS: frozenset({Role.OFFICE, Role.COORDINATOR}),
    SEND_APPEALS: frozenset({Role.OFFICE, Role.INSTITUTION_STAFF}),
}


def roles_with(perm: str) -> frozenset[str]:
    try:
        return PERMISSIONS[perm]
    except KeyError:
        raise ValueError(f"Unknown permission {perm!r}") from None
