"""Investment tables: summary, multi-year and annual projects (DOMAIN §7)."""

from __future__ import annotations

from ..blocks import (
    Paragraph,
    Row,
    Table,
    text,
)
from .context import ZERO, Ctx, _numeric, block


def _project_name(p) -> str:
    return f"{p.number} {p.name}".strip()


def year_investments(ctx: Ctx) -> dict:
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
    inv = year_investments(ctx)
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
