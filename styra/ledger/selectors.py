"""Reads of the ledger for reports, views and the CLI, in the report sign convention.

Report sign: revenue +, cost − (DOMAIN §6), i.e. the negated ledger amount. Amounts are
returned as Decimal kronor, exact.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from styra.lib.money import report_kr
from styra.org.models import OrgNode
from styra.org.selectors import rollup_map, units_at

from .models import Balance, LedgerImport, Transaction
from .rows import RowInfo, account_key, lookup_for

UNMAPPED = "Ej kopplat"


def ore_to_report_kr(ore: int) -> Decimal:
    """Ledger öre (debit +) to report kronor (revenue +, cost −)."""
    return report_kr(ore)


@dataclass(frozen=True)
class BalanceLine:
    unit: OrgNode | None
    row: RowInfo | None
    account: str | None
    period: int | None
    amount: Decimal  # report sign, kronor


def balances(
    *,
    committee: OrgNode,
    year: int,
    through_period: int = 13,
    from_period: int = 1,
    by: tuple[str, ...] = ("unit", "row"),
    level: str = "report",
) -> list[BalanceLine]:
    """Result-account balances (3000-8999) of the committee, grouped by `by` (any of unit,
    row, account, period). A unit's balance is the sum over its subtree; `level` picks the
    units: "report" (verksamhet, as in the report's table by unit), "detail" (enhet) or
    "leaf" (every node by itself). Rows without a unit are not the committee's."""
    units = units_at(committee, year, level)
    unit_by_id = {u.pk: u for u in units}
    rollup = (
        {u.pk: u.pk for u in units}
        if level == "leaf"
        else rollup_map(committee.municipality, units)
    )
    lookup = lookup_for(committee.municipality, year)
    qs = (
        Balance.objects.filter(
            year=year, unit_id__in=rollup, period__gte=from_period, period__lte=through_period
        )
        .values("unit_id", "account", "period")
        .annotate(total=Sum("amount_ore"))
    )
    grouped: dict[tuple, int] = defaultdict(int)
    for item in qs:
        key4 = account_key(item["account"])
        if key4 is None or not 3000 <= key4 <= 8999:
            continue
        row = lookup.row_for(item["account"]) if lookup else None
        key = (
            rollup[item["unit_id"]] if "unit" in by else None,
            row if "row" in by else None,
            item["account"] if "account" in by else None,
            item["period"] if "period" in by else None,
        )
        grouped[key] += item["total"]
    unit_order = {u.pk: i for i, u in enumerate(units)}

    def sort_key(kv):
        (unit_id, row, account, period), _ = kv
        return (
            unit_order.get(unit_id, -1),
            row.order if row else 999,
            account or "",
            period or 0,
        )

    return [
        BalanceLine(unit_by_id.get(u), r, a, p, ore_to_report_kr(v))
        for (u, r, a, p), v in sorted(grouped.items(), key=sort_key)
    ]


def unmapped_balances(*, municipality, year: int) -> dict[str, Decimal]:
    """Result-account amounts whose dimension code has no unit (report sign)."""
    qs = (
        Balance.objects.filter(
            ledger_import__municipality=municipality, year=year, unit__isnull=True
        )
        .values("unit_code", "account")
        .annotate(total=Sum("amount_ore"))
    )
    out: dict[str, int] = defaultdict(int)
    for item in qs:
        key4 = account_key(item["account"])
        if key4 is not None and 3000 <= key4 <= 8999:
            out[item["unit_code"] or "(utan kod)"] += item["total"]
    return {k: ore_to_report_kr(v) for k, v in sorted(out.items())}


def transactions_for(
    *,
    unit: OrgNode,
    year: int,
    account: str | None = None,
    row: RowInfo | None = None,
    from_period: int = 1,
    through_period: int = 13,
):
    """The ledger rows behind a unit's balance (its whole subtree), for drill-down: an
    ordered queryset; the caller slices it."""
    subtree = list(rollup_map(unit.municipality, [unit]))
    qs = Transaction.objects.filter(
        unit_id__in=subtree, year=year, period__gte=from_period, period__lte=through_period
    ).order_by("period", "date", "voucher", "line")
    if account:
        qs = qs.filter(account=account)
        return qs
    # An outcome is made of result accounts (3000–8999) only: balance-sheet accounts never
    # count, so the list sums to the follow-up's outcome cell.
    qs = qs.filter(account__gte="3000", account__lt="9000")
    if row is not None:
        lookup = lookup_for(unit.municipality, year)
        accounts = {
            a
            for a in qs.values_list("account", flat=True).distinct()
            if lookup and lookup.row_for(a) == row
        }
        qs = qs.filter(account__in=accounts)
    return qs


def ledger_imports(*, municipality, limit: int | None = None):
    """The municipality's imports, newest first, with who imported and who undid them."""
    qs = LedgerImport.objects.filter(municipality=municipality).select_related(
        "imported_by", "undone_by"
    )
    return list(qs[:limit] if limit else qs)


def import_record(imp: LedgerImport) -> dict:
    """One import as the CLI's JSON and the list show it."""

    def who(user):
        if user is None:
            return "kommandorad"
        return user.get_full_name() or user.username

    return {
        "id": imp.pk,
        "source": imp.source,
        "year": imp.year,
        "first_period": imp.first_period,
        "last_period": imp.last_period,
        "file": imp.file_name,
        "format": imp.file_format,
        "rows": imp.rows,
        "vouchers": imp.vouchers,
        "imported_at": imp.imported_at.isoformat(timespec="seconds"),
        "imported_by": who(imp.imported_by),
        "state": imp.state,
        "replaced_by": imp.replaced_by_id,
        "undone_at": imp.undone_at.isoformat(timespec="seconds") if imp.undone_at else None,
        "undone_by": who(imp.undone_by) if imp.undone_at else None,
    }
