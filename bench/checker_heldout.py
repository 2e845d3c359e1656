"""Documents of imagined committees, written here from scratch, with answer keys made by a
seeded generator: a development set (seed 1, used while improving the checker) and a
held-out set (seed 2, other documents from the same families, measured only to report).

    .venv/bin/python bench/checker_heldout.py [--seed N] [--antal N] [--visa] [--spara MAPP]

Each document is a page of a delårsrapport, månadsrapport or verksamhetsberättelse: a unit
table (Budget / Utfall / Prognos / Avvikelse / Bokslut föregående år in varying order, tkr,
mnkr or kr, minus written -, − or in parentheses, sums called Summa, Totalt, Nämnden totalt,
subtotals per section and Varav rows), a result table (Intäkter, Kostnader, Netto, costs
negative or positive), sometimes a table of percentages, and prose that restates figures.
Every shown figure is the rounding of an exact amount in kronor, so totals may differ from
the sum of the shown parts by rounding. Formats: tab text, space-aligned text, text with a
page break inside a table (header repeated), Word (python-docx) and PDF (WeasyPrint).

Half the documents are clean; the others get one injected error (a total with two digits
swapped, a part with two digits swapped, a deviation with the sign flipped or computed from
the wrong figure, two rows' figures swapped in one column, a Netto or Varav figure off, a
percentage off, prose that disagrees with the table). The key of an error names the lines
of the rows involved (found in the reader's own lines by the row's label) and the figures,
and is scored with the README rule of ../shared/checker-corpus (bench/checker_corpus.py).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import tempfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.checker_corpus import Score, check, score_key  # noqa: E402

COMMITTEES = [
    "Kultur- och fritidsnämnden",
    "Tekniska nämnden",
    "Miljö- och byggnadsnämnden",
    "Utbildningsnämnden",
    "Vård- och omsorgsnämnden",
    "Samhällsbyggnadsnämnden",
    "Individ- och familjenämnden",
]
UNITS = [
    ["Bibliotek", "Fritidsgårdar", "Simhallen", "Kulturskolan", "Föreningsstöd", "Museet"],
    ["Gator och vägar", "Parkförvaltning", "Fastighetsdrift", "Kostenheten", "Städenheten"],
    ["Bygglov", "Miljötillsyn", "Kart och mät", "Livsmedelskontroll", "Nämndadministration"],
    ["Förskola", "Grundskola", "Gymnasieskola", "Vuxenutbildning", "Elevhälsa", "Skolskjuts"],
    ["Hemtjänst", "Särskilt boende", "Hemsjukvård", "Dagverksamhet", "Bemanningsenheten"],
    ["Detaljplanering", "Exploatering", "Trafikenheten", "Mark och skog", "Räddningstjänst"],
    ["Försörjningsstöd", "Barn och familj", "Missbruksvården", "Familjehem", "Öppenvården"],
]
SECTIONS = ["Verksamhetsområde Norr", "Verksamhetsområde Söder"]
TOTAL_NAMES = ["Summa", "Totalt", "Nämnden totalt", "Summa nämnden", "Totalt nämnden"]
KINDS = ["delårsrapport", "månadsrapport", "verksamhetsberättelse"]
FORMATS = ["tab", "spaces", "break", "docx", "pdf", "vertical", "twoline"]
ERRORS = [
    "balans-text",
    "balans",
    "block",
    "rubrik",
    "investering",
    "kon",
    "forandring",
    "sammandrag",
    "summa",
    "del",
    "avvikelse-tecken",
    "avvikelse-fel",
    "rader-bytta",
    "netto",
    "varav",
    "text",
    "procent",
    "text-procent",
]


# ------------------------------------------------------------------------ number display


@dataclass
class Style:
    unit: str  # tkr, mnkr, kr
    minus: str  # "-", "−", "()"

    def show(self, kr: int | Decimal, places: int | None = None) -> str:
        if self.unit == "tkr":
            v, p = Decimal(kr) / 1000, 0
        elif self.unit == "mnkr":
            v, p = Decimal(kr) / 1_000_000, 1
        else:
            v, p = Decimal(kr), 0
        if places is not None:
            p = places
        return self.text(v, p)

    def text(self, v: Decimal, p: int) -> str:
        q = v.quantize(Decimal(1).scaleb(-p), rounding=ROUND_HALF_UP)
        whole, _, frac = f"{abs(q):f}".partition(".")
        groups = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        groups.insert(0, whole)
        body = " ".join(groups) + ("," + frac if p else "")
        if q == 0:
            return body
        if q < 0:
            return f"({body})" if self.minus == "()" else self.minus + body
        return body


def dec_of(text: str) -> Decimal:
    t = text.replace("\u2212", "-").replace(" ", "").replace(",", ".").replace("%", "").strip()
    if t.startswith("(") and t.endswith(")"):
        t = "-" + t[1:-1]
    return Decimal(t)


def swap_two(text: str) -> str | None:
    """Two neighbouring different digits swapped (not making a leading zero)."""
    idx = [i for i, ch in enumerate(text) if ch.isdigit()]
    for a, b in itertools.pairwise(idx):
        if b == a + 1 and text[a] != text[b] and not (a == idx[0] and text[b] == "0"):
            return text[:a] + text[b] + text[a] + text[b + 1 :]
    return None


# ------------------------------------------------------------------------ document model


@dataclass
class TRow:
    label: str
    kind: str = "data"  # data, total, varav, section
    cells: list[str] = field(default_factory=list)
    exact: list[Decimal | None] = field(default_factory=list)


@dataclass
class TTable:
    caption: str
    header: list[str]
    rows: list[TRow]
    kinds: list[str]  # per value column: budget, utfall, prognos, bokslut, avvikelse, pct
    role: str = ""


@dataclass
class Doc:
    title: str
    blocks: list = field(default_factory=list)  # ("h", text) ("p", text) ("t", TTable)


def grand_total(t: TTable) -> TRow:
    """The table's total row: the last row, or the first when the total stands first."""
    return t.rows[-1] if t.rows[-1].kind == "total" else t.rows[0]


