"""What a role may do in the web UI, beyond reading its scope (scope itself lives in ilp.accounts.scope)."""

from __future__ import annotations

from ilp.accounts.models import REGION_EDITOR_ROLES, Role

# Roles that never change anything through the web UI.
READ_ONLY_ROLES = frozenset({Role.PEMDES, Role.LINTAS_SEKTOR})


def can_add_subvillage(user) -> bool:
    """Whether the user may create sub-village units (the service still checks the area)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.role in REGION_EDITOR_ROLES


def is_read_only(user) -> bool:
    return user.is_authenticated and not user.is_superuser and user.role in READ_ONLY_ROLES


def sees_rollout(user) -> bool:
    """The Dinkes follows the ILP rollout of every puskesmas of the kabupaten."""
    return user.is_authenticated and (user.is_superuser or user.role == Role.DINKES_ADMIN)


def may_read_people(user, scope) -> bool:
    """Person-level roles read the register of their scope."""
    return user.is_authenticated and scope is not None and scope.person_level


def may_write_people(user, scope) -> bool:
    """Whether the user registers and corrects families and persons (the scope says; the services check it)."""
    return may_read_people(user, scope) and scope.may_write_people
