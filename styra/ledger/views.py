"""Ledger pages: imports with validation before saving, balances, drill-down."""

from __future__ import annotations

import io
from collections import defaultdict
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db.models import Sum
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from styra.calendar.models import ReportingEvent
from styra.lib.money import report_kr
from styra.lib.spreadsheet import CsvWriter, xlsx_append
from styra.org import access as org_access
from styra.org.models import OrgNode
from styra.org.selectors import report_units
from styra.tasks.models import TaskStatus
from styra.tasks.selectors import run_for, run_state
from styra.tasks.services import task_start
from styra.web import access
from styra.web.xlsx import XLSX

from . import uploads
from .models import CoarseRow, LedgerImport
from .rows import lookup_for
from .selectors import balances, ledger_imports, transactions_for, unmapped_balances
from .services import locked_events_for


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


def _home_context(committee: OrgNode, **extra) -> dict:
    imports = ledger_imports(municipality=committee.municipality, limit=50)
    return {
        "committee": committee,
        "imports": imports,
        "max_mb": settings.STYRA_LEDGER_UPLOAD_MAX_MB,
        "accept": ",".join(sorted(uploads.SIE_SUFFIXES | uploads.TABULAR_SUFFIXES)),
        **extra,
    }


@access.committee(access.FINANCE)
def ledger_home(request, node: OrgNode):
    committee = _committee(node)
    return render(request, "ledger/home.html", _home_context(committee))


def _upload_refused(request, committee, field: str, message: str):
    """The upload page again, with the message next to the field it concerns."""
    return render(
        request,
        "ledger/home.html",
        _home_context(committee, field_errors={field: message}),
        status=400,
    )


@csrf_exempt  # the upload handler must be set before the body is read; checked below
@access.committee(access.FINANCE)
@require_POST
def ledger_upload(request, node: OrgNode):
    """Store the upload (streamed to disk, size-limited) and queue its check (a dry run);
    nothing enters the ledger yet. The browser goes to the check's page at once."""
    limiter = uploads.LimitedUpload(request)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if limiter.too_long(length):  # refused before a byte of the body is read
        limiter.exceeded = True
        request.upload_handlers = [limiter]
    else:
        request.upload_handlers.insert(0, limiter)
    return _ledger_upload(request, node, limiter)


@csrf_protect
def _ledger_upload(request, node: OrgNode, limiter):
    committee = _committee(node)
    upload = request.FILES.get("fil")
    if limiter.exceeded:
        return _upload_refused(
            request,
            committee,
            "fil",
            f"Filen är större än {settings.STYRA_LEDGER_UPLOAD_MAX_MB} MB, som är gränsen för "
            "inläsning på webben.",
        )
    if upload is None:
        return _upload_refused(request, committee, "fil", "Välj en fil att läsa in.")
    kind = uploads.kind_of(upload.name)
    if kind is None:
        return _upload_refused(
            request,
            committee,
            "fil",
            "Filen är varken SIE (.se, .si, .sie), CSV (.csv, .txt) eller Excel (.xlsx).",
        )
    mapping = request.FILES.get("kolumner")
    if kind == "csv" and mapping is None:
        return _upload_refused(
            request,
            committee,
            "kolumner",
            "En CSV- eller Excel-fil behöver en kolumnbeskrivning: välj den i fältet "
            "Kolumnbeskrivning.",
        )
    if mapping is not None and mapping.size > uploads.MAPPING_MAX_BYTES:
        return _upload_refused(
            request, committee, "kolumner", "Kolumnbeskrivningen är större än 64 kB."
        )
    preview = uploads.store(upload, mapping_upload=mapping if kind == "csv" else None)
    token = uploads.token_for(preview, user=request.user, municipality=committee.municipality)
    run = task_start(
        actor=request.user,
        kind="ledger.check",
        node=committee,
        capability=org_access.FINANCE,
        title=f"Kontroll av {preview.file_name}",
        params={"committee_id": committee.pk, "token": token},
        return_url=reverse("ledger_home", args=[committee.pk]),
        return_label="Till huvudboken",
    )
    return redirect("ledger_preview", node_id=committee.pk, run_id=run.pk)


