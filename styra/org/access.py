"""Who may do what: roles granted on an org node are inherited by everything below it.

Every service takes a required `actor` and asks here, never in templates. An actor is a
signed-in user, or an explicit system actor for the CLI, the demo builder and tasks
(`system_actor("cli")`); None is never an actor. A capability is what a person wants to
do; the roles that give it are listed once, in CAPABILITIES.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from .models import OrgNode, Role, RoleGrant

VIEW = "view"  # read reports, figures and goals of the node
EDIT = "edit"  # forecasts, comments, measure values and analysis of the node
FINANCE = "finance"  # budget, ledger imports, reporting events, assembling reports
MEETINGS = "meetings"  # meetings, cases, protocols, delegation decisions
ADMIN = "admin"  # organisation, users and roles
CONFIDENTIAL = "confidential"  # the sekretessdel of meetings and secret documents

CAPABILITIES: dict[str, frozenset[str]] = {
    VIEW: frozenset(
        {Role.ADMINISTRATOR, Role.CONTROLLER, Role.EDITOR, Role.SECRETARY, Role.READER}
    ),
    EDIT: frozenset({Role.ADMINISTRATOR, Role.CONTROLLER, Role.EDITOR}),
    FINANCE: frozenset({Role.ADMINISTRATOR, Role.CONTROLLER}),
    MEETINGS: frozenset({Role.ADMINISTRATOR, Role.SECRETARY}),
    ADMIN: frozenset({Role.ADMINISTRATOR}),
    # Who handles the committee's confidential items (docs/roles.md). The justerare of a
    # meeting also read its protocol's sekretessdel (they sign it): an object right that
    # styra.meetings.selectors.can_see_confidential adds.
    CONFIDENTIAL: frozenset({Role.ADMINISTRATOR, Role.SECRETARY}),
}

CAPABILITY_LABELS = {
    VIEW: "läsa",
    EDIT: "rapportera prognoser, kommentarer och måttvärden",
    FINANCE: "arbeta med ekonomin",
    MEETINGS: "arbeta med sammanträden och ärenden",
    ADMIN: "administrera organisation och behörigheter",
    CONFIDENTIAL: "läsa sekretessbelagda uppgifter",
}


class SystemActor:
    """Styra itself acting for the CLI, the demo builder or a task: every right, and a
    name that says who it was. Web requests never get one."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    is_system = True
    pk = None

    def __init__(self, name: str):
        self.name = name

    def __str__(self) -> str:
        return f"system ({self.name})"

    def __repr__(self) -> str:
        return f"SystemActor({self.name!r})"


def system_actor(name: str) -> SystemActor:
    """The actor for work started by the CLI ("cli"), the demo ("demo"), a task ("task")."""
    return SystemActor(name)


def is_system(actor) -> bool:
    return isinstance(actor, SystemActor)


def user_of(actor):
    """The user to record as the author (changed_by, decided_by); None for the system."""
    check_actor(actor)
    return None if is_system(actor) or not actor.is_authenticated else actor


def check_actor(actor) -> None:
    """TypeError unless there is an actor (a user or a system actor)."""
    if actor is None:
        raise TypeError("actor saknas: varje tjänst kräver en användare eller system_actor(...)")


def require_system(actor) -> None:
    """Work only the system does (organisation-wide setup from files)."""
    check_actor(actor)
    if not is_system(actor) and not getattr(actor, "is_superuser", False):
        raise PermissionDenied("Det här görs av systemet (inläsning av filer), inte i webben.")


def effective_roles(user, node: OrgNode) -> set[str]:
    """The roles the actor holds on the node, directly or through an ancestor."""
    check_actor(user)
    if is_system(user):
        return {role.value for role in Role}
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


def require_any(actor, capability: str, nodes) -> None:
    """The actor needs the capability on at least one of the nodes (e.g. some committee of
    the municipality, for data that belongs to the municipality as a whole)."""
    nodes = list(nodes)
    if not any(can(actor, capability, n) for n in nodes):
        where = ", ".join(n.name for n in nodes[:3]) or "organisationen"
        raise PermissionDenied(
            f"Du saknar behörighet att {CAPABILITY_LABELS[capability]} för {where}."
        )


@dataclass(frozen=True)
class ReadScope:
    """What of a committee an actor may read: the whole committee, or only the subtree of
    the node it was given a role on (unit roles: an enhetschef sees its own units' figures,
    texts and comments, never its neighbours', and no committee totals)."""

    committee: OrgNode
    root: OrgNode  # the committee when whole, else the node whose subtree is visible
    unit_ids: frozenset[int] | None  # None = the whole committee

    @property
    def whole(self) -> bool:
        return self.unit_ids is None

    def contains(self, node_id: int | None) -> bool:
        return self.unit_ids is None or node_id in self.unit_ids


def subtree_ids(node: OrgNode) -> frozenset[int]:
    """The node and every node below it (one query for the municipality's tree)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in OrgNode.objects.filter(municipality_id=node.municipality_id).values_list(
        "pk", "parent_id"
    ):
        children[parent].append(pk)
    out, stack = set(), [node.pk]
    while stack:
        pk = stack.pop()
        out.add(pk)
        stack.extend(children[pk])
    return frozenset(out)


def read_scope(actor, node: OrgNode, capability: str = VIEW) -> ReadScope:
    """The part of node's committee the actor may read with the capability: the whole
    committee when it holds the capability there, else the node's subtree (PermissionDenied
    when not even that). Every read path of figures, texts and comments asks here."""
    committee = node.committee()
    if committee is None:
        raise PermissionDenied(f"{node.name} hör inte till någon nämnd.")
    if can(actor, capability, committee):
        return ReadScope(committee, committee, None)
    require(actor, capability, node)
    return ReadScope(committee, node, subtree_ids(node))


def nodes_for(user, capability: str = VIEW) -> list[OrgNode]:
    """Every node the user may act on with the capability: granted nodes and their subtrees."""
    check_actor(user)
    if is_system(user) or (user.is_authenticated and user.is_superuser):
        return list(OrgNode.objects.all())
    if not user.is_authenticated:
        return []
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
