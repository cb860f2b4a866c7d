from django.contrib import admin

from ilp.core.admin import AuditedScopedAdmin
from ilp.regions.models import LevelLabel, Region


@admin.register(Region)
class RegionAdmin(AuditedScopedAdmin):
    list_display = ("code", "name", "level", "parent", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)
    scope_lookup = ""
    show_full_result_count = False

    def has_add_permission(self, request):
        # Sub-village units get their code and flattened columns from `subvillage_create` (the web
        # form on a desa page); official rows come from `ilp regions load`.
        return False

    def get_readonly_fields(self, request, obj=None):
        # Official rows come from the Kemendagri source and change only through `ilp regions load`.
        if obj is not None and obj.level <= 4:
            return ("code", "name", "level", "parent", "is_active")
        return ()


@admin.register(LevelLabel)
class LevelLabelAdmin(AuditedScopedAdmin):
    list_display = ("area_code", "level", "label")

    def scope_queryset(self, request, qs):
        return qs
