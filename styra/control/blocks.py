"""The control papers' blocks for the one report registry (styra.reports.builders):
the internkontrollplan, its follow-up in the verksamhetsberättelse, and the quarterly
report of ej verkställda beslut. The definitions are the YAML files in control/reports/.
"""

from __future__ import annotations

from django.db import models

from styra.reports.blocks import Chart, Paragraph, Row, Table, number, text
from styra.reports.builders import OWN_SUMMARY
from styra.reports.builders.context import Ctx, block

from . import calc, selectors
from .models import ControlPlan


def _plan(ctx: Ctx) -> ControlPlan | None:
    return ControlPlan.objects.filter(committee=ctx.data.committee, year=ctx.data.year).first()


def _risks(ctx: Ctx):
    plan = _plan(ctx)
    return plan, (selectors.plan_risks(plan) if plan else [])


def _no_plan(ctx: Ctx) -> list:
    return [
        Paragraph(
            f"{ctx.data.committee.name} har ingen internkontrollplan för {ctx.data.year}.",
            source="notice",
        )
    ]


def ic_lead(committee, year: int) -> str:
    """The plan's first sentence (the report's summary, too)."""
    plan = ControlPlan.objects.filter(committee=committee, year=year).first()
    if plan is None:
        return f"{committee.name} har ingen internkontrollplan för {year}."
    risks = plan.risks.count()
    controls = sum(r.controls.count() for r in plan.risks.all())
    decided = []
    if plan.adopted_on:
        decided.append(f"antogs {plan.adopted_on:%Y-%m-%d}")
    if plan.revised_on:
        decided.append(f"reviderades senast {plan.revised_on:%Y-%m-%d}")
    return (
        f"{committee.name}s internkontrollplan för {plan.year} omfattar "
        f"{risks} risker och {controls} kontroller"
        + (f"; planen {' och '.join(decided)} (version {plan.version})" if decided else "")
        + "."
    )


@block("ic_intro")
def ic_intro(ctx: Ctx) -> list:
    plan = _plan(ctx)
    if plan is None:
        return _no_plan(ctx)
    out = [Paragraph(ic_lead(ctx.data.committee, ctx.data.year), source="generated")]
    if plan.introduction:
        out.append(Paragraph(plan.introduction))
    return out


@block("ic_grading")
def ic_grading(ctx: Ctx) -> list:
    header = (("Grad", "Sannolikhet", "Konsekvens"),)
    rows = tuple(
        Row((text(str(g)), text(calc.LIKELIHOOD_LABELS[g]), text(calc.CONSEQUENCE_LABELS[g])))
        for g in calc.GRADES
    )
    return [
        Paragraph(
            "Varje risk graderas efter sannolikhet och konsekvens från 1 till 4. Riskvärdet är "
            "sannolikheten gånger konsekvensen (1–16).",
        ),
        Table("gradering", "Gradering av sannolikhet och konsekvens", header, rows),
    ]


def _number_list(ns) -> str:
    return ", ".join(str(n) for n in ns) if ns else "–"


@block("ic_matrix")
def ic_matrix(ctx: Ctx) -> list:
    plan, risks = _risks(ctx)
    if plan is None:
        return []
    matrix = selectors.risk_matrix(
        risks, title=f"Riskmatris {plan.year}, {ctx.data.committee.name}"
    )
    header = (("Sannolikhet", *(f"Konsekvens {k}" for k, _, _ in matrix.rows[0][1])),)
    rows = tuple(
        Row((text(label), *(text(_number_list(ns)) for _, _, ns in cells)))
        for label, cells in matrix.rows
    )
    data = Table(
        "riskmatris",
        "Riskmatrisen: riskernas nummer per sannolikhet och konsekvens",
        header,
        rows,
        note="Numren är riskernas nummer i nettolistan.",
    )
    return [Chart("riskmatris", f"Riskmatris {plan.year}", matrix.alt, matrix.svg, data)]


@block("ic_risks")
def ic_risks(ctx: Ctx) -> list:
    plan, risks = _risks(ctx)
    if plan is None:
        return []
    header = (
        ("Nr", "Område", "Risk", "Ägare", "Sannolikhet", "Konsekvens", "Riskvärde", "Motivering"),
    )
    rows = tuple(
        Row(
            (
                text(str(n)),
                text(r.area),
                text(r.name),
                text(r.owner_tag),
                text(f"{r.likelihood} {r.likelihood_label}"),
                text(f"{r.consequence} {r.consequence_label}"),
                number(r.value),
                text(r.motivation or "–"),
            )
        )
        for n, r in enumerate(risks, start=1)
    )
    return [Table("risker", "Nettolista över risker", header, rows, numeric_columns=(6,))]


