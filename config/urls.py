from django.contrib import admin
from django.urls import include, path

from ilp.api.urls import api

admin.site.site_header = "ILP — Administrasi data induk"
admin.site.site_title = "ILP"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("ilp.web.urls")),
]
