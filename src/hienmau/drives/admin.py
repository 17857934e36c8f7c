from django.contrib import admin

from hienmau.donors.access import record_view
from hienmau.drives.models import Donation


@admin.register(Donation)
class DonationAdmin(admin.ModelAdmin):
    """Donations are entered here until the drive-day screens exist (next issue)."""

    list_display = ["donor", "date", "type", "volume_ml", "outcome", "receiving_institution"]
    list_filter = ["type", "outcome"]
    date_hierarchy = "date"
    raw_id_fields = ["donor", "drive"]
    list_select_related = ["donor", "receiving_institution"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A donation names its donor and holds health data: logged as a view of the
        person's record."""
        response = super().change_view(request, object_id, form_url, extra_context)
        donation = getattr(response, "context_data", {}).get("original")
        if request.method == "GET" and response.status_code == 200 and donation is not None:
            record_view(request.user, donation.donor)
        return response
