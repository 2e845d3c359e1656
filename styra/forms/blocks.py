"""The city's forms as bilagor of the tertial report (report blocks).

`city_forms` is named at the end of the delårsrapport/tertialrapport definition; it adds a
"Bilagor" part with one section per form that holds data for the committee and year, and
nothing at all for a committee without them. Amounts follow the report's sign convention:
with the city's (costs positive, revenue and surplus negative) a result unit's surplus is
printed negative, as the city's form asks.
"""

from __future__ import annotations

from decimal import Decimal

from styra.reports.blocks import (
    Paragraph,
    Row,
    Section,
    Table,
    missing,
    money,
    number,
    percent,
    text,
)
from styra.reports.builders.context import Ctx, block
from styra.reports.calc import signed

from . import calc
from .models import (
    ExternalProject,
    FundingRole,
    GrantApplication,
    PremisesApplication,
    StrategicProject,
)
from .selectors import result_units_of

SURPLUS_NOTE = {
    "cost_positive": "Överskott (−), underskott (+).",
    "revenue_positive": "Överskott (+), underskott (−).",
}


def _signed_percent(ctx: Ctx, value: Decimal | None):
    """A share of the gross budget with the sign the amount beside it is printed with."""
    return missing() if value is None else percent(signed(value, ctx.sign), 1)


def _date(value) -> object:
    return text(value.isoformat()) if value else missing()


def result_units_table(ctx: Ctx) -> Table | None:
    committee, y = ctx.data.committee, ctx.y
    # the gross budget and the year's result as the report's event shows them
    entries = [
        line for line in result_units_of(committee, y, ctx.data.event) if line.record is not None
    ]
    if not entries:
        return None
    unit = "tkr"
    rows = []
    totals = [Decimal(0)] * 7
    for line in entries:
        node, r, c = line.unit, line.record, line.carry
        name = node.name + (" (intraprenad)" if node.is_intraprenad else "")
        values = [
            line.gross_budget,
            line.gross_budget * calc.TRANSFER_CAP,
            r.fund_in,
            line.year_result,
            r.own_result,
            c.transfer,
            c.fund_out,
        ]
        totals = [t + v for t, v in zip(totals, values, strict=True)]
        rows.append(
            Row(
                (
                    text(name),
                    money(values[0], unit),
                    money(values[1], unit),
                    ctx.m(values[2], unit),
                    ctx.m(values[3], unit),
                    ctx.m(values[4], unit),
                    ctx.m(values[5], unit),
                    _signed_percent(ctx, c.transfer_percent),
                    ctx.m(values[6], unit),
                    _signed_percent(ctx, c.fund_percent),
                )
            )
        )
    rows.append(
        Row(
            (
                text("Summa resultatenheter"),
                money(totals[0], unit),
                money(totals[1], unit),
                *(ctx.m(v, unit) for v in totals[2:6]),
                missing(),
                ctx.m(totals[6], unit),
                missing(),
            ),
            kind="total",
        )
    )
    header = (
        "Resultatenhet",
        f"Bruttobudget {y}",
        "5 % av bruttobudget",
        f"Ackumulerat resultat från {y - 1}",
        f"Resultat {y} (exkl. resultatfond)",
        "Varav eget handlande",
        f"Resultatöverföring till {y + 1} (högst 5 %)",
        "% av bruttobudget",
        f"Resultatfond till {y + 1} (högst +10 % / −5 %)",
        "% av bruttobudget ",
    )
    return Table(
        key="resultatenheter",
        caption=f"Resultatenheter {y}, tkr",
        header_rows=(header,),
        rows=tuple(rows),
        unit=unit,
        note=SURPLUS_NOTE.get(ctx.sign, "")
        + " Överföringen är resultatet av enhetens eget handlande, högst 5 % av bruttobudgeten;"
        " resultatfonden får vara högst 10 % (överskott) och 5 % (underskott) av bruttobudgeten.",
        numeric_columns=tuple(range(1, len(header))),
    )


