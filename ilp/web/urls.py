"""URL paths are Indonesian: they are what users see and share."""

from django.urls import path

from ilp.web import urls_planning_cycle, urls_planning_monitor, urls_planning_report, urls_planning_setup
from ilp.web.views import (
    auth,
    facilities,
    home,
    imports,
    lifecycle,
    lifecycle_person,
    lifecycle_referrals,
    lifecycle_visits,
    network,
    people,
    people_actions,
    people_merge,
    people_register,
    pws,
    pws_export,
    pws_missing,
    pws_settings,
    regions,
    workforce,
)

app_name = "web"
urlpatterns = [
    path("", home.home, name="home"),
    path("masuk/", auth.LoginView.as_view(), name="login"),
    path("keluar/", auth.LogoutView.as_view(), name="logout"),
    path("wilayah/", regions.region_list_view, name="region_list"),
    path("wilayah/<str:code>/", regions.region_detail, name="region_detail"),
    path("wilayah/<str:code>/unit-baru/", regions.region_subvillage_create, name="region_subvillage_create"),
    path("fasilitas/", facilities.facility_list_view, name="facility_list"),
    path("fasilitas/<uuid:external_id>/", facilities.facility_detail, name="facility_detail"),
    path("keluarga/", people.family_list_view, name="family_list"),
    path("keluarga/baru/", people_register.family_register_view, name="family_register"),
    path("keluarga/<uuid:external_id>/", people.family_detail, name="family_detail"),
    path("keluarga/<uuid:external_id>/ubah/", people_register.family_update_view, name="family_update"),
    path("keluarga/<uuid:external_id>/anggota-baru/", people_register.family_member_add_view, name="family_member_add"),
    path("orang/<uuid:external_id>/", people.person_detail, name="person_detail"),
    path("orang/<uuid:external_id>/ubah/", people_actions.person_update_view, name="person_update"),
    path("orang/<uuid:external_id>/pindah/", people_actions.person_move_view, name="person_move"),
    path("orang/<uuid:external_id>/pindah-keluar/", people_actions.person_move_out_view, name="person_move_out"),
    path("orang/<uuid:external_id>/meninggal/", people_actions.person_death_view, name="person_death"),
    path("orang/<uuid:external_id>/hamil/", people_actions.pregnancy_record_view, name="pregnancy_record"),
    path("orang/<uuid:external_id>/hamil/selesai/", people_actions.pregnancy_end_view, name="pregnancy_end"),
    path("orang/<uuid:external_id>/pelayanan/", lifecycle_person.encounter_new, name="encounter_new"),
    path("orang/<uuid:external_id>/rujuk/", lifecycle_person.referral_new, name="referral_new"),
    path("pelayanan/<uuid:external_id>/batal/", lifecycle_person.encounter_void_view, name="encounter_void"),
    path("posyandu/", lifecycle.posyandu_list_view, name="posyandu_list"),
    path("posyandu/<uuid:external_id>/", lifecycle.posyandu_day, name="posyandu_day"),
    path("posyandu/<uuid:external_id>/orang/<uuid:person_id>/", lifecycle.posyandu_entry, name="posyandu_entry"),
    path("rujukan/", lifecycle_referrals.referral_list_view, name="referral_list"),
    path("rujukan/<uuid:external_id>/langkah/", lifecycle_referrals.referral_step, name="referral_step"),
    path("kunjungan-rumah/", lifecycle_visits.home_visit_list, name="home_visit_list"),
    path("kunjungan-rumah/<uuid:external_id>/", lifecycle_visits.home_visit_new, name="home_visit_new"),
    path("duplikat/", people_merge.duplicate_review, name="duplicate_review"),
    path("duplikat/gabung/", people_merge.person_merge_view, name="person_merge"),
    path("duplikat/riwayat/", people_merge.merge_list_view, name="merge_list"),
    path("jejaring/", network.network_list_view, name="network_list"),
    path("tenaga-kesehatan/", workforce.health_worker_list_view, name="health_worker_list"),
    path("kader/", workforce.kader_list_view, name="kader_list"),
    path("impor/", imports.import_list, name="import_list"),
    path("impor/templat/", imports.import_template, name="import_template"),
    path("impor/<uuid:external_id>/", imports.import_detail, name="import_detail"),
    path("impor/<uuid:external_id>/kesalahan/", imports.import_errors, name="import_errors"),
    path("impor/<uuid:external_id>/simpan/", imports.import_commit, name="import_commit"),
    path("ekspor/", imports.people_export_view, name="people_export"),
    # PWS. Fixed words first: an area code never equals them.
    path("pws/", pws.pws_home, name="pws_home"),
    path("pws/pengaturan/", pws_settings.settings_view, name="pws_settings"),
    path("pws/penduduk/", pws_settings.population_view, name="pws_population"),
    path("pws/<str:code>/", pws.pws_area, name="pws_area"),
    path("pws/<str:code>/ekspor/<str:fmt>/", pws_export.export_view, name="pws_export"),
    path("pws/<str:code>/<str:indicator>/", pws.pws_indicator, name="pws_indicator"),
    path("pws/<str:code>/<str:indicator>/belum/", pws_missing.missing_list, name="pws_missing"),
    path("pws/<str:code>/<str:indicator>/belum/kunjungan/", pws_missing.missing_add_visit, name="pws_missing_visit"),
]

# The ILP cycle (issue #6): preparation and network, problems and RTL, tasks and monitoring, the report.
urlpatterns += urls_planning_setup.urlpatterns
urlpatterns += urls_planning_cycle.urlpatterns
urlpatterns += urls_planning_monitor.urlpatterns
urlpatterns += urls_planning_report.urlpatterns
