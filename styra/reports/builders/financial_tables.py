"""Financial tables: summary in mnkr, by cost type, by unit, unit detail, cost analysis,
forecast change and the monthly report's result statement (DOMAIN §6)."""

from __future__ import annotations

from styra.lib.numbers import format_mnkr

from .. import calc
from .. import definitions as defs
from ..blocks import (
    Cell,
    Paragraph,
    Row,
    Table,
    missing,
    text,
)
from .context import ZERO, Ctx, _numeric, block
from .investments import year_investments


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
    inv = year_investments(ctx)
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
    inv = year_investments(ctx)
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
    from styra.finance.figures import Figures

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
