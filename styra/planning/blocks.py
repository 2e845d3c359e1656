"""The yttrande's report blocks (report type `yttrande`, definitions/yttrande.yaml): every
table and generated sentence comes from the plan through styra.planning.selectors.

Registered with the report builder's block registry when the app starts (apps.py), as
the architecture asks of apps above styra.reports."""

from __future__ import annotations

from decimal import Decimal

from styra.lib.numbers import format_mnkr, format_number
from styra.reports.blocks import BulletList, Paragraph, Row, Section, Table, missing, text
from styra.reports.builders import OWN_SUMMARY
from styra.reports.builders.context import Ctx, block

from . import selectors
from .models import Criterion, FramePlan

ZERO = Decimal(0)


def plan_for(committee, year: int) -> FramePlan | None:
    return (
        FramePlan.objects.filter(committee=committee, budget_year=year)
        .select_related("committee", "event")
        .first()
    )


def no_plan_text(committee, year: int) -> str:
    return (
        f"{committee.name} har inga budgetramar för Mål och budget {year} i Styra; "
        "yttrandet byggs när de är upplagda under Planering."
    )


def _plan(ctx: Ctx) -> FramePlan | None:
    if not hasattr(ctx.data, "_planning_plan"):
        ctx.data._planning_plan = plan_for(ctx.data.committee, ctx.y)
    return ctx.data._planning_plan


def _table(ctx: Ctx) -> selectors.FramesTable:
    cached = getattr(ctx.data, "_planning_frames", None)
    if cached is None:
        cached = selectors.frames_table(_plan(ctx))
        ctx.data._planning_frames = cached
    return cached


def _mkr(kronor: Decimal) -> str:
    return format_mnkr(abs(kronor))


def lead_sentence(plan: FramePlan, table: selectors.FramesTable) -> str:
    y = plan.budget_year
    full = sum((p.full_net for p in table.proposals), ZERO)
    first = table.proposed.amounts[y]
    out = (
        f"Den preliminära budgetramen för {y} är {format_mnkr(table.frame_of(y))} mkr och för "
        f"{plan.years[-1]} {format_mnkr(table.frame_of(plan.years[-1]))} mkr."
    )
    if table.proposals:
        n = len(table.proposals)
        out += (
            f" Nämnden föreslår {n} {'justering' if n == 1 else 'justeringar'} av ramen om "
            f"sammanlagt {_mkr(full)} mkr i helårseffekt, varav {_mkr(first)} mkr under {y}."
        )
    else:
        out += " Nämnden föreslår inga justeringar av ramen."
    return out


def _own_summary(committee, event):
    plan = plan_for(committee, event.year)
    if plan is None:
        return f"Yttrande till Mål och budget {event.year}", no_plan_text(committee, event.year)
    return f"Yttrande till {plan.title}", lead_sentence(plan, selectors.frames_table(plan))


OWN_SUMMARY["yttrande"] = _own_summary


@block("plan_lead")
def plan_lead(ctx: Ctx) -> list:
    if _plan(ctx) is None:
        return [Paragraph(no_plan_text(ctx.data.committee, ctx.y), source="generated")]
    return [Paragraph(lead_sentence(_plan(ctx), _table(ctx)), source="generated", part="summary")]


def _criteria_list() -> BulletList:
    return BulletList(
        tuple(f"BK {value}: {label}" for value, label in Criterion.choices),
        intro="Bedömningskriterier (BK): ett förslag till ramjustering ska uppfylla ett av dem.",
        source="generated",
    )


@block("frames_table")
def frames_table(ctx: Ctx) -> list:
    if _plan(ctx) is None:
        return []
    plan, t = _plan(ctx), _table(ctx)
    years = t.years
    header = ("(tkr)", *[str(y) for y in years])

    def row(r: selectors.FrameRow, kind="data") -> Row:
        return Row((text(r.label), *[ctx.m(r.amounts[y]) for y in years]), kind)

    rows = [row(t.opening)]
    rows += [row(r) for r in t.adjustments]
    rows += [row(t.total, "subtotal"), row(t.frame, "total")]
    for p in t.proposals:
        rows.append(
            Row(
                (
                    text(f"Bilaga {p.attachment} {p.proposal.title} (BK {p.proposal.criterion})"),
                    *[ctx.m(p.effect(y)) if y in plan.plan_years else missing() for y in years],
                )
            )
        )
    rows += [row(t.proposed, "subtotal"), row(t.proposed_frame, "total")]
    return [
        Table(
            "ramar",
            f"Preliminära budgetramar {years[1]}–{years[-1]}",
            (header,),
            tuple(rows),
            unit="tkr",
            note=(
                "Kostnader med minustecken. Nämndens förslag till justeringar räknas med "
                "delårseffekt startåret och helårseffekt åren efter."
            ),
            numeric_columns=tuple(range(1, len(header))),
        ),
        _criteria_list(),
    ]


