from django.contrib import admin

from ilp.core.admin import AuditedScopedAdmin
from ilp.facilities.models import (
    Facility,
    HealthWorker,
    Kader,
    KaderCompetency,
    NetworkMember,
    WorkingAreaVillage,
)


class WorkingAreaInline(admin.TabularInline):
    model = WorkingAreaVillage
    raw_id_fields = ("village",)
    extra = 0


@admin.register(Facility)
class FacilityAdmin(AuditedScopedAdmin):
    list_display = ("name", "code", "kind", "region", "parent", "ilp_status", "is_active")
    list_filter = ("kind", "ilp_status", "is_active")
    search_fields = ("name", "code")
    raw_id_fields = ("region", "parent")
    inlines = [WorkingAreaInline]
    scope_facility_lookup = ""


@admin.register(NetworkMember)
class NetworkMemberAdmin(AuditedScopedAdmin):
    list_display = (
        "member",
        "puskesmas",
        "role",
        "agreement_type",
        "agreement_date",
        "reporting_duty",
        "is_active",
    )
    list_filter = ("role", "agreement_type", "reporting_duty", "is_active")
    raw_id_fields = ("puskesmas", "member")
    scope_facility_lookup = "puskesmas__"


@admin.register(HealthWorker)
class HealthWorkerAdmin(AuditedScopedAdmin):
    list_display = ("name", "profession", "facility", "cluster", "is_cluster_lead", "is_head", "is_active")
    list_filter = ("profession", "cluster", "is_active")
    search_fields = ("name", "nip")
    raw_id_fields = ("facility",)
    scope_facility_lookup = "facility__"


class KaderCompetencyInline(admin.TabularInline):
    model = KaderCompetency
    extra = 0
    exclude = ("created_by", "updated_by")


@admin.register(Kader)
class KaderAdmin(AuditedScopedAdmin):
    list_display = ("name", "posyandu", "tier", "trained_on", "is_active")
    list_filter = ("tier", "is_active")
    search_fields = ("name",)
    raw_id_fields = ("posyandu",)
    inlines = [KaderCompetencyInline]
    scope_facility_lookup = "posyandu__"