def _check_run(request, committee: OrgNode, run_id: int):
    run = run_for(request.user, run_id)
    if run.kind != "ledger.check" or run.node_id != committee.pk:
        raise Http404("Kontrollen finns inte.")
    return run


@access.committee(access.FINANCE)
def ledger_preview(request, node: OrgNode, run_id: int):
    """The check of an uploaded file: progress while it runs, then what the file holds and
    what saving it would do, with the save button (and the confirmations it needs)."""
    committee = _committee(node)
    return _preview_page(request, committee, _check_run(request, committee, run_id))


def _preview_page(request, committee, run, field_errors=None, status=200):
    preview = (run.result or {}).get("preview") if run.status == TaskStatus.DONE else None
    context = {
        "committee": committee,
        "run": run,
        "state": run_state(run),
        "p": preview,
        "field_errors": field_errors or {},
        "confirmed": request.POST if request.method == "POST" else {},
    }
    return render(request, "ledger/preview.html", context, status=status)


@access.committee(access.FINANCE)
@require_POST
def ledger_commit(request, node: OrgNode, run_id: int):
    """Queue the save of a checked file (the confirmations the check asked for given)."""
    committee = _committee(node)
    run = _check_run(request, committee, run_id)
    preview = (run.result or {}).get("preview") if run.status == TaskStatus.DONE else None
    token = run.params.get("token", "")
    try:
        stored = uploads.open_token(token, user=request.user, municipality=committee.municipality)
    except uploads.PreviewGone as exc:
        messages.error(request, str(exc))
        return redirect("ledger_home", node_id=committee.pk)
    if not preview or preview["errors"]:
        messages.error(request, "Filen har fel och kan inte sparas. Inget har sparats.")
        return redirect("ledger_preview", node_id=committee.pk, run_id=run.pk)
    other_org = request.POST.get("annan_organisation") == "ja"
    unmapped = request.POST.get("mest_ej_kopplat") == "ja"
    errors = {}
    if preview["other_org"] and not other_org:
        errors["annan_organisation"] = (
            "Filen tillhör en annan organisation: kryssa i rutan om den ändå ska läsas in."
        )
    if preview["mostly_unmapped"] and not unmapped:
        errors["mest_ej_kopplat"] = (
            "Det mesta av filen hör inte till någon enhet: kryssa i rutan om den ändå ska läsas in."
        )
    if errors:
        return _preview_page(request, committee, run, field_errors=errors, status=400)
    save = task_start(
        actor=request.user,
        kind="ledger.save",
        node=committee,
        capability=org_access.FINANCE,
        title=f"Inläsning av {stored.file_name}",
        params={
            "committee_id": committee.pk,
            "token": token,
            "accept_other_org": bool(preview["other_org"]) and other_org,
            "accept_mostly_unmapped": unmapped,
        },
        return_url=reverse("ledger_home", args=[committee.pk]),
        return_label="Till huvudboken",
    )
    return redirect(save)


@access.committee(access.FINANCE)
def ledger_undo(request, node: OrgNode, import_id: int):
    """Undo an import (on the task queue), after a confirmation page that says what will
    count again, or why it cannot be undone."""
    committee = _committee(node)
    target = LedgerImport.objects.filter(pk=import_id, municipality=committee.municipality).first()
    if target is None:
        raise Http404("Importen finns inte.")
    if request.method == "POST":
        run = task_start(
            actor=request.user,
            kind="ledger.undo",
            node=committee,
            capability=org_access.FINANCE,
            title=f"Ångra inläsningen av {target.file_name}",
            params={"committee_id": committee.pk, "import_id": target.pk},
            return_url=reverse("ledger_home", args=[committee.pk]),
            return_label="Till huvudboken",
        )
        return redirect(run)
    context = {
        "committee": committee,
        "target": target,
        "restores": LedgerImport.objects.filter(replaced_by=target),
        "locked": locked_events_for(target) if target.state == "gällande" else [],
    }
    return render(request, "ledger/undo.html", context)


