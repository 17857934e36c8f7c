from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "hienmau.plans"
    verbose_name = _("Kế hoạch và đợt hiến máu")
