from django.contrib import admin

from hienmau.plans.models import InstitutionCapacity


@admin.register(InstitutionCapacity)
class InstitutionCapacityAdmin(admin.ModelAdmin):
    """Daily capacities are configuration a system administrator sets with each institution."""

    list_display = ("institution", "drives_per_day", "units_per_day")
    raw_id_fields = ("institution",)
