"""Reading the organization tree for screens: where a user's view starts, how children group."""

from hienmau.orgs.models import Kind, Organization, scope_paths

KIND_ORDER = {kind: i for i, kind in enumerate(Kind.values)}


def scope_roots(user, show_ended: bool = False):
    """The top organizations of a user's view: their membership organizations, or the roots."""
    if user.is_superuser:
        roots = Organization.objects.get_root_nodes()
    else:
        roots = Organization.objects.filter(path__in=scope_paths(user))
    return roots if show_ended else roots.current()


def children_by_kind(org: Organization) -> list[tuple[str, list[Organization]]]:
    """Children grouped by kind (committees, then universities, agencies, …), by name."""
    groups: dict[str, list[Organization]] = {}
    for child in sorted(org.children(), key=lambda o: (KIND_ORDER[o.kind], o.name_key)):
        groups.setdefault(child.kind, []).append(child)
    return [(Kind(kind).label, members) for kind, members in groups.items()]
