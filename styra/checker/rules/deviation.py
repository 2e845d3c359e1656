"""Deviation columns against their operands.

For each Avvikelse column the rule finds the table's own convention: which two columns it is
the difference of, and in which order (Prognos − Budget, Budget − Prognos, Utfall − Budget,
...), by trying every pair of the columns it can refer to and keeping the one that explains
most rows. The convention must explain at least two rows and 60 % of the rows that have all
three figures; otherwise the table is unclear and nothing is said. Rows that break the
convention are reported, and so is a header whose stated formula ("BUDGET - PROGNOS") is the
opposite of what the numbers do."""

from __future__ import annotations

from ..findings import Figure, Finding, Location, fmt, loc_cell
from ..model import Table
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
    if fits < 2 or fits * 10 < n * 6:
        return None
    for f2, _n2, a2, b2 in scores[1:]:
        if f2 < fits:
            break
        if not _equivalent(table, (a, b), (a2, b2), d):
            return None  # two conventions explain the rows equally well: unclear
    return a, b, fits, n


def _equivalent(table: Table, h1, h2, d) -> bool:
    for r in _rows(table):
        c = r.cells
        vals = [c[h1[0]].value, c[h1[1]].value, c[h2[0]].value, c[h2[1]].value, c[d].value]
        if any(v is None for v in vals):
            continue
        if vals[0] - vals[1] != vals[2] - vals[3]:
            return False
    return True


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
            for r in _rows(table):
                ca, cb, cd = r.cells[a], r.cells[b], r.cells[d]
                if ca.value is None or cb.value is None or cd.value is None:
                    continue
                if "" in (ca.text, cb.text, cd.text):
                    continue
                want = ca.value - cb.value
                diff = cd.value - want
                lim = bound([ca, cb, cd])
                if diff == 0:
                    continue
                if abs(diff) <= lim:
                    ctx.tally.count += 1
                    continue
                dec = max(ca.decimals, cb.decimals, cd.decimals)
                out.append(
                    Finding(
                        rule="avvikelse",
                        severity="fel",
                        message=(
                            f"Avvikelsen för ”{r.label}” borde vara {fmt(want, dec)} "
                            f"(”{name_a}” {fmt(ca.value, dec)} − ”{name_b}” {fmt(cb.value, dec)}, "
                            "som i tabellens övriga rader) men tabellen visar "
                            f"{fmt(cd.value, dec)}."
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
            if stated and stated[0] != stated[1] and stated == (actual[1], actual[0]):
                line = table.header_line
                out.append(
                    Finding(
                        rule="avvikelse_rubrik",
                        severity="varning",
                        message=(
                            f"Rubriken ”{col.header}” anger {KIND_NAMES.get(stated[0], stated[0])}"
                            f" − {KIND_NAMES.get(stated[1], stated[1])}, men siffrorna är "
                            f"{KIND_NAMES.get(actual[0], actual[0])} − "
                            f"{KIND_NAMES.get(actual[1], actual[1])}: "
                            "tecknet är omvänt mot rubriken."
                        ),
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
