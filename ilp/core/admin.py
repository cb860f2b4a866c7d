"""Admin building blocks: every master-data change through the admin is audited and area-scoped."""

from django.contrib import admin
from django.db import transaction

from ilp.core.audit import audit_create, audit_delete, audit_update, snapshot
from ilp.core.models import AuditEntry


class AuditedScopedAdmin(admin.ModelAdmin):
    """Writes an audit entry for each save/delete and limits rows to `request.scope`.

    Subclasses set `scope_lookup` to the path from the model to its region ("" when the model is a
    Region, "region__" for a Facility) or override `scope_queryset`.
    """

    scope_lookup: str | None = None
    scope_facility_lookup: str | None = None

    def scope_queryset(self, request, qs):
        scope = getattr(request, "scope", None)
        if scope is None or scope.everything:
            return qs
        if self.scope_facility_lookup is not None:
            return qs.filter(scope.facility_q(self.scope_facility_lookup)).distinct()
        if self.scope_lookup is not None:
            return qs.filter(scope.region_q(self.scope_lookup))
        return qs.none()

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
            if hasattr(obj, "updated_by_id"):
                obj.updated_by = request.user
                if not change:
                    obj.created_by = request.user
            super().save_model(request, obj, form, change)
            if before is None:
                audit_create(obj, actor=request.user)
            else:
                audit_update(obj, before, actor=request.user)

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_delete(obj, actor=request.user)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit_delete(obj, actor=request.user)
            super().delete_queryset(request, queryset)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log: listed and filtered, never added, changed or deleted."""

    list_display = ("at", "actor_username", "action", "object_type", "object_repr", "ip_address")
    list_filter = ("action", "object_type", "at")
    search_fields = ("actor_username", "object_repr", "object_id")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff
