from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    name = "ilp.interop"
    verbose_name = _("Imports and exports")
