from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonorsConfig(AppConfig):
    name = "hienmau.honors"
    verbose_name = _("Tôn vinh, khen thưởng")

    def ready(self):
        from hienmau.honors.figures import award_indicators
        from hienmau.reports import dashboard

        if award_indicators not in dashboard.MORE_INDICATORS:
            dashboard.MORE_INDICATORS.append(award_indicators)
