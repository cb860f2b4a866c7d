from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ilp.core.admin import AuditedScopedAdmin
from ilp.people.identity import mask_nik
from ilp.people.models import Family, FamilyMembership, Person, PersonMerge, Pregnancy


class FamilyMembershipInline(admin.TabularInline):
    model = FamilyMembership
    extra = 0
    raw_id_fields = ("person",)
    fields = ("person", "relationship", "start_date", "end_date")


@admin.register(Family)
class FamilyAdmin(AuditedScopedAdmin):
    list_display = ("kk_number", "head", "region", "address_text")
    search_fields = ("kk_number", "head__name", "address_text")
    raw_id_fields = ("region", "head")
    inlines = [FamilyMembershipInline]
    scope_lookup = "region__"
    show_full_result_count = False


@admin.register(Person)
class PersonAdmin(AuditedScopedAdmin):
    list_display = ("name", "masked_nik", "sex", "birth_date", "region", "death_date")
    list_filter = ("sex",)
    search_fields = ("name", "=nik")
    raw_id_fields = ("region",)
    scope_lookup = "region__"
    show_full_result_count = False

    @admin.display(description=_("NIK"))
    def masked_nik(self, obj):
        # Lists are seen over shoulders and in screenshots; the full NIK stays on the detail page.
        return mask_nik(obj.nik)


@admin.register(Pregnancy)
class PregnancyAdmin(AuditedScopedAdmin):
    list_display = ("person", "lmp_date", "edd", "ended_on", "outcome")
    raw_id_fields = ("person",)
    scope_lookup = "person__region__"


@admin.register(PersonMerge)
class PersonMergeAdmin(AuditedScopedAdmin):
    """Merges are reviewed here, never made or undone: they only happen through `person_merge`."""

    list_display = ("merged_at", "survivor", "merged", "merged_by", "reason")
    raw_id_fields = ("survivor", "merged", "merged_by")
    readonly_fields = ("survivor", "merged", "merged_by", "merged_at", "reason", "snapshot")
    scope_lookup = "survivor__region__"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
