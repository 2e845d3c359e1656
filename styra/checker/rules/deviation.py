"""Deviation columns against their operands.

For each Avvikelse column the rule finds the table's own convention: which two columns it is
the difference of, and in which order (Prognos − Budget, Budget − Prognos, Utfall − Budget,
...), by trying every pair of the columns it can refer to and keeping the one that explains
most rows. The convention must explain at least two rows and 60 % of the rows that have all
three figures; otherwise the table is unclear and nothing is said. Rows that break the
convention are reported, and so is a header whose stated formula ("BUDGET - PROGNOS") is the
opposite of what the numbers do."""

from __future__ import annotations

import re

from ..diagnose import swaps
from ..findings import Figure, Finding, Location, fmt, loc_cell
from ..model import Table
from ..tables import norm_label
from ..tolerance import bound
from . import Context, rule

KIND_NAMES = {"utfall": "Utfall", "budget": "Budget", "prognos": "Prognos"}


def _operand_columns(table: Table, d: int) -> list[int]:
    prev = -1
    for c in range(d - 1, -1, -1):
        if table.columns[c].kind == "avvikelse":
            prev = c
            break
    between = [
        c for c in range(prev + 1, d) if table.columns[c].kind in ("utfall", "budget", "prognos")
    ]
    if len(between) >= 2:
        return between
    return [c for c in range(len(table.columns)) if table.columns[c].kind in KIND_NAMES]


def _rows(table: Table):
    return [r for r in table.rows if r.kind in ("data", "total", "varav") and not r.short]


def detect(table: Table, d: int):
    """(a, b, fits, evaluable) for the convention D = col a − col b, or None."""
    cols = _operand_columns(table, d)
    scores = []
    for a in cols:
        for b in cols:
            if a == b:
                continue
            fits = 0
            n = 0
            for r in _rows(table):
                da, db, dd = r.cells[a], r.cells[b], r.cells[d]
                if da.value is None or db.value is None or dd.value is None:
                    continue
                if da.text == "" or db.text == "" or dd.text == "":
                    continue
                n += 1
                if abs(da.value - db.value - dd.value) <= bound([da, db, dd]):
                    fits += 1
            scores.append((fits, n, a, b))
    if not scores:
        return None
    scores.sort(key=lambda s: -s[0])
    fits, n, a, b = scores[0]
    if fits < 2 or (fits * 10 < n * 6 and not (fits * 2 >= n and _total_fits(table, a, b, d))):
        # half the rows are enough when the table's own total keeps the convention (two
        # rows with their figures swapped in one column break two rows of four)
        return None
    for f2, _n2, a2, b2 in scores[1:]:
        if f2 < fits:
            break
        if not _equivalent(table, (a, b), (a2, b2), d):
            return None  # two conventions explain the rows equally well: unclear
    return a, b, fits, n


def _total_fits(table: Table, a: int, b: int, d: int) -> bool:
    """Whether the last total row of the table has D = a − b and is not all zeros."""
    totals = [r for r in _rows(table) if r.kind == "total"]
    if not totals:
        return False
    ca, cb, cd = totals[-1].cells[a], totals[-1].cells[b], totals[-1].cells[d]
    if None in (ca.value, cb.value, cd.value) or "" in (ca.text, cb.text, cd.text):
        return False
    if ca.value == cb.value:
        return False
    return abs(ca.value - cb.value - cd.value) <= bound([ca, cb, cd])


def _equivalent(table: Table, h1, h2, d) -> bool:
    for r in _rows(table):
        c = r.cells
        vals = [c[h1[0]].value, c[h1[1]].value, c[h2[0]].value, c[h2[1]].value, c[d].value]
        if any(v is None for v in vals):
            continue
        if vals[0] - vals[1] != vals[2] - vals[3]:
            return False
    return True


# "Positive = better than budget": revenue and result rows are Utfall − Budget, cost rows
# (shown positive) Budget − Utfall, in one column. A row class that consistently uses the
# reversed direction while the other class uses the main one is a convention, not an error.
_REVENUE = re.compile(r"^(netto|resultat|intäkt|bidrag|avgift|ersättning|försäljning)|intäkter")
_COST = re.compile(r"kostnad|personal|lokal|löner|material|tjänster|avskrivning|övrig")


def _row_class(label: str) -> str:
    lab = re.sub(r"^(varav|därav)\s+", "", norm_label(label))
    if _REVENUE.search(lab):
        return "revenue"
    if _COST.search(lab):
        return "cost"
    return ""


def row_directions(table: Table, a: int, b: int, d: int) -> dict[int, int]:
    """Per row id, +1 where the row's deviation is col a − col b and −1 where it is the
    reverse, when the table signs its deviations by favourability: the revenue/result rows
    and the cost rows each keep one direction (most rows of the class), and the two
    directions differ. Empty when there is no such split (one direction for every row)."""
    votes: dict[str, list[int]] = {"revenue": [0, 0], "cost": [0, 0]}
    for r in _rows(table):
        cls = _row_class(r.label)
        ca, cb, cd = r.cells[a], r.cells[b], r.cells[d]
        if not cls or None in (ca.value, cb.value, cd.value) or "" in (ca.text, cb.text, cd.text):
            continue
        if ca.value == cb.value:
            continue  # fits both directions
        lim = bound([ca, cb, cd])
        if abs(ca.value - cb.value - cd.value) <= lim:
            votes[cls][0] += 1
        elif abs(cb.value - ca.value - cd.value) <= lim:
            votes[cls][1] += 1
    direction = {}
    for cls, (main, rev) in votes.items():
        if main == rev:
            return {}
        direction[cls] = 1 if main > rev else -1
    if direction["revenue"] == direction["cost"]:
        return {}
    return {id(r): direction.get(_row_class(r.label), 1) for r in _rows(table)}