def strategic_projects_blocks(ctx: Ctx) -> list:
    projects = list(
        StrategicProject.objects.filter(committee=ctx.data.committee, year=ctx.y).prefetch_related(
            "plan"
        )
    )
    if not projects:
        return []
    y, unit = ctx.y, "mnkr"
    years = [y + k for k in range(1, 5)]
    header = ["Projekt", f"Kostnad ack. t.o.m. {y - 1}", f"Intäkt ack. t.o.m. {y - 1}"]
    header += [f"Budget {y} kostnad", f"Budget {y} intäkt"]
    header += [f"Prognos {y} kostnad", f"Prognos {y} intäkt"]
    for py in years:
        header += [f"Plan {py} kostnad", f"Plan {py} intäkt"]
        header += [f"Prognos {py} kostnad", f"Prognos {py} intäkt"]
    header += ["Beslutad total kostnad", "Beslutad total intäkt"]
    header += ["Prognos total kostnad", "Prognos total intäkt"]
    header += ["Beslutat startdatum", "Beslutat slutdatum"]
    header += ["Prognos startdatum", "Prognos slutdatum"]

    def pair(cost: Decimal, revenue: Decimal) -> list:
        return [ctx.m(-cost, unit), ctx.m(revenue, unit)]

    rows, explained = [], []
    for p in projects:
        plan = {row.year: row for row in p.plan.all()}
        cells = [text(p.name)]
        cells += pair(p.accumulated_cost, p.accumulated_revenue)
        cells += pair(p.budget_cost, p.budget_revenue)
        cells += pair(p.forecast_cost, p.forecast_revenue)
        for py in years:
            row = plan.get(py)
            if row is None:
                cells += [missing()] * 4
            else:
                cells += pair(row.plan_cost, row.plan_revenue)
                cells += pair(row.forecast_cost, row.forecast_revenue)
        cells += pair(p.decided_cost, p.decided_revenue)
        cells += pair(p.forecast_total_cost, p.forecast_total_revenue)
        cells += [_date(p.decided_start), _date(p.decided_end)]
        cells += [_date(p.forecast_start), _date(p.forecast_end)]
        rows.append(Row(tuple(cells)))
        deviations = p.deviations()
        if deviations:
            what = "; ".join(d.text for d in deviations)
            explained.append(
                Paragraph(
                    f"**{p.name}**: {what}. Orsak: {p.cause or '(saknas)'} "
                    f"Åtgärd: {p.action or '(saknas)'}",
                    source="text",
                )
            )
    table = Table(
        key="strategiska-projekt",
        caption=f"Strategiskt viktiga projekt som inte är investeringar {y}, mnkr",
        header_rows=(tuple(header),),
        rows=tuple(rows),
        unit=unit,
        note={
            "cost_positive": "Kostnader (+), intäkter (−).",
            "revenue_positive": "Intäkter (+), kostnader (−).",
        }.get(ctx.sign, ""),
        numeric_columns=tuple(range(1, len(header) - 4)),
    )
    return [table, *explained]


def premises_table(ctx: Ctx) -> Table | None:
    apps = list(PremisesApplication.objects.filter(committee=ctx.data.committee, year=ctx.y))
    if not apps:
        return None
    header = (
        "Adress och fastighetsbeteckning",
        "Area kvm",
        "Kontraktet löper t.o.m.",
        "Lokalen återlämnas",
        "Årshyra kr",
        "Sökt belopp kr",
        "Beloppet avser",
        "I lokalförsörjningsplanen",
        f"Hyreseffekt {ctx.y} kr",
    )
    rows = []
    for a in apps:
        effect = calc.rent_consequence(a.yearly_rent, a.returned_on, ctx.y)
        rows.append(
            Row(
                (
                    text(a.address),
                    text(f"{a.area}".replace(".", ",")),
                    _date(a.contract_end),
                    _date(a.returned_on),
                    money(a.yearly_rent, "kr"),
                    money(a.amount_applied, "kr"),
                    text(a.covers),
                    text("Ja" if a.in_premises_plan else "Nej"),
                    money(effect.part_year, "kr"),
                )
            )
        )
    return Table(
        key="lokaler",
        caption=f"Ansökan om medel för avveckling eller omstrukturering av lokaler {ctx.y}",
        header_rows=(header,),
        rows=tuple(rows),
        unit="kr",
        note="Hyreseffekten är årshyran för månaderna efter återlämnandet.",
        numeric_columns=(1, 4, 5, 8),
    )