def unit_table(rng: random.Random, units: list[str], style: Style, kind: str) -> TTable:
    """Net cost per unit: budget, outcome or forecast, deviation, maybe last year."""
    plan = rng.choice(
        [
            ["budget", "utfall", "avvikelse"],
            ["prognos", "budget", "avvikelse"],
            ["bokslut", "budget", "prognos", "avvikelse"],
            ["budget", "prognos", "avvikelse"],
            ["utfall", "budget", "avvikelse", "pct"],
            ["bokslut", "utfall", "budget", "avvikelse", "avvpct"],
            ["bokslut", "prognos", "forandring", "budget", "avvikelse"],
        ]
    )
    costs_negative = rng.random() < 0.5
    base = next(k for k in plan if k in ("utfall", "prognos"))
    # the deviation is budget − outcome when costs are positive, outcome − budget when
    # net costs are negative (both: positive = better than budget), or the other way round
    order = rng.choice(["good", "plain"])
    if order == "good":
        sign = -1 if costs_negative else 1  # dev = sign * (budget − base)
    else:
        sign = rng.choice([1, -1])
    headers = {
        "budget": rng.choice(["Budget", "Budget 2025", "Årsbudget"]),
        "utfall": rng.choice(["Utfall", "Utfall jan-aug", "Utfall 2025"]),
        "prognos": rng.choice(["Prognos", "Prognos helår", "Årsprognos"]),
        "bokslut": rng.choice(["Bokslut 2024", "Bokslut föregående år"]),
        "pct": rng.choice(["Utfall i % av budget", "Förbrukat %"]),
        "avvpct": rng.choice(["Avvikelse %", "Avvikelse i %"]),
        "forandring": rng.choice(["Förändring mot föregående år", "Förändring"]),
    }
    pct_sign = rng.choice([True, False])
    names = {"budget": "Budget", "utfall": "Utfall", "prognos": "Prognos"}
    formula = (
        f"{names['budget']} - {names[base]}" if sign == 1 else f"{names[base]} - {names['budget']}"
    )
    headers["avvikelse"] = rng.choice(["Avvikelse", "Avv.", "Budgetavvikelse", f"Avv {formula}"])
    unit_word = {"tkr": "tkr", "mnkr": "mnkr", "kr": "kr"}[style.unit]
    first = rng.choice(
        [f"Verksamhet ({unit_word})", f"Belopp i {unit_word}", unit_word.capitalize()]
    )
    header = [first] + [headers[k] for k in plan]
    scale = 1 if style.unit == "kr" else 1000
    if style.unit == "kr":
        lo, hi = 150_000, 4_000_000
    elif style.unit == "tkr":
        lo, hi = 2_000_000, 60_000_000
    else:
        lo, hi = 8_000_000, 400_000_000

    def figures() -> dict[str, Decimal]:
        b = Decimal(rng.randrange(lo, hi) // scale * scale)
        o = b * Decimal(1 + rng.uniform(-0.08, 0.08))
        o = Decimal(int(o))
        last = Decimal(int(b * Decimal(rng.uniform(0.9, 1.02))))
        s = -1 if costs_negative else 1
        return {"budget": s * b, base: s * o, "bokslut": s * last}

    def row_of(label: str, kind_: str, f: dict[str, Decimal]) -> TRow:
        cells, exact = [], []
        for k in plan:
            if k == "avvikelse":
                v = sign * (f["budget"] - f[base])
                cells.append(style.show(v))
            elif k == "pct":
                v = f[base] / f["budget"] * 100
                cells.append(style.text(v, 0) + " %")
            elif k == "avvpct":
                v = sign * (f["budget"] - f[base]) / abs(f["budget"]) * 100
                cells.append(style.text(v, 1) + (" %" if pct_sign else ""))
            elif k == "forandring":
                v = f[base] - f["bokslut"]
                cells.append(style.show(v))
            else:
                v = f[k]
                cells.append(style.show(v))
            exact.append(v)
        return TRow(label, kind_, cells, exact)

    def add(fs: list[dict]) -> dict[str, Decimal]:
        return {k: sum((f[k] for f in fs), Decimal(0)) for k in fs[0]}

    rows: list[TRow] = []
    shape = rng.choice(["flat", "flat", "varav", "sections", "total-first"])
    total_name = rng.choice(TOTAL_NAMES)
    if shape == "sections" and len(units) >= 4:
        all_f = []
        half = len(units) // 2
        for s_name, group in ((SECTIONS[0], units[:half]), (SECTIONS[1], units[half:])):
            rows.append(TRow(s_name, "section", [""] * len(plan), [None] * len(plan)))
            fs = [figures() for _ in group]
            rows += [row_of(u, "data", f) for u, f in zip(group, fs, strict=True)]
            rows.append(row_of(f"Summa {s_name.split()[-1]}", "total", add(fs)))
            all_f += fs
        rows.append(row_of(total_name, "total", add(all_f)))
    else:
        fs = [figures() for _ in units]
        for k, (u, f) in enumerate(zip(units, fs, strict=True)):
            rows.append(row_of(u, "data", f))
            if shape == "varav" and k == 1:
                share = Decimal(rng.uniform(0.3, 0.7))
                part = {key: Decimal(int(v * share)) for key, v in f.items()}
                rest = {key: v - part[key] for key, v in f.items()}
                rows.append(row_of("varav personal", "varav", part))
                rows.append(row_of("varav övrigt", "varav", rest))
        if shape == "total-first":
            rows.insert(0, row_of(total_name, "total", add(fs)))
        else:
            rows.append(row_of(total_name, "total", add(fs)))
    caption = rng.choice(
        [
            f"Driftredovisning per verksamhet, {unit_word}",
            f"Ekonomiskt utfall per verksamhet ({unit_word})",
            f"Nettokostnad per verksamhet, {unit_word}",
        ]
    )
    return TTable(caption, header, rows, plan, role="units")


def result_table(
    rng: random.Random,
    style: Style,
    net_budget: Decimal,
    net_outcome: Decimal,
    revenue: tuple[Decimal, Decimal] | None = None,
):
    """Intäkter, Kostnader (with a complete Varav breakdown), Netto; the Netto is the unit
    table's total (as a net cost, negative)."""
    plan = rng.choice([["budget", "utfall", "avvikelse"], ["utfall", "budget", "avvikelse"]])
    positive_costs = rng.random() < 0.4
    netto = {"budget": -abs(net_budget), "utfall": -abs(net_outcome)}
    b_inc = Decimal(int(abs(net_budget) * Decimal(rng.uniform(0.1, 0.4))))
    o_inc = Decimal(int(b_inc * Decimal(rng.uniform(0.9, 1.15))))
    if revenue is not None:
        b_inc = revenue[0]
        o_inc = revenue[1] if revenue[1] is not None else o_inc
    b_cost, o_cost = b_inc - netto["budget"], o_inc - netto["utfall"]
    share_b, share_o = Decimal(rng.uniform(0.55, 0.75)), Decimal(rng.uniform(0.55, 0.75))
    b_pers, o_pers = Decimal(int(b_cost * share_b)), Decimal(int(o_cost * share_o))
    cs = 1 if positive_costs else -1
    data = {
        "Intäkter": {"budget": b_inc, "utfall": o_inc},
        "Kostnader": {"budget": cs * b_cost, "utfall": cs * o_cost},
        "varav personalkostnader": {"budget": cs * b_pers, "utfall": cs * o_pers},
        "varav övriga kostnader": {
            "budget": cs * (b_cost - b_pers),
            "utfall": cs * (o_cost - o_pers),
        },
    }
    data["Nettokostnad" if rng.random() < 0.3 else "Netto"] = netto
    header = [rng.choice([f"Resultaträkning ({style.unit})", style.unit.capitalize(), ""])]
    header += [
        {
            "budget": "Budget",
            "utfall": rng.choice(["Utfall", "Utfall period"]),
            "avvikelse": "Avvikelse",
        }[k]
        for k in plan
    ]
    rows = []
    for label, f in data.items():
        cells, exact = [], []
        for k in plan:
            # revenue above budget and costs below budget are both positive deviations
            v = f["utfall"] - f["budget"] if k == "avvikelse" else f[k]
            if k == "avvikelse" and positive_costs and label.lower().startswith(("kostn", "varav")):
                v = -v
            cells.append(style.show(v))
            exact.append(v)
        kind = (
            "varav"
            if label.startswith("varav")
            else ("total" if label.startswith("Nett") else "data")
        )
        rows.append(TRow(label, kind, cells, exact))
    return TTable(f"Resultaträkning, {style.unit}", header, rows, plan)


def summary_table(rt: TTable) -> TTable:
    """The result table's Intäkter, Kostnader and Netto in mnkr with one decimal."""
    mn = Style("mnkr", "-")
    keep = [k for k in ("budget", "utfall") if k in rt.kinds]
    header = ["Sammandrag, mnkr"] + [
        {"budget": "Budget", "utfall": "Utfall"}[k] + " 2025" for k in keep
    ]
    rows = []
    for r in rt.rows:
        if r.kind == "varav":
            continue
        exact = [r.exact[rt.kinds.index(k)] for k in keep]
        rows.append(TRow(r.label, r.kind, [mn.show(v) for v in exact], exact))
    return TTable("Sammandrag", header, rows, keep)


def block_table(rng: random.Random, ut: TTable, style: Style) -> TTable:
    """One block per unit of the unit table (a section label in capitals, then Intäkter,
    Kostnader, Netto, where Netto is the unit's net figures as a negative net cost) and a
    TOTALT block that is the sum of the unit blocks; the deviation column's header states
    its formula, and the figures follow it."""
    b_col = ut.kinds.index("budget")
    base_col = next(i for i, k in enumerate(ut.kinds) if k in ("utfall", "prognos"))
    base = ut.kinds[base_col]
    plan = ["budget", base, "avvikelse"] if rng.random() < 0.5 else [base, "budget", "avvikelse"]
    names = {"budget": "Budget", "utfall": "Utfall", "prognos": "Prognos"}
    sign = rng.choice([1, -1])  # dev = sign * (base − budget)
    formula = (
        f"{names[base]}-{names['budget']}" if sign == 1 else f"{names['budget']}-{names[base]}"
    )
    header = [rng.choice([style.unit.capitalize(), f"Belopp ({style.unit})", ""])]
    header += [names[k] + " 2025" for k in plan[:2]]
    header.append(f"Avv {formula}")
    rows: list[TRow] = []
    totals: dict[str, dict] = {"Intäkter": {}, "Kostnader": {}, "Netto": {}}

    def row(label: str, f: dict) -> TRow:
        cells, exact = [], []
        for k in plan:
            v = sign * (f[base] - f["budget"]) if k == "avvikelse" else f[k]
            cells.append(style.show(v))
            exact.append(v)
        return TRow(label, "total" if label == "Netto" else "data", cells, exact)

    for r in ut.rows:
        if r.kind != "data":
            continue
        net = {"budget": -abs(r.exact[b_col]), base: -abs(r.exact[base_col])}
        inc_b = Decimal(int(abs(net["budget"]) * Decimal(rng.uniform(0.05, 0.3))))
        inc = {"budget": inc_b, base: Decimal(int(inc_b * Decimal(rng.uniform(0.9, 1.1))))}
        cost = {k: net[k] - inc[k] for k in net}
        rows.append(TRow(r.label.upper(), "section", [""] * 3, [None] * 3))
        for label, f in (("Intäkter", inc), ("Kostnader", cost), ("Netto", net)):
            rows.append(row(label, f))
            for k, v in f.items():
                totals[label][k] = totals[label].get(k, Decimal(0)) + v
    rows.append(TRow("TOTALT", "section", [""] * 3, [None] * 3))
    for label in ("Intäkter", "Kostnader", "Netto"):
        rows.append(row(label, totals[label]))
    t = TTable("Verksamheternas intäkter och kostnader", header, rows, plan)
    t.revenue = totals["Intäkter"]  # type: ignore[attr-defined]
    return t


def investment_tables(rng: random.Random, style: Style) -> tuple[TTable, TTable]:
    """Projects with Budget, Prognos and Avvikelse, a Nettoinvesteringar total; and a summary
    that repeats Nettoinvesteringar for the same year."""
    projects = ["Ombyggnad av entrén", "Nya lekplatser", "Ventilation i skolor", "Gatubelysning"]
    rng.shuffle(projects)
    scale = 1 if style.unit == "kr" else 1000
    big = {"kr": 900_000, "tkr": 9_000_000, "mnkr": 60_000_000}[style.unit]
    rows = []
    tb, tp = Decimal(0), Decimal(0)
    for pr in projects[:3]:
        b = Decimal(int(rng.uniform(0.2, 1.0) * big) // scale * scale)
        p = Decimal(int(b * Decimal(rng.uniform(0.7, 1.1))))
        rows.append(
            TRow(pr, "data", [style.show(b), style.show(p), style.show(b - p)], [b, p, b - p])
        )
        tb, tp = tb + b, tp + p
    rows.append(
        TRow(
            "Nettoinvesteringar",
            "total",
            [style.show(tb), style.show(tp), style.show(tb - tp)],
            [tb, tp, tb - tp],
        )
    )
    inv = TTable(
        f"Investeringar ({style.unit})",
        [f"Investeringar ({style.unit})", "Budget 2025", "Prognos 2025", "Avvikelse"],
        rows,
        ["budget", "prognos", "avvikelse"],
    )
    summary = TTable(
        "Nyckeltal ekonomi",
        [f"Ekonomi i sammandrag ({style.unit})", "Budget 2025", "Prognos 2025"],
        [TRow("Nettoinvesteringar", "data", [style.show(tb), style.show(tp)], [tb, tp])],
        ["budget", "prognos"],
    )
    return inv, summary


def balance_table(rng: random.Random) -> TTable:
    """A balance sheet in mnkr with a note column, this year first: two groups of assets with
    their Summa rows and SUMMA TILLGÅNGAR over both."""
    mn = Style("mnkr", "-")
    groups = [
        (
            "Anläggningstillgångar",
            [
                "Mark, byggnader och tekniska anläggningar",
                "Maskiner och inventarier",
                "Finansiella anläggningstillgångar",
            ],
            (400_000_000, 2_000_000_000),
        ),
        (
            "Omsättningstillgångar",
            ["Kortfristiga fordringar", "Kassa och bank"],
            (20_000_000, 300_000_000),
        ),
    ]
    rows: list[TRow] = []
    grand = [Decimal(0), Decimal(0)]
    note = rng.randrange(5, 9)
    for title, items, (lo, hi) in groups:
        rows.append(TRow(title, "section", ["", "", ""], [None] * 3))
        sums = [Decimal(0), Decimal(0)]
        for item in items:
            now = Decimal(rng.randrange(lo, hi))
            before = Decimal(int(now * Decimal(rng.uniform(0.85, 1.1))))
            rows.append(
                TRow(item, "data", [str(note), mn.show(now), mn.show(before)], [None, now, before])
            )
            note += 1
            sums = [sums[0] + now, sums[1] + before]
        rows.append(
            TRow(
                f"Summa {title.lower()}",
                "total",
                ["", mn.show(sums[0]), mn.show(sums[1])],
                [None, *sums],
            )
        )
        grand = [grand[0] + sums[0], grand[1] + sums[1]]
    rows.append(
        TRow(
            "SUMMA TILLGÅNGAR", "total", ["", mn.show(grand[0]), mn.show(grand[1])], [None, *grand]
        )
    )
    return TTable(
        "Balansräkning",
        ["Balansräkning (mnkr)", "Not", "2025", "2024"],
        rows,
        ["not", "ar", "ar"],
        role="balance",
    )


def gender_table(rng: random.Random) -> TTable:
    """Sick leave in percent for women, men and everyone: the total lies between them."""
    rows_w, rows_m, rows_t = [], [], []
    for _ in range(3):
        w = Decimal(rng.randrange(50, 110)) / 10
        m = Decimal(rng.randrange(25, 70)) / 10
        share = Decimal(rng.uniform(0.6, 0.85))
        rows_w.append(w)
        rows_m.append(m)
        rows_t.append(w * share + m * (1 - share))
    pct = Style("", "-")
    return TTable(
        "Sjukfrånvaro",
        ["Sjukfrånvaro (%)", "2023", "2024", "2025"],
        [
            TRow("Kvinnor", "data", [pct.text(v, 1) for v in rows_w], rows_w),
            TRow("Män", "data", [pct.text(v, 1) for v in rows_m], rows_m),
            TRow("Totalt", "total", [pct.text(v, 1) for v in rows_t], rows_t),
        ],
        ["pct"] * 3,
    )


def percent_table(rng: random.Random) -> TTable:
    measures = [
        "Andel brukare som är nöjda med stödet",
        "Andel ärenden avgjorda inom tre månader",
        "Andel medarbetare med heltidsanställning",
        "Sjukfrånvaro bland medarbetarna",
        "Andel inköp som gjorts från avtalade leverantörer",
    ]
    rng.shuffle(measures)
    years = [2023, 2024, 2025]
    rows = []
    for m in measures[:3]:
        vals = [Decimal(rng.randrange(400, 980)) / 10 for _ in years]
        rows.append(TRow(m, "data", [Style("kr", "-").text(v, 0) + " %" for v in vals], vals))
    return TTable("Nyckeltal", ["Nyckeltal", *[f"Utfall {y}" for y in years]], rows, ["pct"] * 3)


# ------------------------------------------------------------------------ prose


def amount_words(rng: random.Random, style: Style, kr: Decimal) -> tuple[str, str]:
    """A deviation as prose: ('1,4', 'mnkr') or ('850', 'tkr')."""
    if abs(kr) >= 1_000_000 or style.unit == "mnkr":
        unit = rng.choice(["mnkr", "miljoner kronor", "mkr"])
        return Style("mnkr", "-").text(abs(kr) / 1_000_000, 1), unit
    return Style("tkr", "-").text(abs(kr) / 1000, 0), "tkr"


def deviation_prose(rng: random.Random, table: TTable, style: Style, committee: str):
    """Paragraphs restating deviations: (heading or None, text, row label, exact value)."""
    if "avvikelse" not in table.kinds:
        return []
    d = table.kinds.index("avvikelse")
    out = []
    data_rows = [r for r in table.rows if r.kind == "data"]
    total = grand_total(table)
    positive_good = _positive_is_good(table)
    for r in rng.sample(data_rows, min(2, len(data_rows))):
        v = r.exact[d]
        if v is None or abs(v) < 100_000:
            continue
        good = (v > 0) == positive_good
        word = "överskott" if good else "underskott"
        num, unit = amount_words(rng, style, v)
        sign_word = "positiv" if good else "negativ"
        text = rng.choice(
            [
                f"{r.label} redovisar ett {word} på {num} {unit} jämfört med budget.",
                f"För {r.label.lower()} blir det ett {word} om {num} {unit} mot budget, "
                "främst till följd av förändrade volymer under året.",
                f"{r.label} prognostiserar ett {word} med {num} {unit} vid årets slut.",
                f"{r.label} visar ett {word} på cirka {num} {unit}.",
                f"{r.label} redovisar ett resultat som är {num} {unit} "
                f"{'bättre' if good else 'sämre'} än budget.",
                f"Inom {r.label.lower()} finns en {sign_word} budgetavvikelse om {num} {unit}, "
                "som förklaras av vakanser och lägre inköp.",
            ]
        )
        out.append((r.label, text, num, v))
    v = total.exact[d]
    if v is not None and abs(v) >= 100_000:
        good = (v > 0) == positive_good
        word = "överskott" if good else "underskott"
        num, unit = amount_words(rng, style, v)
        out.append(
            (
                None,
                f"Sammantaget redovisar nämnden ett {word} på {num} {unit} mot budget. "
                "Resultatet har förbättrats sedan föregående uppföljning.",
                num,
                v,
            )
        )
    return out


def _positive_is_good(table: TTable) -> bool:
    d = table.kinds.index("avvikelse")
    b = table.kinds.index("budget")
    other = next(i for i, k in enumerate(table.kinds) if k in ("utfall", "prognos"))
    r = grand_total(table)
    dev, bud, out = r.exact[d], r.exact[b], r.exact[other]
    costs_negative = bud < 0
    # better than budget: lower cost
    better = (out > bud) if costs_negative else (out < bud)
    return (dev > 0) == better if dev != 0 else True


# ------------------------------------------------------------------------ errors


@dataclass
class Mark:
    anchors: list[str]  # row labels (table) or a text snippet (prose) whose lines count
    numbers: list[Decimal]
    what: str
    table: TTable | None = None


def inject(rng: random.Random, doc: Doc, error: str) -> Mark | None:
    tables = [b[1] for b in doc.blocks if b[0] == "t"]
    unit_t = next(t for t in tables if t.role == "units")
    res_t = next((t for t in tables if t.caption.startswith("Resultat")), None)
    pct_t = next(
        (
            t
            for t in tables
            if t.kinds[0] == "pct" and len(t.kinds) == 3 and t.caption == "Nyckeltal"
        ),
        None,
    )
    money_cols = [
        i for i, k in enumerate(unit_t.kinds) if k in ("budget", "utfall", "prognos", "bokslut")
    ]
    datas = [r for r in unit_t.rows if r.kind == "data"]
    if error == "summa":
        tot = grand_total(unit_t)
        c = rng.choice(money_cols)
        new = swap_two(tot.cells[c])
        if not new:
            return None
        old, tot.cells[c] = tot.cells[c], new
        return Mark([tot.label], [dec_of(new), dec_of(old)], f"summan {old} skriven {new}", unit_t)
    if error == "del":
        r = rng.choice(datas)
        c = rng.choice([i for i in money_cols if unit_t.kinds[i] != "bokslut"] or money_cols)
        new = swap_two(r.cells[c])
        if not new or abs(dec_of(new) - dec_of(r.cells[c])) < 2:
            return None
        old, r.cells[c] = r.cells[c], new
        nums = [dec_of(new), dec_of(old)] + [dec_of(x) for x in r.cells if x.strip()]
        labels = [r.label] + [t.label for t in unit_t.rows if t.kind == "total"]
        nums += [dec_of(t.cells[c]) for t in unit_t.rows if t.kind == "total"]
        return Mark(labels, nums, f"{r.label}: {old} skrivet {new}", unit_t)
    if error in ("avvikelse-tecken", "avvikelse-fel"):
        if "avvikelse" not in unit_t.kinds:
            return None
        d = unit_t.kinds.index("avvikelse")
        cands = [r for r in datas if dec_of(r.cells[d]) != 0 and len(r.cells[d].strip("-−()")) >= 2]
        if not cands:
            return None
        r = rng.choice(cands)
        old = r.cells[d]
        if error == "avvikelse-tecken":
            v = -dec_of(old)
            places = 1 if "," in old else 0
            new = Style(
                "",
                "−"
                if "−" in old or "−" in "".join(x for rr in unit_t.rows for x in rr.cells)
                else "-",
            ).text(v, places)
            if "(" in "".join(x for rr in unit_t.rows for x in rr.cells) and v < 0:
                new = f"({new.lstrip('-−')})"
        else:
            new = swap_two(old)
            if not new:
                return None
        r.cells[d] = new
        return Mark(
            [r.label], [dec_of(new), dec_of(old)], f"avvikelsen {old} skriven {new}", unit_t
        )
    if error == "rader-bytta":
        c = next((i for i, k in enumerate(unit_t.kinds) if k in ("utfall", "prognos")), None)
        if c is None or "avvikelse" not in unit_t.kinds or len(datas) < 2:
            return None
        a, b = rng.sample(datas, 2)
        a.cells[c], b.cells[c] = b.cells[c], a.cells[c]
        return Mark(
            [a.label, b.label],
            [dec_of(a.cells[c]), dec_of(b.cells[c])],
            f"{unit_t.header[c + 1]} för {a.label} och {b.label} ombytta",
            unit_t,
        )
    block_t = next((t for t in tables if t.caption.startswith("Verksamheternas")), None)
    if error == "block" and block_t is not None:
        k = rng.choice(["Intäkter", "Kostnader"])
        r = [x for x in block_t.rows if x.label == k][-1]  # the TOTALT block's row
        c = rng.randrange(2)
        new = swap_two(r.cells[c])
        if not new:
            return None
        old, r.cells[c] = r.cells[c], new
        return Mark([f"__last__{k}"], [dec_of(new), dec_of(old)], f"TOTALT {k} {old} skrivet {new}")
    if error == "rubrik" and block_t is not None:
        h = block_t.header[3]
        left, right = h[4:].split("-")
        block_t.header[3] = f"Avv {right}-{left}"
        return Mark(
            [f"__contains__{right}-{left}"],
            [dec_of(r.cells[k]) for r in block_t.rows if r.kind != "section" for k in range(3)],
            f"rubriken säger {right}-{left}, talen är {left}-{right}",
            block_t,
        )
    inv_t = next((t for t in tables if t.caption.startswith("Investeringar")), None)
    if error == "investering" and inv_t is not None:
        summ = next(t for t in tables if t.caption == "Nyckeltal ekonomi")
        r = summ.rows[0]
        old = r.cells[1]
        new = swap_two(old)
        if not new:
            return None
        r.cells[1] = new
        return Mark(
            ["Nettoinvesteringar"],
            [dec_of(new), dec_of(old)],
            f"Nettoinvesteringar (prognos) {new} i sammandraget, {old} i investeringstabellen",
        )
    bal_t = next((t for t in tables if t.role == "balance"), None)
    if error == "balans" and bal_t is not None:
        r = rng.choice([x for x in bal_t.rows if x.kind in ("data", "total")])
        c = rng.choice([1, 2])
        new = swap_two(r.cells[c])
        if not new or abs(dec_of(new) - dec_of(r.cells[c])) < 1:
            return None
        old, r.cells[c] = r.cells[c], new
        labels = [r.label] + [x.label for x in bal_t.rows if x.kind == "total"]
        nums = [dec_of(new), dec_of(old)] + [
            dec_of(x.cells[c]) for x in bal_t.rows if x.kind == "total"
        ]
        return Mark(labels, nums, f"{r.label}: {old} skrivet {new}", bal_t)
    if error == "balans-text" and bal_t is not None:
        i, b = next(
            (i, b)
            for i, b in enumerate(doc.blocks)
            if b[0] == "p"
            and len(b) > 2
            and " med " in b[1]
            and b[2].endswith("procent")
            and "jämfört med föregående år" in b[1]
        )
        old = b[2].split()[0]
        new = Style("", "-").text(dec_of(old) + Decimal("2.5"), 1)
        doc.blocks[i] = ("p", b[1].replace(f"med {old} procent", f"med {new} procent"))
        return Mark(
            [b[1][:24]], [dec_of(new), dec_of(old)], f"förändringen {old} % skriven {new} %"
        )
    kon_t = next((t for t in tables if t.caption == "Sjukfrånvaro"), None)
    if error == "kon" and kon_t is not None:
        c = rng.randrange(3)
        w, m = dec_of(kon_t.rows[0].cells[c]), dec_of(kon_t.rows[1].cells[c])
        new = Style("", "-").text(max(w, m) + Decimal("1.3"), 1)
        old = kon_t.rows[2].cells[c]
        kon_t.rows[2].cells[c] = new
        return Mark(["Totalt"], [dec_of(new), dec_of(old), w, m], f"Totalt {new} utanför {m}–{w}")
    if error == "forandring":
        paras = [
            (i, b)
            for i, b in enumerate(doc.blocks)
            if b[0] == "p" and b[-1].endswith("procent") and "från" in b[1]
        ]
        if not paras:
            return None
        i, b = paras[0]
        old = b[2].split()[0]
        new = swap_two(old)
        if not new or abs(dec_of(new) - dec_of(old)) < Decimal("0.3"):
            new = Style("", "-").text(dec_of(old) + Decimal("1.5"), 1)
        doc.blocks[i] = ("p", b[1].replace(f"{old} procent", f"{new} procent"))
        return Mark(
            [b[1][:26]], [dec_of(new), dec_of(old)], f"förändringen {old} % skriven {new} %"
        )
    sum_t = next((t for t in tables if t.caption == "Sammandrag"), None)
    if error == "sammandrag" and sum_t is not None:
        r = rng.choice([x for x in sum_t.rows if x.kind != "total"])
        c = rng.randrange(len(sum_t.kinds))
        old = r.cells[c]
        v = dec_of(old) + rng.choice([Decimal("-1.5"), Decimal("1.2"), Decimal("2.0")])
        r.cells[c] = Style("mnkr", "-").text(v, 1)
        same = next(x for x in res_t.rows if x.label == r.label)
        return Mark(
            [r.label],
            [v, dec_of(old), dec_of(same.cells[res_t.kinds.index(sum_t.kinds[c])])],
            f"sammandraget visar {r.cells[c]} för {r.label}, resultaträkningen {old} mnkr",
            sum_t,
        )
    if error == "netto" and res_t is not None:
        r = res_t.rows[-1]
        c = rng.choice([i for i, k in enumerate(res_t.kinds) if k != "avvikelse"])
        new = swap_two(r.cells[c])
        if not new:
            return None
        old, r.cells[c] = r.cells[c], new
        return Mark([r.label], [dec_of(new), dec_of(old)], f"Netto {old} skrivet {new}", res_t)
    if error == "varav" and res_t is not None:
        r = next(x for x in res_t.rows if x.kind == "varav")
        c = rng.choice([i for i, k in enumerate(res_t.kinds) if k != "avvikelse"])
        new = swap_two(r.cells[c])
        if not new:
            return None
        old, r.cells[c] = r.cells[c], new
        parent = next(x for x in res_t.rows if x.label == "Kostnader")
        return Mark(
            [r.label, parent.label],
            [dec_of(new), dec_of(old), dec_of(parent.cells[c])] + [dec_of(x) for x in r.cells],
            f"varav-raden {old} skriven {new}",
            res_t,
        )
    if error == "procent" and "pct" in unit_t.kinds:
        p = unit_t.kinds.index("pct")
        r = rng.choice(datas)
        old = r.cells[p]
        v = dec_of(old) + rng.choice([-4, -3, 3, 5])
        r.cells[p] = Style("", "-").text(v, 0) + " %"
        return Mark([r.label], [v, dec_of(old)], f"procenten {old} skriven {r.cells[p]}", unit_t)
    if error == "text":
        paras = [
            (i, b)
            for i, b in enumerate(doc.blocks)
            if b[0] == "p" and len(b) > 2 and not b[2].endswith(("%", "procent"))
        ]
        if not paras:
            return None
        i, b = rng.choice(paras)
        text, num = b[1], b[2]
        new = swap_two(num)
        if not new or new == num:
            digits = num.replace(",", "")
            new = Style("", "-").text(
                dec_of(num)
                + (Decimal("0.5") if "," in num else Decimal(50 if len(digits) > 2 else 5)),
                1 if "," in num else 0,
            )
        doc.blocks[i] = ("p", text.replace(f" {num} ", f" {new} ", 1))
        return Mark([text[:26]], [dec_of(new), dec_of(num)], f"texten säger {new}, tabellen {num}")
    if error == "text-procent" and pct_t is not None:
        paras = [
            (i, b)
            for i, b in enumerate(doc.blocks)
            if b[0] == "p" and len(b) > 2 and b[2].endswith("%")
        ]
        if not paras:
            return None
        i, b = paras[0]
        old = b[2]
        v = dec_of(old) + rng.choice([-6, -4, 4, 7])
        new = Style("", "-").text(v, 0) + " %"
        doc.blocks[i] = ("p", b[1].replace(old, new, 1))
        return Mark([b[1][:26]], [v, dec_of(old)], f"texten säger {new}, tabellen {old}")
    return None


# ------------------------------------------------------------------------ documents


def build(rng: random.Random, n: int) -> tuple[Doc, Style]:
    ci = rng.randrange(len(COMMITTEES))
    committee = COMMITTEES[ci]
    style = Style(rng.choice(["tkr", "tkr", "mnkr", "kr"]), rng.choice(["-", "−", "()"]))
    units = rng.sample(UNITS[ci], rng.randint(3, min(6, len(UNITS[ci]))))
    kind = rng.choice(KINDS)
    doc = Doc(f"{committee} – {kind} 2025")
    doc.blocks.append(("h", doc.title))
    doc.blocks.append(
        (
            "p",
            f"Det här avsnittet beskriver nämndens ekonomi i {kind}en. Siffrorna avser "
            "nettokostnader där inget annat anges.",
        )
    )
    ut = unit_table(rng, units, style, kind)
    doc.blocks.append(("h", "Ekonomiskt utfall"))
    doc.blocks.append(("p", ut.caption))
    doc.blocks.append(("t", ut))
    for head, text, num, _v in deviation_prose(rng, ut, style, committee):
        if head:
            doc.blocks.append(("h", head))
        doc.blocks.append(("p", text, num))
    block = block_table(rng, ut, style) if rng.random() < 0.4 else None
    if rng.random() < 0.5:
        # a change told in one sentence, both ends given
        cur = abs(grand_total(ut).exact[ut.kinds.index("budget")])
        # figures shown precisely enough for the change to be checked at all
        mn = Style("mnkr", "-") if cur >= 100_000_000 else Style("tkr", "-")
        prev = Decimal(int(cur * Decimal(rng.uniform(0.9, 0.99))))
        a_txt, b_txt = mn.show(prev), mn.show(cur)
        d_txt = mn.show(cur - prev)
        p_txt = Style("", "-").text((cur - prev) / prev * 100, 1)
        text = rng.choice(
            [
                f"Nettokostnaden ökade från {a_txt} {mn.unit} till {b_txt} {mn.unit}, en ökning "
                f"med {d_txt} {mn.unit} eller {p_txt} procent.",
                f"Jämfört med föregående år ökade budgetramen från {a_txt} {mn.unit} till "
                f"{b_txt} {mn.unit}, vilket är {p_txt} procent mer.",
            ]
        )
        doc.blocks.append(("h", "Kostnadsutveckling"))
        doc.blocks.append(("p", text, p_txt + " procent"))
    if rng.random() < 0.6:
        b = ut.kinds.index("budget")
        o = next(i for i, k in enumerate(ut.kinds) if k in ("utfall", "prognos"))
        rev = None
        if block is not None:
            rev = (block.revenue["budget"], block.revenue.get("utfall"))
        gt = grand_total(ut)
        rt = result_table(rng, style, gt.exact[b], gt.exact[o], rev)
        if style.unit == "tkr" and rng.random() < 0.6:
            doc.blocks.append(("h", "Sammandrag"))
            doc.blocks.append(("t", summary_table(rt)))
        doc.blocks.append(("h", "Resultaträkning"))
        doc.blocks.append(("p", "Tabellen visar nämndens intäkter och kostnader för perioden."))
        doc.blocks.append(("t", rt))
    if rng.random() < 0.5:
        pt = percent_table(rng)
        doc.blocks.append(("h", "Nyckeltal"))
        doc.blocks.append(("t", pt))
        r = rng.choice(pt.rows)
        shown = r.cells[-1]
        doc.blocks.append(("p", f"{r.label} var {shown} under året, vilket följer planen.", shown))
    if block is not None:
        doc.blocks.append(("h", "Verksamheternas ekonomi"))
        doc.blocks.append(("t", block))
    if rng.random() < 0.4:
        inv, summary = investment_tables(rng, style)
        doc.blocks.insert(2, ("t", summary))
        doc.blocks.append(("h", "Investeringar"))
        doc.blocks.append(("t", inv))
    if rng.random() < 0.3:
        doc.blocks.append(("h", "Balansräkning"))
        bal = balance_table(rng)
        doc.blocks.append(("t", bal))
        item = rng.choice([r for r in bal.rows if r.kind == "data"])
        now, before = item.exact[1], item.exact[2]
        pct = Style("", "-").text(abs(now - before) / before * 100, 1)
        verb = "ökade" if now > before else "minskade"
        doc.blocks.append(
            (
                "p",
                f"{item.label} {verb} med {pct} procent jämfört med föregående år.",
                pct + " procent",
            )
        )
    if rng.random() < 0.3:
        doc.blocks.append(("h", "Sjukfrånvaro"))
        doc.blocks.append(("t", gender_table(rng)))
    doc.blocks.append(("p", "Nämnden följer utvecklingen noga under resten av året."))
    return doc, style


# ------------------------------------------------------------------------ rendering


def render_text(doc: Doc, layout: str) -> str:
    out: list[str] = []
    biggest = max((b[1] for b in doc.blocks if b[0] == "t"), key=lambda t: len(t.rows))
    for b in doc.blocks:
        if b[0] == "h":
            out += [b[1].upper() if layout == "spaces" else f"## {b[1]}", ""]
        elif b[0] == "p":
            out += [b[1], ""]
        else:
            t: TTable = b[1]
            if layout == "spaces":
                grid = [t.header] + [[r.label, *r.cells] for r in t.rows]
                w = [max(len(row[c]) for row in grid) for c in range(len(t.header))]
                for row in grid:
                    out.append(
                        "   ".join(
                            (x.ljust(w[c]) if c == 0 else x.rjust(w[c])) for c, x in enumerate(row)
                        ).rstrip()
                    )
            elif layout == "vertical":
                # a web page saved as text: one cell per line, blank lines between rows
                out += [*t.header, ""]
                for r in t.rows:
                    if r.kind == "section":
                        out += [r.label, ""]
                        continue
                    out += [r.label, *[c if c.strip() else "-" for c in r.cells], ""]
            elif layout == "twoline":
                # the column header split over two lines ("Budget" over "2025")
                top, bottom = [t.header[0]], [""]
                for h in t.header[1:]:
                    first, _, rest = h.partition(" ")
                    top.append(first)
                    bottom.append(rest)
                out.append("\t".join(top))
                if any(bottom):
                    out.append("\t".join(bottom))
                out += ["\t".join([r.label, *r.cells]) for r in t.rows]
            else:
                out.append("\t".join(t.header))
                half = len(t.rows) // 2
                for k, r in enumerate(t.rows):
                    if layout == "break" and t is biggest and k == half:
                        out += ["", "Sida 2 av 4", "\f" + doc.title, ""]
                        out.append("\t".join(t.header))
                    out.append("\t".join([r.label, *r.cells]))
            out.append("")
    return "\n".join(out) + "\n"


def render_docx(doc: Doc, path: Path) -> None:
    import docx

    d = docx.Document()
    for b in doc.blocks:
        if b[0] == "h":
            d.add_heading(b[1], level=2)
        elif b[0] == "p":
            d.add_paragraph(b[1])
        else:
            t: TTable = b[1]
            table = d.add_table(rows=1 + len(t.rows), cols=len(t.header))
            for c, h in enumerate(t.header):
                table.cell(0, c).text = h
            for k, r in enumerate(t.rows, start=1):
                for c, x in enumerate([r.label, *r.cells]):
                    table.cell(k, c).text = x
    d.save(str(path))


def render_pdf(doc: Doc, path: Path) -> None:
    from html import escape

    from weasyprint import HTML

    parts = [
        "<html><head><style>body{font-family:sans-serif;font-size:10pt}"
        "td,th{padding:2px 10px;white-space:nowrap} td+td,th+th{text-align:right}"
        "</style></head><body>"
    ]
    for b in doc.blocks:
        if b[0] == "h":
            parts.append(f"<h2>{escape(b[1])}</h2>")
        elif b[0] == "p":
            parts.append(f"<p>{escape(b[1])}</p>")
        else:
            t: TTable = b[1]
            parts.append(
                "<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in t.header) + "</tr>"
            )
            for r in t.rows:
                parts.append(
                    "<tr>" + "".join(f"<td>{escape(x)}</td>" for x in [r.label, *r.cells]) + "</tr>"
                )
            parts.append("</table>")
    parts.append("</body></html>")
    HTML(string="".join(parts)).write_pdf(str(path))


def lines_of(path: Path, anchors: list[str], alone: bool = False) -> list[int]:
    """Line numbers, in the reader's own lines, of each anchor: a table row's label (the
    line whose first cell, or whose text before its figures, is the label) or a snippet of
    prose (the line that holds it)."""
    import re

    from styra.checker.api import read_document

    doc = read_document(path)
    out = []
    for a in anchors:
        if a.startswith("__contains__"):
            key = a[len("__contains__") :].lower()
            out += [ln.number for ln in doc.lines if key in ln.text.lower()]
            continue
        if a.startswith("__last__"):
            key = a[len("__last__") :].lower()
            hits = [
                ln.number
                for ln in doc.lines
                if (ln.cells[0] if ln.cells else ln.text).strip().lower() == key
                or re.match(re.escape(key) + r"\s+[-−(\d]", ln.text.strip().lower())
            ]
            out += hits[-1:]
            continue
        key = " ".join(a.split()).lower()
        for ln in doc.lines:
            text = " ".join(ln.text.split()).lower()
            if ln.cells:
                if ln.cells[0].strip().lower() == key:
                    out.append(ln.number)
            elif re.match(re.escape(key) + r"\s+[-−(\d]", text) or (len(key) > 20 and key in text):
                out.append(ln.number)
            elif alone and text == key and not ln.heading:
                out.append(ln.number)  # one cell per line: the row's label stands alone
    return sorted(set(out))


def generate(folder: Path, seed: int, count: int):
    rng = random.Random(seed)
    made = []
    n = 0
    while len(made) < count:
        n += 1
        doc, _style = build(rng, n)
        fmt_ = FORMATS[n % len(FORMATS)]
        error = None if n % 2 else ERRORS[(n // 2) % len(ERRORS)]
        mark = inject(rng, doc, error) if error else None
        if error and mark is None:
            continue  # this document has nothing the error can be put into
        name = f"s{seed}-{n:03d}-{fmt_}-{error or 'ren'}"
        if fmt_ == "docx":
            path = folder / f"{name}.docx"
            render_docx(doc, path)
        elif fmt_ == "pdf":
            path = folder / f"{name}.pdf"
            render_pdf(doc, path)
        else:
            path = folder / f"{name}.txt"
            path.write_text(render_text(doc, fmt_), encoding="utf-8")
        items = []
        if mark:
            lines = lines_of(path, mark.anchors, alone=fmt_ == "vertical")
            items.append(
                {
                    "id": "A1",
                    "tier": "A",
                    "lines": lines,
                    "numbers": sorted({float(x) for x in mark.numbers}),
                    "what": mark.what,
                }
            )
        key = {"document": path.name, "items": items}
        (folder / f"{name}.json").write_text(json.dumps(key, ensure_ascii=False, indent=1))
        made.append((path, key))
    return made


def measure(folder: Path, seed: int, count: int, show: bool) -> Score:
    total = Score()
    for path, key in generate(folder, seed, count):
        s = score_key(key, check(path), path.name)
        if show:
            print(f"  {path.name}: {s.tp} rätt, {s.fp} falska, {s.found}/{s.items}")
        total.add(s)
    total.documents = count  # type: ignore[attr-defined]
    return total


def main() -> int:
    ap = argparse.ArgumentParser(description="Precision och täckning på nyskrivna dokument.")
    ap.add_argument(
        "--seed", type=int, action="append", help="frö (1 = utveckling, 2 = undanhållen)"
    )
    ap.add_argument("--antal", type=int, default=60)
    ap.add_argument("--visa", action="store_true")
    ap.add_argument("--spara", metavar="MAPP")
    args = ap.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.spara) if args.spara else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for seed in args.seed or [1, 2]:
            s = measure(folder, seed, args.antal, args.visa)
            label = "utveckling" if seed == 1 else ("undanhållen" if seed == 2 else f"frö {seed}")
            print(
                f"nyskrivna dokument, {label} (frö {seed}, {args.antal} dokument): "
                f"precision {s.precision:.2f} ({s.tp}/{s.tp + s.fp}), "
                f"täckning {s.recall:.2f} ({s.found}/{s.items})"
            )
            if args.visa:
                for line in s.false:
                    print(f"   FALSKT {line}")
                for line in s.missed:
                    print(f"   MISSAT {line}")
            ok = ok and s.precision >= 0.9 and s.recall >= 0.8
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