def _example(table: Table, a: int, b: int, d: int, ctx: Context):
    """A row that shows the direction the figures use: (" (t.ex. …)", figures)."""
    for r in _rows(table):
        ca, cb, cd = r.cells[a], r.cells[b], r.cells[d]
        if None in (ca.value, cb.value, cd.value) or "" in (ca.text, cb.text, cd.text):
            continue
        if cd.value == 0 or abs(ca.value - cb.value - cd.value) > bound([ca, cb, cd]):
            continue
        dec = max(ca.decimals, cb.decimals, cd.decimals)
        text = (
            f" (t.ex. ”{r.label}”: {fmt(ca.value, dec)} − {fmt(cb.value, dec)} = "
            f"{fmt(cd.value, dec)})"
        )
        figures = [
            Figure(table.column_name(k), fmt(c.value, dec), loc_cell(table, r, k, ctx.kind))
            for k, c in ((a, ca), (b, cb), (d, cd))
        ]
        return text, figures
    return "", []


def _deviation_cause(want, shown) -> str:
    if shown.value == -want:
        return " Samma belopp med omvänt tecken: troligen räknad åt andra hållet."
    if any(v == want for v in swaps(shown.text)):
        return " Samma siffror i annan ordning: troligen ett skrivfel där två siffror bytt plats."
    return ""


@rule("avvikelse", "Avvikelsekolumner mot sina operander enligt tabellens egen konvention")
def check_deviations(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for table in ctx.doc.tables:
        if table.unit == "%":
            continue
        for d, col in enumerate(table.columns):
            if col.kind != "avvikelse":
                continue
            found = detect(table, d)
            if found is None:
                continue
            a, b, _fits, _n = found
            name_a, name_b = table.column_name(a), table.column_name(b)
            directions = row_directions(table, a, b, d)
            for r in _rows(table):
                sign = directions.get(id(r), 1)
                ca, cb, cd = r.cells[a], r.cells[b], r.cells[d]
                if ca.value is None or cb.value is None or cd.value is None:
                    continue
                if "" in (ca.text, cb.text, cd.text):
                    continue
                want = sign * (ca.value - cb.value)
                diff = cd.value - want
                lim = bound([ca, cb, cd])
                if diff == 0:
                    continue
                if abs(diff) <= lim:
                    ctx.tally.count += 1
                    continue
                dec = max(ca.decimals, cb.decimals, cd.decimals)
                first, second = (
                    ((name_a, ca), (name_b, cb)) if sign > 0 else ((name_b, cb), (name_a, ca))
                )
                like = (
                    "som i tabellens övriga rader"
                    if not directions
                    else "som i de andra raderna av samma slag (intäkter eller kostnader)"
                )
                out.append(
                    Finding(
                        rule="avvikelse",
                        severity="fel",
                        message=(
                            f"Avvikelsen för ”{r.label}” borde vara {fmt(want, dec)} "
                            f"(”{first[0]}” {fmt(first[1].value, dec)} − ”{second[0]}” "
                            f"{fmt(second[1].value, dec)}, {like}) men tabellen visar "
                            f"{fmt(cd.value, dec)}; avrundningen kan förklara högst "
                            f"{fmt(lim, dec + 1)}." + _deviation_cause(want, cd)
                        ),
                        location=loc_cell(table, r, d, ctx.kind),
                        expected=fmt(want, dec),
                        found=fmt(cd.value, dec),
                        figures=[
                            Figure(name_a, fmt(ca.value, dec), loc_cell(table, r, a, ctx.kind)),
                            Figure(name_b, fmt(cb.value, dec), loc_cell(table, r, b, ctx.kind)),
                            Figure(
                                table.column_name(d),
                                fmt(cd.value, dec),
                                loc_cell(table, r, d, ctx.kind),
                            ),
                        ],
                    )
                )
            stated = col.formula
            actual = (table.columns[a].kind, table.columns[b].kind)
            if (
                stated
                and stated[0] != stated[1]
                and stated == (actual[1], actual[0])
                and not directions
            ):
                line = table.header_line or (table.rows[0].line if table.rows else None)
                example, figures = _example(table, a, b, d, ctx)
                out.append(
                    Finding(
                        rule="avvikelse_rubrik",
                        severity="varning",
                        message=(
                            f"Rubriken ”{col.header}” anger {KIND_NAMES.get(stated[0], stated[0])}"
                            f" − {KIND_NAMES.get(stated[1], stated[1])}, men siffrorna är "
                            f"{KIND_NAMES.get(actual[0], actual[0])} − "
                            f"{KIND_NAMES.get(actual[1], actual[1])}{example}: "
                            "tecknet är omvänt mot rubriken."
                        ),
                        figures=figures,
                        location=Location(
                            page=line.page if (line and ctx.kind != "text") else None,
                            line=line.number if line else None,
                            table=table.index,
                            column=col.header,
                        ),
                        expected=f"{KIND_NAMES.get(actual[0])} − {KIND_NAMES.get(actual[1])}",
                        found=f"{KIND_NAMES.get(stated[0])} − {KIND_NAMES.get(stated[1])}",
                    )
                )
    return out