@block("ic_controls")
def ic_controls(ctx: Ctx) -> list:
    plan, risks = _risks(ctx)
    if plan is None:
        return []
    header = (("Risk nr", "Kontroll", "Beskrivning", "Metod och urval", "Månader", "Ansvarig"),)
    rows = []
    for n, r in enumerate(risks, start=1):
        for c in r.controls.all():
            method = " – ".join(x for x in (c.method, c.sample_rule) if x) or "–"
            rows.append(
                Row(
                    (
                        text(str(n)),
                        text(c.name),
                        text(c.description or "–"),
                        text(method),
                        text(c.months_label),
                        text(c.responsible_role or (c.responsible.name if c.responsible else "–")),
                    )
                )
            )
    return [Table("kontroller", "Årets planerade kontroller", header, tuple(rows))]


# ------------------------------------------------------------------ ej verkställda beslut


def _quarter(ctx: Ctx) -> tuple[int, int] | None:
    code = ctx.data.code
    if code is None or code.kind.value != "quarter":
        return None
    return code.year, code.number


def _lines(ctx: Ctx):
    from .models import QuarterReport

    yq = _quarter(ctx)
    if yq is None:
        return None
    return list(
        QuarterReport.objects.filter(
            decision__committee=ctx.data.committee, year=yq[0], quarter=yq[1]
        ).select_related("decision")
    )


def _waited(line) -> int:
    d = line.decision
    y, q = line.year, line.quarter
    end = d.executed_on or d.closed_on or calc.quarter_end(y, q)
    return calc.days_waited(d.decision_date, min(end, calc.quarter_end(y, q)))


def evb_lead(committee, year: int, quarter: int) -> str:
    """The quarter's first sentence (the report's summary, too): counts only."""
    from .models import QuarterReport

    rows = QuarterReport.objects.filter(decision__committee=committee, year=year, quarter=quarter)
    counts = {s: rows.filter(status=s).count() for s in calc.STATUSES}
    return (
        f"Kvartal {quarter} {year} rapporterar {committee.name} {sum(counts.values())} "
        f"gynnande beslut som inte verkställts inom tre månader: {counts[calc.NEW]} nya, "
        f"{counts[calc.AGAIN]} rapporterade tidigare och ännu inte verkställda, "
        f"{counts[calc.EXECUTED]} som nu är verkställda och {counts[calc.CLOSED]} som "
        "avslutats utan att verkställas."
    )


NOT_A_QUARTER = "Rapporten gäller ett kvartal, t.ex. 2023-K2."


@block("evb_summary")
def evb_summary(ctx: Ctx) -> list:
    yq = _quarter(ctx)
    if yq is None:
        return [Paragraph(NOT_A_QUARTER, source="notice")]
    return [
        Paragraph(evb_lead(ctx.data.committee, *yq), source="generated"),
        Paragraph(
            "Rapporten till Inspektionen för vård och omsorg (IVO) innehåller uppgifter om de "
            "enskilda. Den här versionen till nämnden, revisorerna och kommunfullmäktige "
            "redovisar bara antal och innehåller inga personuppgifter."
            if not ctx.data.identifiable
            else "Den här versionen innehåller identifierbara uppgifter och går till IVO. "
            "Den omfattas av sekretess (OSL 26 kap. 1 §) och får inte publiceras.",
        ),
    ]


def _own_plan(committee, event):
    return f"Internkontrollplan {event.year}", ic_lead(committee, event.year)


def _own_unexecuted(committee, event):
    from styra.lib.eventcodes import EventKind, parse_event_code

    code = parse_event_code(event.code)
    if code.kind is not EventKind.QUARTER:
        return "Ej verkställda beslut", NOT_A_QUARTER
    return (
        f"Ej verkställda beslut, kvartal {code.number} {code.year}",
        evb_lead(committee, code.year, code.number),
    )


OWN_SUMMARY["internkontrollplan"] = _own_plan
OWN_SUMMARY["ej-verkstallda"] = _own_unexecuted


def _status_header(first: str) -> tuple[tuple[str, ...], ...]:
    return ((first, "Nya", "Ej verkställda sedan tidigare", "Verkställda", "Avslutade", "Summa"),)