@block("proposals_summary")
def proposals_summary(ctx: Ctx) -> list:
    if _plan(ctx) is None:
        return []
    plan, t = _plan(ctx), _table(ctx)
    if not t.proposals:
        return [
            Paragraph("Nämnden föreslår inga justeringar av driftbudgeten.", source="generated")
        ]
    header = ("Förslag", "BK", "Start", "Delårseffekt", "Helårseffekt", "Bilaga")
    rows = []
    for p in t.proposals:
        pr = p.proposal
        rows.append(
            Row(
                (
                    text(pr.title),
                    text(str(pr.criterion)),
                    text(f"{pr.start_year}-{pr.start_month:02d}"),
                    ctx.m(p.part_net),
                    ctx.m(p.full_net),
                    text(p.attachment),
                )
            )
        )
    part = sum((p.part_net for p in t.proposals), ZERO)
    full = sum((p.full_net for p in t.proposals), ZERO)
    rows.append(
        Row((text("Summa"), missing(), missing(), ctx.m(part), ctx.m(full), missing()), "total")
    )
    y = plan.budget_year
    return [
        Paragraph(
            f"Nämnden föreslår justeringar av driftbudgeten om sammanlagt {_mkr(full)} mkr i "
            f"helårseffekt ({_mkr(t.proposed.amounts[y])} mkr under {y}). Varje förslag "
            "uppfyller ett av bedömningskriterierna och beskrivs i bilaga 2.",
            source="generated",
        ),
        Table(
            "ramjusteringar",
            "Förslag till justeringar av driftbudgeten",
            (header,),
            tuple(rows),
            unit="tkr",
            note="Kostnader med minustecken.",
            numeric_columns=(3, 4),
        ),
    ]


@block("proposal_bases")
def proposal_bases(ctx: Ctx) -> list:
    if _plan(ctx) is None:
        return []
    t = _table(ctx)
    out: list = [_criteria_list()] if t.proposals else []
    level = min(ctx.section.level + 1, 4)
    for p in t.proposals:
        pr = p.proposal
        out.append(Section(f"bilaga2-{pr.number}", f"Bilaga {p.attachment} {pr.title}", level))
        out.append(
            Paragraph(
                f"Kriterium: BK {pr.criterion} {pr.get_criterion_display()}. "
                f"Beräknad start: {pr.start_year}-{pr.start_month:02d}.",
                source="generated",
            )
        )
        out.append(Paragraph(pr.description, source="text"))
        rows = []
        for label, part, full, fte in p.lines:
            rows.append(
                Row(
                    (
                        text(label),
                        ctx.m(part) if full is not None else missing(),
                        ctx.m(full) if full is not None else missing(),
                        text(format_number(fte, 1)) if fte is not None else missing(),
                    )
                )
            )
        rows.insert(
            4,
            Row(
                (text("Summa kostnader"), ctx.m(p.part_costs), ctx.m(p.full_costs), missing()),
                "subtotal",
            ),
        )
        rows.append(
            Row(
                (text("Summa nettokostnader"), ctx.m(p.part_net), ctx.m(p.full_net), missing()),
                "total",
            )
        )
        out.append(
            Table(
                f"bilaga2_{pr.number}",
                f"Ekonomiska effekter, bilaga {p.attachment}",
                (("Kostnadstyp", "Delårseffekt", "Helårseffekt", "Antal årsarbetare"),),
                tuple(rows),
                unit="tkr",
                note="Kostnader med minustecken.",
                numeric_columns=(1, 2, 3),
            )
        )
        if pr.motivation:
            out.append(Paragraph(f"**Varför justeringen inte ryms i ramen:** {pr.motivation}"))
        if pr.consequence:
            out.append(Paragraph(f"**Om ramjusteringen inte ges:** {pr.consequence}"))
    if not t.proposals:
        out.append(
            Paragraph("Nämnden föreslår inga justeringar av driftbudgeten.", source="generated")
        )
    return out


