from django.contrib import admin

from hienmau.drives.models import Donation


@admin.register(Donation)
class DonationAdmin(admin.ModelAdmin):
    """Donations are entered here until the drive-day screens exist (next issue)."""

    list_display = ["donor", "date", "type", "volume_ml", "outcome", "receiving_institution"]
    list_filter = ["type", "outcome"]
    date_hierarchy = "date"
    raw_id_fields = ["donor", "drive"]
    list_select_related = ["donor", "receiving_institution"]