def external_projects_table(ctx: Ctx) -> Table | None:
    projects = list(ExternalProject.objects.filter(committee=ctx.data.committee))
    projects = [p for p in projects if p.starts.year <= ctx.y <= p.ends.year]
    if not projects:
        return None
    header = (
        "Projekt",
        "Finansiär",
        "Nämndens roll",
        "Period",
        "Budget kr",
        "Budget euro",
        "Medfinansiering kr",
        "Ansvarig",
    )
    rows = [
        Row(
            (
                text(p.name),
                text(p.funder),
                text(FundingRole(p.role).label),
                text(f"{p.starts.isoformat()} – {p.ends.isoformat()}"),
                money(p.total_budget, "kr"),
                number(p.total_budget_eur, 0, "euro"),
                money(p.co_financing, "kr"),
                text(p.responsible),
            )
        )
        for p in projects
    ]
    return Table(
        key="externa-projekt",
        caption=f"Externt finansierade projekt {ctx.y}",
        header_rows=(header,),
        rows=tuple(rows),
        unit="kr",
        note="Medfinansiering: kontant och i form av arbete.",
        numeric_columns=(4, 5, 6),
    )


def grant_application_blocks(ctx: Ctx) -> list:
    out = []
    apps = GrantApplication.objects.filter(committee=ctx.data.committee).prefetch_related("lines")
    for a in apps:
        if not (a.starts.year <= ctx.y <= a.ends.year):
            continue
        lines = list(a.lines.all())
        rows = []
        for side, title in (("cost", "Summa kostnader"), ("financing", "Summa finansiering")):
            side_lines = [x for x in lines if x.side == side]
            rows += [
                Row((text(x.kind_label + (f": {x.text}" if x.text else "")), money(x.amount, "kr")))
                for x in side_lines
            ]
            total = sum((x.amount for x in side_lines), Decimal(0))
            rows.append(Row((text(title), money(total, "kr")), kind="total"))
        check = a.amounts_check()
        out.append(
            Section(
                f"bidrag-{a.pk}",
                f"Ansökan om statsbidrag: {a.name}",
                2,
                (
                    Paragraph(
                        f"Bidragsgivare: {a.grantor}. Period {a.starts.isoformat()} – "
                        f"{a.ends.isoformat()}. Sökt belopp {money(a.amount_sought, 'kr').text} kr."
                    ),
                    Table(
                        key=f"bidrag-{a.pk}",
                        caption=f"Kostnader och finansiering, {a.name}, kr",
                        header_rows=(("Post", "Belopp kr"),),
                        rows=tuple(rows),
                        unit="kr",
                        numeric_columns=(1,),
                    ),
                    *(Paragraph(p, source="notice") for p in check.problems),
                ),
            )
        )
    return out


@block("city_forms")
def city_forms(ctx: Ctx) -> list:
    parts: list[Section] = []
    table = result_units_table(ctx)
    if table is not None:
        parts.append(Section("bilaga-resultatenheter", "Resultatenheter", 2, (table,)))
    blocks = strategic_projects_blocks(ctx)
    if blocks:
        parts.append(Section("bilaga-strategiska-projekt", "Strategiska projekt", 2, tuple(blocks)))
    table = premises_table(ctx)
    if table is not None:
        parts.append(Section("bilaga-lokaler", "Lokaler", 2, (table,)))
    table = external_projects_table(ctx)
    if table is not None:
        parts.append(Section("bilaga-externa-projekt", "Externt finansierade projekt", 2, (table,)))
    parts += grant_application_blocks(ctx)
    if not parts:
        return []
    return [Section("bilagor", "Bilagor: stadens blanketter", 1), *parts]
