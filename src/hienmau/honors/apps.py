from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonorsConfig(AppConfig):
    name = "hienmau.honors"
    verbose_name = _("Tôn vinh, khen thưởng")
