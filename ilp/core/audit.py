"""Writing the audit log. Every service that changes data calls `audit_record` in its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models

from ilp.core import context
from ilp.core.models import AuditAction, AuditEntry

# Values that are never copied into the log, whatever the model.
REDACTED_FIELDS = frozenset({"password"})


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The concrete field values of an instance, JSON-ready (foreign keys as their pk)."""
    data = {}
    for field in instance._meta.concrete_fields:
        name = field.attname
        if field.name in REDACTED_FIELDS:
            continue
        data[field.name] = _plain(getattr(instance, name))
    return data


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, list[Any]]:
    """Changed fields as {field: [before, after]}; a create has before=None, a delete after=None."""
    before = before or {}
    after = after or {}
    skip = {"updated_at", "created_at", "updated_by", "created_by"}
    changes = {}
    for key in sorted(set(before) | set(after)):
        if key in skip:
            continue
        old, new = before.get(key), after.get(key)
        if old != new:
            changes[key] = [old, new]
    return changes


def audit_record(
    *,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    actor=None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    """Append one audit entry; the actor defaults to the user of the current request."""
    ctx = context.current()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "external_id", None) or obj.pk)
        object_repr = object_repr or str(obj)[:255]
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_id, username = actor.pk, actor.get_username()
    else:
        actor_id, username = ctx.user_id, ctx.username
    return AuditEntry.objects.create(
        actor_id=actor_id,
        actor_username=username,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        changes=changes or {},
        ip_address=ctx.ip_address,
    )


def audit_create(obj: models.Model, *, actor=None) -> AuditEntry:
    return audit_record(action=AuditAction.CREATE, obj=obj, changes=diff(None, snapshot(obj)), actor=actor)


def audit_update(obj: models.Model, before: dict[str, Any], *, actor=None) -> AuditEntry | None:
    """Log an update; nothing is written when no field changed."""
    changes = diff(before, snapshot(obj))
    if not changes:
        return None
    return audit_record(action=AuditAction.UPDATE, obj=obj, changes=changes, actor=actor)


def audit_delete(obj: models.Model, *, actor=None) -> AuditEntry:
    return audit_record(action=AuditAction.DELETE, obj=obj, changes=diff(snapshot(obj), None), actor=actor)


def save_audited(obj: models.Model, *, actor=None, before: dict[str, Any] | None = None) -> None:
    """Validate and save `obj`, then log it: a create without `before`, else an update against `before`
    (a `snapshot` taken before the change)."""
    obj.full_clean()
    obj.save()
    if before is None:
        audit_create(obj, actor=actor)
    else:
        audit_update(obj, before, actor=actor)
