"""Relations between columns that the table itself keeps: a column that is the sum or the
difference of two others in most rows (Netto = Intäkter + Kostnader, Avvikelse = Budget −
Utfall when no header says Avvikelse), or their ratio in percent (Avvikelse % = Avvikelse /
Budget). A relation counts when it holds, within the rounding of the shown figures, in at
least three rows and 70 % of the rows that have all three figures; the rows that break it are
reported. When several relations explain a column, a row is reported only if it breaks every
one of them (any consistent reading silences it). Deviation columns named as such are left
to the `avvikelse` rule."""

from __future__ import annotations

import re
from decimal import Decimal

from ..diagnose import swaps
from ..findings import Figure, Finding, fmt, loc_cell
from ..model import Cell, Row, Table
from ..tolerance import half_unit
from . import Context, rule

MAX_COLUMNS = 12
HUNDRED = Decimal(100)


def _interval(c: Cell) -> tuple[Decimal, Decimal]:
    h = half_unit(c.decimals)
    return c.value - h, c.value + h


def _holds(op: str, k: Cell, a: Cell, b: Cell) -> bool:
    """Whether some exact values inside the shown figures' intervals satisfy k = a op b."""
    klo, khi = _interval(k)
    alo, ahi = _interval(a)
    blo, bhi = _interval(b)
    if op == "+":
        lo, hi = alo + blo, ahi + bhi
    elif op == "-":
        lo, hi = alo - bhi, ahi - blo
    else:  # "%": k = a / b × 100
        if blo <= 0 <= bhi:
            return True  # a divisor that may be zero explains anything
        corners = [x / y * HUNDRED for x in (alo, ahi) for y in (blo, bhi)]
        lo, hi = min(corners), max(corners)
    return not (hi < klo or lo > khi)


def _rows(table: Table) -> list[Row]:
    return [r for r in table.rows if r.kind in ("data", "total", "varav") and not r.short]


def _cells(row: Row, cols) -> list[Cell] | None:
    out = []
    for c in cols:
        cell = row.cells[c] if c < len(row.cells) else None
        if cell is None or cell.value is None or not cell.text or cell.values:
            return None
        out.append(cell)
    return out


def _relations(table: Table):
    """Every supported relation: (k, a, op, b, rows that break it)."""
    rows = _rows(table)
    n = len(table.columns)
    out = []
    deviations = {c.index for c in table.columns if c.kind == "avvikelse"}
    for k in range(n):
        header = table.columns[k].header.lower()
        percent_k = any(r.cells[k].unit == "%" for r in rows if k < len(r.cells)) or bool(
            re.search(r"%|procent|\bandel", header)
        )
        for a in range(n):
            for b in range(n):
                if len({k, a, b}) < 3 or {k, a, b} & deviations:
                    continue  # the avvikelse rule knows a deviation column's operands
                for op in ("%",) if percent_k else ("+", "-"):
                    if op == "+" and b < a:
                        continue  # a + b = b + a
                    fits, broken, nonzero = 0, [], 0
                    for r in rows:
                        cs = _cells(r, (k, a, b))
                        if cs is None or any(c.unit == "%" for c in cs[1:]):
                            continue
                        if cs[1].value and cs[2].value:
                            nonzero += 1
                        if _holds(op, *cs):
                            fits += 1
                        else:
                            broken.append((r, cs))
                    total = fits + len(broken)
                    if nonzero >= 3 and fits >= 3 and fits * 10 >= total * 7 and broken:
                        out.append((k, a, op, b, broken))
    return out


def _explained(table: Table, k: int, row: Row, relations) -> bool:
    """Whether the row keeps any other relation that explains column k."""
    for k2, a, _op, b, broken in relations:
        if k2 == k and all(r is not row for r, _ in broken):
            cs = _cells(row, (k, a, b))
            if cs is not None:
                return True
    return False


OPS = {"+": "+", "-": "−", "%": "/"}
RESULT = re.compile(r"netto|summa|total|resultat|avvik|diff|saldo|kvar", re.IGNORECASE)


def _result_rank(table: Table, k: int) -> int:
    return (1000 if RESULT.search(table.columns[k].header) else 0) + k


@rule("kolumnsamband", "Kolumner som är summa, skillnad eller kvot av två andra i de flesta rader")
def check_column_relations(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for table in ctx.doc.tables:
        if not 3 <= len(table.columns) <= MAX_COLUMNS or table.layout == "inline":
            continue
        if table.layout == "spaces" and not all(c.header for c in table.columns):
            continue  # space-separated cells may shift unless a header names every column
        relations = sorted(_relations(table), key=lambda rel: -_result_rank(table, rel[0]))
        seen: set[tuple] = set()
        for k, a, op, b, broken in relations:
            # k = a + b, a = k − b and b = k − a are one equation: said once per row, of
            # the column that reads as a result (Netto, Summa …, else the rightmost).
            triple = (op == "%", k) if op == "%" else (False, frozenset((k, a, b)))
            for row, (ck, ca, cb) in broken:
                if (id(row), triple) in seen or _explained(table, k, row, relations):
                    continue
                seen.add((id(row), triple))
                if op == "%":
                    want = ca.value / cb.value * HUNDRED
                    dec = ck.decimals
                else:
                    want = ca.value + cb.value if op == "+" else ca.value - cb.value
                    dec = max(ck.decimals, ca.decimals, cb.decimals)
                name_k, name_a, name_b = (table.column_name(c) for c in (k, a, b))
                cause = ""
                if op != "%" and ck.value == -want:
                    cause = " Samma belopp med omvänt tecken: troligen fel tecken."
                elif any(v == want for v in swaps(ck.text)):
                    cause = " Samma siffror i annan ordning: troligen två siffror som bytt plats."
                out.append(
                    Finding(
                        rule="kolumnsamband",
                        severity="fel",
                        message=(
                            f"I de andra raderna är ”{name_k}” = ”{name_a}” {OPS[op]} "
                            f"”{name_b}”{' × 100' if op == '%' else ''}, men för ”{row.label}” "
                            f"ger det {fmt(want, dec)} och tabellen visar "
                            f"{fmt(ck.value, ck.decimals)}; ingen avrundning av de visade "
                            "talen förklarar skillnaden." + cause
                        ),
                        location=loc_cell(table, row, k, ctx.kind),
                        expected=fmt(want, dec),
                        found=fmt(ck.value, ck.decimals),
                        figures=[
                            Figure(name_a, fmt(ca.value, ca.decimals), loc_cell(table, row, a)),
                            Figure(name_b, fmt(cb.value, cb.decimals), loc_cell(table, row, b)),
                        ],
                    )
                )
    return out
