from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from ilp.api.urls import api

admin.site.site_header = _("ILP — master data administration")
admin.site.site_title = "ILP"
admin.site.index_title = _("Master data")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("ilp.web.urls")),
]
