from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hienmau.errors import form_error
from hienmau.orgs import geography, services
from hienmau.orgs.access import get_organization_for_user, has_perm
from hienmau.orgs.audit_display import describe
from hienmau.orgs.duplicates import probable_duplicate_pairs, unreviewed
from hienmau.orgs.forms import (
    AddMemberForm,
    MergeForm,
    MoveForm,
    NewUserMemberForm,
    OrganizationForm,
    RoleForm,
)
from hienmau.orgs.models import (
    AuditEntry,
    DuplicateReview,
    Kind,
    Membership,
    Organization,
    scope_paths,
)
from hienmau.orgs.roles import (
    CHANGE,
    MANAGE_HONORS,
    MANAGE_MEMBERS,
    MANAGE_PLANS,
    MANAGE_TREE,
    VIEW,
    VIEW_AUDIT,
)
from hienmau.orgs.tree import children_by_kind, scope_roots

PAGE_SIZE = 50
# A tree node or detail page lists at most this many children; beyond that (an
# industrial zone with thousands of companies) it links to the paginated list.
CHILDREN_SHOWN = 100


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _apply_error(form, error: services.OrganizationError) -> None:
    form_error(form, error)


@login_required
def tree(request):
    query = request.GET.get("q", "").strip()
    show_ended = request.GET.get("ended") == "1"
    visible = Organization.objects.visible_to(request.user)
    if not show_ended:
        visible = visible.current()
    context = {"query": query, "show_ended": show_ended}
    if request.GET.get("parent"):
        # The full, paginated list of one unit's children (the tree shows the first ones).
        parent = get_organization_for_user(request.user, request.GET["parent"])
        context["parent"] = parent
        children = parent.children() if show_ended else parent.children().current()
        context["page"] = _page(request, children.search(query).order_by("name_key"))
    elif query:
        context["page"] = _page(request, visible.search(query))
    else:
        context["roots"] = scope_roots(request.user, show_ended)
    return render(request, "orgs/tree.html", context)


@login_required
def children(request, code):
    """The children of one node, loaded when the user unfolds it in the tree."""
    org = get_organization_for_user(request.user, code)
    show_ended = request.GET.get("ended") == "1"
    nodes = org.children()
    if not show_ended:
        nodes = nodes.current()
    # Current units first, each group by name, as on the organization's page.
    shown = sorted(nodes.order_by("name_key")[:CHILDREN_SHOWN + 1],
                   key=lambda o: (not o.is_current, o.name_key))
    return render(request, "orgs/_tree_nodes.html", {
        "nodes": shown[:CHILDREN_SHOWN], "show_ended": show_ended, "parent": org,
        "more": len(shown) > CHILDREN_SHOWN,
    })


@login_required
def detail(request, code):
    org = get_organization_for_user(request.user, code)
    user = request.user
    ancestors = [a for a in org.ancestors() if has_perm(user, a, VIEW)]
    context = {
        "org": org,
        "ancestors": ancestors,
        "groups": children_by_kind(org, limit=CHILDREN_SHOWN),
        "predecessors": org.predecessors.order_by("name_key"),
        "can_change": has_perm(user, org, CHANGE),
        "can_manage": has_perm(user, org, MANAGE_TREE),
        "can_members": has_perm(user, org, MANAGE_MEMBERS),
        "can_audit": has_perm(user, org, VIEW_AUDIT),
        "successor_visible": org.successor_id and has_perm(user, org.successor, VIEW),
        # Awards belong to `honors`, a higher app: read through the reverse relation.
        "awards": org.awards.select_related("round"),
        "award_url": has_perm(user, org, MANAGE_HONORS) and (
            f"{reverse('honors:award_create')}?don-vi={org.code}"),
    }
    if context["can_members"]:
        context["memberships"] = org.memberships.select_related("user").order_by("user__username")
    if org.kind == Kind.RECEIVING_INSTITUTION:
        # Capacity belongs to `plans`, a higher app: read through the reverse relation.
        capacity = getattr(org, "capacity", None)
        context["institution"] = {
            "units_per_day": capacity.units_per_day if capacity else None,
            "drives_per_day": capacity.drives_per_day if capacity else None,
            "can_set": has_perm(user, org, MANAGE_PLANS)}
    return render(request, "orgs/detail.html", context)