@access.node(access.VIEW)
def ledger_balances(request, node: OrgNode):
    """Units × coarse rows for a year through a period, with links down to transactions.
    A unit role sees only its own subtree (read scope), and neither the committee's total
    nor the municipality's unmapped codes."""
    scope = org_access.read_scope(request.user, node)
    committee = scope.committee
    year = _int(request.GET.get("ar"), _latest_year(committee), 2000, 2100)
    through = _int(request.GET.get("tom"), 13, 1, 13)
    for level in ("report", "detail", "leaf"):
        lines = [
            line
            for line in balances(
                committee=committee, year=year, through_period=through, by=("unit", "row"),
                level=level,
            )
            if line.unit is not None and scope.contains(line.unit.pk)
        ]  # fmt: skip
        if lines or scope.whole:
            break
    coarse = [c for c in CoarseRow if c != CoarseRow.FINANCIAL] + [CoarseRow.FINANCIAL]
    table: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        key = line.row.coarse if line.row else "none"
        table[line.unit.pk][key] += line.amount
        totals[key] += line.amount
    used = [c for c in coarse if c in totals]
    seen: dict[int, OrgNode] = {}
    for line in lines:
        seen.setdefault(line.unit.pk, line.unit)
    order = {u.pk: i for i, u in enumerate(report_units(committee, year))}
    units = sorted(seen.values(), key=lambda u: (order.get(u.pk, len(order)), u.sort_order))
    rows = []
    for unit in units:
        cells = [(c, table[unit.pk].get(c)) for c in used]
        net = sum((v for _, v in cells if v is not None), Decimal(0))
        rows.append({"unit": unit, "cells": cells, "net": net})
    context = {
        "committee": committee,
        "scope": scope,
        "year": year,
        "through": through,
        "rows": rows,
        "columns": [(c, CoarseRow(c).label) for c in used],
        "totals": [totals[c] for c in used],
        "net_total": sum(totals.values(), Decimal(0)),
        "unmapped": (
            unmapped_balances(municipality=committee.municipality, year=year) if scope.whole else {}
        ),
        "periods": range(1, 14),
    }
    return render(request, "ledger/balances.html", context)


