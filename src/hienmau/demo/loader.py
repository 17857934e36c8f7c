"""Loads the demo data through the same write functions the screens use.

Idempotent: every organization's code is derived from its key in `data.py`, and
accounts are found by username, so a second run creates nothing and changes nothing
that a user may have edited since.
"""

import uuid

from django.contrib.auth import get_user_model
from django.db import transaction

from hienmau.demo import data
from hienmau.orgs import geography, services
from hienmau.orgs.models import Membership, Organization

NAMESPACE = uuid.UUID("6f1c7a52-3c1e-4a8e-9d53-1b0f3f1f7e21")
ACTOR = "Dữ liệu mẫu"


def demo_code(key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, key)


def _commune_code(province_code: int, name: str) -> int:
    for code, commune in geography.communes(province_code):
        if commune == name:
            return code
    raise LookupError(f"{name} is not in the official list for province {province_code}")


def _fields(name, short_name, kind, extra) -> dict:
    fields = {"name": name, "short_name": short_name, "kind": kind, **extra}
    commune = fields.pop("commune_name", None)
    if commune:
        fields["commune_code"] = _commune_code(fields["province_code"], commune)
    return fields


@transaction.atomic
def load_organizations() -> int:
    created = 0
    by_key: dict[str, Organization] = {}
    existing = {o.code: o for o in Organization.objects.filter(
        code__in=[demo_code(k) for k, *_rest in data.ORGANIZATIONS])}
    for key, parent_key, name, short_name, kind, extra in data.ORGANIZATIONS:
        org = existing.get(demo_code(key))
        if org is None:
            org = services.create_organization(
                actor=ACTOR, parent=by_key[parent_key] if parent_key else None,
                code=demo_code(key), **_fields(name, short_name, kind, extra))
            created += 1
        by_key[key] = org
    for old_key, new_key in data.SUCCESSORS:
        old = Organization.objects.get(pk=by_key[old_key].pk)
        if old.successor_id is None:
            services.merge_into_successor(
                old, successor=by_key[new_key], last_day=data.REFORM_LAST_DAY,
                move_children=False, actor=ACTOR)
    return created


@transaction.atomic
def load_accounts() -> list[tuple[str, str, str]]:
    """Create the demo accounts; returns (username, role label, organization) rows."""
    User = get_user_model()
    rows = []
    for username, full_name, email, org_key, role in data.ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"full_name": full_name, "email": email})
        if created:
            user.set_password(data.DEMO_PASSWORD)
            user.is_superuser = user.is_staff = role is None
            user.save()
        if role is None:
            rows.append((username, "Quản trị hệ thống (superuser)", "—"))
            continue
        org = Organization.objects.get(code=demo_code(org_key))
        if not Membership.objects.filter(user=user, organization=org).exists():
            services.add_membership(actor=ACTOR, organization=org, user=user, role=role)
        membership = Membership.objects.get(user=user, organization=org)
        rows.append((username, str(membership.get_role_display()), org.name))
    return rows
