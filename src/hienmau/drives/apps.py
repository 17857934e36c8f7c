from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DrivesConfig(AppConfig):
    name = "hienmau.drives"
    verbose_name = _("Ngày hiến máu")
