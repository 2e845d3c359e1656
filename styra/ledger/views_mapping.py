"""Mapping ledger dimension codes to units in the web (the controller's "Ej kopplat"):
a thin view over ledger.services.dimension_map, with the history of the mappings."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from styra.lib.errors import UsageError
from styra.org.models import Dimension, DimensionMapping, OrgNode
from styra.org.selectors import tree_rows
from styra.web import access
from styra.web.history import history_rows

from .selectors import unmapped_balances
from .services import dimension_map


def _split(unit_code: str) -> tuple[str, str] | None:
    dimension, _sep, code = unit_code.partition(" ")
    return (dimension, code) if dimension in Dimension.values and code else None


@access.committee(access.FINANCE)
def ledger_mapping(request, node: OrgNode):
    committee = node.committee()
    raw = request.GET.get("ar") or request.POST.get("ar") or ""
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else dt.date.today().year
    nodes = tree_rows(committee, year)
    status = 200
    if request.method == "POST":
        target = next((n for n, _ in nodes if str(n.pk) == request.POST.get("enhet")), None)
        parts = _split(request.POST.get("kod", ""))
        try:
            if target is None:
                raise UsageError("Välj enheten som koden ska kopplas till.")
            if parts is None:
                raise UsageError(f"{request.POST.get('kod', '')!r} är ingen kod i huvudboken.")
            _mapping, moved = dimension_map(
                actor=request.user, node=target, year=year, dimension=parts[0], code=parts[1]
            )
            messages.success(
                request,
                f"{parts[0]} {parts[1]} är kopplad till {target.name} för {year}; "
                f"{moved} huvudboksrader räknas nu där.",
            )
            return redirect(f"{request.path}?ar={year}")
        except (UsageError, ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            status = 400
    ids = {n.pk for n, _ in nodes}
    unmapped = [
        {
            "unit_code": code,
            "amount": amount,
            "field": f"u{i}",
            "mappable": _split(code) is not None,
        }
        for i, (code, amount) in enumerate(
            unmapped_balances(municipality=committee.municipality, year=year).items()
        )
    ]
    mappings = (
        DimensionMapping.objects.filter(node_id__in=ids, year=year)
        .select_related("node")
        .order_by("dimension", "code")
    )
    names = {n.pk: n.name for n, _ in nodes}
    records = (
        DimensionMapping.history.filter(node_id__in=ids, year=year)
        .select_related("history_user")
        .order_by("-history_date")
    )
    return render(
        request,
        "ledger/mapping.html",
        {
            "committee": committee,
            "year": year,
            "nodes": nodes,
            "unmapped": unmapped,
            "mappings": mappings,
            "history": history_rows(
                records,
                lambda r: f"kopplingen {r.dimension} {r.code} → {names.get(r.node_id, r.node_id)}",
            ),
        },
        status=status,
    )