def _count_rows(lines, key, labels: dict) -> tuple[Row, ...]:
    rows = []
    for value, label in labels.items():
        mine = [x for x in lines if key(x) == value]
        if not mine:
            continue
        rows.append(
            Row(
                (
                    text(label),
                    *(number(sum(1 for x in mine if x.status == s)) for s in calc.STATUSES),
                    number(len(mine)),
                )
            )
        )
    rows.append(
        Row(
            (
                text("Summa"),
                *(number(sum(1 for x in lines if x.status == s)) for s in calc.STATUSES),
                number(len(lines)),
            ),
            kind="total",
        )
    )
    return tuple(rows)


@block("evb_by_type")
def evb_by_type(ctx: Ctx) -> list:
    from .models import DecisionType

    lines = _lines(ctx)
    if lines is None:
        return []
    return [
        Table(
            "per_beslutstyp",
            "Beslut per beslutstyp och status",
            _status_header("Beslutstyp"),
            _count_rows(lines, lambda x: x.decision.decision_type, dict(DecisionType.choices)),
            numeric_columns=(1, 2, 3, 4, 5),
        )
    ]


@block("evb_waiting")
def evb_waiting(ctx: Ctx) -> list:
    lines = _lines(ctx)
    if lines is None:
        return []
    header = (
        ("Status", "Antal", "Kortast väntetid, dagar", "Längst väntetid, dagar", "Medel, dagar"),
    )
    rows = []
    for s in calc.STATUSES:
        days = sorted(_waited(x) for x in lines if x.status == s)
        if not days:
            continue
        from decimal import ROUND_HALF_UP, Decimal

        mean = (Decimal(sum(days)) / len(days)).quantize(Decimal(1), ROUND_HALF_UP)
        rows.append(
            Row(
                (
                    text(calc.STATUS_LABELS[s]),
                    number(len(days)),
                    number(days[0]),
                    number(days[-1]),
                    number(mean),
                )
            )
        )
    return [
        Table(
            "vantetid",
            "Väntetid från beslut till verkställighet, avslut eller kvartalets slut",
            header,
            tuple(rows),
            numeric_columns=(1, 2, 3, 4),
        )
    ]


@block("evb_reasons")
def evb_reasons(ctx: Ctx) -> list:
    from .models import DelayReason

    lines = _lines(ctx)
    if lines is None:
        return []
    return [
        Table(
            "skal",
            "Skäl till att besluten inte verkställts i tid",
            _status_header("Skäl"),
            _count_rows(lines, lambda x: x.decision.reason, dict(DelayReason.choices)),
            numeric_columns=(1, 2, 3, 4, 5),
        )
    ]


@block("evb_statistics")
def evb_statistics(ctx: Ctx) -> list:
    from .models import AgeGroup, Gender

    lines = _lines(ctx)
    if lines is None:
        return []
    header = (("Åldersgrupp", *(label for _, label in Gender.choices), "Summa"),)
    rows = []
    for age, age_label in AgeGroup.choices:
        mine = [x for x in lines if x.decision.age_group == age]
        if not mine:
            continue
        rows.append(
            Row(
                (
                    text(age_label),
                    *(
                        number(sum(1 for x in mine if x.decision.gender == g))
                        for g in Gender.values
                    ),
                    number(len(mine)),
                )
            )
        )
    rows.append(
        Row(
            (
                text("Summa"),
                *(number(sum(1 for x in lines if x.decision.gender == g)) for g in Gender.values),
                number(len(lines)),
            ),
            kind="total",
        )
    )
    return [
        Table(
            "kon_alder",
            "Beslut per kön och åldersgrupp",
            header,
            tuple(rows),
            numeric_columns=(1, 2, 3, 4),
        )
    ]


