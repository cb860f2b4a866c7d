"""Writes on users: every one validated and audited."""

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from ilp.accounts.models import User
from ilp.core.audit import save_audited


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    facility=None,
    region=None,
    cluster: str = "",
    is_staff: bool = False,
    validate: bool = True,
    actor=None,
) -> User:
    """Create a user bound to a role; the password is hashed with the project's hasher (Argon2)."""
    first, _sep, last = full_name.partition(" ")
    user = User(
        username=username,
        role=role,
        facility=facility,
        region=region,
        cluster=cluster,
        first_name=first,
        last_name=last,
        is_staff=is_staff,
    )
    if validate:
        validate_password(password, user)
    user.set_password(password)
    save_audited(user, actor=actor)
    return user
