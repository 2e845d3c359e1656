"""The same quantity in two places: a line item (Intäkter, Kostnader, Netto) of the same unit
or of the whole nämnd, for the same kind of figure (utfall, budget, prognos), year and period,
shown in more than one table (mnkr summary against tkr tables, the unit table against the
detail table). Figures are compared in tkr with the rounding of both sides allowed. A pair
that differs only in sign is taken as two sign conventions, not as an error."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from ..findings import Figure, Finding, fmt, loc_cell
from ..model import Cell, Column, Table
from ..tables import _TOTAL_SECTION, norm_label
from ..tolerance import half_unit
from . import Context, rule

SCALE = {"tkr": Decimal(1), "mnkr": Decimal(1000), "kr": Decimal("0.001")}
ITEMS = ("intäkter", "kostnader", "netto")
# Row labels that name a measure of the whole (not an entity): the same label in two tables
# is the same figure.
MEASURE = re.compile(r"investering|årets resultat|resultat efter|avskrivningar|skatteintäkter")


def _item(label: str) -> str | None:
    lab = norm_label(label)
    return lab if lab in ITEMS else None


def _entity(name: str) -> str:
    n = norm_label(name)
    if _TOTAL_SECTION.match(n) or n in ("total", "totalt"):
        return "total"
    return n


def _is_pl(table: Table) -> bool:
    labels = [norm_label(r.label) for r in table.rows]
    return (
        any(lab.startswith("netto") or lab.startswith("summa") for lab in labels)
        and any("intäkt" in lab for lab in labels)
        and any("kostnad" in lab or "personal" in lab for lab in labels)
    )


def facts(table: Table):
    """(key, months, value_tkr, tolerance_tkr, row, col, cell)"""
    scale = SCALE.get(table.unit)
    if scale is None:
        return
    has_sections = any(r.kind == "section" for r in table.rows)
    pl = not has_sections and _is_pl(table)  # once per table, not per row
    for row in table.rows:
        if row.kind not in ("data", "total") or row.short:
            continue
        if table.line_item and not has_sections:
            entity = "total" if row.kind == "total" else _entity(row.label)
            item = table.line_item
        elif has_sections and row.section:
            entity = _entity(row.section)
            item = _item(row.label)
        elif pl:
            entity = "total"
            item = _item(row.label)
        elif not has_sections and not table.line_item and MEASURE.search(norm_label(row.label)):
            entity, item = "total", norm_label(row.label)  # a measure named in its own right
        else:
            continue
        if not item or not entity:
            continue
        for col in table.columns:
            if col.kind not in ("utfall", "budget", "prognos") or not col.year or not col.scope:
                continue
            cell: Cell = row.cells[col.index]
            if cell.value is None or cell.text == "":
                continue
            key = (entity, item, col.kind, col.year, col.scope)
            yield key, col, cell.value * scale, half_unit(cell.decimals) * scale, row, cell


def _compatible(c1: Column, c2: Column) -> bool:
    return c1.months is None or c2.months is None or c1.months == c2.months


@rule("samma_belopp", "Samma belopp på två ställen (mnkr mot tkr, enhetstabell mot detaljtabell)")
def check_same_quantity(ctx: Context) -> list[Finding]:
    groups: dict[tuple, list] = defaultdict(list)
    for table in ctx.doc.tables:
        for key, col, val, tol, row, cell in facts(table):
            groups[key].append((table, col, val, tol, row, cell))
    out: list[Finding] = []
    for key, occ in groups.items():
        tables = {id(o[0]) for o in occ}
        if len(tables) < 2:
            continue

        # Clusters of mutually agreeing figures.
        def agree(x, y) -> bool:
            if not _compatible(x[1], y[1]):
                return True  # different periods: not comparable, never a disagreement
            d = abs(x[2] - y[2])
            return d <= x[3] + y[3] or abs(abs(x[2]) - abs(y[2])) <= x[3] + y[3]

        base = max(occ, key=lambda o: sum(1 for p in occ if agree(o, p)))
        majority = [o for o in occ if agree(base, o)]
        outliers = [o for o in occ if not agree(base, o)]
        if not outliers:
            continue
        if len(majority) == 1 and len(outliers) == 1:
            first, second = sorted(occ, key=lambda o: o[4].line.number)
            majority, outliers = [first], [second]
        entity, item, *_ = key
        if entity == "total" and item not in ITEMS:
            what = item.capitalize()
        else:
            what = f"{item.capitalize()} för {'hela tabellen' if entity == 'total' else entity}"
        for o in outliers:
            t, col, val, _tol, row, cell = o
            ref = majority[0]
            unit = t.unit
            figs = [
                Figure(
                    f"tabell {x[0].index}, {x[1].header}",
                    fmt(x[5].value, x[5].decimals, x[0].unit),
                    loc_cell(x[0], x[4], x[1].index, ctx.kind),
                )
                for x in sorted(occ, key=lambda x: x[4].line.number)
            ]
            exp_val = ref[2] / SCALE[unit]
            out.append(
                Finding(
                    rule="samma_belopp",
                    severity="fel",
                    message=(
                        f"{what} ({col.header}) är {fmt(cell.value, cell.decimals, unit)} här men "
                        f"{fmt(ref[5].value, ref[5].decimals, ref[0].unit)} "
                        f"i tabell {ref[0].index} "
                        f"(rad {ref[4].line.number}); samma belopp borde stå på båda ställena."
                    ),
                    location=loc_cell(t, row, col.index, ctx.kind),
                    expected=fmt(exp_val, cell.decimals, unit),
                    found=fmt(cell.value, cell.decimals, unit),
                    figures=figs,
                )
            )
    return out
