"""Changing the organisation tree in the web (the administrator): add a node under this
one, rename it and set its resultatenhet/intraprenad flags, move it, close it from a date.
Thin views over styra.org.services; the page shows the history of the node and the nodes
under it (who and when). A closed node stays, with its figures and history."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from styra.lib.errors import UsageError
from styra.org import access as org_access
from styra.org.models import NodeKind, OrgNode
from styra.org.services import node_close, node_create, node_move, node_update

from . import access
from .history import history_rows
from .submit import once

FAILURES = (UsageError, ValidationError, PermissionDenied)
NEW_KINDS = [(k, label) for k, label in NodeKind.choices if k != NodeKind.COMMITTEE]


def _message(exc: Exception) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def _date(text: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise UsageError(f"{label}: ange ett datum (ÅÅÅÅ-MM-DD).") from None


def _committee_nodes(node: OrgNode) -> list[tuple[OrgNode, int]]:
    """Every node of the node's committee (open or closed), depth first: (node, depth)."""
    committee = node.committee() or node
    nodes = list(OrgNode.objects.filter(municipality_id=committee.municipality_id))
    children: dict[int | None, list[OrgNode]] = {}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(n)
    out: list[tuple[OrgNode, int]] = []

    def walk(n: OrgNode, depth: int) -> None:
        out.append((n, depth))
        for c in sorted(children.get(n.pk, []), key=lambda c: (c.sort_order, c.name)):
            walk(c, depth + 1)

    walk(committee, 0)
    return out


@access.node(access.ADMIN)
def node_edit(request, node: OrgNode):
    if request.method == "POST":
        action = request.POST.get("del", "")
        handlers = {"namn": _rename, "flytta": _move, "stang": _close, "ny": _add}
        if action not in handlers:
            raise Http404("Okänt formulär.")
        return once(request, lambda: _handle(request, node, handlers[action]))
    return _page(request, node, {}, 200)


def _rename(request, node):
    post = request.POST
    node_update(
        actor=request.user,
        node=node,
        name=post.get("namn", ""),
        short_name=post.get("kortnamn", ""),
        is_result_unit=post.get("resultatenhet") == "1",
        is_intraprenad=post.get("intraprenad") == "1",
    )
    return f"{node.name} är sparad."


def _move(request, node):
    raw = request.POST.get("ny_plats", "")
    parent = OrgNode.objects.filter(
        pk=int(raw) if raw.isdigit() else 0, municipality_id=node.municipality_id
    ).first()
    if parent is None:
        raise UsageError("Välj var enheten ska ligga.")
    node_move(actor=request.user, node=node, parent=parent)
    return f"{node.name} ligger nu under {parent.name}."


def _close(request, node):
    valid_to = _date(request.POST.get("galler_till", ""), "Gäller till")
    node_close(actor=request.user, node=node, valid_to=valid_to)
    return f"{node.name} gäller till {valid_to}; historiken finns kvar."


def _add(request, node):
    post = request.POST
    raw = post.get("foregangare", "")
    predecessor = None
    if raw:
        predecessor = OrgNode.objects.filter(
            pk=int(raw) if raw.isdigit() else 0, municipality_id=node.municipality_id
        ).first()
        if predecessor is None:
            raise UsageError("Föregångaren finns inte.")
    child = node_create(
        actor=request.user,
        parent=node,
        code=post.get("kod", ""),
        name=post.get("nytt_namn", ""),
        kind=post.get("typ", NodeKind.UNIT),
        valid_from=_date(post.get("galler_fran", ""), "Gäller från"),
        is_result_unit=post.get("ny_resultatenhet") == "1",
        is_intraprenad=post.get("ny_intraprenad") == "1",
        predecessor=predecessor,
    )
    return child


def _handle(request, node, handler):
    """Run one form's handler: a message and back to the page (the new node's page after
    adding one), or the page with the error and what was typed."""
    try:
        result = handler(request, node)
    except FAILURES as exc:
        messages.error(request, _message(exc))
        return _page(request, node, request.POST, 400)
    if isinstance(result, OrgNode):
        messages.success(request, f"{result.name} är tillagd under {node.name}.")
        return redirect("node_edit", node_id=result.pk)
    messages.success(request, result)
    return redirect("node_edit", node_id=node.pk)


def _page(request, node: OrgNode, typed, status: int):
    node.refresh_from_db()
    tree = _committee_nodes(node)
    below = {n.pk for n, _ in _subtree(tree, node)}
    places = [(n, d) for n, d in tree if n.pk not in below and n.valid_to is None]
    ids = [node.pk, *(c.pk for c in node.children.all())]
    records = (
        OrgNode.history.filter(id__in=ids).select_related("history_user").order_by("-history_date")
    )
    names = {n.pk: n.name for n, _ in tree}
    return render(
        request,
        "web/node_edit.html",
        {
            "node": node,
            "is_committee": node.kind == NodeKind.COMMITTEE,
            "children": node.children.all(),
            "places": places,
            "tree": tree,
            "kinds": NEW_KINDS,
            "typed": typed,
            "can_admin": org_access.can(request.user, org_access.ADMIN, node),
            "history": history_rows(records, lambda r: _describe(r, names)),
        },
        status=status,
    )


def _subtree(tree: list[tuple[OrgNode, int]], node: OrgNode) -> list[tuple[OrgNode, int]]:
    out, inside, depth0 = [], False, 0
    for n, d in tree:
        if n.pk == node.pk:
            inside, depth0 = True, d
            out.append((n, d))
            continue
        if inside:
            if d <= depth0:
                break
            out.append((n, d))
    return out


def _describe(r, names: dict[int, str]) -> str:
    flags = [
        x
        for x, on in (("resultatenhet", r.is_result_unit), ("intraprenad", r.is_intraprenad))
        if on
    ]
    until = f"till {r.valid_to}" if r.valid_to else "tills vidare"
    return (
        f"{r.name} ({r.code}) under {names.get(r.parent_id, '–')}, gäller {r.valid_from} {until}"
        + (f", {', '.join(flags)}" if flags else "")
    )