@block("efficiency_plan")
def efficiency_plan(ctx: Ctx) -> list:
    if _plan(ctx) is None:
        return []
    plan = _plan(ctx)
    e = selectors.efficiency_plan(plan, _table(ctx))
    if not e.measures:
        return [
            Paragraph("Nämnden har ingen effektiviseringsplan registrerad.", source="generated")
        ]
    years = plan.plan_years
    header = ("Åtgärd", "Område", *[str(y) for y in years])
    rows = []
    for m, per in e.measures:
        rows.append(
            Row(
                (
                    text(m.name),
                    text(m.area),
                    *[ctx.m(per[y][2]) if per[y][0] or per[y][1] else missing() for y in years],
                )
            )
        )
    by_year = {r.year: r for r in e.results}
    rows.append(
        Row((text("Nettobesparing"), missing(), *[ctx.m(by_year[y].net) for y in years]), "total")
    )
    rows.append(
        Row(
            (text("Effektiviseringskrav"), missing(), *[ctx.m(by_year[y].target) for y in years]),
            "subtotal",
        )
    )
    rows.append(
        Row(
            (
                text("Kravet uppfyllt"),
                missing(),
                *[text("Ja" if by_year[y].met else "Nej") for y in years],
            )
        )
    )
    detail = []
    for m, _per in e.measures:
        parts = [f"**{m.name}.**", m.content]
        if m.premise:
            parts.append(f"Förutsättningar: {m.premise}")
        if m.consequence:
            parts.append(f"Konsekvenser: {m.consequence}")
        if m.feasibility:
            parts.append(f"Genomförbarhet: {m.feasibility}")
        detail.append(" ".join(p for p in parts if p))
    first = by_year[years[0]]
    verdict = "uppfyller" if first.met else "uppfyller inte"
    pct = format_number(e.percent, 1 if e.percent != e.percent.to_integral_value() else 0)
    return [
        Paragraph(
            f"Kravet är effektiviseringar om {pct} procent per år av ramen"
            + (" utom den del som är undantagen" if plan.efficiency_excluded else "")
            + f". Planens åtgärder för {years[0]} ger en nettobesparing om {_mkr(first.net)} "
            f"mkr och {verdict} kravet om {_mkr(first.target)} mkr.",
            source="generated",
        ),
        Table(
            "effektivisering",
            "Effektiviseringsplan, nettobesparing per år",
            (header,),
            tuple(rows),
            unit="tkr",
            note="Nettobesparing = besparing − kostnadsökning vid genomförande.",
            numeric_columns=tuple(range(2, len(header))),
        ),
        BulletList(tuple(detail), source="text"),
    ]


@block("grants_table")
def grants_table(ctx: Ctx) -> list:
    if _plan(ctx) is None:
        return []
    plan = _plan(ctx)
    grants = [selectors.grant_view(g) for g in selectors.grants_of(plan.committee)]
    years = plan.years
    grants = [g for g in grants if any(y in g.amounts for y in years)]
    if not grants:
        return [
            Paragraph(
                "Nämnden har inga statsbidrag registrerade för planperioden.", source="generated"
            )
        ]
    header = ("Statsbidrag (diarienummer)", *[str(y) for y in years])
    rows = []
    for g in grants:
        case = f" ({g.grant.case_number})" if g.grant.case_number else ""
        rows.append(
            Row(
                (
                    text(f"{g.grant.name}{case}"),
                    # a year the grant does not cover brings nothing: 0, not missing
                    *[ctx.m(g.amounts.get(y, ZERO)) for y in years],
                )
            )
        )
    rows.append(
        Row(
            (
                text("Summa"),
                *[ctx.m(sum((g.amounts.get(y, ZERO) for g in grants), ZERO)) for y in years],
            ),
            "total",
        )
    )
    out = [
        Table(
            "statsbidrag",
            "Statsbidrag per år",
            (header,),
            tuple(rows),
            unit="tkr",
            numeric_columns=tuple(range(1, len(header))),
        )
    ]
    givers = sorted({g.grant.grantor for g in grants if g.grant.grantor})
    if givers:
        out.append(Paragraph("Bidragsgivare: " + ", ".join(givers) + ".", source="generated"))
    problems = [
        f"{g.grant.name}: villkoret {p.rule} överskrids ({format_mnkr(p.actual, decimals=2)} mkr "
        f"mot högst {format_mnkr(p.limit, decimals=2)} mkr)."
        for g in grants
        for p in g.problems
    ]
    if problems:
        out.append(BulletList(tuple(problems), intro="Villkor som inte hålls:", source="generated"))
    return out


