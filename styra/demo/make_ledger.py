"""Generate the demo ledger (SIE 4) from the target figures in data/ledger/targets.yaml.

Deterministic: the same targets give byte-identical files (apart from the #GEN date, which
is fixed too). Run `python -m styra.demo.make_ledger` after changing the targets; the SIE
files it writes are committed as the demo's raw inputs.

How the targets become vouchers (all amounts integer kronor, report sign until written):
1. Per column (a19 = 2019 jan–aug, f19 = 2019 full year, a20 = 2020 jan–aug) each unit's
   revenue and costs (net − revenue) are spread over the kontoslag rows so that every row
   sums to its target (iterative proportional fitting of the unit weights, then rounding
   with exact margins). Fixed cells are booked as they stand.
2. Each cell is spread over months by a profile: a19 over Jan–Aug 2019, f19 − a19 over
   Sep–Dec 2019 and the closing period 13 (series Z, dated 2019-12-31), a20 over Jan–Aug 2020.
3. One voucher per unit and month, one row per account, counter-account 1930.
This module has no Django import.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import defaultdict
from decimal import Decimal, localcontext
from pathlib import Path

import yaml

from styra.ledger.sie_write import SieVoucher, write_sie4

DATA = Path(__file__).resolve().parent / "data" / "ledger"
TARGETS = DATA / "targets.yaml"
COLUMNS = ("a19", "f19", "a20")
REVENUE_ROWS = ("taxor", "hyror_in", "forsaljning", "bidrag_in", "ovriga_in")
COST_ROWS = (
    "personal",
    "varor",
    "entreprenad",
    "lokalhyror",
    "bidrag_ut",
    "ovriga_kost",
    "konto49",
    "kapital",
    "finansiellt",
)
GEN_DATE = {2019: dt.date(2020, 2, 15), 2020: dt.date(2020, 9, 4)}


def load_targets(path: Path = TARGETS) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def largest_remainder(total: int, weights: list[Decimal]) -> list[int]:
    """Split an integer total by weights into integers that sum exactly to the total."""
    n = len(weights)
    wsum = sum(weights)
    if total == 0 or wsum == 0:
        if total and not wsum:
            raise ValueError("belopp utan vikter")
        return [0] * n
    sign = 1 if total > 0 else -1
    mag = abs(total)
    with localcontext() as ctx:
        ctx.prec = 50
        exact = [Decimal(mag) * w / wsum for w in weights]
    floors = [int(e) for e in exact]
    rest = mag - sum(floors)
    order = sorted(range(n), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:rest]:
        floors[i] += 1
    return [sign * f for f in floors]


def _fit(row_totals: dict[str, int], unit_totals: dict[str, int], weights) -> dict:
    """Cells unit × row (integers) with the given row and unit sums (same sign section)."""
    rows = [r for r in row_totals]
    units = [u for u in unit_totals]
    with localcontext() as ctx:
        ctx.prec = 40
        x = {
            (u, r): Decimal(str(weights.get(u, {}).get(r, 0))) if unit_totals[u] else Decimal(0)
            for u in units
            for r in rows
        }
        for _ in range(200):
            for r in rows:
                s = sum(x[u, r] for u in units)
                if s:
                    f = Decimal(abs(row_totals[r])) / s
                    for u in units:
                        x[u, r] *= f
            for u in units:
                s = sum(x[u, r] for r in rows)
                if s:
                    f = Decimal(abs(unit_totals[u])) / s
                    for r in rows:
                        x[u, r] *= f
    cells: dict[tuple[str, str], int] = {}
    last = units[-1]
    for u in units[:-1]:
        parts = largest_remainder(unit_totals[u], [x[u, r] for r in rows])
        for r, v in zip(rows, parts, strict=True):
            cells[u, r] = v
    for r in rows:
        cells[last, r] = row_totals[r] - sum(cells[u, r] for u in units[:-1])
    if sum(cells[last, r] for r in rows) != unit_totals[last]:
        raise ValueError("rad- och enhetssummor stämmer inte överens")
    return cells


def cells(targets: dict) -> dict[tuple[str, str, str], int]:
    """(unit, row, column) -> kronor, report sign, fixed cells included."""
    out: dict[tuple[str, str, str], int] = defaultdict(int)
    units = targets["units"]
    for col in COLUMNS:
        fixed = defaultdict(int)
        for f in targets.get("fixed", []):
            if f["column"] == col:
                fixed[f["unit"], f["row"]] += int(f["amount"])
        active = [u for u, t in units.items() if col in t["net"]]
        for section, rows in (("revenue", REVENUE_ROWS), ("cost", COST_ROWS)):
            row_totals = {
                r: int(targets["rows"][r][col]) - sum(v for (u, rr), v in fixed.items() if rr == r)
                for r in rows
            }
            unit_totals = {}
            for u in active:
                rev = int(units[u]["revenue"][col])
                amount = rev if section == "revenue" else int(units[u]["net"][col]) - rev
                own = sum(v for (uu, r), v in fixed.items() if uu == u and r in rows)
                unit_totals[u] = amount - own
            if sum(row_totals.values()) != sum(unit_totals.values()):
                raise ValueError(
                    f"{col} {section}: raderna summerar till {sum(row_totals.values())}, "
                    f"enheterna till {sum(unit_totals.values())}"
                )
            fitted = _fit(row_totals, unit_totals, targets["weights"])
            for (u, r), v in fitted.items():
                out[u, r, col] += v
        for (u, r), v in fixed.items():
            out[u, r, col] += v
    return {k: v for k, v in out.items() if v}


def _profile(targets: dict, unit: str, row: str) -> list[Decimal]:
    profiles = targets["profiles"]
    if unit == "FERIE":
        name = "ferie"
    else:
        name = row if row in profiles else "default"
    return [Decimal(str(w)) for w in profiles[name]]


def monthly(targets: dict) -> dict[tuple[str, str, int, int], int]:
    """(unit, row, year, period) -> kronor (report sign); period 13 = closing entries."""
    c = cells(targets)
    share = Decimal(str(targets["closing_share"]))
    out: dict[tuple[str, str, int, int], int] = defaultdict(int)
    keys = {(u, r) for (u, r, _col) in c}
    month_fixed = {
        (f["unit"], f["row"], f["column"]): (int(f["amount"]), int(f["month"]))
        for f in targets.get("fixed", [])
        if "month" in f
    }

    def spread(unit, row, year, total, months):
        w = _profile(targets, unit, row)
        weights = [w[m - 1] for m in months]
        if not any(weights):
            weights = [Decimal(1)] * len(months)
        for m, v in zip(months, largest_remainder(total, weights), strict=True):
            out[unit, row, year, m] += v

    for u, r in sorted(keys):
        a19, f19, a20 = (c.get((u, r, col), 0) for col in COLUMNS)
        for col, year, total in (("a19", 2019, a19), ("a20", 2020, a20)):
            fixed = month_fixed.get((u, r, col))
            if fixed:
                out[u, r, year, fixed[1]] += fixed[0]
                total -= fixed[0]
            spread(u, r, year, total, list(range(1, 9)))
        tail = f19 - a19
        if tail == 0:
            continue
        if a19 and (tail > 0) != (a19 > 0):
            out[u, r, 2019, 13] += tail  # a correction booked in the closing
            continue
        closing = int(Decimal(tail) * share)
        out[u, r, 2019, 13] += closing
        spread(u, r, 2019, tail - closing, [9, 10, 11, 12])
    return {k: v for k, v in out.items() if v}


MONTHS_SV = "januari februari mars april maj juni juli augusti september oktober november december"


def vouchers(targets: dict, year: int) -> list[SieVoucher]:
    accounts = targets["accounts"]
    units = targets["units"]
    counter = targets["counter_account"]
    by_unit_period: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
    for (u, r, y, p), amount in sorted(monthly(targets).items()):
        if y == year:
            by_unit_period[u, p].append((r, amount))
    out: list[SieVoucher] = []
    numbers = defaultdict(int)
    month_names = MONTHS_SV.split()
    for (u, p), items in sorted(by_unit_period.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        series = "Z" if p == 13 else "A"
        if p == 13:
            date = dt.date(year, 12, 31)
            text = f"Bokslut {year}, ansvar {units[u]['ansvar']}"
        else:
            date = dt.date(year, p, 1) + dt.timedelta(days=27)
            text = f"Månadens bokföring {month_names[p - 1]} {year}, ansvar {units[u]['ansvar']}"
        numbers[series] += 1
        v = SieVoucher(series, str(numbers[series]), date, text)
        obj = (("1", units[u]["ansvar"]),)
        total_ledger = 0
        for r, amount in items:
            ledger = -amount * 100  # report sign kronor -> ledger öre (debit +)
            specs = accounts[r]
            parts = largest_remainder(ledger, [Decimal(str(s[2])) for s in specs])
            for (number, name, _w), part in zip(specs, parts, strict=True):
                if part:
                    v.rows.append((str(number), obj, part, name))
                    total_ledger += part
        v.rows.append((counter, (), -total_ledger, "Motkonto"))
        out.append(v)
    inv = targets["investments"]
    account = inv["account"][0]
    for item in inv.get(year, []):
        numbers["I"] += 1
        month = int(item["month"])
        date = dt.date(year, month, 1) + dt.timedelta(days=19)
        ledger = -int(item["amount"]) * 100
        project = str(item["project"])
        text = item.get("text") or f"Investering {project} {inv['names'][project]}"
        v = SieVoucher("I", str(numbers["I"]), date, text)
        obj = (("1", units[item["unit"]]["ansvar"]), ("6", project))
        v.rows.append((account, obj, ledger, inv["names"][project]))
        v.rows.append((counter, (), -ledger, "Motkonto"))
        out.append(v)
    return sorted(out, key=lambda v: (v.date, v.series, int(v.number)))


def write(targets: dict | None = None, out_dir: Path = DATA) -> dict[int, int]:
    """Write avun-2019.se and avun-2020.se; return the number of #TRANS rows per year."""
    targets = targets or load_targets()
    names = {}
    for specs in targets["accounts"].values():
        for number, name, _w in specs:
            names[str(number)] = name
    names[targets["counter_account"]] = "Bank"
    names[targets["investments"]["account"][0]] = targets["investments"]["account"][1]
    objects = [("1", t["ansvar"], f"Ansvar {u}") for u, t in targets["units"].items()]
    objects += [("6", p, n) for p, n in targets["investments"]["names"].items()]
    written = {}
    for year in (2019, 2020):
        path = out_dir / f"avun-{year}.se"
        written[year] = write_sie4(
            path,
            company=targets["company"],
            org_number=targets["org_number"],
            year=year,
            accounts=names,
            dimensions={"1": "Ansvar", "6": "Projekt"},
            objects=objects,
            vouchers=vouchers(targets, year),
            program="Styra demo (make_ledger)",
        )
        # #GEN is the export date; fix it so that the files are reproducible.
        data = path.read_bytes()
        start = data.index(b"#GEN ")
        stop = data.index(b"\r\n", start)
        path.write_bytes(data[:start] + f"#GEN {GEN_DATE[year]:%Y%m%d}".encode() + data[stop:])
    return written


def main() -> int:
    counts = write()
    for year, n in counts.items():
        print(f"avun-{year}.se: {n} transaktionsrader")
    return 0


if __name__ == "__main__":
    sys.exit(main())
