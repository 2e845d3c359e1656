"""Pure helpers for the demo fidelity tests: rebuild the reference report's ledger figures
from amounts per ledger unit × kontoslag row × column, and compare them with the printed
reference figures cell by cell.

Columns: a19 = 2019 jan–aug, f19 = 2019 helår (period 1–13), a20 = 2020 jan–aug.
Amounts are Decimal kronor in the report sign (revenue +, cost −).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

from styra.lib.numbers import parse_number, round_half_up

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
REFERENCE = HERE / "reference_avun_2020_d2.yaml"
ALLOWED = HERE / "allowed_differences.yaml"
ORG = ROOT / "styra" / "demo" / "data" / "org.yaml"
VOLUMES = ROOT / "styra" / "demo" / "data" / "finance" / "volumes.yaml"

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
)
FIN_ROWS = ("finansiellt",)
# The report's units (detail table and unit table) and the org codes they add up.
REPORT_UNITS = ("NAMND", "GEM", "DV", "JC", "UFV", "NL")
FK_PARTS = ("NAMND", "GEM")
TKR = Decimal(1000)
MNKR = Decimal(1_000_000)

Amounts = dict[tuple[str, str, str], Decimal]  # (unit code, row code, column) -> kronor


def load_yaml(path: Path):
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def org_parents(path: Path = ORG) -> dict[str, str | None]:
    """Node code -> parent code, from the org file."""
    parents: dict[str, str | None] = {}

    def walk(nodes, parent):
        for n in nodes or []:
            parents[n["code"]] = parent
            walk(n.get("children"), n["code"])

    walk(load_yaml(path)["nodes"], None)
    return parents


def report_unit(code: str, parents: dict[str, str | None]) -> str | None:
    """The report unit (NAMND, GEM, DV, JC, UFV, NL) a node's balances count towards."""
    node: str | None = code
    while node is not None:
        if node in REPORT_UNITS:
            return node
        node = parents.get(node)
    return None


def by_report_unit(amounts: Amounts, parents: dict[str, str | None]) -> Amounts:
    """Subtree aggregation: sum every ledger unit into its report unit."""
    out: Amounts = defaultdict(Decimal)
    for (unit, row, col), v in amounts.items():
        target = report_unit(unit, parents)
        if target is None:
            raise ValueError(f"enheten {unit} hör inte till någon av rapportens verksamheter")
        out[target, row, col] += v
    return out


def _sum(amounts: Amounts, units, rows, col) -> Decimal:
    return sum(
        (amounts.get((u, r, col), Decimal(0)) for u in units for r in rows),
        Decimal(0),
    )


