"""Synthetic committee reports for tests and benchmarks: consistent figures by construction,
with named errors that can be injected one at a time. Rendered as tab-separated text, as HTML
(to print to PDF with WeasyPrint) and as DOCX (python-docx)."""

from __future__ import annotations

import html as _html
import random
from dataclasses import dataclass, field

from styra.lib.numbers import format_number

ERRORS = (
    "enhetssumma",  # a unit table column total differs from its parts
    "avvikelse",  # one row's deviation is wrong
    "netto",  # Netto != Intäkter + Kostnader in one column
    "rubrik",  # the deviation header states the opposite formula
    "mnkr",  # the mnkr summary disagrees with the tkr table
    "text",  # the prose surplus disagrees with the table
    "malantal",  # the goal summary counts disagree with the goals
    "kon",  # a Totalt outside its Män/Kvinnor range
    "procent",  # "x % (a av b)" wrong
)

UNIT_NAMES = [
    "Förvaltningskontoret",
    "Stöd och omsorg",
    "Arbetsmarknad",
    "Vuxenutbildning",
    "Kultur och fritid",
    "Ekonomiskt bistånd",
    "Integration",
    "Daglig verksamhet",
]


def n(v: int | float, d: int = 0) -> str:
    from decimal import Decimal

    return format_number(Decimal(str(v)), d).replace("\u00a0", " ")


@dataclass
class Unit:
    name: str
    income: tuple[int, int, int, int]  # bokslut, utfall, budget, prognos (tkr)
    costs: tuple[int, int, int, int]


@dataclass
class Report:
    year: int
    units: list[Unit]
    goals: list[str]  # assessment class per goal
    errors: set[str] = field(default_factory=set)
    blocks: int = 1  # repeat the unit tables (for long documents)


def make_report(
    seed: int = 1, errors: set[str] | None = None, units: int = 5, blocks: int = 1
) -> Report:
    rnd = random.Random(seed)
    us = []
    for k in range(units):
        inc = [rnd.randint(1_000, 60_000) for _ in range(4)]
        cost = [-rnd.randint(20_000, 120_000) for _ in range(4)]
        us.append(
            Unit(
                UNIT_NAMES[k % len(UNIT_NAMES)] + ("" if k < len(UNIT_NAMES) else f" {k}"),
                tuple(inc),
                tuple(cost),
            )
        )
    goals = ["god"] * 5 + ["godtagbar"] * 2 + ["ej godtagbar"] + ["kan inte bedömas"]
    return Report(year=2024, units=us, goals=goals, errors=set(errors or ()), blocks=blocks)


def _unit_rows(r: Report):
    """(name, bokslut, utfall, budget, prognos, avvikelse) net per unit, plus the total."""
    rows = []
    for u in r.units:
        net = [u.income[i] + u.costs[i] for i in range(4)]
        rows.append([u.name, *net, net[3] - net[2]])
    total = ["Total", *[sum(row[i] for row in rows) for i in range(1, 6)]]
    if "enhetssumma" in r.errors:
        total[2] += 81
    if "avvikelse" in r.errors:
        rows[0][5] -= 490
        total[5] -= 0  # the total keeps its correct deviation
        rows[1][5] += 490  # the column still sums: only the row convention breaks
    return rows, total


def _totals(r: Report):
    inc = [sum(u.income[i] for u in r.units) for i in range(4)]
    cost = [sum(u.costs[i] for u in r.units) for i in range(4)]
    net = [inc[i] + cost[i] for i in range(4)]
    return inc, cost, net


GOAL_TEXT = {
    "god": "Bedömningen är god måluppfyllnad vid årets slut.",
    "godtagbar": "Bedömningen är att målet kommer vara godtagbart vid årets slut.",
    "ej godtagbar": "Bedömningen är att målet inte kommer att uppnås, ej godtagbar måluppfyllnad.",
    "kan inte bedömas": "Målet kan inte bedömas eftersom måttet mäts först i oktober.",
}
WORDS = {1: "ett", 2: "två", 3: "tre", 4: "fyra", 5: "fem", 6: "sex", 7: "sju", 8: "åtta"}