def _latest_year(committee: OrgNode) -> int:
    latest = (
        LedgerImport.live()
        .filter(municipality=committee.municipality)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest or 2020


@access.node(access.EDIT)
def ledger_transactions(request, node: OrgNode):
    """The ledger rows behind one unit's balance (optionally one coarse row or account).
    `format=csv` or `format=xlsx` downloads every row (the page shows the first 500). A
    list opened from the follow-up (`handelse`, `oppna`) links back to that follow-up, at
    the same event with the same units opened, at the unit's row."""
    committee = node.committee() or node
    year = _int(request.GET.get("ar"), _latest_year(committee), 2000, 2100)
    through = _int(request.GET.get("tom"), 13, 1, 13)
    account = request.GET.get("konto") or None
    coarse = request.GET.get("rad") or None
    lookup = lookup_for(node.municipality, year)
    qs = transactions_for(unit=node, year=year, account=account, through_period=through)
    # rad: one coarse row, or several with commas (the follow-up's "Övriga kostnader"
    # includes the financial items: rad=other,financial)
    wanted = {c for c in (coarse or "").split(",") if c in CoarseRow.values}
    if wanted and lookup:
        accounts = {
            a
            for a in qs.values_list("account", flat=True).distinct()
            if (r := lookup.row_for(a)) and r.coarse in wanted
        }
        qs = qs.filter(account__in=accounts)
    coarse_label = " och ".join(CoarseRow(c).label for c in sorted(wanted))
    title = (
        f"Transaktioner: {node.name} {year}"
        + (f", {coarse_label}" if coarse_label else "")
        + (f", konto {account}" if account else "")
        + f", t.o.m. period {through}"
    )
    wanted_format = request.GET.get("format")
    if wanted_format in ("csv", "xlsx"):
        return _transactions_download(qs, title, wanted_format, node, year, through)
    count = qs.count()
    rows = list(qs[:500])
    total = report_kr(qs.aggregate(s=Sum("amount_ore"))["s"] or 0)
    scope_root = org_access.read_scope(request.user, node).root
    follow_up = _follow_up_origin(request, committee, scope_root, node)
    keep = request.GET.copy()
    for name in ("konto", "format"):
        keep.pop(name, None)
    downloads = {}
    for fmt in ("csv", "xlsx"):
        query = request.GET.copy()
        query["format"] = fmt
        downloads[fmt] = f"{request.path}?{query.urlencode()}"
    return render(
        request,
        "ledger/transactions.html",
        {
            "unit": node,
            "year": year,
            "through": through,
            "account": account,
            "coarse_label": coarse_label,
            "rows": rows,
            "count": count,
            "total": total,
            "back": reverse("ledger_balances", kwargs={"node_id": scope_root.pk}),
            "follow_up": follow_up,
            "keep": keep.urlencode(),
            "downloads": downloads,
        },
    )


def _follow_up_origin(request, committee: OrgNode, root: OrgNode, unit: OrgNode) -> dict | None:
    """The follow-up a drill-down was opened from (its event and opened units, read from
    the query and checked against the committee), as the back link's address and label;
    None when the list was not opened from the follow-up."""
    code = request.GET.get("handelse")
    if not code:
        return None
    event = ReportingEvent.objects.filter(committee=committee, code=code).first()
    if event is None:
        return None
    opened = sorted(
        {int(p) for p in request.GET.get("oppna", "").split(",") if p.strip().isdigit()}
    )
    query = {"handelse": event.code}
    if opened:
        query["oppna"] = ",".join(str(i) for i in opened)
    url = reverse("finance_grid", kwargs={"node_id": root.pk}) + "?" + urlencode(query)
    return {"url": f"{url}#rad-{unit.pk}", "event": event}


_HEADINGS = ["Period", "Datum", "Verifikation", "Konto", "Objekt", "Text", "Belopp (kr)"]


def _transaction_cells(t) -> list:
    voucher = f"{t.series} {t.voucher}".strip()
    return [t.period, t.date, voucher, t.account, t.objects_text, t.text, report_kr(t.amount_ore)]


def _transactions_download(qs, title: str, fmt: str, node: OrgNode, year: int, through: int):
    """Every row of the list as CSV (semicolons, decimal comma, UTF-8 with BOM: what a
    Swedish Excel opens) or XLSX (amounts and periods as numbers, dates as dates); all text
    goes through styra.lib.spreadsheet, so no cell is read as a formula."""
    filename = f"transaktioner-{slugify(node.code or node.name)}-{year}-tom-{through}"
    rows = qs.iterator(chunk_size=2000)
    if fmt == "csv":

        def lines():
            buffer = io.StringIO()
            writer = CsvWriter(buffer, delimiter=";")
            buffer.write("\ufeff")
            writer.writerow(_HEADINGS)
            for t in rows:
                cells = _transaction_cells(t)
                cells[1] = cells[1].isoformat() if cells[1] else ""
                cells[6] = str(cells[6]).replace(".", ",")
                writer.writerow(cells)
                if buffer.tell() > 65536:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
            yield buffer.getvalue()

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Transaktioner"
    xlsx_append(sheet, [title])
    sheet.cell(row=1, column=1).font = Font(bold=True)
    xlsx_append(sheet, _HEADINGS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    total = Decimal(0)
    for t in rows:
        cells = _transaction_cells(t)
        total += cells[6]
        xlsx_append(sheet, cells)
        sheet.cell(row=sheet.max_row, column=2).number_format = "yyyy-mm-dd"
        sheet.cell(row=sheet.max_row, column=7).number_format = "#,##0.00"
    xlsx_append(sheet, ["Summa", None, None, None, None, None, total])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.cell(row=sheet.max_row, column=7).number_format = "#,##0.00"
    for letter, width in zip("ABCDEFG", (8, 12, 14, 10, 24, 40, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
