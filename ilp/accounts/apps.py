from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ilp.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from ilp.accounts import receivers  # noqa: F401  (connects the audit receivers)
