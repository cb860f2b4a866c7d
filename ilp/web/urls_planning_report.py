"""The URL of the "Laporan Monitoring ILP" page (included into `ilp.web.urls`, namespace `web`)."""

from django.urls import path

from ilp.web.views import planning_report

urlpatterns = [
    path("ilp/laporan/<str:code>/", planning_report.report_view, name="planning_report"),
]
