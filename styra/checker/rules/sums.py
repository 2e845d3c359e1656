"""Totals and subtotals against their parts: "Summa", "Total(t)", "Netto" rows against the
rows above them (or, for a total first in the table, the section totals below it), blocks
labelled TOTALT against the same line in every other block, and "Varav" rows against their
parent. Netto is checked sign-aware: when revenue and costs are both shown positive, Netto =
Intäkter − Kostnader (or the reverse) is tried too."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

from ..diagnose import sum_cause
from ..findings import Figure, Finding, fmt, loc_cell
from ..model import Cell, Row, Table
from ..tables import _TOTAL_SECTION, norm_label
from ..tolerance import bound
from . import Context, rule

GENDER = {"män", "kvinnor", "pojkar", "flickor", "man", "kvinna"}


def _values_for(row: Row, col: int, placement: dict[int, int]) -> Cell | None:
    """The cell of `row` in column `col`; a short row uses its chosen placement."""
    if row.short:
        if not row.raw_values:
            return None
        off = placement.get(id(row))
        if off is None:
            return None
        k = col - off
        if 0 <= k < len(row.raw_values):
            return row.raw_values[k]
        return Cell(text="", value=Decimal(0))
    cell = row.cells[col] if col < len(row.cells) else None
    if cell is None or cell.value is None:
        if not any(c.value is not None for c in row.cells):
            return Cell(text="", value=Decimal(0))  # a line item with no figures at all
        return None
    return cell


def _evaluate(table: Table, total: Row, parts: list[tuple[Row, int]], ctx: Context):
    """Try every placement of short rows; return the best (matches, results) for the parts.

    results: list of (col, parts_sum, total_cell, part_cells, status)."""
    shorts = [r for r, _ in parts if r.short]
    ncol = len(table.columns)
    options = []
    for r in shorts:
        if not r.raw_values:
            return None
        options.append(range(0, ncol - len(r.raw_values) + 1))
    combos = list(itertools.islice(itertools.product(*options), 512)) if shorts else [()]
    best = None
    for combo in combos:
        placement = {id(r): off for r, off in zip(shorts, combo, strict=True)}
        results = []
        for col in range(ncol):
            tcell = total.cells[col] if col < len(total.cells) else None
            if tcell is None or tcell.value is None:
                continue
            if tcell.unit == "%" and abs(tcell.value - 100) > 1:
                continue
            cells = []
            acc = Decimal(0)
            ok = True
            for r, sign in parts:
                c = _values_for(r, col, placement)
                if c is None or c.value is None:
                    ok = False
                    break
                cells.append(c)
                acc += sign * c.value
            if not ok or not cells:
                continue
            if all(c.text == "" for c in cells):
                continue  # no shown figure at all in this column
            if tcell.unit == "%" and abs(acc) > 150:
                continue  # ratios ("Utfall i % av budget"), not shares of a whole
            if tcell.unit != "%" and _percent_header(table, col):
                continue  # "Avvikelse i %" with bare figures: ratios, never summed
            diff = acc - tcell.value
            lim = bound([*cells, tcell])
            status = "ok" if diff == 0 else ("rounding" if abs(diff) <= lim else "error")
            if status == "error" and _favourable_column(table, col, parts):
                # Deviations "positive = better than budget" with costs shown positive: the
                # Netto deviation is the plain sum of the revenue and cost deviations.
                plain = sum((c.value for c in cells), Decimal(0))
                if abs(plain - tcell.value) <= lim:
                    acc, status = plain, ("ok" if plain == tcell.value else "rounding")
            results.append((col, acc, tcell, cells, status))
        matches = sum(1 for x in results if x[4] != "error")
        key = (matches, -sum(1 for x in results if x[4] == "error"))
        if best is None or key > best[0]:
            best = (key, results)
    return best[1] if best else None


def _percent_header(table: Table, col: int) -> bool:
    return col < len(table.columns) and bool(
        re.search(r"%|procent", table.columns[col].header.lower())
    )


def _favourable_column(table: Table, col: int, parts: list[tuple[Row, int]]) -> bool:
    """A deviation column under a Netto read as revenue − costs."""
    return (
        col < len(table.columns)
        and table.columns[col].kind == "avvikelse"
        and any(sign < 0 for _r, sign in parts)
    )


def _accepted(table: Table, results) -> bool:
    n = len(results)
    good = sum(1 for x in results if x[4] != "error")
    if n == 0 or good == 0:
        return False
    named = any(c.kind for c in table.columns)
    if table.layout == "spaces" and not named:
        return good >= 2 and good * 4 >= n * 3
    return good * 2 >= n


def _candidates(table: Table, ti: int) -> list[tuple[str, list[tuple[Row, int]]]]:
    rows = table.rows
    total = rows[ti]
    cands: list[tuple[str, list[tuple[Row, int]]]] = []
    # (a) rows since the last boundary
    local: list[Row] = []
    k = ti - 1
    while k >= 0 and rows[k].kind not in ("section", "total"):
        if rows[k].kind == "data":
            local.insert(0, rows[k])
        k -= 1
    if local:
        cands.append(("local", [(r, 1) for r in local]))
    # (b) the top level: earlier subtotals plus rows no subtotal covers
    top: list[Row] = []
    group: list[Row] = []
    for r in rows[:ti]:
        if r.kind == "section":
            top.extend(group)
            group = []
        elif r.kind == "total":
            top.append(r)
            group = []
        elif r.kind == "data":
            group.append(r)
    top.extend(group)
    if len(top) >= 2 and [id(r) for r in top] != [id(r) for r in local]:
        cands.append(("top", [(r, 1) for r in top]))
    # (d) a total first in the table: the last total row of every section below it
    if not local and ti + 1 < len(rows):
        sec_totals: list[Row] = []
        last: Row | None = None
        for r in rows[ti + 1 :]:
            if r.kind == "section":
                if last is not None:
                    sec_totals.append(last)
                last = None
            elif r.kind == "total":
                last = r
        if last is not None:
            sec_totals.append(last)
        if len(sec_totals) >= 2:
            cands.append(("sections", [(r, 1) for r in sec_totals]))
    # (f) a total first in a flat table: the rows below it up to the next boundary
    if not local and ti + 1 < len(rows):
        below: list[Row] = []
        for r in rows[ti + 1 :]:
            if r.kind in ("section", "total"):
                break
            if r.kind == "data":
                below.append(r)
        if len(below) >= 2:
            cands.append(("below", [(r, 1) for r in below]))
    # (e) Netto with revenue and costs both shown positive
    if local and norm_label(total.label).startswith("netto"):
        inc = [r for r in local if "intäkt" in norm_label(r.label)]
        cost = [
            r for r in local if "kostnad" in norm_label(r.label) or "personal" in r.label.lower()
        ]
        if inc and cost and len(inc) + len(cost) == len(local):
            cands.append(("netto+", [(r, 1) for r in inc] + [(r, -1) for r in cost]))
            cands.append(("netto-", [(r, -1) for r in inc] + [(r, 1) for r in cost]))
    # (c) suffixes of the local rows (leading rows that are not parts, e.g. "Ingående budget")
    for s in range(1, len(local) - 1):
        cands.append((f"suffix{s}", [(r, 1) for r in local[s:]]))
    return cands


def _finding_for(table, total, parts, col, acc, tcell, cells, ctx, rule_name) -> Finding:
    unit = "" if table.unit in ("", "%") else table.unit
    dec = max([tcell.decimals, *[c.decimals for c in cells]])
    diff = tcell.value - acc
    what = "Netto" if rule_name == "netto" else "Summan av delarna"
    lim = bound([tcell, *cells])
    seen: set = set()
    doubled = ""
    for r, _s in parts:
        sig = _signature(r)
        if sig in seen and any(c.text for c in r.cells):
            doubled = r.label
        seen.add(sig)
    cause = sum_cause(
        tcell, [(r.label, c, s) for (r, s), c in zip(parts, cells, strict=True)], lim, doubled
    )
    msg = (
        f"{what} i kolumnen ”{table.column_name(col)}” blir {fmt(acc, dec)} men raden "
        f"”{total.label}” visar {fmt(tcell.value, dec)} "
        f"(skillnad {fmt(diff, dec)}{' ' + unit if unit else ''}); avrundningen av de "
        f"{len(cells) + 1} talen kan förklara högst {fmt(lim, dec + 1)}." + cause
    )
    figs = [
        Figure(
            label=r.label or r.marker or "(utan rubrik)",
            value=fmt(c.value * s, c.decimals),
            location=loc_cell(table, r, col, ctx.kind),
        )
        for (r, s), c in zip(parts, cells, strict=True)
    ]
    figs.append(
        Figure(
            label=total.label,
            value=fmt(tcell.value, tcell.decimals),
            location=loc_cell(table, total, col, ctx.kind),
        )
    )
    return Finding(
        rule=rule_name,
        severity="fel",
        message=msg,
        location=loc_cell(table, total, col, ctx.kind),
        expected=fmt(acc, dec),
        found=fmt(tcell.value, dec),
        figures=figs,
    )


def _is_gender_parts(parts: list[tuple[Row, int]]) -> bool:
    return any(norm_label(r.label) in GENDER or norm_label(r.marker) in GENDER for r, _ in parts)


@rule("summa", "Summor, totaler och Netto mot sina delar (kolumnvis, teckenmedvetet)")
def check_sums(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for table in ctx.doc.tables:
        if table.unit == "%":
            continue
        # One column has no neighbours to confirm a relation: only an explicit "Summa" /
        # "Totalt" over every row above it is checked there.
        single = len(table.columns) < 2
        in_total_section = _total_section_rows(table)
        for ti, total in enumerate(table.rows):
            if total.kind != "total" or total.short or id(total) in in_total_section:
                continue
            if not any(c.value is not None for c in total.cells):
                continue
            if single and not (
                re.match(r"^(summa|totalt?)\b", norm_label(total.label))
                and all(r.kind == "data" for r in table.rows[:ti])
                and ti >= 2
            ):
                continue
            best = _best_reading(table, ti, total, ctx, single)
            if best is None:
                continue
            _, parts, results = best
            rname = "netto" if norm_label(total.label).startswith("netto") else "summa"
            nowhere = len(results) >= 2 and all(x[4] == "error" for x in results)
            for col, acc, tcell, cells, status in results:
                if status == "rounding":
                    ctx.tally.count += 1
                elif status == "error":
                    f = _finding_for(table, total, parts, col, acc, tcell, cells, ctx, rname)
                    if nowhere and not f.message.endswith("för mycket."):
                        f.message += (
                            " Summan stämmer i ingen kolumn: troligen saknas en rad, eller så "
                            "ingår en rad som inte hör dit."
                        )
                    out.append(f)
    return out


EXPLICIT = re.compile(r"^(summa|totalt?|netto)\b")


def _netto_of_one_side(total: Row, parts: list[tuple[Row, int]]) -> bool:
    """A Netto under Intäkter alone or Kostnader alone: the other side is missing."""
    if not norm_label(total.label).startswith("netto") or len(parts) != 1:
        return False
    return bool(re.match(r"^(intäkter|kostnader)\b", norm_label(parts[0][0].label)))


def _signature(row: Row) -> tuple:
    return (norm_label(row.label), tuple(c.text for c in row.cells))


def _drops_a_double(local: list[tuple[Row, int]], parts: list[tuple[Row, int]]) -> bool:
    kept = {id(r) for r, _ in parts}
    kept_sigs = {_signature(r) for r, _ in parts}
    return any(id(r) not in kept and _signature(r) in kept_sigs for r, _ in local)


def _best_reading(table: Table, ti: int, total: Row, ctx: Context, single: bool):
    """The reading of which rows the total sums that the table itself supports, or None.

    Every candidate reading is tried. When one of them holds in every column, the total is
    consistent and nothing is reported, whatever the other readings say. Otherwise the
    reading most columns confirm is used; a reading that drops leading rows is only ever
    used to explain a total, never to report one. An explicit Summa / Totalt / Netto over
    every row since the last boundary is a relation the table states, so in a table with
    clear cells it is checked even when most columns break it (a row left out or doubled
    breaks them all)."""
    evaluated = []
    for name, parts in _candidates(table, ti):
        if _is_gender_parts(parts) or not parts:
            continue
        results = _evaluate(table, total, parts, ctx)
        if not results:
            continue
        good = sum(1 for x in results if x[4] != "error")
        evaluated.append((name, parts, results, good))
    local = next((p for n, p, *_ in evaluated if n == "local"), [])
    for name, parts, results, good in evaluated:
        if name.startswith("suffix") and _drops_a_double(local, parts):
            continue  # leaving out a repeated row is no reading: the row was doubled
        if good == len(results):  # a consistent reading: differences are rounding at most
            ctx.tally.count += sum(1 for x in results if x[4] == "rounding")
            return None
    accepted = [
        e for e in evaluated if not e[0].startswith("suffix") and (single or _accepted(table, e[2]))
    ]
    if not accepted and table.layout in ("cells", "vertical"):
        accepted = [
            e
            for e in evaluated
            if e[0] == "local"
            and EXPLICIT.match(norm_label(total.label))
            and (len(e[1]) >= 2 or _netto_of_one_side(total, e[1]))
        ]
    if not accepted:
        return None
    _name, parts, results, good = max(accepted, key=lambda e: e[3])
    return good, parts, results


def _total_section_rows(table: Table) -> set[int]:
    """Rows inside a section named TOTALT / Summa (checked by the block rule instead, except
    their own Netto which the local sum covers)."""
    ids: set[int] = set()
    current_total = False
    for r in table.rows:
        if r.kind == "section":
            current_total = bool(_TOTAL_SECTION.match(norm_label(r.label)))
            continue
        if current_total and not norm_label(r.label).startswith("netto"):
            ids.add(id(r))
    return ids


@rule("blocksumma", "Block märkta TOTALT mot samma rad i varje annat block")
def check_block_totals(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for table in ctx.doc.tables:
        sections: dict[str, list[Row]] = {}
        order: list[str] = []
        current = None
        for r in table.rows:
            if r.kind == "section":
                current = r.label
                sections.setdefault(current, [])
                order.append(current)
            elif current is not None:
                sections[current].append(r)
        by_col: dict[int, list] = {}
        totals = [s for s in order if _TOTAL_SECTION.match(norm_label(s))]
        others = [s for s in order if s not in totals and sections[s]]
        if len(totals) != 1 or len(others) < 2:
            continue
        for trow in sections[totals[0]]:
            lab = norm_label(trow.label)
            if not lab or trow.short:
                continue
            parts = []
            for s in others:
                match = [r for r in sections[s] if norm_label(r.label) == lab]
                if len(match) != 1:
                    parts = []
                    break
                parts.append((match[0], 1))
            if not parts:
                continue
            results = _evaluate(table, trow, parts, ctx)
            if not results or not _accepted(table, results):
                continue
            for col, acc, tcell, cells, status in results:
                if status == "rounding":
                    ctx.tally.count += 1
                elif status == "error":
                    f = _finding_for(table, trow, parts, col, acc, tcell, cells, ctx, "blocksumma")
                    by_col.setdefault(col, []).append((trow, acc, tcell, f))
        for col, items in sorted(by_col.items()):
            first = items[0][3]
            what = "; ".join(
                f"”{r.label}” {fmt(tc.value)} mot {fmt(acc)}" for r, acc, tc, _ in items
            )
            first.message = (
                f"Blocket ”{totals[0]}” stämmer inte med summan av blocken ovanför i kolumnen "
                f"”{table.column_name(col)}”: {what}."
            )
            first.figures = [fg for *_, f in items for fg in f.figures[-1:]] + first.figures[:-1]
            out.append(first)
    return out


@rule("varav", "Varav-rader får inte tillsammans överstiga sin överordnade rad")
def check_varav(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for table in ctx.doc.tables:
        rows = table.rows
        i = 0
        while i < len(rows):
            parent = rows[i]
            j = i + 1
            kids = []
            while j < len(rows) and rows[j].kind == "varav":
                kids.append(rows[j])
                j += 1
            if kids and parent.kind in ("data", "total") and not parent.short:
                for col in range(len(table.columns)):
                    pc = parent.cells[col] if col < len(parent.cells) else None
                    kcs = [k.cells[col] for k in kids if col < len(k.cells)]
                    if pc is None or pc.value is None or any(c.value is None for c in kcs):
                        continue
                    if not kcs or pc.unit == "%" or _percent_header(table, col):
                        continue
                    s = sum((c.value for c in kcs), Decimal(0))
                    dec = max(c.decimals for c in [pc, *kcs])
                    same_sign = all((c.value >= 0) == (pc.value >= 0) for c in kcs)
                    if same_sign and abs(s) - abs(pc.value) > bound([*kcs, pc]):
                        out.append(
                            Finding(
                                rule="varav",
                                severity="fel",
                                message=(
                                    f"Varav-raderna under ”{parent.label}” summerar till "
                                    f"{fmt(s, dec)} i "
                                    f"kolumnen ”{table.column_name(col)}”, mer än hela beloppet "
                                    f"{fmt(pc.value, dec)}."
                                ),
                                location=loc_cell(table, kids[0], col, ctx.kind),
                                expected=f"högst {fmt(pc.value, dec)}",
                                found=fmt(s, dec),
                                figures=[
                                    Figure(
                                        parent.label,
                                        fmt(pc.value, dec),
                                        loc_cell(table, parent, col, ctx.kind),
                                    )
                                ]
                                + [
                                    Figure(
                                        k.label,
                                        fmt(c.value, dec),
                                        loc_cell(table, k, col, ctx.kind),
                                    )
                                    for k, c in zip(kids, kcs, strict=False)
                                ],
                            )
                        )
            if kids and parent.kind in ("data", "total") and not parent.short:
                out += _complete_breakdown(table, parent, kids, ctx)
            i = j if kids else i + 1
    return out


def _complete_breakdown(table: Table, parent: Row, kids: list[Row], ctx: Context):
    """Varav rows that add up to their parent in most columns are a complete breakdown:
    the columns where they do not are reported (a part changed, or the parent)."""
    sums = []
    for col in range(len(table.columns)):
        pc = parent.cells[col] if col < len(parent.cells) else None
        kcs = [k.cells[col] for k in kids if col < len(k.cells)]
        if pc is None or pc.value is None or pc.unit == "%" or not pc.text:
            continue
        if _percent_header(table, col):
            continue
        if len(kcs) != len(kids) or any(c.value is None or not c.text for c in kcs):
            continue
        total = sum((c.value for c in kcs), Decimal(0))
        sums.append((col, pc, kcs, total, abs(total - pc.value) <= bound([*kcs, pc])))
    holds = sum(1 for *_x, ok in sums if ok)
    if holds < 2 or holds * 10 < len(sums) * 6:
        return []
    out = []
    for col, pc, kcs, total, ok in sums:
        if ok or abs(total) > abs(pc.value):  # the larger-than-parent case is reported above
            continue
        dec = max(c.decimals for c in [pc, *kcs])
        out.append(
            Finding(
                rule="varav",
                severity="fel",
                message=(
                    f"Varav-raderna under ”{parent.label}” summerar till {fmt(total, dec)} i "
                    f"kolumnen ”{table.column_name(col)}” men raden visar {fmt(pc.value, dec)}; i "
                    f"{holds} av {len(sums)} kolumner är de hela beloppet, så en del eller "
                    "raden själv är troligen fel."
                ),
                location=loc_cell(table, parent, col, ctx.kind),
                expected=fmt(total, dec),
                found=fmt(pc.value, dec),
                figures=[
                    Figure(parent.label, fmt(pc.value, dec), loc_cell(table, parent, col, ctx.kind))
                ]
                + [
                    Figure(k.label, fmt(c.value, dec), loc_cell(table, k, col, ctx.kind))
                    for k, c in zip(kids, kcs, strict=False)
                ],
            )
        )
    return out