def ledger_figures(amounts: Amounts, parents, volumes: dict, projects: dict) -> dict:
    """Every ledger-derived cell of the reference report: (table, row, column) -> value in
    the table's unit (tkr, mnkr or kronor), exact (not rounded).

    `projects`: {"a20": {project: kronor}, "f19": {...}} investment outcome, report sign.
    """
    rep = by_report_unit(amounts, parents)
    rev, cost, fin = REVENUE_ROWS, COST_ROWS, FIN_ROWS
    allcost = cost + fin
    out: dict[tuple[str, str, str], Decimal] = {}

    def tot(units, rows, col):
        return _sum(rep, units, rows, col)

    every = REPORT_UNITS
    # Sammanfattning and kostnadsslag: Bokslut 2019 and Utfall period 2020.
    for col, s_col, k_col in (
        ("f19", "Bokslut 2019", "Bokslut 2019"),
        ("a20", "Utfall period 2020", "Utfall period 2020"),
    ):
        r, c = tot(every, rev, col), tot(every, allcost, col)
        out["sammanfattning", "Intäkter (+)", s_col] = r / MNKR
        out["sammanfattning", "Kostnader (-)", s_col] = c / MNKR
        out["sammanfattning", "Netto (+/-)", s_col] = (r + c) / MNKR
        out["kostnadsslag", "Intäkter (+)", k_col] = r / TKR
        out["kostnadsslag", "Personal (-)", k_col] = tot(every, ("personal",), col) / TKR
        other = tuple(x for x in allcost if x != "personal")
        out["kostnadsslag", "Övriga kostnader (-)", k_col] = tot(every, other, col) / TKR
        out["kostnadsslag", "Netto (+/-)", k_col] = (r + c) / TKR
        inv = sum(projects.get(col, {}).values(), Decimal(0))
        out["sammanfattning", "Nettoinvesteringar (+/-)", s_col] = inv / MNKR
        out["kostnadsslag", "Investeringar", k_col] = inv / TKR
        # Unit table (net).
        names = {
            "Förvaltningskontoret": FK_PARTS,
            "Daglig verksamhet": ("DV",),
            "Jobbcenter": ("JC",),
            "Utbildning för vuxna": ("UFV",),
            "Näringslivsenheten": ("NL",),
            "Total": every,
        }
        for label, units in names.items():
            out["enheter", label, k_col] = tot(units, rev + allcost, col) / TKR
    # Detail table.
    detail_cols = {
        "a20": "UTFALL Jan 20 - Aug 20",
        "a19": "UTFALL Jan 19 - Aug 19",
        "f19": "UTFALL Jan 19 - Mån 13 19",
    }
    detail_units = {
        "NÄMND": ("NAMND",),
        "GEMENSAM VERKSAMHET": ("GEM",),
        "UTBILDNING FÖR VUXNA": ("UFV",),
        "JOBBCENTER": ("JC",),
        "DAGLIG VERKSAMHET": ("DV",),
        "TOTALT": every,
    }
    for col, label in detail_cols.items():
        for name, units in detail_units.items():
            r, c = tot(units, rev, col), tot(units, allcost, col)
            out["detalj", f"{name} / Intäkter", label] = r / TKR
            out["detalj", f"{name} / Kostnader", label] = c / TKR
            out["detalj", f"{name} / Netto", label] = (r + c) / TKR
    # Kontoslag table.
    k_cols = {
        "a20": "Innevarande år Jan 20 - Aug 20",
        "a19": "Föregående år Jan 19 - Aug 19",
        "f19": "Föregående år Jan 19 - Mån 13 19",
    }
    for col, label in k_cols.items():
        for row in rev + cost + fin:
            out["kontoslag", row, label] = tot(every, (row,), col) / TKR
        out["kontoslag", "revenue", label] = tot(every, rev, col) / TKR
        out["kontoslag", "cost", label] = tot(every, cost, col) / TKR
        out["kontoslag", "net", label] = tot(every, rev + allcost, col) / TKR
    # Investments, annual projects: Ack utfall 2020.
    for project, v in projects.get("a20", {}).items():
        out["investeringar_arliga", project, "Ack utfall"] = v / TKR
    out["investeringar_arliga", "Totalt", "Ack utfall"] = (
        sum(projects.get("a20", {}).values(), Decimal(0)) / TKR
    )
    # Key ratios (kronor): net (or gross cost) of the activity's unit ÷ its volume.
    vol_cols = {"a19": "2019-08", "a20": "2020-08", "f19": "2019-13"}
    ratio_cols = {"a19": "Aug 2019", "a20": "Aug 2020", "f19": "Utfall 2019"}
    for v in volumes["volumes"]:
        unit = v["unit"]
        for col, period in vol_cols.items():
            volume = Decimal(v["values"][period])
            net = _sum(amounts, _subtree(unit, parents), rev + allcost, col)
            gross = _sum(amounts, _subtree(unit, parents), allcost, col)
            for kind, value in (("net", net), ("gross", gross)):
                out["nyckeltal", f"{v['code']}/{kind}", ratio_cols[col]] = (
                    value / volume if volume else None
                )
    return out


def _subtree(code: str, parents: dict[str, str | None]) -> tuple[str, ...]:
    found = []
    for node in parents:
        n: str | None = node
        while n is not None:
            if n == code:
                found.append(node)
                break
            n = parents.get(n)
    return tuple(found)


@dataclass(frozen=True)
class Cell:
    table: str
    row: str
    column: str
    printed: str
    demo: str


