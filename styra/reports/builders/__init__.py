"""Stage one: the report as data (styra.reports.blocks) from the definition and the data.

    build_report(committee, event, report_type=None) -> Report

Each block name of a definition (styra/reports/definitions/*.yaml) is a function here
taking the build context and returning blocks; a block function may also return Sections
(a unit's analysis, a målområde), which follow the section being built.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from styra.finance.models import ReportingEvent
from styra.lib.numbers import format_mnkr
from styra.lib.periods import MONTHS_SHORT, PeriodRange
from styra.org.models import OrgNode

from .. import calc
from .. import definitions as defs
from ..blocks import (
    BulletList,
    Cell,
    Chart,
    GoalBlock,
    Paragraph,
    Report,
    Row,
    Section,
    Table,
    missing,
    money,
    split_blocks,
    text,
)
from .data import ReportData

ZERO = Decimal(0)


@dataclass
class Ctx:
    data: ReportData
    definition: defs.ReportDefinition
    section: defs.SectionDef

    @property
    def sign(self) -> str:
        return self.definition.sign_convention

    @property
    def unit(self) -> str:
        return self.definition.table_unit

    def m(self, kronor: Decimal | None, unit: str | None = None, plus: bool = False) -> Cell:
        """A money cell in the report's sign convention."""
        return money(calc.signed(kronor, self.sign), unit or self.unit, plus=plus)

    def label(self, key: str) -> str:
        return calc.LABELS[self.sign][key]

    @property
    def y(self) -> int:
        return self.data.year

    @property
    def months(self) -> str:
        return PeriodRange.year_to_date(self.y, min(self.data.cutoff, 13)).months_label

    @property
    def final(self) -> bool:
        return self.data.final


BLOCKS: dict[str, Callable[[Ctx], list]] = {}


def block(name: str):
    def register(func):
        BLOCKS[name] = func
        return func

    return register


