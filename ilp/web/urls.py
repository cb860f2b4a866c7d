"""URL paths are Indonesian: they are what users see and share."""

from django.urls import path

from ilp.web.views import auth, facilities, home, network, regions, workforce

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
    path("jejaring/", network.network_list_view, name="network_list"),
    path("tenaga-kesehatan/", workforce.health_worker_list_view, name="health_worker_list"),
    path("kader/", workforce.kader_list_view, name="kader_list"),
]
