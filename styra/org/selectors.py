"""Reads of the organisation tree shared by ledger, finance and reports.

A unit's figures are the sum over its subtree. A committee's *report units* are the nodes
just below its administration(s) (DOMAIN §6 table 3: Förvaltningskontoret, Daglig
verksamhet, …); its *detail units* expand an operating area into its units (table 4).
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from styra.lib.errors import UsageError

from .models import Municipality, NodeKind, OrgNode

MUNICIPALITY_HINT = "kommunkod, organisationsnummer eller namn"


def municipality_get(ref: str | None = None) -> Municipality:
    """The municipality named by its code (0127), org number (212000-2882) or name; with
    no reference, the only municipality there is. UsageError (Swedish) otherwise."""
    qs = Municipality.objects.order_by("name")
    if ref:
        text = str(ref).strip()
        qs = qs.filter(Q(code=text) | Q(org_number=text) | Q(name__iexact=text))
    found = list(qs[:10])
    if len(found) == 1:
        return found[0]
    if not found and not ref:
        raise UsageError(
            "Det finns ingen kommun: läs först in en organisation (styra org load FIL)."
        )
    if not found:
        names = ", ".join(
            f"{m.name} ({m.code or m.org_number})" for m in Municipality.objects.all()
        )
        raise UsageError(f"Kommunen {ref!r} finns inte (finns: {names or 'inga'}).")
    names = ", ".join(m.name for m in found)
    raise UsageError(f"Ange kommunen med --kommun ({MUNICIPALITY_HINT}); här finns {names}.")


def committee_get(municipality: Municipality, ref: str) -> OrgNode:
    """The committee of the municipality whose code is `ref` (AVUN, SN; any letter case).

    Every lookup of a committee by what a person typed goes through here (files, commands,
    URLs): code, not short name, and always within one municipality. UsageError with the
    known codes when there is none."""
    text = str(ref or "").strip()
    found = OrgNode.objects.filter(
        municipality=municipality, kind=NodeKind.COMMITTEE, code__iexact=text
    ).first()
    if found is None:
        known = ", ".join(
            OrgNode.objects.filter(municipality=municipality, kind=NodeKind.COMMITTEE)
            .order_by("code")
            .values_list("code", flat=True)
        )
        raise UsageError(
            f"Nämnden {text!r} finns inte i {municipality.name} (nämndkoder: {known or 'inga'})."
        )
    return found


def committee_find(ref: str, *, municipality: str | Municipality | None = None) -> OrgNode:
    """A committee by code across municipalities, for commands: a code found in one
    municipality is that committee; in several, the municipality must be named
    (`--kommun`). `municipality` may be a Municipality or what the user typed."""
    if isinstance(municipality, Municipality):
        return committee_get(municipality, ref)
    if municipality:
        return committee_get(municipality_get(municipality), ref)
    text = str(ref or "").strip()
    found = list(
        OrgNode.objects.filter(kind=NodeKind.COMMITTEE, code__iexact=text)
        .select_related("municipality")
        .order_by("municipality__name")
    )
    if len(found) == 1:
        return found[0]
    if found:
        names = ", ".join(n.municipality.name for n in found)
        raise UsageError(
            f"Nämnden {text} finns i flera kommuner ({names}): ange vilken med --kommun "
            f"({MUNICIPALITY_HINT})."
        )
    known = ", ".join(
        sorted(set(OrgNode.objects.filter(kind=NodeKind.COMMITTEE).values_list("code", flat=True)))
    )
    raise UsageError(f"Nämnden {text!r} finns inte (nämndkoder: {known or 'inga'}).")


def tree(municipality) -> tuple[dict[int, OrgNode], dict[int | None, list[OrgNode]]]:
    """All nodes of a municipality by id, and their children in display order."""
    nodes = {n.pk: n for n in OrgNode.objects.filter(municipality=municipality)}
    children: dict[int | None, list[OrgNode]] = defaultdict(list)
    for n in sorted(nodes.values(), key=lambda n: (n.sort_order, n.name)):
        children[n.parent_id].append(n)
    return nodes, children


def tree_rows(committee: OrgNode, year: int) -> list[tuple[OrgNode, int]]:
    """The committee's nodes valid in the year, depth first: (node, depth), the committee
    at depth 0 (the pages that list a committee's units as an indented table)."""
    _, children = tree(committee.municipality)
    out: list[tuple[OrgNode, int]] = []

    def walk(node: OrgNode, depth: int) -> None:
        out.append((node, depth))
        for child in children.get(node.pk, []):
            if child.valid_in_year(year):
                walk(child, depth + 1)

    walk(committee, 0)
    return out


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