def report_blocks(r: Report) -> list[tuple[str, object]]:
    """The report as a list of (kind, content): ("h", text), ("p", text), ("t", rows)."""
    y = r.year
    inc, cost, net = _totals(r)
    dev_total = net[3] - net[2]
    out: list[tuple[str, object]] = [("h", f"Delårsrapport {y}")]
    counts = {c: r.goals.count(c) for c in GOAL_TEXT}
    stated = dict(counts)
    if "malantal" in r.errors:
        stated["god"] += 1
        stated["godtagbar"] -= 1
    surplus = dev_total / 1000
    if "text" in r.errors:
        surplus += 1.3
    out.append(
        (
            "p",
            f"Nämnden prognostiserar ett {'överskott' if dev_total >= 0 else 'underskott'}"
            f" på {n(abs(surplus), 1)} mkr för {y}.",
        )
    )
    out.append(
        (
            "p",
            "Vid delåret prognostiserar vi god måluppfyllnad för "
            f"{WORDS.get(stated['god'], stated['god'])} nämndmål, godtagbar "
            f"måluppfyllnad för {WORDS.get(stated['godtagbar'], stated['godtagbar'])} "
            f"nämndmål och ej godtagbar för {WORDS[stated['ej godtagbar']]} nämndmål. "
            f"{WORDS[stated['kan inte bedömas']].capitalize()} nämndmål kan inte "
            "följas upp vid delåret.",
        )
    )
    out.append(
        (
            "p",
            f"Av deltagarna gick 42 % ({5 if 'procent' not in r.errors else 6} av 12) "
            "vidare till arbete.",
        )
    )

    # mnkr summary
    def mn(v: int) -> str:
        return n(v / 1000, 1)

    s_inc = list(inc)
    if "mnkr" in r.errors:
        s_inc[1] += 900
    out.append(
        (
            "t",
            [
                [
                    "Verksamhet (i miljoner kronor)",
                    f"Bokslut {y - 1}",
                    f"Utfall period {y}",
                    f"Budget {y}",
                    f"Prognos helår {y}",
                    f"Avvikelse {y}",
                ],
                ["Intäkter (+)", *[mn(v) for v in s_inc], mn(inc[3] - inc[2])],
                ["Kostnader (-)", *[mn(v) for v in cost], mn(cost[3] - cost[2])],
                [
                    "Netto (+/-)",
                    *[mn(s_inc[i] + cost[i]) if False else mn(net[i]) for i in range(4)],
                    mn(dev_total),
                ],
            ],
        )
    )
    # cost-type table
    personal = [int(c * 0.6) for c in cost]
    other = [cost[i] - personal[i] for i in range(4)]
    netrow = list(net)
    if "netto" in r.errors:
        netrow[1] += 250
    out.append(("h", "Driftuppföljning"))
    out.append(
        (
            "t",
            [
                [
                    "Belopp i tkr",
                    f"Bokslut {y - 1}",
                    f"Utfall period {y}",
                    f"Budget {y}",
                    f"Prognos helår {y}",
                    f"Avvikelse {y}",
                ],
                ["Intäkter (+)", *[n(v) for v in inc], n(inc[3] - inc[2])],
                ["Personal (-)", *[n(v) for v in personal], n(personal[3] - personal[2])],
                ["Övriga kostnader (-)", *[n(v) for v in other], n(other[3] - other[2])],
                ["Netto (+/-)", *[n(v) for v in netrow], n(dev_total)],
            ],
        )
    )
    rows, total = _unit_rows(r)
    dev_head = f"Avvikelse {y}" if "rubrik" not in r.errors else "Avvikelse Budget - Prognos"
    for b in range(r.blocks):
        out.append(("h", "Resultat per verksamhet" + (f" (del {b + 1})" if r.blocks > 1 else "")))
        out.append(
            (
                "t",
                [
                    [
                        "Netto (tkr)",
                        f"Bokslut {y - 1}",
                        f"Utfall period {y}",
                        f"Budget {y}",
                        f"Prognos helår {y}",
                        dev_head,
                    ],
                    *[[row[0], *[n(v) for v in row[1:]]] for row in rows],
                    [total[0], *[n(v) for v in total[1:]]],
                ],
            )
        )
        for u, row in zip(r.units, rows, strict=True):
            out.append(("h", u.name))
            out.append(
                (
                    "p",
                    f"Verksamheten har följt planen under perioden. Resultatavvikelse: "
                    f"{'+' if row[5] >= 0 else '-'}{n(abs(row[5]) / 1000, 1)} mkr",
                )
            )
    # goals
    out.append(("h", "Måluppfyllelse"))
    for k, cls in enumerate(r.goals, start=1):
        out.append(("p", f"Nämndens mål: Nämnden bidrar till mål nummer {k}"))
        out.append(("p", GOAL_TEXT[cls]))
        tot, men, women = 60, 55, 65
        if "kon" in r.errors and k == 1:
            tot = 70
        out.append(
            (
                "t",
                [
                    [
                        "Målsatt mått",
                        "*)",
                        f"Utfall {y - 2}",
                        f"Utfall {y - 1}",
                        f"Mål {y}",
                        f"Utfall {y}",
                    ],
                    [
                        f"Andel deltagare i insats {k} som går vidare ökar",
                        "Totalt",
                        "50 %",
                        "52 %",
                        "Ökar",
                        f"{tot} %",
                    ],
                    ["", "Män", "45 %", "47 %", "", f"{men} %"],
                    ["", "Kvinnor", "55 %", "57 %", "", f"{women} %"],
                ],
            )
        )
    return out


