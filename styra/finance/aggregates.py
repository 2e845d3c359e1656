"""Stored aggregates of the budget: each budget line's and budget change's twelve months.

Periodising every budget line on every page cost most of a large committee's follow-up; the
months are now stored (`BudgetMonths`) when the budget is written, in the same transaction:

- `budget_months_refresh(unit_years)`: recompute the lines and changes of these unit × year
  pairs (after a budget import, a budget cell, a budget change).
- last year's outcome changed (`styra.ledger.aggregates.outcome_changed`): the lines that
  follow last year's pattern (profile last_year) of the next year, and their changes.
- `budget_months_expected(...)`: what must be stored, from the raw rows (for `styra
  figures verify`); `budget_months_rebuild(...)`: store exactly that.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from styra.ledger.models import RowBalance
from styra.lib.money import from_ore, to_ore

from . import calc
from .models import BudgetChange, BudgetLine, BudgetMonths, Profile

ZERO = Decimal(0)
MONTHS = 12
MonthsKey = tuple[str, int]  # ("line", pk) or ("change", pk)


def _integer_weights(weights) -> list[int] | None:
    """The weights as integers over a common power of ten (exact), or None."""
    scaled = []
    for w in weights:
        d = w if isinstance(w, Decimal) else Decimal(w)
        exponent = d.as_tuple().exponent
        if not isinstance(exponent, int):
            return None
        scaled.append((d, exponent))
    if not scaled:
        return None
    shift = max(0, *(-e for _d, e in scaled))
    ints = [int(d.scaleb(shift)) for d, _e in scaled]
    if any(i < 0 for i in ints):
        return None
    return ints if any(ints) else [1] * len(ints)


def periodise_ore(amount: Decimal, weights) -> list[int]:
    """calc.periodise in integer öre (the same largest-remainder split, fast for the common
    non-negative weights; calc.periodise itself otherwise)."""
    ints = _integer_weights(weights)
    if ints is None:
        return [to_ore(v) for v in calc.periodise(amount, weights)]
    total = to_ore(amount, rounding=True)
    sign = -1 if total < 0 else 1
    total = abs(total)
    weight_sum = sum(ints)
    parts, remainders = [], []
    for i in ints:
        q, r = divmod(total * i, weight_sum)
        parts.append(q)
        remainders.append(r)
    left_over = total - sum(parts)
    for i in sorted(range(len(ints)), key=lambda i: -remainders[i])[:left_over]:
        parts[i] += 1
    return [sign * p for p in parts]


def last_year_weights(periods: list[int] | None) -> list[Decimal]:
    """Last year's twelve months (period 13 counts in December) from its 13 periods in
    report-sign öre; none: zeros (the profile then falls back to even twelfths)."""
    if not periods:
        return [ZERO] * MONTHS
    return [from_ore(v) for v in periods[:11]] + [from_ore(periods[11] + periods[12])]


def line_weights(year: int, profile: str, weights, last: list[int] | None) -> list[Decimal]:
    return calc.month_weights(
        profile, year, [Decimal(w) for w in weights] if weights else None, last_year_weights(last)
    )


def _compute(lines, changes) -> dict[MonthsKey, tuple[int, int, str, list[int]]]:
    """lines: (pk, unit id, year, row code, amount, profile, weights); changes: (pk, unit id,
    year, row code, amount). A change's line must be among `lines` if it has one."""
    lines = list(lines)
    wanted = {(r[1], r[2] - 1) for r in lines if r[5] == Profile.LAST_YEAR}
    previous: dict[tuple[int, int, str], list[int]] = {}
    by_year: dict[int, set[int]] = defaultdict(set)
    for unit_id, year in wanted:
        by_year[year].add(unit_id)
    for year, units in by_year.items():
        for unit_id, code, periods in RowBalance.objects.filter(
            year=year, unit_id__in=list(units)
        ).values_list("unit_id", "row_code", "periods"):
            previous[(year + 1, unit_id, code)] = [-int(v) for v in periods]
    out: dict[MonthsKey, tuple[int, int, str, list[int]]] = {}
    weights_of: dict[tuple[int, int, str], list[Decimal]] = {}
    for pk, unit_id, year, code, amount, profile, weights in lines:
        w = line_weights(year, profile, weights, previous.get((year, unit_id, code)))
        weights_of[(year, unit_id, code)] = w
        out[("line", pk)] = (unit_id, year, code, periodise_ore(amount, w))
    even: dict[int, list[Decimal]] = {}
    for pk, unit_id, year, code, amount in changes:
        w = weights_of.get((year, unit_id, code))
        if w is None:
            w = even.setdefault(year, calc.month_weights("even", year))
        out[("change", pk)] = (unit_id, year, code, periodise_ore(amount, w))
    return out