_KEY = re.compile(r"\[([^\]]+)\]\s*$")


def reference_cells(reference: dict) -> dict[tuple[str, str, str], str]:
    """(table, row key, column) -> printed text. Row key: the code in [brackets] when the
    label has one (kontoslag, nyckeltal: "amp_platser/AMP/net" -> "amp_platser/net"), the
    project number for investment rows, otherwise the label."""
    out = {}
    for table, spec in reference["tables"].items():
        if "columns" not in spec:
            continue
        for label, values in spec["rows"].items():
            key = label
            m = _KEY.search(label)
            if m:
                key = m.group(1)
                if table == "nyckeltal":
                    code, _unit, kind = key.split("/")
                    key = f"{code}/{kind}"
            elif table.startswith("investeringar") and label[:4].isdigit():
                key = label[:4]
            cols = spec["columns"]
            if table == "volymer":
                values = values[1:]
            for col, text in zip(cols, values, strict=True):
                out[table, key, col] = str(text)
    return out


def decimals_of(text: str) -> int:
    return len(text.split(",")[1]) if "," in text else 0


def shown(value: Decimal | None, printed: str) -> str:
    """The demo's value at the printed precision, formatted like the printed text."""
    if value is None:
        return ""
    d = decimals_of(printed)
    v = round_half_up(value, d)
    text = f"{v:,.{d}f}".replace(",", " ").replace(".", ",")
    return text


def matches(value: Decimal | None, printed: str) -> bool:
    if printed.strip() == "":
        return value is None or round_half_up(value, 0) == 0
    expected = parse_number(printed)
    if value is None:
        return False
    return round_half_up(value, decimals_of(printed)) == expected


def compare(figures: dict, reference: dict) -> list[Cell]:
    """Every computed cell that differs from the printed one."""
    ref = reference_cells(reference)
    diffs = []
    for key, value in sorted(figures.items(), key=lambda kv: kv[0]):
        if key not in ref:
            continue
        printed = ref[key]
        if not matches(value, printed):
            diffs.append(Cell(*key, printed, shown(value, printed) or "–"))
    return diffs


def allowed_cells(allowed: dict) -> dict[tuple[str, str, str], dict]:
    return {(a["table"], str(a["row"]), a["column"]): a for a in allowed["allowed_differences"]}


MONTHS = "jan feb mar apr maj jun jul aug sep okt nov dec".split()


