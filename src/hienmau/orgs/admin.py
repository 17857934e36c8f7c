"""Organizations, memberships and the audit trail are read-only in the admin.

Changes go through the app's screens, which call `orgs.services` and so write the
audit trail; an admin edit would bypass it.
"""

from django.contrib import admin

from hienmau.orgs.models import AuditEntry, Membership, Organization


class ReadOnlyAdmin(admin.ModelAdmin):

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "valid_from", "valid_to")
    search_fields = ("name", "name_key")
    list_filter = ("kind",)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role",)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_name", "action", "object_repr")
    list_filter = ("action",)
