"""Charts: budget, forecast and outcome per unit; accumulated outcome per month."""

from __future__ import annotations

import re

from styra.lib.numbers import format_mnkr
from styra.lib.periods import MONTHS_SHORT

from .. import calc
from ..blocks import (
    Chart,
    Row,
    Table,
    missing,
    text,
)
from .context import Ctx, _numeric, block


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
