"""The REST API for units' and institutions' own systems. Docs at /api/docs.

Every endpoint starts from the same scoping helpers as the screens, so an API client
sees exactly what its user sees on screen.
"""

import datetime
import uuid

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Length, Substr
from ninja import NinjaAPI, Query, Schema
from ninja.pagination import paginate

from hienmau.api import errors
from hienmau.api.auth import API_AUTH
from hienmau.api.donors import router as donors_router
from hienmau.api.drive_day import router as drive_day_router
from hienmau.api.honors import router as honors_router
from hienmau.api.pagination import Pages
from hienmau.api.plans import router as plans_router
from hienmau.api.registrations import router as registrations_router
from hienmau.api.reports import router as reports_router
from hienmau.api.schemas import (
    ErrorOut,
    MembershipOut,
    MeOut,
    OrganizationDetailOut,
    OrganizationOut,
)
from hienmau.orgs.access import get_organization_for_user
from hienmau.orgs.models import Kind, Organization


class HienMauAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        # Every operation documents the one error shape (api/errors.py).
        return errors.document(super().get_openapi_schema(**kwargs))


api = HienMauAPI(
    title="HienMau API",
    version="1",
    description=(
        "API của HienMau cho hệ thống của các đơn vị và cơ sở tiếp nhận máu. "
        "Xác thực bằng mã truy cập tạo ở trang Tài khoản: `Authorization: Bearer hm_…`. "
        "Mỗi mã chỉ thấy những tổ chức mà người dùng của nó được xem."
    ),
    auth=API_AUTH,
    urls_namespace="api",
)
errors.install(api)
api.add_router("", plans_router)
api.add_router("", donors_router)
api.add_router("", registrations_router)
api.add_router("", drive_day_router)
api.add_router("", reports_router)
api.add_router("", honors_router)


def with_parent_code(queryset):
    # A node's parent has the node's path minus its last step (treebeard's
    # materialized path), so the parent's code comes from one correlated subquery.
    parent = Organization.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Organization.steplen)
    ).values("code")[:1]
    return queryset.select_related("successor").annotate(parent_code=Subquery(parent))


class OrganizationFilters(Schema):
    q: str | None = None
    kind: Kind | None = None
    parent: uuid.UUID | None = None
    current: bool | None = None
    # The units a record of that date may name (a drive's organizer, a quota's unit).
    valid_on: datetime.date | None = None


@api.get("/me", response=MeOut, tags=["accounts"], summary="Người dùng hiện tại và vai trò")
def me(request):
    memberships = request.user.memberships.select_related("organization").order_by(
        "organization__path")
    return {
        "username": request.user.username,
        "full_name": request.user.full_name,
        "is_superuser": request.user.is_superuser,
        "memberships": [
            MembershipOut(organization_code=m.organization.code,
                          organization_name=m.organization.name, role=m.role)
            for m in memberships
        ],
    }


@api.get("/organizations", response=list[OrganizationOut], tags=["organizations"],
         summary="Danh sách tổ chức được xem")
@paginate(Pages, page_size=50)
def list_organizations(request, filters: Query[OrganizationFilters]):
    orgs = Organization.objects.visible_to(request.user)
    if filters.q:
        orgs = orgs.search(filters.q)
    if filters.kind:
        orgs = orgs.filter(kind=filters.kind)
    if filters.parent:
        parent = get_organization_for_user(request.user, filters.parent)
        orgs = orgs.filter(path__startswith=parent.path, depth=parent.depth + 1)
    if filters.current is not None:
        current = orgs.current()
        orgs = current if filters.current else orgs.exclude(pk__in=current.values("pk"))
    if filters.valid_on:
        orgs = orgs.valid_on(filters.valid_on)
    return with_parent_code(orgs).order_by(F("path"))


@api.get("/organizations/{code}", response={200: OrganizationDetailOut, 404: ErrorOut},
         tags=["organizations"], summary="Một tổ chức")
def get_organization(request, code: uuid.UUID):
    org = get_organization_for_user(request.user, code)
    return with_parent_code(Organization.objects.filter(pk=org.pk)).get()