def _inv_cells(ctx, amounts: dict, years) -> list:
    """A year without a planned amount is a plan of nothing: shown as 0, not as missing."""
    return [ctx.m(amounts.get(y) or ZERO) for y in years]


SUM_LABELS = {
    "pagaende": "Summa pågående/planerade projekt",
    "nya": "Summa nya projekt",
    "fastighet": "Summa fastighetsinvesteringar",
}


@block("investment_plan")
def investment_plan(ctx: Ctx) -> list:
    if _plan(ctx) is None:
        return []
    plan = _plan(ctx)
    groups = selectors.investment_plan(plan)
    years = selectors.investment_years(plan)
    spans = [years[i : i + 4] for i in range(0, len(years), 4)]
    head = (
        "Investering",
        "Status",
        "Beslutat år",
        "Beslutad totalbudget",
        f"Ack. utfall t.o.m. {plan.first_year - 1}",
        "Ny totalbudget",
        "Ev. TB",
    )
    totals_rows: list = []
    year_rows: list[list] = [[] for _ in spans]
    for g in groups:
        if not g.rows:
            continue
        for rows in (totals_rows, *year_rows):
            rows.append(Row((text(g.label),), "section"))
        for r in g.rows:
            inv = r.investment
            label = text(f"{inv.number} {inv.name}")
            totals_rows.append(
                Row(
                    (
                        label,
                        text(inv.status),
                        text(str(inv.decided_year or "")),
                        _opt(ctx, inv.decided_total),
                        _opt(ctx, inv.outcome_to_date),
                        _opt(ctx, inv.new_total),
                        _opt(ctx, r.extra_budget),
                    )
                )
            )
            for rows, span in zip(year_rows, spans, strict=True):
                rows.append(Row((label, *_inv_cells(ctx, r.amounts, span))))
        s = g.sums
        name = text(SUM_LABELS.get(g.key, f"Summa {g.label}"))
        totals_rows.append(
            Row(
                (
                    name,
                    missing(),
                    missing(),
                    ctx.m(s["decided"]),
                    ctx.m(s["outcome"]),
                    ctx.m(s["new"]),
                    ctx.m(s["tb"]),
                ),
                "total",
            )
        )
        for rows, span in zip(year_rows, spans, strict=True):
            rows.append(Row((name, *[ctx.m(s[y]) for y in span]), "total"))
    if not any(g.rows for g in groups):
        return [Paragraph("Nämnden har ingen investeringsplan registrerad.", source="generated")]
    grand = {y: sum((g.sums[y] for g in groups), ZERO) for y in years}
    out = [
        Paragraph(
            "Status: Å = årlig anslagsfinansierad investering, P = planerad, B = beslutad. "
            "Ev. TB (eventuell tilläggsbudget) = ny totalbudget − beslutad totalbudget.",
            source="generated",
        ),
        Table(
            "investeringsplan",
            f"Investeringsplan i {plan.title}",
            (head,),
            tuple(totals_rows),
            unit="tkr",
            note="Utgifter med minustecken.",
            numeric_columns=(3, 4, 5, 6),
        ),
    ]
    for n, (rows, span) in enumerate(zip(year_rows, spans, strict=True), start=1):
        rows.append(
            Row((text("Summa investeringsutgifter"), *[ctx.m(grand[y]) for y in span]), "total")
        )
        heads = [str(y) for y in span]
        if span[-1] == years[-1]:
            heads[-1] = f"{span[-1]}–"  # the last column holds the years after too
        out.append(
            Table(
                f"investeringsplan_ar{n}",
                f"Investeringsplan per år {span[0]}–{heads[-1].rstrip('–')}",
                (("Investering", *heads),),
                tuple(rows),
                unit="tkr",
                numeric_columns=tuple(range(1, len(span) + 1)),
            )
        )
    return out


