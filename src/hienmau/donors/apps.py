from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonorsConfig(AppConfig):
    name = "hienmau.donors"
    verbose_name = _("Người hiến máu")