def read_csv(path: Path) -> list[dict]:
    import csv

    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def finance_figures(budget: list[dict], forecast: list[dict], parents, volumes: dict) -> dict:
    """Budget, Ack. Budget (August), Prognos and Avvikelse cells from the demo's budget and
    forecast files (pure reading of the raw files; the lead's importer must agree)."""
    cols = {"ack": Decimal(0), "budget": Decimal(0), "prognos": Decimal(0)}
    data: dict = defaultdict(lambda: dict(cols))
    for line in budget:
        amount = parse_number(line["belopp"])
        weights = [parse_number(line[m]) for m in MONTHS]
        ack = amount * sum(weights[:8]) / sum(weights)
        key = (line["enhet"], line["rad"])
        data[key]["budget"] += amount
        data[key]["ack"] += ack
    for line in forecast:
        data[line["enhet"], line["rad"]]["prognos"] += parse_number(line["prognos"])
    out: dict = {}

    def tot(units, rows, what):
        return sum(
            (
                v[what]
                for (u, r), v in data.items()
                if report_unit(u, parents) in units and r in rows
            ),
            Decimal(0),
        )

    every, rev = REPORT_UNITS, REVENUE_ROWS
    allcost = COST_ROWS + FIN_ROWS
    k_cols = {"ack": "Ack. Budget 2020", "budget": "Budget 2020", "prognos": "Prognos helår 2020"}
    units = {
        "Förvaltningskontoret": FK_PARTS,
        "Daglig verksamhet": ("DV",),
        "Jobbcenter": ("JC",),
        "Utbildning för vuxna": ("UFV",),
        "Näringslivsenheten": ("NL",),
        "Total": every,
    }
    other = tuple(x for x in allcost if x != "personal")
    for what, col in k_cols.items():
        for label, us in units.items():
            out["enheter", label, col] = tot(us, rev + allcost, what) / TKR
        out["kostnadsslag", "Intäkter (+)", col] = tot(every, rev, what) / TKR
        out["kostnadsslag", "Personal (-)", col] = tot(every, ("personal",), what) / TKR
        out["kostnadsslag", "Övriga kostnader (-)", col] = tot(every, other, what) / TKR
        out["kostnadsslag", "Netto (+/-)", col] = tot(every, rev + allcost, what) / TKR
    for label, us in units.items():
        out["enheter", label, "Avvikelse 2020"] = (
            tot(us, rev + allcost, "prognos") - tot(us, rev + allcost, "budget")
        ) / TKR
    for label, rows in (
        ("Intäkter (+)", rev),
        ("Personal (-)", ("personal",)),
        ("Övriga kostnader (-)", other),
        ("Netto (+/-)", rev + allcost),
    ):
        out["kostnadsslag", label, "Avvikelse 2020"] = (
            tot(every, rows, "prognos") - tot(every, rows, "budget")
        ) / TKR
    for s_col, what in (("Budget 2020", "budget"), ("Prognos helår 2020", "prognos")):
        out["sammanfattning", "Intäkter (+)", s_col] = tot(every, rev, what) / MNKR
        out["sammanfattning", "Kostnader (-)", s_col] = tot(every, allcost, what) / MNKR
        out["sammanfattning", "Netto (+/-)", s_col] = tot(every, rev + allcost, what) / MNKR
    coarse = (("Intäkter (+)", rev), ("Kostnader (-)", allcost), ("Netto (+/-)", rev + allcost))
    for label, rows in coarse:
        out["sammanfattning", label, "Avvikelse 2020"] = (
            tot(every, rows, "prognos") - tot(every, rows, "budget")
        ) / MNKR
    detail_units = {
        "NÄMND": ("NAMND",),
        "GEMENSAM VERKSAMHET": ("GEM",),
        "UTBILDNING FÖR VUXNA": ("UFV",),
        "JOBBCENTER": ("JC",),
        "DAGLIG VERKSAMHET": ("DV",),
        "TOTALT": every,
    }
    for name, us in detail_units.items():
        for part, rows in (("Intäkter", rev), ("Kostnader", allcost), ("Netto", rev + allcost)):
            b, p = tot(us, rows, "budget"), tot(us, rows, "prognos")
            out["detalj", f"{name} / {part}", "BUDGET Jan 20 - Dec 20"] = b / TKR
            out["detalj", f"{name} / {part}", "PROGNOS"] = p / TKR
            out["detalj", f"{name} / {part}", "AVVIKELSE BUDGET - PROGNOS"] = (p - b) / TKR
    # Feriepraktik (costs shown positive in that table).
    ferie = {k: v for k, v in data.items() if k[0] == "FERIE"}
    for label, rows in (
        ("Löner", ("personal",)),
        ("Övriga kostnader", other),
        ("Netto", rev + allcost),
    ):
        b = -sum((v["budget"] for (u, r), v in ferie.items() if r in rows), Decimal(0))
        p = -sum((v["prognos"] for (u, r), v in ferie.items() if r in rows), Decimal(0))
        out["feriepraktik", label, "Prognos"] = p / TKR
        out["feriepraktik", label, "Budget"] = b / TKR
        out["feriepraktik", label, "Avvik"] = (b - p) / TKR
    for v in volumes["volumes"]:
        sub = _subtree(v["unit"], parents)
        volume = Decimal(v["budget"][2020])
        net = sum((x["budget"] for (u, r), x in data.items() if u in sub), Decimal(0))
        gross = sum(
            (x["budget"] for (u, r), x in data.items() if u in sub and r in allcost), Decimal(0)
        )
        out["nyckeltal", f"{v['code']}/net", "Budget 2020"] = net / volume
        out["nyckeltal", f"{v['code']}/gross", "Budget 2020"] = gross / volume
    return out