def _opt(ctx: Ctx, value):
    return missing() if value is None else ctx.m(value)


@block("investment_bases")
def investment_bases(ctx: Ctx) -> list:
    if _plan(ctx) is None:
        return []
    plan = _plan(ctx)
    out: list = []
    level = min(ctx.section.level + 1, 4)
    for inv in plan.investments.select_related("basis").order_by("group", "order"):
        view = selectors.basis_view(inv)
        if view is None:
            continue
        b = inv.basis
        out.append(
            Section(
                f"underlag-{inv.number.lower()}",
                f"Underlag till investeringsprojekt: {inv.name}",
                level,
            )
        )
        facts = [
            f"Projektnummer {inv.number}",
            f"prel. driftsättning {b.go_live_year}-{b.go_live_month:02d}",
        ]
        if b.officer:
            facts.append(f"handläggare {b.officer}")
        out.append(Paragraph(", ".join(facts) + ".", source="generated"))
        for label, value in (
            ("Beskrivning", b.description),
            ("Motivering", b.motivation),
            ("Konsekvens om investeringen inte görs", b.consequence),
        ):
            if value:
                out.append(Paragraph(f"**{label}:** {value}"))
        econ = (
            Row(
                (text("Projektutgift"), ctx.m(-abs(b.property_amount)), ctx.m(-abs(b.other_amount)))
            ),
            Row((text("Investeringsbidrag"), ctx.m(b.property_grant), ctx.m(b.other_grant))),
        )
        out.append(
            Table(
                f"underlag_{inv.number}_ekonomi",
                f"Projektekonomi, {inv.name}",
                (("(tkr)", "Fastighet", "Övrigt"),),
                econ,
                unit="tkr",
                numeric_columns=(1, 2),
            )
        )
        years = view.years
        for key, caption, rows_ in (
            ("fastighet", "Resultaträkning fastighetsinvestering", view.property_rows),
            ("ovrigt", "Resultaträkning övriga investeringar", view.other_rows),
        ):
            rows = [
                Row(
                    (text(label), *[ctx.m(values[y]) for y in years]),
                    "total" if label == "SUMMA" else "data",
                )
                for label, values in rows_
            ]
            out.append(
                Table(
                    f"underlag_{inv.number}_{key}",
                    f"{caption}, {inv.name}",
                    (("(tkr)", *[str(y) for y in years]),),
                    tuple(rows),
                    unit="tkr",
                    numeric_columns=tuple(range(1, len(years) + 1)),
                )
            )
        if b.components:
            comps = [
                f"{c['name']}: {format_number(Decimal(c['amount']) / 1000, 0)} tkr, {c['life']} år"
                for c in b.components
            ]
            out.append(
                BulletList(
                    tuple(comps),
                    intro=(
                        "Avskrivning per komponent från månaden efter driftsättning; "
                        f"internränta {format_number(b.interest_rate, 2)} %."
                    ),
                    source="generated",
                )
            )
        if any(view.rent.values()):
            out.append(
                Paragraph(
                    "Hyreskonsekvens: "
                    + ", ".join(f"{y} {format_number(view.rent[y] / 1000, 0)} tkr" for y in years)
                    + ".",
                    source="generated",
                )
            )
    if not out:
        out.append(Paragraph("Inga investeringsunderlag är registrerade.", source="generated"))
    return out


def _outcome_text(value: Decimal, unit: str) -> str:
    value = Decimal(value).normalize()
    decimals = max(0, -value.as_tuple().exponent)
    return format_number(value, decimals) + ("\u00a0%" if unit == "%" else "")


