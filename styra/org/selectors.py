"""Reads of the organisation tree shared by ledger, finance and reports.

A unit's figures are the sum over its subtree. A committee's *report units* are the nodes
just below its administration(s) (DOMAIN §6 table 3: Förvaltningskontoret, Daglig
verksamhet, …); its *detail units* expand an operating area into its units (table 4).
"""

from __future__ import annotations

from collections import defaultdict

from .models import NodeKind, OrgNode


def tree(municipality) -> tuple[dict[int, OrgNode], dict[int | None, list[OrgNode]]]:
    """All nodes of a municipality by id, and their children in display order."""
    nodes = {n.pk: n for n in OrgNode.objects.filter(municipality=municipality)}
    children: dict[int | None, list[OrgNode]] = defaultdict(list)
    for n in sorted(nodes.values(), key=lambda n: (n.sort_order, n.name)):
        children[n.parent_id].append(n)
    return nodes, children


def _valid(node: OrgNode, years: tuple[int, ...]) -> bool:
    return any(node.valid_in_year(y) for y in years)


Children = dict[int | None, list[OrgNode]]


def report_units(committee: OrgNode, year: int, children: Children | None = None) -> list[OrgNode]:
    """The children of the committee's administration(s) (or of the committee when it has
    none), valid this year or last (last year's Bokslut column still shows them).

    `children` is a tree already loaded with tree(); without it the tree is read."""
    if children is None:
        _, children = tree(committee.municipality)
    years = (year - 1, year)
    out = []
    for child in children.get(committee.pk, []):
        if child.kind == NodeKind.ADMINISTRATION:
            out.extend(n for n in children.get(child.pk, []) if _valid(n, years))
        elif _valid(child, years):
            out.append(child)
    return out


def detail_units(committee: OrgNode, year: int, children: Children | None = None) -> list[OrgNode]:
    """Report units with operating areas expanded into their units."""
    if children is None:
        _, children = tree(committee.municipality)
    out = []
    for unit in report_units(committee, year, children):
        if unit.kind == NodeKind.AREA:
            out.extend(n for n in children.get(unit.pk, []) if _valid(n, (year - 1, year)))
        else:
            out.append(unit)
    return out


def rollup_map(
    municipality, targets: list[OrgNode], children: Children | None = None
) -> dict[int, int]:
    """node id → the target whose subtree it belongs to."""
    if children is None:
        _, children = tree(municipality)
    out: dict[int, int] = {}
    for target in targets:
        stack = [target]
        while stack:
            n = stack.pop()
            out[n.pk] = target.pk
            stack.extend(children.get(n.pk, []))
    return out


def units_at(committee: OrgNode, year: int, level: str) -> list[OrgNode]:
    """level: "report" (verksamhet), "detail" (enhet) or "leaf" (every node of the tree)."""
    if level == "report":
        return report_units(committee, year)
    if level == "detail":
        return detail_units(committee, year)
    _, children = tree(committee.municipality)
    out, stack = [], [committee]
    while stack:
        n = stack.pop(0)
        out.append(n)
        stack[0:0] = children.get(n.pk, [])
    return out
