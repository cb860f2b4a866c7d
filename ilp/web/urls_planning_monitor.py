"""URLs of the ILP stages 4-5 pages: my tasks, a step and its evidence, monitoring and the risk register,
the lokakarya mini and the evaluation. Fixed words only after `ilp/`, so they never clash with a code."""

from django.urls import path

from ilp.web.views import planning_evaluation, planning_monitor, planning_tasks, planning_workshops

urlpatterns = [
    path("ilp/tugas/", planning_tasks.tasks, name="planning_tasks"),
    path("ilp/langkah/<uuid:external_id>/", planning_tasks.step_view, name="planning_step"),
    path("ilp/bukti/<int:event_id>/", planning_tasks.evidence, name="planning_evidence"),
    path("ilp/siklus/<uuid:external_id>/monitoring/", planning_monitor.monitoring, name="planning_monitoring"),
    path("ilp/siklus/<uuid:external_id>/lokmin/", planning_workshops.workshops, name="planning_workshops"),
    path("ilp/lokmin/<uuid:external_id>/", planning_workshops.workshop, name="planning_workshop"),
    path("ilp/siklus/<uuid:external_id>/evaluasi/", planning_evaluation.evaluation, name="planning_evaluation"),
]
