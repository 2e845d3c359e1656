"""The controller's administration of a committee's year in the web: reporting events,
budget at every level of the tree, budget changes. Thin views over the same services the
commands use; each page shows its history (who and when)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from styra.calendar.models import ReportingEvent
from styra.calendar.services import event_ensure
from styra.ledger.models import ReportRow
from styra.ledger.rows import scheme_for
from styra.lib.errors import UsageError
from styra.lib.numbers import NumberFormatError, format_number, parse_number
from styra.org.models import OrgNode
from styra.org.selectors import tree, tree_rows
from styra.web import access
from styra.web.history import history_rows
from styra.web.submit import once

from . import services
from .models import BudgetChange, BudgetLine, ChangeKind


def _committee(node: OrgNode) -> OrgNode:
    return node.committee()


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def _date(text: str, label: str) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{label}: {text!r} är inget datum (ÅÅÅÅ-MM-DD).") from None


def _amount(text: str) -> Decimal | None:
    try:
        value = parse_number(text or "")
    except NumberFormatError:
        raise UsageError(f"{text!r} är inget belopp.") from None
    if value is not None and value < 0:
        raise UsageError("Gränsen för kommentarer anges som ett positivt belopp i kronor.")
    return value


def _year(request, default: int) -> int:
    raw = request.GET.get("ar") or request.POST.get("ar") or ""
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default


def kr_exact(amount: Decimal | None) -> str:
    """Kronor as typed and stored: whole kronor, or with öre when there are öre."""
    if amount is None:
        return ""
    return format_number(amount, 0 if amount == amount.to_integral_value() else 2)


@access.committee(access.FINANCE)
def admin_home(request, node: OrgNode):
    committee = _committee(node)
    from styra.org import access as org_access

    return render(
        request,
        "finance/admin_home.html",
        {
            "committee": committee,
            "can_change_org": org_access.can(request.user, org_access.ADMIN, committee),
        },
    )


# ---------------------------------------------------------------- reporting events


@access.committee(access.FINANCE)
def admin_events(request, node: OrgNode):
    committee = _committee(node)
    if request.method == "POST":
        try:
            event = event_ensure(
                actor=request.user,
                committee=committee,
                code=request.POST.get("kod", "").strip(),
                cutoff_period=(
                    int(request.POST["period"])
                    if request.POST.get("period", "").isdigit()
                    else None
                ),
                deadline=_date(request.POST.get("sista_dag", ""), "Sista dag"),
                meeting_date=_date(request.POST.get("sammantrade", ""), "Sammanträde"),
                comment_threshold=_amount(request.POST.get("kommentarsgrans", "")),
            )
            messages.success(request, f"{event.name} är sparad.")
        except (UsageError, ValidationError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
            return render(
                request,
                "finance/admin_events.html",
                _events_context(committee, request.POST),
                status=400,
            )
        return redirect("admin_events", node_id=committee.pk)
    return render(request, "finance/admin_events.html", _events_context(committee, {}))


def _events_context(committee: OrgNode, typed) -> dict:
    events = ReportingEvent.objects.filter(committee=committee).order_by("-year", "cutoff_period")
    records = (
        ReportingEvent.history.filter(committee_id=committee.pk)
        .select_related("history_user")
        .order_by("-history_date")
    )
    return {
        "committee": committee,
        "events": events,
        "typed": typed,
        "history": history_rows(
            records,
            lambda r: (
                f"{r.name}: t.o.m. period {r.cutoff_period}, sista dag "
                f"{r.deadline or '–'}, sammanträde {r.meeting_date or '–'}, "
                f"{r.get_status_display()}"
            ),
        ),
    }


# ---------------------------------------------------------------- budget at every level


@access.committee(access.FINANCE)
def admin_budget(request, node: OrgNode):
    """Budget entry at every level of the committee's tree: choose a unit, enter its own
    budget per report row in kronor; the tree shows each unit's own budget and the total
    with everything under it. Only the cells the user changed are written, exactly."""
    committee = _committee(node)
    year = _year(request, dt.date.today().year)
    rows_of_tree = tree_rows(committee, year)
    ids = {n.pk for n, _ in rows_of_tree}
    chosen_id = request.GET.get("enhet") or request.POST.get("enhet") or ""
    chosen = next((n for n, _ in rows_of_tree if str(n.pk) == chosen_id), None)
    scheme = scheme_for(committee.municipality, year)
    report_rows = list(ReportRow.objects.filter(scheme=scheme).order_by("order")) if scheme else []
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    if request.method == "POST" and chosen is not None:
        changed = 0
        current = {b.row_code: b.amount for b in BudgetLine.objects.filter(unit=chosen, year=year)}
        for row in report_rows:
            key = f"b-{row.code}"
            if key not in request.POST:
                continue
            raw = request.POST[key]
            typed[row.code] = raw
            if raw.strip() == request.POST.get(f"was-{row.code}", "").strip():
                continue  # untouched: never rewritten
            try:
                amount = parse_number(raw)
            except NumberFormatError:
                errors[row.code] = f"{raw!r} är inget belopp"
                continue
            if amount is None:
                amount = Decimal(0)
            if amount == current.get(row.code, Decimal(0)):
                continue
            try:
                services.budget_set(
                    actor=request.user, unit=chosen, year=year, row_code=row.code, amount=amount
                )
                changed += 1
            except (ValidationError, PermissionDenied) as exc:
                errors[row.code] = _error_text(exc)
        if errors:
            messages.error(request, "Några belopp sparades inte; se raderna markerade med fel.")
        else:
            messages.success(request, f"{changed} budgetrader ändrade för {chosen.name} {year}.")
            return redirect(f"{request.path}?ar={year}&enhet={chosen.pk}#budget-form")
    lines = list(BudgetLine.objects.filter(unit_id__in=ids, year=year))
    own: dict[int, Decimal] = defaultdict(Decimal)
    own_by_row: dict[tuple[int, str], Decimal] = {}
    for line in lines:
        own[line.unit_id] += line.amount
        own_by_row[(line.unit_id, line.row_code)] = line.amount
    _, children = tree(committee.municipality)

    def subtree(pk: int) -> list[int]:
        out, stack = [], [pk]
        while stack:
            p = stack.pop()
            out.append(p)
            stack.extend(c.pk for c in children.get(p, []) if c.pk in ids)
        return out

    unit_rows = [
        {
            "node": n,
            "depth": depth,
            "own": kr_exact(own.get(n.pk)),
            "total": kr_exact(sum((own.get(p, Decimal(0)) for p in subtree(n.pk)), Decimal(0))),
        }
        for n, depth in rows_of_tree
    ]
    form_rows = []
    if chosen is not None:
        below = subtree(chosen.pk)
        for row in report_rows:
            value = own_by_row.get((chosen.pk, row.code))
            form_rows.append(
                {
                    "row": row,
                    "value": typed.get(row.code, kr_exact(value)),
                    "was": kr_exact(value),
                    "total": kr_exact(
                        sum((own_by_row.get((p, row.code), Decimal(0)) for p in below), Decimal(0))
                    ),
                    "error": errors.get(row.code, ""),
                }
            )
    records = (
        BudgetLine.history.filter(unit_id__in=ids, year=year)
        .select_related("history_user")
        .order_by("-history_date")
    )
    names = {n.pk: n.name for n, _ in rows_of_tree}
    return render(
        request,
        "finance/admin_budget.html",
        {
            "committee": committee,
            "year": year,
            "tree_rows": unit_rows,
            "chosen": chosen,
            "form_rows": form_rows,
            "history": history_rows(
                records,
                lambda r: (
                    f"budget {names.get(r.unit_id, r.unit_id)}, rad {r.row_code}: "
                    f"{kr_exact(r.amount)} kr"
                ),
            ),
        },
        status=400 if errors else 200,
    )


# ---------------------------------------------------------------- budget changes


@access.committee(access.FINANCE)
def admin_budget_changes(request, node: OrgNode):
    committee = _committee(node)
    year = _year(request, dt.date.today().year)
    if request.method == "POST":
        return once(request, lambda: _change_add(request, committee, year))
    return _changes_page(request, committee, year, {}, 200)


def _change_add(request, committee: OrgNode, year: int):
    nodes = tree_rows(committee, year)
    unit = next((n for n, _ in nodes if str(n.pk) == request.POST.get("enhet")), None)
    try:
        if unit is None:
            raise UsageError("Välj vilken enhet ändringen gäller.")
        amount = parse_number(request.POST.get("belopp", ""))
        if amount is None:
            raise UsageError("Ange beloppet i kronor.")
        date = _date(request.POST.get("datum", ""), "Beslutsdatum")
        if date is None:
            raise UsageError("Ange beslutsdatum (ÅÅÅÅ-MM-DD).")
        change = services.budget_change_add(
            actor=request.user,
            unit=unit,
            row_code=request.POST.get("rad", ""),
            amount=amount,
            date=date,
            kind=request.POST.get("typ", ""),
            decision=request.POST.get("beslut", ""),
            text=request.POST.get("text", ""),
        )
    except NumberFormatError:
        messages.error(request, f"{request.POST.get('belopp')!r} är inget belopp.")
        return _changes_page(request, committee, year, request.POST, 400)
    except (UsageError, ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
        return _changes_page(request, committee, year, request.POST, 400)
    messages.success(
        request, f"{change.get_kind_display()} {change.decision} registrerad för {unit.name}."
    )
    return redirect(f"{request.path}?ar={change.year}")


def _changes_page(request, committee: OrgNode, year: int, typed, status: int):
    nodes = tree_rows(committee, year)
    ids = {n.pk for n, _ in nodes}
    scheme = scheme_for(committee.municipality, year)
    report_rows = list(ReportRow.objects.filter(scheme=scheme).order_by("order")) if scheme else []
    changes = list(
        BudgetChange.objects.filter(unit_id__in=ids, year=year)
        .select_related("unit")
        .order_by("date", "pk")
    )
    row_names = {r.code: r.name for r in report_rows}
    names = {n.pk: n.name for n, _ in nodes}
    records = (
        BudgetChange.history.filter(unit_id__in=ids, year=year)
        .select_related("history_user")
        .order_by("-history_date")
    )
    return render(
        request,
        "finance/admin_budget_changes.html",
        {
            "committee": committee,
            "year": year,
            "nodes": nodes,
            "report_rows": report_rows,
            "kinds": ChangeKind.choices,
            "changes": [
                {
                    "change": c,
                    "row": row_names.get(c.row_code, c.row_code),
                    "amount": kr_exact(c.amount),
                }
                for c in changes
            ],
            "total": kr_exact(sum((c.amount for c in changes), Decimal(0))),
            "typed": typed,
            "history": history_rows(
                records,
                lambda r: (
                    f"{r.get_kind_display().lower()} {r.decision} ({r.date}) för "
                    f"{names.get(r.unit_id, r.unit_id)}: {kr_exact(r.amount)} kr"
                ),
            ),
        },
        status=status,
    )


@access.login
def admin_start(request):
    """The committees the user administers (FINANCE), each with its administration page."""
    from styra.org import access as org_access
    from styra.org.models import NodeKind

    committees = [
        n
        for n in org_access.nodes_for(request.user, org_access.FINANCE)
        if n.kind == NodeKind.COMMITTEE
    ]
    return render(request, "finance/admin_start.html", {"committees": committees})