@block("plan_targets")
def plan_targets(ctx: Ctx) -> list:
    """Measures with a target for the plan years (from the goals register)."""
    if _plan(ctx) is None:
        return []
    from styra.goals.models import Measure

    plan = _plan(ctx)
    years = plan.plan_years
    last = plan.first_year - 1
    measures = (
        Measure.objects.filter(goal__committee=plan.committee)
        .prefetch_related("targets", "outcomes")
        .order_by("goal__code", "pk")
    )
    from .models import MeasureMark

    marks = {mk.measure_id: mk.label for mk in MeasureMark.objects.filter(plan=plan)}
    rows = []
    for m in measures:
        targets = {t.year: t for t in m.targets.all() if t.year in years and t.gender == "T"}
        if not targets:
            continue
        outcome = next((o for o in m.outcomes.all() if o.year == last and o.gender == "T"), None)
        shown = (
            _outcome_text(outcome.value, m.unit) if outcome and outcome.value is not None else ""
        )
        rows.append(
            Row(
                (
                    text(m.name),
                    text(shown) if shown else missing(),
                    *[
                        text(targets[y].as_calc().label(m.unit)) if y in targets else missing()
                        for y in years
                    ],
                    *([text(marks.get(m.pk, ""))] if marks else []),
                )
            )
        )
    if not rows:
        return [Paragraph("Inga målsatta mått har mål för planåren.", source="generated")]
    return [
        Table(
            "malvarden",
            "Målsatta mått med mål för planåren",
            (
                (
                    "Målsatt mått",
                    f"Utfall {last}",
                    *[f"Mål {y}" for y in years],
                    *(["Förslag"] if marks else []),
                ),
            ),
            tuple(rows),
        )
    ]


REQUISITIONED = ("rekvirerat", "aterrapporterat", "avslutat")


@block("grants_requisitioned")
def grants_requisitioned(ctx: Ctx) -> list:
    """The månadsrapport's "Följande statsbidrag har rekvirerats": the register's grants
    of the committee requisitioned (or invoiced) for the report's year."""
    year = ctx.y
    items = []
    total = ZERO
    for g in selectors.grants_of(ctx.data.committee):
        amount = g.amounts.get(str(year))
        if amount is None or g.status not in REQUISITIONED:
            continue
        kronor = Decimal(amount)
        total += kronor
        case = f" ({g.case_number})" if g.case_number else ""
        purpose = f": {g.purpose.rstrip('.')}" if g.purpose else ""
        items.append(
            f"{g.name}{case}, {g.grantor}, {format_mnkr(kronor, decimals=2)} mkr{purpose}."
        )
    if not items:
        return [Paragraph(f"Inga statsbidrag är rekvirerade för {year}.", source="generated")]
    return [
        BulletList(
            tuple(items),
            intro=(
                f"Sammanlagt {format_mnkr(total, decimals=2)} mkr för {year} enligt "
                "registret över statsbidrag."
            ),
            source="generated",
        )
    ]


@block("specification")
def specification(ctx: Ctx) -> list:
    """Bilaga 1's "Specifikation utifrån preliminära budgetramar"."""
    if _plan(ctx) is None:
        return []
    plan = _plan(ctx)
    spec = selectors.specification(plan, _table(ctx))
    label = {"utfall": "(utfall)", "budget": "(budget)", "plan": ""}
    header = ("(tkr)", *[f"{y} {label[spec.kinds[y]]}".strip() for y in spec.years])

    def cells(values: dict) -> list:
        return [
            ctx.m(values.get(y)) if values.get(y) is not None else missing() for y in spec.years
        ]

    rows = [
        Row((text("Kostnader"), *cells(spec.costs))),
        Row((text("Intäkter"), *cells(spec.revenues))),
        Row((text("Netto"), *cells(spec.net)), "total"),
    ]
    group_rows = [
        Row(
            (
                text(group),
                *[ctx.m(v[y]) if v[y] is not None else missing() for y in plan.plan_years],
            )
        )
        for group, v in spec.groups
    ]
    group_rows.append(
        Row(
            (
                text("Summa intäkter"),
                *[
                    ctx.m(spec.revenues[y]) if spec.revenues[y] is not None else missing()
                    for y in plan.plan_years
                ],
            ),
            "total",
        )
    )
    out = [
        Table(
            "specifikation",
            "Specifikation utifrån preliminära budgetramar",
            (header,),
            tuple(rows),
            unit="tkr",
            note=(
                f"{spec.years[0]}: utfall enligt huvudboken, {spec.years[1]}: aktuell budget; "
                "planåren: ramen, med kostnader = ram − planerade intäkter."
            ),
            numeric_columns=tuple(range(1, len(header))),
        )
    ]
    if any(v is not None for _g, vals in spec.groups for v in vals.values()):
        out.append(
            Table(
                "specifikation_intakter",
                "Specifikation intäkter",
                (("(tkr)", *[str(y) for y in plan.plan_years]),),
                tuple(group_rows),
                unit="tkr",
                numeric_columns=tuple(range(1, len(plan.plan_years) + 1)),
            )
        )
    return out
