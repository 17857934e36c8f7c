"""Reading the organization tree for screens: where a user's view starts, how children group."""

from django.db.models import Count

from hienmau.orgs.models import Kind, Organization, scope_paths

KIND_ORDER = {kind: i for i, kind in enumerate(Kind.values)}


def scope_roots(user, show_ended: bool = False):
    """The top organizations of a user's view: their membership organizations, or the roots."""
    if user.is_superuser:
        roots = Organization.objects.get_root_nodes()
    else:
        roots = Organization.objects.filter(path__in=scope_paths(user))
    return roots if show_ended else roots.current()


def children_by_kind(org: Organization, limit: int) -> list[tuple[str, int, list[Organization]]]:
    """Children grouped by kind (committees, then universities, agencies, …), by name.

    Each group is (label, how many, the children); with more than `limit` children in
    all, the groups carry only their counts and the page links to the full list.
    """
    counts = dict(org.children().values_list("kind").annotate(n=Count("pk")).order_by())
    listed: dict[str, list[Organization]] = {kind: [] for kind in counts}
    if sum(counts.values()) <= limit:
        for child in org.children():
            listed[child.kind].append(child)
    return [(Kind(kind).label, counts[kind],
             sorted(listed[kind], key=lambda o: (not o.is_current, o.name_key)))
            for kind in sorted(counts, key=KIND_ORDER.get)]