@login_required
def create(request):
    parent_code = request.GET.get("parent") or request.POST.get("parent")
    if parent_code:
        parent = get_organization_for_user(request.user, parent_code, CHANGE)
    elif request.user.is_superuser:
        parent = None
    else:
        messages.info(request, _("Hãy chọn đơn vị cấp trên rồi bấm “Thêm đơn vị trực thuộc”."))
        return redirect("orgs:tree")
    form = OrganizationForm(request.POST or None, parent=parent,
                            initial={"province_code": parent.province_code} if parent else None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.create_organization(actor=request.user, parent=parent,
                                               **form.service_fields())
        except services.OrganizationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Đã thêm “%(name)s”.") % {"name": org.name})
            return redirect("orgs:detail", code=org.code)
    return render(request, "orgs/form.html", {"form": form, "parent": parent, "org": None})


@login_required
def edit(request, code):
    org = get_organization_for_user(request.user, code, CHANGE)
    form = OrganizationForm(request.POST or None, instance=org, parent=org.parent_org())
    if request.method == "POST" and form.is_valid():
        try:
            # The service re-reads the row under lock; the form's changes to `org`
            # in memory are not what it compares against.
            services.update_organization(org, actor=request.user, **form.service_fields())
        except services.OrganizationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("orgs:detail", code=org.code)
    return render(request, "orgs/form.html", {"form": form, "parent": org.parent_org(), "org": org})


def _targets(user, org: Organization):
    """Organizations `org` may be attached to: manageable, current, outside its subtree."""
    return (Organization.objects.visible_to(user, MANAGE_TREE).current()
            .exclude(path__startswith=org.path))


@login_required
def move(request, code):
    org = get_organization_for_user(request.user, code, MANAGE_TREE)
    parent = org.parent_org()
    form = MoveForm(request.POST or None, targets=_targets(request.user, org),
                    initial={"parent": parent.code if parent else None})
    if request.method == "POST" and form.is_valid():
        try:
            services.move_organization(org, form.cleaned_data["parent"], actor=request.user)
        except services.OrganizationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Đã chuyển “%(name)s” về trực thuộc “%(parent)s”.")
                             % {"name": org.name, "parent": form.cleaned_data["parent"].name})
            return redirect("orgs:detail", code=org.code)
    return render(request, "orgs/move.html", {"form": form, "org": org})


@login_required
def merge(request, code):
    org = get_organization_for_user(request.user, code, MANAGE_TREE)
    form = MergeForm(request.POST or None, targets=_targets(request.user, org))
    if request.method == "POST" and form.is_valid():
        try:
            services.merge_into_successor(org, actor=request.user, **form.cleaned_data)
        except services.OrganizationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Đã ghi nhận “%(name)s” kết thúc hoạt động, "
                                        "kế thừa bởi “%(successor)s”.")
                             % {"name": org.name, "successor": form.cleaned_data["successor"]})
            return redirect("orgs:detail", code=org.code)
    return render(request, "orgs/merge.html", {"form": form, "org": org})


@login_required
def delete(request, code):
    org = get_organization_for_user(request.user, code, MANAGE_TREE)
    parent = org.parent_org()
    if request.method == "POST":
        try:
            services.delete_organization(org, actor=request.user)
        except services.OrganizationError as error:
            messages.error(request, error.message)
            return redirect("orgs:detail", code=org.code)
        messages.success(request, _("Đã xóa “%(name)s”.") % {"name": org.name})
        if parent and has_perm(request.user, parent, VIEW):
            return redirect("orgs:detail", code=parent.code)
        return redirect("orgs:tree")
    return render(request, "orgs/delete.html", {"org": org})


@login_required
def duplicates(request):
    if not (request.user.is_superuser or scope_paths(request.user, MANAGE_TREE)):
        raise PermissionDenied
    orgs = Organization.objects.visible_to(request.user, MANAGE_TREE).only(
        "path", "depth", "name", "name_key", "code", "valid_from", "valid_to", "kind")
    pairs = probable_duplicate_pairs(orgs)
    show_reviewed = request.GET.get("reviewed") == "1"
    if not show_reviewed:
        reviewed = set(DuplicateReview.objects.values_list("first_id", "second_id"))
        pairs = unreviewed(pairs, reviewed)
    return render(request, "orgs/duplicates.html",
                  {"pairs": pairs, "show_reviewed": show_reviewed})