LINE_FIELDS = ("pk", "unit_id", "year", "row_code", "amount", "profile", "weights")
CHANGE_FIELDS = ("pk", "unit_id", "year", "row_code", "amount")


def budget_months_expected(
    *, municipality=None, years=None, unit_ids=None
) -> dict[MonthsKey, tuple[int, int, str, list[int]]]:
    """What BudgetMonths must hold for these lines and changes, from the raw rows and the
    stored outcome per row (last year's pattern)."""
    lines, changes = BudgetLine.objects.all(), BudgetChange.objects.all()
    if municipality is not None:
        lines = lines.filter(unit__municipality=municipality)
        changes = changes.filter(unit__municipality=municipality)
    if years is not None:
        lines, changes = lines.filter(year__in=list(years)), changes.filter(year__in=list(years))
    if unit_ids is not None:
        lines = lines.filter(unit_id__in=list(unit_ids))
        changes = changes.filter(unit_id__in=list(unit_ids))
    return _compute(lines.values_list(*LINE_FIELDS), changes.values_list(*CHANGE_FIELDS))


def budget_months_stored(
    *, municipality=None, years=None, unit_ids=None
) -> dict[MonthsKey, tuple[int, int, str, list[int]]]:
    qs = BudgetMonths.objects.all()
    if municipality is not None:
        qs = qs.filter(unit__municipality=municipality)
    if years is not None:
        qs = qs.filter(year__in=list(years))
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    out = {}
    for line_id, change_id, unit_id, year, code, months in qs.values_list(
        "line_id", "change_id", "unit_id", "year", "row_code", "months"
    ):
        key = ("line", line_id) if line_id is not None else ("change", change_id)
        out[key] = (unit_id, year, code, [int(v) for v in months])
    return out


def _store(computed: dict[MonthsKey, tuple[int, int, str, list[int]]]) -> None:
    BudgetMonths.objects.bulk_create(
        [
            BudgetMonths(
                unit_id=unit_id,
                year=year,
                row_code=code,
                line_id=pk if kind == "line" else None,
                change_id=pk if kind == "change" else None,
                months=months,
            )
            for (kind, pk), (unit_id, year, code, months) in computed.items()
        ],
        batch_size=2000,
    )


def budget_months_refresh(unit_years, *, last_year_only: bool = False) -> None:
    """Recompute the stored months of every budget line and change of these (unit id, year)
    pairs; `last_year_only`: only the lines with the last-year profile and their keys'
    changes. Call inside the write's transaction."""
    by_year: dict[int, set[int]] = defaultdict(set)
    for unit_id, year in unit_years:
        by_year[int(year)].add(int(unit_id))
    for year, units in sorted(by_year.items()):
        lines = BudgetLine.objects.filter(year=year, unit_id__in=list(units))
        if last_year_only:
            lines = lines.filter(profile=Profile.LAST_YEAR)
        line_rows = list(lines.values_list(*LINE_FIELDS))
        if last_year_only and not line_rows:
            continue
        changes = BudgetChange.objects.filter(year=year, unit_id__in=list(units))
        change_rows = list(changes.values_list(*CHANGE_FIELDS))
        old = BudgetMonths.objects.filter(year=year, unit_id__in=list(units))
        if last_year_only:
            keys = {(u, c) for _pk, u, _y, c, *_rest in line_rows}
            change_rows = [r for r in change_rows if (r[1], r[3]) in keys]
            old = old.filter(line_id__in=[r[0] for r in line_rows]) | old.filter(
                change_id__in=[r[0] for r in change_rows]
            )
        old.delete()
        _store(_compute(line_rows, change_rows))


