"""The ILP cycle in the admin: for the Dinkes to look up and correct; the pages are the usual way in."""

from django.contrib import admin

from ilp.core.admin import AuditedScopedAdmin
from ilp.planning.models import Cycle, PathwayStep, Problem, Risk, Workshop


@admin.register(Cycle)
class CycleAdmin(AuditedScopedAdmin):
    list_display = ("name", "puskesmas", "year", "stage", "method")
    list_filter = ("stage", "method", "year")
    search_fields = ("name", "puskesmas__name")
    scope_facility_lookup = "puskesmas__"
    raw_id_fields = ("puskesmas",)


@admin.register(Problem)
class ProblemAdmin(AuditedScopedAdmin):
    list_display = ("title", "cycle", "source", "indicator", "is_priority", "dismissed")
    list_filter = ("source", "is_priority", "dismissed")
    search_fields = ("title",)
    scope_facility_lookup = "cycle__puskesmas__"
    raw_id_fields = ("cycle", "rtl_approved_by")


@admin.register(PathwayStep)
class PathwayStepAdmin(AuditedScopedAdmin):
    list_display = ("title", "problem", "phase", "party", "indicator", "due_on", "status")
    list_filter = ("phase", "party", "status")
    search_fields = ("title", "person_in_charge")
    scope_facility_lookup = "problem__cycle__puskesmas__"
    raw_id_fields = ("problem", "facility", "village", "from_decision")


@admin.register(Risk)
class RiskAdmin(AuditedScopedAdmin):
    list_display = ("challenge", "cycle", "likelihood", "impact", "owner", "status")
    list_filter = ("status", "owner")
    scope_facility_lookup = "cycle__puskesmas__"
    raw_id_fields = ("cycle",)


@admin.register(Workshop)
class WorkshopAdmin(AuditedScopedAdmin):
    list_display = ("cycle", "kind", "held_on", "place")
    list_filter = ("kind",)
    scope_facility_lookup = "cycle__puskesmas__"
    raw_id_fields = ("cycle",)
