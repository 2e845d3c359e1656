"""Base pages: the organisation tree (the start page is styra.start)."""

from __future__ import annotations

from collections import defaultdict

from django.shortcuts import render

from styra.org import access as org_access
from styra.org.models import NodeKind, OrgNode, Role

from . import access
from .context import node_links


def _tree(nodes: list[OrgNode]) -> list[dict]:
    by_parent: dict[int | None, list[OrgNode]] = defaultdict(list)
    ids = {n.pk for n in nodes}
    for n in nodes:
        by_parent[n.parent_id if n.parent_id in ids else None].append(n)

    def build(parent_id):
        return [{"node": n, "children": build(n.pk)} for n in by_parent.get(parent_id, [])]

    return build(None)


@access.login
def org_tree(request):
    year = request.GET.get("ar")
    nodes = org_access.nodes_for(request.user, org_access.VIEW)
    if year and year.isdigit():
        nodes = [n for n in nodes if n.valid_in_year(int(year))]
    return render(request, "web/org_tree.html", {"tree": _tree(nodes), "year": year or ""})


@access.node(org_access.VIEW)
def node_detail(request, node: OrgNode):
    children = node.children.all()
    mappings = node.dimension_codes.order_by("year", "dimension", "code")
    return render(
        request,
        "web/node_detail.html",
        {
            "node": node,
            "ancestors": list(reversed(node.ancestors())),
            "children": children,
            "mappings": mappings,
            "is_committee": node.kind == NodeKind.COMMITTEE,
            "links": node_links(request.user, node),
            "can_change_org": org_access.can(request.user, org_access.ADMIN, node),
            "roles": sorted(Role(r).label for r in org_access.effective_roles(request.user, node)),
        },
    )
