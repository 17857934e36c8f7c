from django.contrib import admin

from hienmau.donors.access import record_view
from hienmau.donors.models import Consent, Donor, MilestoneTier, StoredRuleSet


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0


@admin.register(Donor)
class DonorAdmin(admin.ModelAdmin):
    list_display = ["full_name", "birth_year", "sex", "blood_group", "rh", "home"]
    search_fields = ["name_key", "id_number", "phone"]
    list_select_related = ["home"]
    raw_id_fields = ["home", "workplace"]
    inlines = [ConsentInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A person's whole record: logged as the donor page logs it."""
        response = super().change_view(request, object_id, form_url, extra_context)
        donor = getattr(response, "context_data", {}).get("original")
        if request.method == "GET" and response.status_code == 200 and donor is not None:
            record_view(request.user, donor)
        return response


@admin.register(StoredRuleSet)
class StoredRuleSetAdmin(admin.ModelAdmin):
    """A new regulation: copy the current rule set's data, change the numbers and the
    date; `clean()` refuses a rule set the engine could not use."""

    list_display = ["title", "code", "effective_from"]


@admin.register(MilestoneTier)
class MilestoneTierAdmin(admin.ModelAdmin):
    list_display = ("committee", "kind", "donations", "award", "confirmed")
    list_filter = ("kind",)