@login_required
@require_POST
def not_duplicate(request):
    """The office confirms that a pair from the duplicates list are two different units."""
    first = get_organization_for_user(request.user, request.POST.get("first"), MANAGE_TREE)
    second = get_organization_for_user(request.user, request.POST.get("second"), MANAGE_TREE)
    services.mark_not_duplicate(first, second, actor=request.user)
    messages.success(request, _("Đã ghi nhận “%(a)s” và “%(b)s” là hai đơn vị khác nhau.")
                     % {"a": first.name, "b": second.name})
    return redirect("orgs:duplicates")


@login_required
def members(request, code):
    org = get_organization_for_user(request.user, code, MANAGE_MEMBERS)
    add_form = AddMemberForm(prefix="add")
    new_form = NewUserMemberForm(prefix="new")
    if request.method == "POST":
        if request.POST.get("action") == "add":
            add_form = AddMemberForm(request.POST, prefix="add")
            if add_form.is_valid():
                return _add_member(request, org, add_form, add_form.cleaned_data["user"])
        else:
            new_form = NewUserMemberForm(request.POST, prefix="new")
            if new_form.is_valid():
                with transaction.atomic():
                    user = new_form.save()
                    response = _add_member(request, org, new_form, user)
                return response
    memberships = org.memberships.select_related("user").order_by("user__username")
    inherited = (Membership.objects.filter(organization__in=org.ancestors())
                 .select_related("user", "organization").order_by("organization__path"))
    inherited = [m for m in inherited if has_perm(request.user, m.organization, VIEW)]
    return render(request, "orgs/members.html", {
        "org": org, "memberships": memberships, "inherited": inherited,
        "add_form": add_form, "new_form": new_form,
    })


def _add_member(request, org, form, user):
    try:
        services.add_membership(actor=request.user, organization=org, user=user,
                                role=form.cleaned_data["role"])
    except services.OrganizationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã giao vai trò cho %(user)s.") % {"user": user})
    return redirect("orgs:members", code=org.code)


def _membership_for_user(request, code, pk) -> Membership:
    org = get_organization_for_user(request.user, code, MANAGE_MEMBERS)
    return get_object_or_404(org.memberships.select_related("user", "organization"), pk=pk)


@login_required
@require_POST
def change_role(request, code, pk):
    membership = _membership_for_user(request, code, pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        services.change_membership_role(membership, form.cleaned_data["role"], actor=request.user)
        messages.success(request, _("Đã đổi vai trò của %(user)s.") % {"user": membership.user})
    return redirect("orgs:members", code=code)


@login_required
@require_POST
def remove_member(request, code, pk):
    membership = _membership_for_user(request, code, pk)
    services.remove_membership(membership, actor=request.user)
    messages.success(request, _("Đã bỏ vai trò của %(user)s.") % {"user": membership.user})
    return redirect("orgs:members", code=code)


@login_required
def audit_log(request):
    entries = AuditEntry.objects.visible_to(request.user).select_related("organization")
    org = None
    if request.GET.get("org"):
        # The organization first: outside the user's subtrees it is a 404, as everywhere.
        org = get_organization_for_user(request.user, request.GET["org"], VIEW_AUDIT)
        entries = entries.filter(organization__path__startswith=org.path)
    elif not (request.user.is_superuser or scope_paths(request.user, VIEW_AUDIT)):
        raise PermissionDenied
    page = _page(request, entries)
    rows = [(entry, describe(entry)) for entry in page]
    return render(request, "orgs/audit.html", {"page": page, "rows": rows, "org": org})


@login_required
def communes(request):
    """<option>s of the communes of a province, for the organization form."""
    try:
        province = int(request.GET.get("province_code") or 0)
    except ValueError:
        province = 0
    options = [("", "—")] + (geography.communes(province) if province else [])
    html = format_html_join("", '<option value="{}">{}</option>', options)
    return HttpResponse(html)
