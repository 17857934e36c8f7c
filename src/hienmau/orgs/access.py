"""The only ways a view or API endpoint fetches organizations and checks rights.

Outside the user's subtrees an organization does not exist for them (404, the same
answer as a wrong code); inside, a missing permission is a 403.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from hienmau.orgs.models import Organization, scope_paths
from hienmau.orgs.roles import VIEW


def has_perm(user, org: Organization, perm: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(org.path.startswith(path) for path in scope_paths(user, perm))


def get_organization_for_user(user, code, perm: str = VIEW) -> Organization:
    try:
        org = Organization.objects.visible_to(user).get(code=code)
    except (Organization.DoesNotExist, ValidationError, ValueError):
        raise Http404(_("Không tìm thấy tổ chức, hoặc bạn không có quyền xem.")) from None
    if not has_perm(user, org, perm):
        raise PermissionDenied(_("Vai trò của bạn không cho phép thao tác này."))
    return org
