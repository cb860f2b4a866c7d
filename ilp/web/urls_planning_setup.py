"""URLs of the ILP preparation pages (stage 0) and the functional network (stage 1); included by `ilp.web.urls`.

A puskesmas code always holds a digit (e.g. P1306030101), so fixed words beside these paths (`ilp/tugas/`,
`ilp/siklus/...`) never match `ilp/<code>/`, whatever order the patterns are included in.
"""

from django.urls import path, register_converter

from ilp.web.views import planning_setup, planning_setup_raci, planning_setup_readiness


class PuskesmasCodeConverter:
    regex = r"[A-Za-z0-9._-]*[0-9][A-Za-z0-9._-]*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PuskesmasCodeConverter, "pkm_code")

urlpatterns = [
    path("ilp/", planning_setup.planning_home, name="planning_home"),
    path("ilp/<pkm_code:code>/", planning_setup.puskesmas_page, name="planning_puskesmas"),
    path("ilp/<pkm_code:code>/kesiapan/", planning_setup_readiness.readiness_view, name="planning_readiness"),
    path("ilp/<pkm_code:code>/target/", planning_setup_readiness.targets_view, name="planning_targets"),
    path("ilp/<pkm_code:code>/peran/", planning_setup_raci.raci_view, name="planning_raci"),
    path("ilp/<pkm_code:code>/jejaring/", planning_setup_raci.network_view, name="planning_network"),
]
