"""Audit rows, written inside the same transaction as the change they describe."""

import datetime
import decimal

from django.db import models

from hienmau.orgs.models import AuditEntry, Organization


def _plain(value):
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (decimal.Decimal, datetime.time)):
        return str(value)  # JSON has no decimal or time type
    if isinstance(value, models.Model):
        return str(value)
    return value


def snapshot(obj: models.Model, fields) -> dict:
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}


def log(
    action: str,
    *,
    actor,
    organization: Organization | None,
    obj: models.Model,
    data: dict | None = None,
) -> AuditEntry:
    """Record `action` on `obj`.

    `actor` is the acting user, or a label such as "Dữ liệu mẫu" for system work.
    """
    entry = AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=str(actor) if actor is not None else "",
        action=action,
        organization=organization,
        object_type=obj._meta.model_name,
        object_code=str(getattr(obj, "code", "") or obj.pk or ""),
        object_repr=str(obj)[:255],
        data=data or {},
    )
    entry.save()
    return entry