def _numeric(header: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(range(1, len(header)))


# ------------------------------------------------------------------ text blocks


def _narrative_blocks(text_: str, part: str) -> list:
    out: list = []
    for kind, items in split_blocks(text_):
        if kind == "ul":
            out.append(BulletList(tuple(items), source="narrative"))
        else:
            out.append(Paragraph(items[0], source="narrative", part=part))
    return out


@block("narrative")
def narrative(ctx: Ctx) -> list:
    return _narrative_blocks(ctx.data.narrative(ctx.section.key), ctx.section.key)


@block("forecast_sentence")
def forecast_sentence(ctx: Ctx) -> list:
    dev = ctx.data.by_unit.total.net.deviation
    return [
        Paragraph(
            calc.committee_result_sentence(dev, final=ctx.final), source="generated", part="summary"
        )
    ]


@block("total_sentence")
def total_sentence(ctx: Ctx) -> list:
    net = ctx.data.by_unit.total.net
    return [
        Paragraph(
            calc.total_sentence(net.forecast, net.budget, ctx.sign, year=ctx.y, final=ctx.final),
            source="generated",
        )
    ]


@block("goal_sentence")
def goal_sentence(ctx: Ctx) -> list:
    goals = ctx.data.goals
    if not goals.areas:
        return []
    return [Paragraph(goals.sentence, source="generated", part="goals")]


@block("unit_analysis")
def unit_analysis(ctx: Ctx) -> list:
    out: list = []
    level = min(ctx.section.level + 1, 4)
    for uf in ctx.data.by_unit.units:
        unit = uf.unit
        if not unit.valid_in_year(ctx.y):
            continue
        blocks = _narrative_blocks(ctx.data.narrative(ctx.section.key, unit), ctx.section.key)
        blocks.append(
            Paragraph(
                calc.result_deviation_line(uf.net.deviation, ctx.sign),
                source="generated",
                part=f"{ctx.section.key}:{unit.code}",
            )
        )
        out.append(Section(f"{ctx.section.key}-{unit.code.lower()}", unit.name, level, ()))
        out.extend(blocks)
    return out


@block("assumptions")
def assumptions(ctx: Ctx) -> list:
    items = [
        calc.assumption_line(a.text, a.amount, a.get_status_display()) for a in ctx.data.assumptions
    ]
    if not items:
        return [Paragraph("Inga antaganden är registrerade för rapporten.", source="generated")]
    return [BulletList(tuple(items), source="generated")]


@block("budget_changes")
def budget_changes(ctx: Ctx) -> list:
    items = []
    for c in ctx.data.budget_changes:
        what = c.text.strip() or c.get_kind_display()
        items.append(
            f"{c.get_kind_display()}: {what} ({c.decision}, {c.date.isoformat()}), "
            f"{c.unit.name}, {format_mnkr(c.amount)} mkr"
        )
    if not items:
        return [Paragraph("Inga budgetförändringar under året.", source="generated")]
    return [BulletList(tuple(items), source="generated")]


# ------------------------------------------------------------------ financial tables


@block("summary_table")
def summary_table(ctx: Ctx) -> list:
    """DOMAIN §6 table 1, in mnkr with one decimal."""
    y, unit = ctx.y, ctx.definition.summary_unit
    total = ctx.data.by_unit.total
    header = (
        "Verksamhet (i miljoner kronor)",
        f"Bokslut {y - 1}",
        f"Utfall period {y}",
        f"Budget {y}",
        f"Prognos helår {y}" if not ctx.final else f"Utfall helår {y}",
        f"Avvikelse {y}",
    )
    rev = total.by_row.get("revenue")
    costs = [total.by_row[k] for k in ("staff", "other") if k in total.by_row]

    def cols(attr_values):
        return tuple(ctx.m(v, unit) for v in attr_values)

    def fig_values(f):
        return (f.previous_year, f.outcome, f.budget, f.forecast, f.deviation)

    def summed(figs, attr):
        return sum((getattr(f, attr) for f in figs), ZERO)

    cost_values = (
        summed(costs, "previous_year"),
        summed(costs, "outcome"),
        summed(costs, "budget"),
        summed(costs, "forecast"),
        summed(costs, "forecast") - summed(costs, "budget"),
    )
    inv = _year_investments(ctx)
    rows = [
        Row((text(ctx.label("revenue")), *cols(fig_values(rev)))),
        Row((text(ctx.label("cost")), *cols(cost_values))),
        Row((text(ctx.label("net")), *cols(fig_values(total.net))), "total"),
        Row(
            (
                text(ctx.label("investments_net")),
                *cols(
                    (
                        inv["previous_year"],
                        inv["outcome"],
                        inv["budget"],
                        inv["forecast"],
                        inv["forecast"] - inv["budget"],
                    )
                ),
            )
        ),
    ]
    return [
        Table(
            "sammanfattning",
            "Ekonomisk sammanfattning",
            (header,),
            tuple(rows),
            unit,
            note=_sign_note(ctx) + " Avvikelse = prognos − budget.",
            numeric_columns=_numeric(header),
        )
    ]


def _sign_note(ctx: Ctx) -> str:
    return f"Teckenkonvention: {defs.SIGN_CONVENTIONS[ctx.sign].lower()}."


def _main_header(ctx: Ctx, first: str) -> tuple[str, ...]:
    y = ctx.y
    return (
        first,
        f"Bokslut {y - 1}",
        f"Utfall period {y}",
        f"Ack. Budget {y}",
        f"Budget {y}",
        f"Prognos helår {y}" if not ctx.final else f"Utfall helår {y}",
        f"Avvikelse {y}",
    )


def _main_cells(ctx: Ctx, f) -> tuple[Cell, ...]:
    return (
        ctx.m(f.previous_year),
        ctx.m(f.outcome),
        ctx.m(f.budget_to_date),
        ctx.m(f.budget),
        ctx.m(f.forecast),
        ctx.m(f.deviation),
    )


@block("cost_type_table")
def cost_type_table(ctx: Ctx) -> list:
    """DOMAIN §6 table 2: Intäkter / Personal / Övriga kostnader / Netto / Investeringar."""
    total = ctx.data.by_unit.total
    header = _main_header(ctx, f"Belopp i {ctx.unit}")
    rows = [
        Row((text(ctx.label(key)), *_main_cells(ctx, total.by_row[key])))
        for key in ("revenue", "staff", "other")
    ]
    rows.append(Row((text(ctx.label("net")), *_main_cells(ctx, total.net)), "total"))
    inv = _year_investments(ctx)
    rows.append(
        Row(
            (
                text("Investeringar"),
                ctx.m(inv["previous_year"]),
                ctx.m(inv["outcome"]),
                missing("ingen periodiserad investeringsbudget"),
                ctx.m(inv["budget"]),
                ctx.m(inv["forecast"]),
                ctx.m(inv["forecast"] - inv["budget"]),
            )
        )
    )
    return [
        Table(
            "kostnadsslag",
            f"Drift per kostnadsslag, {ctx.unit}",
            (header,),
            tuple(rows),
            ctx.unit,
            note=_sign_note(ctx),
            numeric_columns=_numeric(header),
        )
    ]


@block("unit_table")
def unit_table(ctx: Ctx) -> list:
    """DOMAIN §6 table 3: net per verksamhet, then Total."""
    fu = ctx.data.by_unit
    header = _main_header(ctx, f"Netto ({ctx.unit})")
    rows = [Row((text(uf.unit.name), *_main_cells(ctx, uf.net))) for uf in fu.units]
    rows.append(Row((text("Total"), *_main_cells(ctx, fu.total.net)), "total"))
    return [
        Table(
            "verksamheter",
            f"Netto per verksamhet, {ctx.unit}",
            (header,),
            tuple(rows),
            ctx.unit,
            numeric_columns=_numeric(header),
        )
    ]


def _revenue_cost(figs: dict) -> tuple:
    """Split coarse rows into (revenue, cost) Figures-like tuples of values."""
    from styra.finance.selectors import Figures

    rev, cost = Figures(), Figures()
    for key, f in figs.items():
        (rev if key == "revenue" else cost).add(f)
    return rev, cost


@block("detail_table")
def detail_table(ctx: Ctx) -> list:
    """DOMAIN §6 table 4: per unit Intäkter / Kostnader / Netto, then TOTALT."""
    y, months = ctx.y, ctx.months
    fu = ctx.data.by_detail
    header = (
        f"Text ({ctx.unit})",
        f"Utfall {months} {y}",
        f"Utfall {months} {y - 1}",
        f"Utfall jan–dec {y - 1}",
        f"Årsbudget {y}",
        f"Årsprognos {y}" if not ctx.final else f"Årsutfall {y}",
        f"Årsavvikelse {y}",
    )

    def cells(f):
        return (
            ctx.m(f.outcome),
            ctx.m(f.previous_to_date),
            ctx.m(f.previous_year),
            ctx.m(f.budget),
            ctx.m(f.forecast),
            ctx.m(f.deviation),
        )

    rows: list[Row] = []
    for name, figs, net in [(uf.unit.name, uf.by_row, uf.net) for uf in fu.units] + [
        ("Totalt", fu.total.by_row, fu.total.net)
    ]:
        rev, cost = _revenue_cost(figs)
        kind = "total" if name == "Totalt" else "data"
        rows.append(Row((text(name),), "section"))
        rows.append(Row((text("Intäkter"), *cells(rev)), kind))
        rows.append(Row((text("Kostnader"), *cells(cost)), kind))
        rows.append(Row((text("Netto"), *cells(net)), "total" if kind == "total" else "subtotal"))
    return [
        Table(
            "enheter",
            f"Utfall, budget och prognos per enhet, {ctx.unit}",
            (header,),
            tuple(rows),
            ctx.unit,
            numeric_columns=_numeric(header),
        )
    ]


@block("cost_analysis_table")
def cost_analysis_table(ctx: Ctx) -> list:
    """DOMAIN §6 table 5: kontoslag rows, this year to date against last year."""
    y, months = ctx.y, ctx.months
    fu = ctx.data.by_row
    sections = ctx.data.row_sections
    header = (
        f"Text ({ctx.unit})",
        f"Innevarande år {months} {y}",
        f"Föregående år {months} {y - 1}",
        f"Föregående år jan–Mån 13 {y - 1}",
    )

    def cells(values):
        return tuple(ctx.m(v) for v in values)

    def vals(f):
        return (f.outcome, f.previous_to_date, f.previous_year)

    def summed(keys):
        out = [ZERO, ZERO, ZERO]
        for k in keys:
            for i, v in enumerate(vals(fu.total.by_row[k])):
                out[i] += v
        return out

    rows: list[Row] = []
    groups = [
        ("revenue", "Verksamhetens intäkter", "Summa intäkter"),
        ("cost", "Verksamhetens kostnader", "Summa kostnader"),
    ]
    for section, title, sum_label in groups:
        keys = [k for k, _l in fu.row_keys if sections.get(k) == section]
        rows.append(Row((text(title),), "section"))
        for k, label in fu.row_keys:
            if k in keys:
                rows.append(Row((text(label), *cells(vals(fu.total.by_row[k])))))
        rows.append(Row((text(sum_label), *cells(summed(keys))), "subtotal"))
    for k, label in fu.row_keys:
        if sections.get(k) not in ("revenue", "cost"):
            rows.append(Row((text(label), *cells(vals(fu.total.by_row[k])))))
    rows.append(Row((text("Netto"), *cells(vals(fu.total.net))), "total"))
    return [
        Table(
            "kontoslag",
            f"Intäkter och kostnader per kontoslag, {ctx.unit}",
            (header,),
            tuple(rows),
            ctx.unit,
            numeric_columns=_numeric(header),
        )
    ]


@block("forecast_change_table")
def forecast_change_table(ctx: Ctx) -> list:
    prev = ctx.data.previous_event
    if prev is None:
        return [Paragraph("Det finns ingen tidigare prognos för året.", source="generated")]
    fu = ctx.data.by_unit
    header = (
        f"Netto ({ctx.unit})",
        f"Prognos {prev.name}",
        f"Prognos {ctx.data.event.name}",
        "Förändring",
    )

    def cells(f):
        return (ctx.m(f.previous_forecast), ctx.m(f.forecast), ctx.m(f.forecast_change))

    rows = [Row((text(uf.unit.name), *cells(uf.net))) for uf in fu.units]
    rows.append(Row((text("Total"), *cells(fu.total.net)), "total"))
    change = fu.total.net.forecast_change
    out: list = [
        Table(
            "prognosavvikelse",
            f"Prognosen jämfört med föregående prognos, {ctx.unit}",
            (header,),
            tuple(rows),
            ctx.unit,
            numeric_columns=_numeric(header),
        )
    ]
    if change is not None:
        shown = format_mnkr(calc.signed(change, ctx.sign), plus=True)
        out.insert(
            0,
            Paragraph(
                f"Prognosen har förändrats med {shown} mkr sedan {prev.name}.",
                source="generated",
            ),
        )
    return out


@block("result_statement")
def result_statement(ctx: Ctx) -> list:
    """Resultaträkning Nämnd of the monthly report: Totalsumma, then per verksamhet
    Intäkter / Kostnader / Netto."""
    fu = ctx.data.by_unit
    header = ("", "Ack utfall", "Ack budget", "Avvikelse", "Årsbudget", "Årsprognos")
    header = (*header, "Avvikelse helår")

    def cells(f):
        return (
            ctx.m(f.outcome),
            ctx.m(f.budget_to_date),
            ctx.m(f.period_deviation),
            ctx.m(f.budget),
            ctx.m(f.forecast),
            ctx.m(f.deviation),
        )

    rows = [Row((text("Totalsumma"), *cells(fu.total.net)), "total")]
    for uf in fu.units:
        if not uf.unit.valid_in_year(ctx.y):
            continue
        rev, cost = _revenue_cost(uf.by_row)
        rows.append(Row((text(uf.unit.name),), "section"))
        rows.append(Row((text("Intäkter"), *cells(rev))))
        rows.append(Row((text("Kostnader"), *cells(cost))))
        rows.append(Row((text("Netto"), *cells(uf.net)), "subtotal"))
    return [
        Table(
            "resultatrakning",
            f"Resultaträkning Nämnd, {ctx.unit}",
            (header,),
            tuple(rows),
            ctx.unit,
            note=_sign_note(ctx),
            numeric_columns=_numeric(header),
        )
    ]


# ------------------------------------------------------------------ charts


def _stable_ids(svg: str, key: str) -> str:
    return re.sub(r"\bchart\d+-", f"{key}-", svg)


@block("chart_units")
def chart_units(ctx: Ctx) -> list:
    from styra.lib.svgchart import Series, bar_chart

    fu = ctx.data.by_unit
    units = [uf for uf in fu.units if uf.unit.valid_in_year(ctx.y)]
    labels = [uf.unit.name for uf in units]
    fc = "Utfall helår" if ctx.final else "Prognos helår"
    series = [
        Series("Budget", [calc.signed(uf.net.budget, ctx.sign) for uf in units]),
        Series(fc, [calc.signed(uf.net.forecast, ctx.sign) for uf in units]),
        Series("Utfall period", [calc.signed(uf.net.outcome, ctx.sign) for uf in units]),
    ]
    title = f"Budget, {fc.lower()} och utfall per verksamhet {ctx.y}"
    parts = [
        f"{uf.unit.name}: budget {format_mnkr(calc.signed(uf.net.budget, ctx.sign))}, "
        f"{fc.lower()} {format_mnkr(calc.signed(uf.net.forecast, ctx.sign))} mnkr"
        for uf in units
    ]
    alt = f"Stapeldiagram, netto i tkr. {'; '.join(parts)}."
    svg = bar_chart(title, alt, labels, series, unit_label=ctx.unit, width=780)
    header = ("Verksamhet", "Budget", fc, "Utfall period")
    rows = tuple(
        Row(
            (
                text(uf.unit.name),
                ctx.m(uf.net.budget),
                ctx.m(uf.net.forecast),
                ctx.m(uf.net.outcome),
            )
        )
        for uf in units
    )
    data = Table(
        "diagram-verksamheter",
        f"Data för diagrammet, {ctx.unit}",
        (header,),
        rows,
        ctx.unit,
        numeric_columns=_numeric(header),
    )
    return [Chart("diagram-verksamheter", title, alt, _stable_ids(svg, "dv"), data)]


@block("chart_monthly")
def chart_monthly(ctx: Ctx) -> list:
    from styra.lib.svgchart import Series, line_chart

    series_data = ctx.data.monthly
    outcome = [calc.signed(v, ctx.sign) for v in series_data["outcome"]]
    budget = [calc.signed(v, ctx.sign) for v in series_data["budget"]]
    forecast = [
        calc.signed(v, ctx.sign) if v is not None else None for v in series_data["forecast"]
    ]
    labels = list(MONTHS_SHORT[:12])
    series = [Series("Ack. utfall", outcome), Series("Ack. budget", budget)]
    if not ctx.final:
        series.append(Series("Prognos", forecast))
    title = f"Ackumulerat utfall mot ackumulerad budget {ctx.y}"
    last = outcome[-1] if outcome else None
    alt = (
        f"Linjediagram per månad, netto i tkr. Ackumulerat utfall t.o.m. "
        f"{labels[len(outcome) - 1] if outcome else '–'}: {format_mnkr(last)} mnkr; "
        f"ackumulerad budget samma månad: "
        f"{format_mnkr(budget[len(outcome) - 1]) if outcome else '–'} mnkr; "
        f"årsbudget {format_mnkr(budget[-1])} mnkr."
    )
    svg = line_chart(title, alt, labels, series, unit_label=ctx.unit)
    header = ("Månad", "Ack. utfall", "Ack. budget") + (() if ctx.final else ("Prognos",))
    rows = []
    for i, label in enumerate(labels):
        cells = [
            text(label),
            ctx.m(series_data["outcome"][i]) if i < len(outcome) else missing(),
            ctx.m(series_data["budget"][i]),
        ]
        if not ctx.final:
            f = series_data["forecast"][i] if i < len(series_data["forecast"]) else None
            cells.append(ctx.m(f) if f is not None else missing())
        rows.append(Row(tuple(cells)))
    data = Table(
        "diagram-manader",
        f"Data för diagrammet, {ctx.unit}",
        (header,),
        tuple(rows),
        ctx.unit,
        numeric_columns=_numeric(header),
    )
    return [Chart("diagram-manader", title, alt, _stable_ids(svg, "dm"), data)]


# ------------------------------------------------------------------ investments, volumes, staff


def _project_name(p) -> str:
    return f"{p.number} {p.name}".strip()


def _year_investments(ctx: Ctx) -> dict:
    """The year's net investments. A multi-year project's forecast is for the whole
    project (shown in its own table), so for the year its budget stands in for it."""
    s = ctx.data.investments["summary"]
    year_forecast = {
        "annual": s["annual"]["forecast"],
        "multi_year": s["multi_year"]["budget"],
    }
    return {
        "previous_year": s["all"]["previous_year"],
        "outcome": s["all"]["outcome"],
        "budget": s["all"]["budget"],
        "forecast": year_forecast["annual"] + year_forecast["multi_year"],
        "by_kind": year_forecast,
    }


@block("investment_summary")
def investment_summary(ctx: Ctx) -> list:
    s = ctx.data.investments["summary"]
    inv = _year_investments(ctx)
    y = ctx.y
    header = (f"Investeringar ({ctx.unit})", f"Utfall period {y}", f"Budget {y}", f"Prognos {y}")
    rows = []
    for key, label in (("multi_year", "Fleråriga projekt"), ("annual", "Årliga projekt")):
        rows.append(
            Row(
                (
                    text(label),
                    ctx.m(s[key]["outcome"]),
                    ctx.m(s[key]["budget"]),
                    ctx.m(inv["by_kind"][key]),
                )
            )
        )
    rows.append(
        Row(
            (text("Totalt"), ctx.m(inv["outcome"]), ctx.m(inv["budget"]), ctx.m(inv["forecast"])),
            "total",
        )
    )
    return [
        Table(
            "investeringar",
            f"Investeringar, {ctx.unit}",
            (header,),
            tuple(rows),
            ctx.unit,
            numeric_columns=_numeric(header),
            note="Fleråriga projekt: årets budget; prognosen för hela projektet "
            "visas i projekttabellen.",
        )
    ]


@block("multi_year_projects")
def multi_year_projects(ctx: Ctx) -> list:
    items = ctx.data.investments["multi_year"]
    if not items:
        return [Paragraph("Nämnden har inga fleråriga investeringsprojekt.", source="generated")]
    header = ("Projekt", "Status", f"Prognos ({ctx.unit})", "Kommentar")
    rows = [
        Row(
            (
                text(_project_name(r["project"])),
                text(r["project"].status),
                ctx.m(r["forecast"]),
                text(r["project"].comment),
            )
        )
        for r in items
    ]
    total = sum((r["forecast"] or ZERO for r in items), ZERO)
    rows.append(Row((text("Totalt"), text(""), ctx.m(total), text("")), "total"))
    return [
        Table(
            "fleraariga-projekt",
            "Fleråriga investeringsprojekt",
            (header,),
            tuple(rows),
            ctx.unit,
            numeric_columns=(2,),
        )
    ]


@block("annual_projects")
def annual_projects(ctx: Ctx) -> list:
    items = ctx.data.investments["annual"]
    if not items:
        return []
    y = ctx.y
    header = ("Projekt", "Ack utfall", f"Budget {y}", "Avvikelse", f"Prognos {y}")
    rows = [
        Row(
            (
                text(_project_name(r["project"])),
                ctx.m(r["outcome"]),
                ctx.m(r["budget"]),
                ctx.m(r["deviation"]),
                ctx.m(r["forecast"]),
            )
        )
        for r in items
    ]
    s = ctx.data.investments["summary"]["annual"]
    rows.append(
        Row(
            (
                text("Totalt"),
                ctx.m(s["outcome"]),
                ctx.m(s["budget"]),
                ctx.m(s["budget"] - s["outcome"]),
                ctx.m(s["forecast"]),
            ),
            "total",
        )
    )
    return [
        Table(
            "arliga-projekt",
            f"Årliga investeringsprojekt, {ctx.unit}",
            (header,),
            tuple(rows),
            ctx.unit,
            note="Avvikelse = budget − ack utfall.",
            numeric_columns=_numeric(header),
        )
    ]


def _volume_header(ctx: Ctx, first: str, second: str) -> tuple[str, ...]:
    y = ctx.y
    month = MONTHS_SHORT[min(ctx.data.cutoff, 12) - 1].capitalize()
    return (first, second, f"{month} {y - 1}", f"{month} {y}", f"Utfall {y - 1}", f"Budget {y}")


@block("volume_table")
def volume_table(ctx: Ctx) -> list:
    from ..blocks import number

    vols = ctx.data.volumes["volumes"]
    if not vols:
        return []
    header = (*_volume_header(ctx, "Volym", "Enhet"), f"Prognos {ctx.y}")
    rows = []
    for r in vols:
        v = r["values"]
        rows.append(
            Row(
                (
                    text(r["volume"].name),
                    text(r["volume"].measure),
                    *(number(v[k]) for k in ("prev_to_date", "to_date", "prev_year", "budget")),
                    number(r["forecast"]),
                )
            )
        )
    return [
        Table("volymer", "Volymer", (header,), tuple(rows), "", numeric_columns=(2, 3, 4, 5, 6))
    ]


@block("ratio_table")
def ratio_table(ctx: Ctx) -> list:
    vols = ctx.data.volumes["volumes"]
    if not vols:
        return []
    header = _volume_header(ctx, "Nyckeltal", "Mått")
    rows = []
    for r in vols:
        for i, ratio in enumerate(r["ratios"]):
            values = ratio["values"]
            rows.append(
                Row(
                    (
                        text(r["volume"].name),
                        text(ratio["label"]),
                        *(
                            ctx.m(values.get(k), "kr")
                            for k in ("prev_to_date", "to_date", "prev_year", "budget")
                        ),
                    ),
                    "data" if i == 0 else "cont",
                )
            )
    return [
        Table(
            "nyckeltal",
            "Nyckeltal, kronor (kostnad ÷ volym)",
            (header,),
            tuple(rows),
            "kr",
            numeric_columns=(2, 3, 4, 5),
        )
    ]


@block("staff_table")
def staff_table(ctx: Ctx) -> list:
    from ..blocks import number

    figures = ctx.data.staff
    if not figures:
        return [Paragraph("Personaluppgifter saknas för rapporttillfället.", source="generated")]
    y = ctx.y
    month = MONTHS_SHORT[min(ctx.data.cutoff, 12) - 1].capitalize()
    header = ("Personal", f"{month} {y}", f"Budget {y}", f"Prognos {y}")
    by_unit: dict[int, dict[str, object]] = {}
    for f in figures:
        by_unit.setdefault(f.unit_id, {"unit": f.unit})[f.kind] = f
    rows = []
    for attr, title, decimals in (
        ("fte", "Antal årsarbetare", 1),
        ("employees", "Antal anställda", 0),
    ):
        rows.append(Row((text(title),), "section"))
        for entry in sorted(by_unit.values(), key=lambda e: (e["unit"].sort_order, e["unit"].name)):
            vals = []
            for kind in ("outcome", "budget", "forecast"):
                f = entry.get(kind)
                vals.append(number(getattr(f, attr) if f else None, decimals))
            rows.append(Row((text(entry["unit"].name), *vals)))
    return [Table("personal", "Personal", (header,), tuple(rows), "", numeric_columns=(1, 2, 3))]


# ------------------------------------------------------------------ goals and assignments


def _measure_table(goal, years) -> Table:
    header = (
        "Målsatt mått",
        "*)",
        *(f"Utfall {y}" for y in years[:-1]),
        f"Mål {years[-1]}",
        f"Utfall {years[-1]}",
    )
    rows: list[Row] = []
    for m in goal.measures:
        for i, r in enumerate(m.rows):
            cells = []
            for value, shown in zip(r.outcomes, r.texts, strict=False):
                if value is None:
                    cells.append(missing(m.missing_reason if shown == "" else ""))
                elif m.unit == "%":
                    cells.append(Cell("percent", shown, value, "%"))
                else:
                    cells.append(Cell("number", shown, value, m.unit))
            gender = r.label if len(m.rows) > 1 else ""
            target = text(m.target_text if i == 0 else "")
            # Gender rows repeat the measure's name as row header (hidden on screen/paper).
            rows.append(
                Row(
                    (text(m.name), text(gender), *cells[:-1], target, cells[-1]),
                    "data" if i == 0 else "cont",
                )
            )
    return Table(
        f"matt-{goal.code}".lower(),
        f"Målsatta mått: {goal.name}",
        (header,),
        tuple(rows),
        "",
        numeric_columns=tuple(range(2, len(header))),
    )


@block("goals")
def goals(ctx: Ctx) -> list:
    report = ctx.data.goals
    if not report.areas:
        return [Paragraph("Nämnden har inga mål för året.", source="generated")]
    forecast = not ctx.final
    out: list = []
    for area in report.areas:
        out.append(
            Section(
                f"malomrade-{area.number}",
                f"Målområde {area.number} {area.name}",
                min(ctx.section.level + 1, 4),
            )
        )
        for goal in area.goals:
            analysis = tuple(
                b
                for b in _narrative_blocks(goal.analysis, f"mal:{goal.code}")
                if isinstance(b, Paragraph)
            )
            measures = _measure_table(goal, report.years) if goal.measures else None
            out.append(
                GoalBlock(goal.code, goal.name, goal.level.label, forecast, analysis, measures)
            )
    return out


@block("assignments")
def assignments(ctx: Ctx) -> list:
    items = ctx.data.assignments
    if not items:
        return [Paragraph("Nämnden har inga uppdrag att redovisa.", source="generated")]
    out: list = []
    for a in items:
        out.append(Section(f"uppdrag-{a.code}".lower(), a.title, min(ctx.section.level + 1, 4)))
        meta = f"Givet av: {a.origin}"
        if a.origin_reference:
            meta += f" ({a.origin_reference})"
        if a.deadline:
            meta += f". Klart senast: {a.deadline.isoformat()}"
        out.append(Paragraph(f"**Beskrivning.** {a.description}".strip(), source="text"))
        out.append(Paragraph(meta + ".", source="text"))
        comment = a.comment.strip() or "Ingen kommentar vid detta rapporttillfälle."
        status = " Uppdraget är klart." if a.done else ""
        out.append(
            Paragraph(f"**Kommentar {ctx.data.event.name}.** {comment}{status}", source="text")
        )
    return out


# ------------------------------------------------------------------ assembly


def _summary_text(data: ReportData, definition: defs.ReportDefinition) -> str:
    parts = [calc.committee_result_sentence(data.by_unit.total.net.deviation, final=data.final)]
    summary = data.narrative("sammanfattning")
    if summary.strip():
        parts.extend(p for kind, items in split_blocks(summary) if kind == "p" for p in items)
    if any("goal_sentence" in s.blocks for s in definition.enabled_sections):
        goals = data.goals
        if goals.areas:
            parts.append(goals.sentence)
    return "\n\n".join(parts)


def load_narratives(event: ReportingEvent, report_type: str) -> dict:
    from ..models import NarrativeText

    return {
        (n.part, n.unit_id): (n.text, n.ready)
        for n in NarrativeText.objects.filter(event=event, report_type=report_type)
    }


def definition_for(committee: OrgNode, report_type: str) -> defs.ReportDefinition:
    from ..models import ReportTemplate

    definition = defs.load(report_type)
    template = ReportTemplate.objects.filter(
        municipality=committee.municipality, report_type=report_type
    ).first()
    return defs.apply_overrides(definition, template.overrides if template else None)


def build_report(
    committee: OrgNode,
    event: ReportingEvent,
    report_type: str | None = None,
    *,
    definition: defs.ReportDefinition | None = None,
    narratives: dict | None = None,
) -> Report:
    report_type = report_type or defs.for_event(event.code)
    definition = definition or definition_for(committee, report_type)
    if narratives is None:
        narratives = load_narratives(event, report_type)
    data = ReportData(committee, event, narratives)
    sections: list[Section] = []
    for sdef in definition.enabled_sections:
        ctx = Ctx(data, definition, sdef)
        current: list = []
        head = Section(sdef.key, sdef.heading, sdef.level)
        pending = [head]
        for name in sdef.blocks:
            func = BLOCKS.get(name)
            if func is None:
                raise KeyError(f"okänt block {name!r} i rapporttypen {definition.key}")
            for item in func(ctx):
                if isinstance(item, Section):
                    pending[-1] = _with_blocks(pending[-1], current)
                    current = []
                    pending.append(item)
                else:
                    current.append(item)
        pending[-1] = _with_blocks(pending[-1], current)
        sections.extend(pending)
    warnings = []
    missing_units = data.by_unit.missing
    if missing_units:
        warnings.append(
            "Prognosen är inte klarmarkerad (budget används där prognos saknas): "
            + ", ".join(u.name for u in missing_units)
        )
    name = definition.title or _event_name(event)
    return Report(
        report_type=definition.key,
        title=name,
        committee=committee.name,
        committee_code=committee.code,
        municipality=committee.municipality.name,
        event_code=event.code,
        year=event.year,
        cutoff_period=event.cutoff_period,
        sign_convention=definition.sign_convention,
        summary_unit=definition.summary_unit,
        table_unit=definition.table_unit,
        footer=f"{committee.municipality.name} · {committee.name} · {name}",
        summary_text=_summary_text(data, definition),
        sections=tuple(sections),
        warnings=tuple(warnings),
    )


def _event_name(event: ReportingEvent) -> str:
    try:
        from styra.lib.periods import ReportingEventCode

        return ReportingEventCode.parse(event.code).name_sv
    except ValueError:
        return event.name


def _with_blocks(section: Section, blocks: list) -> Section:
    from dataclasses import replace

    return replace(section, blocks=section.blocks + tuple(blocks))