def render_text(r: Report) -> str:
    lines = []
    for kind, content in report_blocks(r):
        if kind == "h":
            lines += [f"## {content}", ""]
        elif kind == "p":
            lines += [str(content), ""]
        else:
            lines += ["\t".join(row) for row in content]  # type: ignore[union-attr]
            lines.append("")
    return "\n".join(lines)


def render_html(r: Report) -> str:
    esc = _html.escape
    parts = [
        "<!doctype html><html lang='sv'><meta charset='utf-8'><style>"
        "body{font:10pt sans-serif} td,th{padding:2px 14px;text-align:right}"
        "td{white-space:nowrap} td:first-child,th:first-child{text-align:left}"
        " table{margin:8px 0}</style><body>"
    ]
    for kind, content in report_blocks(r):
        if kind == "h":
            parts.append(f"<h2>{esc(str(content))}</h2>")
        elif kind == "p":
            parts.append(f"<p>{esc(str(content))}</p>")
        else:
            rows = content  # type: ignore[assignment]
            parts.append("<table>")
            for i, row in enumerate(rows):
                tag = "th" if i == 0 else "td"
                cells = "".join(
                    f"<{tag}>{esc(c).replace(' ', '&nbsp;') if i else esc(c)}</{tag}>" for c in row
                )
                parts.append(f"<tr>{cells}</tr>")
            parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def write_docx(r: Report, path) -> None:
    import docx

    d = docx.Document()
    for kind, content in report_blocks(r):
        if kind == "h":
            d.add_heading(str(content), level=2)
        elif kind == "p":
            d.add_paragraph(str(content))
        else:
            rows = content  # type: ignore[assignment]
            t = d.add_table(rows=len(rows), cols=len(rows[0]))
            for i, row in enumerate(rows):
                for j, c in enumerate(row):
                    t.cell(i, j).text = c
    d.save(str(path))


def write_pdf(r: Report, path) -> None:
    from weasyprint import HTML

    HTML(string=render_html(r)).write_pdf(str(path))