@block("evb_persons")
def evb_persons(ctx: Ctx) -> list:
    """Per decision with the person: only in the identifiable (IVO) version."""
    if not ctx.data.identifiable:
        return [
            Paragraph(
                "Uppgifter om de enskilda besluten och personerna finns bara i versionen till "
                "IVO, som omfattas av sekretess.",
                source="notice",
            )
        ]
    lines = _lines(ctx)
    if lines is None:
        return []
    header = (
        (
            "Namn",
            "Personnummer",
            "Ärende",
            "Lagrum",
            "Beslutstyp",
            "Beslutsdatum",
            "Tre månader",
            "Status",
            "Verkställt eller avslutat",
            "Skäl",
        ),
    )
    rows = []
    for x in sorted(lines, key=lambda x: (calc.STATUSES.index(x.status), x.decision.decision_date)):
        d = x.decision
        end = d.executed_on or d.closed_on
        why = d.closed_reason if d.closed_on else (d.reason_text or d.get_reason_display())
        rows.append(
            Row(
                (
                    text(d.person_name),
                    text(d.person_number),
                    text(d.reference),
                    text(d.get_law_display()),
                    text(d.get_decision_type_display()),
                    text(f"{d.decision_date:%Y-%m-%d}"),
                    text(f"{d.three_months_date:%Y-%m-%d}"),
                    text(x.get_status_display()),
                    text(f"{end:%Y-%m-%d}" if end else "–"),
                    text(why),
                )
            )
        )
    return [Table("beslut", "Besluten, identifierbara uppgifter (till IVO)", header, tuple(rows))]


# ------------------------------------------------------------------ the annual report's section


@block("ic_follow_up")
def ic_follow_up(ctx: Ctx) -> list:
    """Uppföljning av intern kontroll (verksamhetsberättelsen): every control's results up
    to the event's cut-off, and the actions from controls and audits with their state then.
    Nothing (the section is left out) when the committee has no plan for the year."""
    from .models import Action

    plan, risks = _risks(ctx)
    if plan is None:
        return []
    code = ctx.data.code
    until = code.cutoff_date if code is not None and code.cutoff_date else None
    controls = [c for r in risks for c in r.controls.all()]

    def results_of(c):
        return [res for res in c.results.all() if until is None or res.performed_on <= until]

    done = [c for c in controls if results_of(c)]
    all_results = [res for c in controls for res in results_of(c)]
    deficient = [res for res in all_results if res.assessment == "deficient"]
    rows = []
    for c in controls:
        res = results_of(c)
        if not res:
            rows.append(Row((text(c.name), text("Inte genomförd"), text("–"), text("–"))))
            continue
        dates = ", ".join(f"{x.performed_on:%Y-%m-%d}" for x in res)
        judged = (
            "Med brister" if any(x.assessment == "deficient" for x in res) else "Utan anmärkning"
        )
        findings = " ".join(x.findings for x in res if x.findings) or "–"
        rows.append(Row((text(c.name), text(dates), text(judged), text(findings))))
    actions = list(
        Action.objects.filter(committee=ctx.data.committee)
        .filter(
            models.Q(result__control__risk__plan=plan)
            | models.Q(recommendation__report__committee=ctx.data.committee)
        )
        .select_related("responsible", "result__control", "recommendation__report")
        .order_by("due_on", "pk")
    )
    if until is not None:
        actions = [
            a
            for a in actions
            if (a.result is None or a.result.performed_on <= until)
            and (a.recommendation is None or a.recommendation.report.letter_date <= until)
        ]
    finished = [a for a in actions if a.done_on and (until is None or a.done_on <= until)]
    out = [
        Paragraph(
            f"Av planens {len(controls)} kontroller har {len(done)} genomförts "
            f"({len(all_results)} tillfällen): {len(all_results) - len(deficient)} utan "
            f"anmärkning och {len(deficient)} med brister. Av {len(actions)} åtgärder efter "
            f"kontroller och revisionens granskningar är {len(finished)} genomförda.",
            source="generated",
        ),
        Table(
            "ik_resultat",
            "Kontrollernas resultat",
            (("Kontroll", "Genomförd", "Bedömning", "Iakttagelser"),),
            tuple(rows),
        ),
    ]
    if actions:
        ref = until or calc.quarter_end(ctx.data.year, 4)
        out.append(
            Table(
                "ik_atgarder",
                "Åtgärder och hur långt de kommit",
                (("Åtgärd", "Från", "Ansvarig", "Klart senast", "Läge"),),
                tuple(
                    Row(
                        (
                            text(a.description),
                            text(
                                f"Kontroll: {a.result.control.name}"
                                if a.result_id
                                else f"Revision: {a.recommendation.report.title}"
                            ),
                            text(a.responsible_text or "–"),
                            text(f"{a.due_on:%Y-%m-%d}"),
                            text(
                                f"Genomförd {a.done_on:%Y-%m-%d}"
                                if a in finished
                                else ("Försenad" if a.due_on < ref else "Pågår")
                            ),
                        )
                    )
                    for a in actions
                ),
            )
        )
    return out
