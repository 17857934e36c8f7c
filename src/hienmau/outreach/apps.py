from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "hienmau.outreach"
    verbose_name = _("Liên lạc với người hiến máu")
