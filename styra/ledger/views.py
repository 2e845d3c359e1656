"""Ledger pages: imports with validation before saving, balances, drill-down."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from styra.lib.numbers import format_number
from styra.org.models import OrgNode
from styra.org.selectors import report_units
from styra.web import access

from .models import CoarseRow, LedgerImport
from .rows import lookup_for
from .selectors import balances, transactions_for, unmapped_balances
from .services import ImportRefused, detect_format, ledger_import

UPLOAD_DIR = "ledger-uploads"
_TOKEN = re.compile(r"^[0-9a-f]{64}\.[a-z0-9]{1,5}$")


def _committee(node: OrgNode) -> OrgNode:
    committee = node.committee()
    if committee is None:
        raise Http404("Enheten hör inte till någon nämnd.")
    return committee


def _int(value, default, low, high):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if low <= number <= high else default


def _upload_path(token: str) -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOAD_DIR / token


@access.node(access.FINANCE)
def ledger_home(request, node: OrgNode):
    committee = _committee(node)
    imports = LedgerImport.objects.filter(municipality=committee.municipality)[:50]
    return render(request, "ledger/home.html", {"committee": committee, "imports": imports})


@access.node(access.FINANCE)
@require_POST
def ledger_upload(request, node: OrgNode):
    """Store the upload and validate it (a dry run); nothing enters the ledger yet."""
    committee = _committee(node)
    upload = request.FILES.get("fil")
    if upload is None:
        messages.error(request, "Välj en fil att läsa in.")
        return redirect("ledger_home", node_id=committee.pk)
    digest = hashlib.sha256()
    suffix = Path(upload.name).suffix.lower().lstrip(".")[:5] or "se"
    chunks = []
    for chunk in upload.chunks():
        digest.update(chunk)
        chunks.append(chunk)
    token = f"{digest.hexdigest()}.{re.sub(r'[^a-z0-9]', '', suffix) or 'se'}"
    path = _upload_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        for chunk in chunks:
            out.write(chunk)
    mapping = request.POST.get("mapping") or None
    context = {"committee": committee, "token": token, "file_name": upload.name}
    fmt = detect_format(path)
    try:
        result = ledger_import(
            path=path,
            municipality=committee.municipality,
            file_format=fmt,
            dry_run=True,
            file_name=upload.name,
            mapping=mapping,
        )
    except ImportRefused as exc:
        result = exc.result
    context["result"] = result
    context["period_rows"] = [
        (
            p,
            t.rows,
            format_number(Decimal(t.debit_ore) / 100, 2),
            format_number(Decimal(-t.result_ore) / 100, 2),
        )
        for p, t in sorted(result.periods.items())
    ]
    return render(request, "ledger/preview.html", context)


@access.node(access.FINANCE)
@require_POST
def ledger_commit(request, node: OrgNode):
    committee = _committee(node)
    token = request.POST.get("token", "")
    if not _TOKEN.match(token) or not _upload_path(token).exists():
        messages.error(request, "Filen finns inte längre: läs in den igen.")
        return redirect("ledger_home", node_id=committee.pk)
    file_name = request.POST.get("file_name", token)[:255]
    try:
        result = ledger_import(
            path=_upload_path(token),
            municipality=committee.municipality,
            user=request.user,
            file_name=file_name,
        )
    except ImportRefused as exc:
        messages.error(request, f"{file_name}: {len(exc.result.errors)} fel. Inget sparades.")
        return redirect("ledger_home", node_id=committee.pk)
    finally:
        _upload_path(token).unlink(missing_ok=True)
    messages.success(
        request,
        f"{file_name} är inläst: {result.rows} rader, period {result.first_period}–"
        f"{result.last_period} {result.year}.",
    )
    return redirect("ledger_home", node_id=committee.pk)


@access.node(access.VIEW)
def ledger_balances(request, node: OrgNode):
    """Units × coarse rows for a year through a period, with links down to transactions."""
    committee = _committee(node)
    year = _int(request.GET.get("ar"), _latest_year(committee), 2000, 2100)
    through = _int(request.GET.get("tom"), 13, 1, 13)
    lines = balances(committee=committee, year=year, through_period=through, by=("unit", "row"))
    coarse = [c for c in CoarseRow if c != CoarseRow.FINANCIAL] + [CoarseRow.FINANCIAL]
    table: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        key = line.row.coarse if line.row else "none"
        table[line.unit.pk][key] += line.amount
        totals[key] += line.amount
    used = [c for c in coarse if c in totals]
    units = [u for u in report_units(committee, year) if u.pk in table]
    rows = []
    for unit in units:
        cells = [(c, table[unit.pk].get(c)) for c in used]
        net = sum((v for _, v in cells if v is not None), Decimal(0))
        rows.append({"unit": unit, "cells": cells, "net": net})
    context = {
        "committee": committee,
        "year": year,
        "through": through,
        "rows": rows,
        "columns": [(c, CoarseRow(c).label) for c in used],
        "totals": [totals[c] for c in used],
        "net_total": sum(totals.values(), Decimal(0)),
        "unmapped": unmapped_balances(municipality=committee.municipality, year=year),
        "periods": range(1, 14),
    }
    return render(request, "ledger/balances.html", context)


def _latest_year(committee: OrgNode) -> int:
    latest = (
        LedgerImport.objects.filter(municipality=committee.municipality)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest or 2020


@access.node(access.EDIT)
def ledger_transactions(request, node: OrgNode):
    """The ledger rows behind one unit's balance (optionally one coarse row or account)."""
    year = _int(request.GET.get("ar"), _latest_year(node.committee() or node), 2000, 2100)
    through = _int(request.GET.get("tom"), 13, 1, 13)
    account = request.GET.get("konto") or None
    coarse = request.GET.get("rad") or None
    lookup = lookup_for(node.municipality, year)
    qs = transactions_for(unit=node, year=year, account=account, through_period=through)
    if coarse and lookup:
        accounts = {
            a
            for a in qs.values_list("account", flat=True).distinct()
            if (r := lookup.row_for(a)) and r.coarse == coarse
        }
        qs = qs.filter(account__in=accounts)
    count = qs.count()
    rows = list(qs[:500])
    total = -Decimal(qs.aggregate(s=Sum("amount_ore"))["s"] or 0) / 100
    return render(
        request,
        "ledger/transactions.html",
        {
            "unit": node,
            "year": year,
            "through": through,
            "account": account,
            "coarse_label": CoarseRow(coarse).label if coarse in CoarseRow.values else "",
            "rows": rows,
            "count": count,
            "total": total,
            "back": reverse("ledger_balances", kwargs={"node_id": (node.committee() or node).pk}),
        },
    )
