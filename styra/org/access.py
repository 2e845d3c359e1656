"""Who may do what: roles granted on an org node are inherited by everything below it.

Every view and service asks here, never in templates. A capability is what a person wants
to do; the roles that give it are listed once, in CAPABILITIES.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import PermissionDenied

from .models import OrgNode, Role, RoleGrant

VIEW = "view"  # read reports, figures and goals of the node
EDIT = "edit"  # forecasts, comments, measure values and analysis of the node
FINANCE = "finance"  # budget, ledger imports, reporting events, assembling reports
MEETINGS = "meetings"  # meetings, cases, protocols, delegation decisions
ADMIN = "admin"  # organisation, users and roles

CAPABILITIES: dict[str, frozenset[str]] = {
    VIEW: frozenset(
        {Role.ADMINISTRATOR, Role.CONTROLLER, Role.EDITOR, Role.SECRETARY, Role.READER}
    ),
    EDIT: frozenset({Role.ADMINISTRATOR, Role.CONTROLLER, Role.EDITOR}),
    FINANCE: frozenset({Role.ADMINISTRATOR, Role.CONTROLLER}),
    MEETINGS: frozenset({Role.ADMINISTRATOR, Role.SECRETARY}),
    ADMIN: frozenset({Role.ADMINISTRATOR}),
}

CAPABILITY_LABELS = {
    VIEW: "läsa",
    EDIT: "rapportera prognoser, kommentarer och måttvärden",
    FINANCE: "arbeta med ekonomin",
    MEETINGS: "arbeta med sammanträden och ärenden",
    ADMIN: "administrera organisation och behörigheter",
}


def effective_roles(user, node: OrgNode) -> set[str]:
    """The roles the user holds on the node, directly or through an ancestor."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return {role.value for role in Role}
    chain_ids = [node.pk, *(n.pk for n in node.ancestors())]
    return set(
        RoleGrant.objects.filter(user=user, node_id__in=chain_ids).values_list("role", flat=True)
    )


def can(user, capability: str, node: OrgNode) -> bool:
    return bool(effective_roles(user, node) & CAPABILITIES[capability])


def require(user, capability: str, node: OrgNode) -> None:
    """Raise PermissionDenied with a Swedish reason unless the user may act on the node."""
    if not can(user, capability, node):
        raise PermissionDenied(
            f"Du saknar behörighet att {CAPABILITY_LABELS[capability]} för {node.name}."
        )


def nodes_for(user, capability: str = VIEW) -> list[OrgNode]:
    """Every node the user may act on with the capability: granted nodes and their subtrees."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(OrgNode.objects.all())
    roles = CAPABILITIES[capability]
    granted = {
        g.node for g in RoleGrant.objects.filter(user=user, role__in=roles).select_related("node")
    }
    if not granted:
        return []
    municipality_ids = {n.municipality_id for n in granted}
    all_nodes = list(OrgNode.objects.filter(municipality_id__in=municipality_ids))
    children: dict[int | None, list[OrgNode]] = defaultdict(list)
    for n in all_nodes:
        children[n.parent_id].append(n)
    result: dict[int, OrgNode] = {}
    stack = [n for n in all_nodes if n in granted]
    while stack:
        n = stack.pop()
        if n.pk in result:
            continue
        result[n.pk] = n
        stack.extend(children[n.pk])
    return sorted(result.values(), key=lambda n: (n.sort_order, n.name))


def roles_summary(user) -> dict[str, list[OrgNode]]:
    """Role -> nodes it was granted on (for the start page)."""
    out: dict[str, list[OrgNode]] = defaultdict(list)
    if not user.is_authenticated:
        return out
    for grant in RoleGrant.objects.filter(user=user).select_related("node"):
        out[grant.role].append(grant.node)
    return out