def budget_months_rebuild(*, municipality, years=None) -> int:
    """Recompute every stored month of the municipality (these years; None: all)."""
    computed = budget_months_expected(municipality=municipality, years=years)
    old = BudgetMonths.objects.filter(unit__municipality=municipality)
    if years is not None:
        old = old.filter(year__in=list(years))
    old.delete()
    _store(computed)
    return len(computed)


def on_outcome_changed(sender, *, municipality_id, year, unit_ids, **kwargs) -> None:
    """Last year's outcome of these units changed: the next year's budget lines that follow
    its pattern are spread again."""
    budget_months_refresh([(u, year + 1) for u in unit_ids], last_year_only=True)


# ---------------------------------------------------------------- verify


def _kr(ore: int) -> str:
    from styra.lib.money import format_ore

    return f"{format_ore(ore)} kr"


def _periods_text(stored: list[int] | None, expected: list[int] | None, word: str) -> str:
    if stored is None:
        return f"saknas (ska vara {_kr(sum(expected or []))} för året)"
    if expected is None:
        return f"är lagrad ({_kr(sum(stored))} för året) men ska inte finnas"
    parts = [
        f"{word} {i + 1}: lagrat {_kr(a)}, ska vara {_kr(b)}"
        for i, (a, b) in enumerate(zip(stored, expected, strict=False))
        if a != b
    ]
    if len(stored) != len(expected):
        parts.append(f"{len(stored)} värden lagrade, ska vara {len(expected)}")
    return "; ".join(parts)


def aggregate_differences(*, municipality, years=None, unit_ids=None) -> list[str]:
    """Every difference between the stored aggregates and what the raw rows give (the
    ledger's balances, the budget lines and changes), in Swedish, one line each."""
    from styra.ledger.aggregates import row_balances_expected, row_balances_stored
    from styra.org.models import OrgNode

    names = dict(OrgNode.objects.filter(municipality=municipality).values_list("pk", "name"))
    out = []
    stored = row_balances_stored(municipality=municipality, years=years, unit_ids=unit_ids)
    expected = row_balances_expected(municipality=municipality, years=years, unit_ids=unit_ids)
    for key in sorted(set(stored) | set(expected), key=lambda k: (k[0], names.get(k[1], ""), k)):
        a, b = stored.get(key), expected.get(key)
        if a != b:
            year, unit_id, code = key
            out.append(
                f"Utfall {year}, {names.get(unit_id, unit_id)}, rad {code}: "
                + _periods_text(a, b, "period")
                + " (huvudbokens saldon, bokföringens tecken)"
            )
    stored_m = budget_months_stored(municipality=municipality, years=years, unit_ids=unit_ids)
    expected_m = budget_months_expected(municipality=municipality, years=years, unit_ids=unit_ids)
    what = {"line": "budgetrad", "change": "budgetförändring"}
    for key in sorted(set(stored_m) | set(expected_m)):
        a, b = stored_m.get(key), expected_m.get(key)
        if a != b:
            unit_id, year, code, _m = b or a
            months_a = a[3] if a else None
            months_b = b[3] if b else None
            text = (
                _periods_text(months_a, months_b, "månad")
                if months_a != months_b
                else f"lagrad för {names.get(a[0], a[0])} {a[1]} rad {a[2]}"
            )
            out.append(
                f"Budgetmånader {year}, {names.get(unit_id, unit_id)}, rad {code} "
                f"({what[key[0]]} {key[1]}): {text}"
            )
    return out
