"""Percentages for gender groups: a Totalt that lies outside the range of its Kvinnor and Män
values cannot be the total of two rates. Skipped when Kvinnor + Män is 100 % (a composition:
the share of participants who are women) or equals Totalt (the total split in two parts)."""

from __future__ import annotations

import re

from ..findings import Figure, Finding, fmt, loc_cell
from ..model import Cell, Row, Table
from ..tables import norm_label
from ..tolerance import half_unit
from . import Context, rule

_G = {"totalt": "T", "total": "T", "män": "M", "pojkar": "M", "kvinnor": "K", "flickor": "K"}


def _triples(table: Table):
    """(rows, col, {T,M,K: Cell}) for every column holding a gender triple."""
    rows = table.rows
    for i, r in enumerate(rows):
        words = [w for w in re.findall(r"[a-zåäö]+", r.marker.lower()) if w in _G]
        if len(words) == 3 and {_G[w] for w in words} == {"T", "M", "K"}:
            for col, cell in enumerate(r.cells):
                if len(cell.values) == 3 and cell.unit == "%":
                    parts = {
                        _G[w]: Cell(text=cell.text, value=v, unit="%", decimals=cell.decimals)
                        for w, v in zip(words, cell.values, strict=True)
                    }
                    yield [r], col, parts
            continue
        tag = _tag(r)
        if tag != "T":
            continue
        group: dict = {}
        # Kvinnor and Män right under Totalt, or right above it (the total last)
        for near in (rows[i + 1 : i + 3], rows[max(0, i - 2) : i]):
            group = {"T": r}
            for nxt in near:
                t2 = _tag(nxt)
                if t2 in ("M", "K") and t2 not in group:
                    group[t2] = nxt
            if len(group) == 3:
                break
        if len(group) != 3:
            continue
        for col in range(len(table.columns)):
            cells = {k: g.cells[col] for k, g in group.items() if col < len(g.cells)}
            if len(cells) == 3 and all(
                c.value is not None and (c.unit == "%" or table.unit == "%") for c in cells.values()
            ):
                yield list(group.values()), col, cells


def _tag(r: Row) -> str | None:
    for text in (r.marker, r.label):
        t = norm_label(text)
        if t in _G:
            return _G[t]
    return None


@rule("kon_total", "Totalt utanför spannet mellan Kvinnor och Män")
def check_gender(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for table in ctx.doc.tables:
        for rows, col, p in _triples(table):
            t, m, k = p["T"], p["M"], p["K"]
            tol = half_unit(max(t.decimals, m.decimals, k.decimals)) * 2
            if (
                abs(m.value + k.value - 100) <= tol * 2
                or abs(m.value + k.value - t.value) <= tol * 2
            ):
                continue
            lo, hi = min(m.value, k.value), max(m.value, k.value)
            if lo - tol <= t.value <= hi + tol:
                continue
            dec = max(t.decimals, m.decimals, k.decimals)
            row = rows[0]
            name = row.label or table.rows[max(0, table.rows.index(row) - 1)].label
            out.append(
                Finding(
                    rule="kon_total",
                    severity="fel",
                    message=(
                        f"Totalt {fmt(t.value, dec)} % ligger utanför spannet mellan Män "
                        f"{fmt(m.value, dec)} % och Kvinnor {fmt(k.value, dec)} % i kolumnen "
                        f"”{table.column_name(col)}”; "
                        "en total av två andelar måste ligga mellan dem."
                    ),
                    location=loc_cell(table, row, col, ctx.kind),
                    expected=f"{fmt(lo, dec)}–{fmt(hi, dec)} %",
                    found=f"{fmt(t.value, dec)} %",
                    figures=[
                        Figure(g, fmt(c.value, dec) + " %", loc_cell(table, row, col, ctx.kind))
                        for g, c in (("Totalt", t), ("Män", m), ("Kvinnor", k))
                    ]
                    + ([Figure("mått", name)] if name else []),
                )
            )
    return out
