"""Login, logout and failed-login audit entries, on Django's own authentication signals.

These are framework events, not domain flow, so a signal is the right hook here.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from ilp.core.audit import audit_record
from ilp.core.models import AuditAction


@receiver(user_logged_in, dispatch_uid="ilp_audit_login")
def _on_login(sender, request, user, **kwargs):
    audit_record(action=AuditAction.LOGIN, obj=user, actor=user)


@receiver(user_logged_out, dispatch_uid="ilp_audit_logout")
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=AuditAction.LOGOUT, obj=user, actor=user)


@receiver(user_login_failed, dispatch_uid="ilp_audit_login_failed")
def _on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        object_type="accounts.user",
        object_id=username,
        object_repr=username,
    )
