"""URLs of the ILP cycle's stages 2-3: the cycle, its priority problems and the RTL pathway (paths in
Indonesian, like the rest of the web UI)."""

from django.urls import path

from ilp.web.views import planning_cycle, planning_problems, planning_rtl

urlpatterns = [
    path("ilp/<str:code>/siklus-baru/", planning_cycle.cycle_new, name="planning_cycle_new"),
    path("ilp/siklus/<uuid:external_id>/", planning_cycle.cycle_detail, name="planning_cycle"),
    path("ilp/siklus/<uuid:external_id>/masalah/", planning_problems.problems_view, name="planning_problems"),
    path("ilp/masalah/<uuid:external_id>/", planning_problems.problem_view, name="planning_problem"),
    path("ilp/masalah/<uuid:external_id>/rtl/", planning_rtl.rtl_view, name="planning_rtl"),
    path("ilp/langkah/<uuid:external_id>/ubah/", planning_rtl.step_edit, name="planning_step_edit"),
]
