from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from ilp.accounts.models import User
from ilp.core.admin import AuditedScopedAdmin


@admin.register(User)
class UserAdmin(AuditedScopedAdmin, BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "facility", "region", "is_active")
    list_filter = ("role", "is_active", "is_staff")
    raw_id_fields = ("facility", "region")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("ILP role and area"), {"fields": ("role", "facility", "region", "cluster", "phone")}),
    )

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser grants superuser status or raw permissions: no escalation through the admin.
        if request.user.is_superuser:
            return ()
        return ("is_superuser", "user_permissions", "groups", "last_login", "date_joined")

    def scope_queryset(self, request, qs):
        scope = getattr(request, "scope", None)
        if scope is None or scope.everything:
            return qs
        return qs.filter(scope.region_q("region__") | scope.facility_q("facility__"), is_superuser=False)
