"""Every write of internal control and the registers; each takes a required actor.

Rights (docs/roles.md): the plan (risks, controls, revisions) is the controller's
(FINANCE on the committee); results and actions are entered by whoever may edit the
committee (EDIT) or by the person responsible for the control or the action.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from styra.calendar.locks import event_ensure_open
from styra.calendar.models import ReportingEvent
from styra.org import access
from styra.org.access import user_of
from styra.org.models import NodeKind, OrgNode, Person

from . import calc
from .models import (
    Action,
    ActionPlan,
    ActionPlanItem,
    ActionPlanStatus,
    AgeGroup,
    Assessment,
    AuditAnswer,
    AuditQuestion,
    AuditReport,
    Control,
    ControlPlan,
    ControlResult,
    DecisionType,
    DelayReason,
    Gender,
    ItemStatus,
    Law,
    PlanKind,
    PlanVersion,
    QuarterReport,
    Recommendation,
    Risk,
    SamCheck,
    UnexecutedDecision,
)


def _committee(node: OrgNode) -> OrgNode:
    committee = node.committee()
    if committee is None or committee.kind != NodeKind.COMMITTEE:
        raise ValidationError(f"{node.name} hör inte till någon nämnd.")
    return committee


def _is_person(actor, person: Person | None) -> bool:
    return (
        person is not None
        and person.user_id is not None
        and getattr(actor, "pk", None) == person.user_id
    )


def _require_edit_or_responsible(actor, committee: OrgNode, *persons: Person | None) -> None:
    access.check_actor(actor)
    if access.can(actor, access.EDIT, committee):
        return
    if any(_is_person(actor, p) for p in persons):
        return
    raise PermissionDenied(
        f"Du saknar behörighet att registrera kontrollresultat och åtgärder för {committee.name}."
    )


def may_enter_result(actor, control: Control) -> bool:
    """Whether the actor may register results of the control (for pages; the service
    checks again)."""
    committee = control.risk.plan.committee
    return access.can(actor, access.EDIT, committee) or _is_person(actor, control.responsible)


def _check_person(person: Person | None, committee: OrgNode, what: str) -> None:
    if person is not None and person.municipality_id != committee.municipality_id:
        raise ValidationError(f"{what} hör inte till {committee.municipality.name}.")


# ------------------------------------------------------------------ the plan


@transaction.atomic
def plan_ensure(*, actor, committee: OrgNode, year: int, introduction: str | None = None):
    """The committee's internkontrollplan for the year, created when missing."""
    access.require(actor, access.FINANCE, committee)
    if committee.kind != NodeKind.COMMITTEE:
        raise ValidationError(f"{committee.name} är ingen nämnd.")
    plan, _ = ControlPlan.objects.get_or_create(committee=committee, year=year)
    if introduction is not None and plan.introduction != introduction:
        plan.introduction = introduction
        plan.save(update_fields=["introduction"])
    return plan


def _grades(likelihood, consequence) -> None:
    try:
        calc.risk_value(likelihood, consequence)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


@transaction.atomic
def risk_save(
    *,
    actor,
    plan: ControlPlan,
    area: str,
    name: str,
    likelihood: int,
    consequence: int,
    owner_tag: str = "",
    motivation: str = "",
    order: int | None = None,
    risk: Risk | None = None,
) -> Risk:
    """Add a risk to the plan, or change one (riskvärde is always computed)."""
    access.require(actor, access.FINANCE, plan.committee)
    if risk is not None and risk.plan_id != plan.pk:
        raise ValidationError("Risken hör till en annan plan.")
    _grades(likelihood, consequence)
    if not name.strip():
        raise ValidationError("Beskriv risken.")
    if risk is None:
        risk = Risk.objects.filter(plan=plan, name=name.strip()).first() or Risk(plan=plan)
    if order is None and risk.pk is None:
        order = plan.risks.count() + 1
    risk.area = area.strip()
    risk.name = name.strip()
    risk.owner_tag = owner_tag.strip()
    risk.likelihood = likelihood
    risk.consequence = consequence
    risk.motivation = motivation.strip()
    if order is not None:
        risk.order = order
    risk.full_clean()
    risk.save()
    return risk


@transaction.atomic
def control_save(
    *,
    actor,
    risk: Risk,
    name: str,
    description: str = "",
    method: str = "",
    sample_rule: str = "",
    months: Sequence[int] | str = (),
    responsible_role: str = "",
    responsible: Person | None = None,
    order: int | None = None,
    control: Control | None = None,
) -> Control:
    """Add a control to a risk, or change one. The sample rule's numbers are read from its
    text ("10 procent …", "minst 15 … per kvartal"); months come as numbers or as text."""
    committee = risk.plan.committee
    access.require(actor, access.FINANCE, committee)
    if control is not None and control.risk_id != risk.pk:
        raise ValidationError("Kontrollen hör till en annan risk.")
    _check_person(responsible, committee, "Den ansvariga")
    if not name.strip():
        raise ValidationError("Ge kontrollen ett namn.")
    try:
        month_list = calc.parse_months(months) if isinstance(months, str) else tuple(months)
        for m in month_list:
            if not 1 <= int(m) <= 12:
                raise ValueError(f"månad {m} finns inte (1–12)")
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    if control is None:
        control = Control.objects.filter(risk=risk, name=name.strip()).first() or Control(risk=risk)
    if order is None and control.pk is None:
        order = risk.controls.count() + 1
    rule = calc.sample_rule_from_text(sample_rule)
    control.name = name.strip()
    control.description = description.strip()
    control.method = method.strip()
    control.sample_rule = sample_rule.strip()
    control.sample_percent = rule.percent
    control.sample_minimum = rule.minimum
    control.sample_per = rule.per
    control.months = sorted({int(m) for m in month_list})
    control.responsible_role = responsible_role.strip()
    control.responsible = responsible
    if order is not None:
        control.order = order
    control.full_clean()
    control.save()
    return control


def plan_content(plan: ControlPlan) -> dict:
    """The plan's risks and controls as plain data (what a revision freezes)."""
    return {
        "year": plan.year,
        "risks": [
            {
                "area": r.area,
                "name": r.name,
                "owner_tag": r.owner_tag,
                "likelihood": r.likelihood,
                "consequence": r.consequence,
                "value": r.value,
                "motivation": r.motivation,
                "controls": [
                    {
                        "name": c.name,
                        "description": c.description,
                        "method": c.method,
                        "sample_rule": c.sample_rule,
                        "months": list(c.months),
                        "responsible_role": c.responsible_role,
                    }
                    for c in r.controls.all()
                ],
            }
            for r in plan.risks.prefetch_related("controls")
        ],
    }


@transaction.atomic
def plan_revise(*, actor, plan: ControlPlan, decided_on: dt.date, note: str = "") -> PlanVersion:
    """Keep the plan as the committee decided it on a date: a new numbered version (the
    first decision is the adoption, later ones revisions)."""
    access.require(actor, access.FINANCE, plan.committee)
    plan = ControlPlan.objects.select_for_update().get(pk=plan.pk)
    last = plan.versions.order_by("-number").first()
    if last is not None and decided_on < last.decided_on:
        raise ValidationError(
            f"Version {last.number} beslutades {last.decided_on:%Y-%m-%d}; en revidering "
            "kan inte ligga före den."
        )
    number = (last.number + 1) if last else 1
    version = PlanVersion.objects.create(
        plan=plan,
        number=number,
        decided_on=decided_on,
        note=note.strip(),
        content=plan_content(plan),
        created_by=user_of(actor),
    )
    plan.version = number
    if number == 1:
        plan.adopted_on = decided_on
    else:
        plan.revised_on = decided_on
    plan.save(update_fields=["version", "adopted_on", "revised_on"])
    return version


# ------------------------------------------------------------------ plan file


@dataclass(frozen=True)
class PlanLoadResult:
    plan: ControlPlan
    risks: int
    controls: int
    new_versions: int


def plan_load(*, actor, path, municipality=None) -> PlanLoadResult:
    """Load an internkontrollplan from a file (docs/control.md): the committee's plan for
    the year, its risks and controls (a risk or control with the same name is updated),
    and the versions the file lists that the plan does not have yet. The whole file is
    checked first and stored in one transaction: any error stores nothing (InputError with
    file and line). Loading the same file again changes nothing."""
    from pathlib import Path

    from styra.lib.errors import InputError, Issue, UsageError
    from styra.org.selectors import committee_find

    from .readers import months_text, read_plan_file

    path = Path(path)
    file = str(path)
    data = read_plan_file(path).raise_if_errors()
    try:
        kommun = data.get("kommun")
        committee = committee_find(
            str(data["committee"]),
            municipality=municipality or (str(kommun) if kommun is not None else None),
        )
    except UsageError as exc:
        raise InputError([Issue(file, data.line_of("committee"), str(exc))]) from exc
    access.require(actor, access.FINANCE, committee)
    people = {
        p.user.username: p
        for p in Person.objects.filter(
            municipality=committee.municipality, user__isnull=False
        ).select_related("user")
    }
    missing = [
        Issue(
            file, c.line_of("responsible"), f"ingen person har användarnamnet {c['responsible']!r}"
        )
        for r in data["risks"]
        for c in r.get("controls") or []
        if c.get("responsible") and str(c["responsible"]) not in people
    ]
    if missing:
        raise InputError(missing)

    def text(row, key) -> str:
        value = row.get(key)
        return "" if value is None else str(value).strip()

    line = data.line
    try:
        with transaction.atomic():
            year = int(data["year"])
            plan = plan_ensure(
                actor=actor,
                committee=committee,
                year=year,
                introduction=text(data, "introduction") if "introduction" in data else None,
            )
            risks = controls = 0
            for order, r in enumerate(data["risks"], start=1):
                line = r.line
                risk = risk_save(
                    actor=actor,
                    plan=plan,
                    area=text(r, "area") or text(data, "area"),
                    name=text(r, "name"),
                    owner_tag=text(r, "owner"),
                    likelihood=r["likelihood"] if "likelihood" in r else r["s"],
                    consequence=r["consequence"] if "consequence" in r else r["k"],
                    motivation=text(r, "motivation"),
                    order=order,
                )
                risks += 1
                for c_order, c in enumerate(r.get("controls") or [], start=1):
                    line = c.line
                    control_save(
                        actor=actor,
                        risk=risk,
                        name=text(c, "name"),
                        description=text(c, "description"),
                        method=text(c, "method"),
                        sample_rule=text(c, "sample"),
                        months=months_text(c["months"]),
                        responsible_role=text(c, "role"),
                        responsible=people.get(text(c, "responsible")),
                        order=c_order,
                    )
                    controls += 1
            wanted = []
            if data.get("adopted_on") is not None:
                wanted.append((data.line_of("adopted_on"), data["adopted_on"], ""))
            for rev in data.get("revisions") or []:
                wanted.append((rev.line, rev["decided_on"], text(rev, "note")))
            have = plan.versions.count()
            for row_line, decided_on, note in wanted[have:]:
                line = row_line
                plan_revise(actor=actor, plan=plan, decided_on=decided_on, note=note)
    except ValidationError as exc:
        raise InputError([Issue(file, line, " ".join(exc.messages))]) from exc
    plan.refresh_from_db()
    return PlanLoadResult(plan, risks, controls, max(0, len(wanted) - have))


# ------------------------------------------------------------------ results and actions


@dataclass(frozen=True)
class ActionInput:
    description: str
    due_on: dt.date
    responsible: Person | None = None
    responsible_role: str = ""


def _action_check(a: ActionInput, committee: OrgNode, after: dt.date) -> None:
    if not a.description.strip():
        raise ValidationError("Beskriv åtgärden.")
    if a.responsible is None and not a.responsible_role.strip():
        raise ValidationError(f"Ange vem som ansvarar för åtgärden ”{a.description.strip()}”.")
    _check_person(a.responsible, committee, "Den ansvariga för åtgärden")
    if a.due_on < after:
        raise ValidationError(
            f"Åtgärden ”{a.description.strip()}” kan inte vara klar före {after:%Y-%m-%d}."
        )


@transaction.atomic
def result_register(
    *,
    actor,
    control: Control,
    performed_on: dt.date,
    checked: str,
    assessment: str,
    population: int | None = None,
    sample_size: int | None = None,
    findings: str = "",
    actions: Sequence[ActionInput] = (),
) -> ControlResult:
    """Record one performance of a control: what was checked, the sample, the findings,
    the assessment and the actions it leads to."""
    plan = control.risk.plan
    committee = plan.committee
    _require_edit_or_responsible(actor, committee, control.responsible)
    if assessment not in Assessment.values:
        raise ValidationError("Välj bedömningen: utan anmärkning eller med brister.")
    if performed_on.year != plan.year:
        raise ValidationError(
            f"Kontrollen hör till planen för {plan.year}; datumet {performed_on:%Y-%m-%d} "
            "ligger utanför det året."
        )
    if not checked.strip():
        raise ValidationError("Beskriv vad som kontrollerades.")
    if assessment == Assessment.DEFICIENT and not findings.strip():
        raise ValidationError("En kontroll med brister behöver iakttagelserna beskrivna.")
    if population is not None and sample_size is not None and sample_size > population:
        raise ValidationError(
            f"Stickprovet ({sample_size}) kan inte vara större än populationen ({population})."
        )
    for a in actions:
        _action_check(a, committee, performed_on)
    result = ControlResult(
        control=control,
        performed_on=performed_on,
        checked=checked.strip(),
        population=population,
        sample_size=sample_size,
        findings=findings.strip(),
        assessment=assessment,
        created_by=user_of(actor),
    )
    result.full_clean()
    result.save()
    for a in actions:
        Action.objects.create(
            committee=committee,
            result=result,
            description=a.description.strip(),
            responsible=a.responsible,
            responsible_role=a.responsible_role.strip(),
            due_on=a.due_on,
        )
    return result


@transaction.atomic
def action_update(
    *, actor, action: Action, done_on: dt.date | None = None, follow_up: str | None = None
) -> Action:
    """Follow an action up: a comment, and the day it was done (None = still open)."""
    _require_edit_or_responsible(actor, action.committee, action.responsible)
    action.done_on = done_on
    if follow_up is not None:
        action.follow_up = follow_up.strip()
    action.full_clean()
    action.save()
    return action


# ------------------------------------------------------------------ ej verkställda beslut

_PERSON_NUMBER = re.compile(r"^(\d{6}|\d{8})[-+]?\d{4}$")


def _check_decision_fields(*, decision_type, gender, age_group, reason, law) -> None:
    for value, choices, what in (
        (decision_type, DecisionType, "beslutstyp"),
        (gender, Gender, "kön"),
        (age_group, AgeGroup, "åldersgrupp"),
        (reason, DelayReason, "skäl"),
        (law, Law, "lagrum"),
    ):
        if value not in choices.values:
            raise ValidationError(f"Okänd {what}; välj i listan.")


@transaction.atomic
def decision_register(
    *,
    actor,
    committee: OrgNode,
    reference: str,
    person_name: str,
    person_number: str,
    decision_type: str,
    decision_date: dt.date,
    gender: str,
    age_group: str,
    reason: str,
    reason_text: str = "",
    law: str = Law.SOL,
) -> UnexecutedDecision:
    """Register a decision not carried out within three months (identifiable data: only
    for those who may read confidential data). Registering the same reference again
    updates it."""
    access.require(actor, access.CONFIDENTIAL, committee)
    if committee.kind != NodeKind.COMMITTEE:
        raise ValidationError(f"{committee.name} är ingen nämnd.")
    _check_decision_fields(
        decision_type=decision_type, gender=gender, age_group=age_group, reason=reason, law=law
    )
    if not reference.strip() or not person_name.strip():
        raise ValidationError("Ange ärendereferens och namn.")
    number = person_number.strip().replace(" ", "")
    if not _PERSON_NUMBER.match(number):
        # The value itself is never echoed: messages end up on pages and in logs.
        raise ValidationError("Personnumret ska skrivas ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN.")
    values = dict(
        person_name=person_name.strip(),
        person_number=number,
        decision_type=decision_type,
        decision_date=decision_date,
        gender=gender,
        age_group=age_group,
        reason=reason,
        reason_text=reason_text.strip(),
        law=law,
    )
    old = (
        UnexecutedDecision.objects.select_for_update()
        .filter(committee=committee, reference=reference.strip())
        .first()
    )
    if old is not None and any(getattr(old, k) != v for k, v in values.items()):
        _ensure_reports_open(old)
    decision, _ = UnexecutedDecision.objects.update_or_create(
        committee=committee, reference=reference.strip(), defaults=values
    )
    return decision


def _ensure_reports_open(decision: UnexecutedDecision) -> None:
    """A decision reported as executed or closed, or in a quarter whose reporting event
    the committee has approved, keeps what was reported (ValidationError / LockedError)."""
    reported = decision.quarters.order_by("-year", "-quarter").first()
    if reported is not None and reported.status in calc.FINAL:
        raise ValidationError(
            f"Beslutet rapporterades som {reported.get_status_display().lower()} i kvartal "
            f"{reported.quarter} {reported.year}; det kan inte ändras."
        )
    codes = [f"{q.year}-K{q.quarter}" for q in decision.quarters.all()]
    for event in ReportingEvent.objects.filter(committee=decision.committee, code__in=codes):
        event_ensure_open(event, what=f"beslutet {decision.reference}")


@transaction.atomic
def decision_finish(
    *,
    actor,
    decision: UnexecutedDecision,
    executed_on: dt.date | None = None,
    closed_on: dt.date | None = None,
    closed_reason: str = "",
) -> UnexecutedDecision:
    """Record that a decision was carried out (verkställt) or closed without being carried
    out (avslutat, with the reason); both None reopens it."""
    access.require(actor, access.CONFIDENTIAL, decision.committee)
    if executed_on and closed_on:
        raise ValidationError("Ett beslut är antingen verkställt eller avslutat, inte båda.")
    end = executed_on or closed_on
    if end is not None and end < decision.decision_date:
        raise ValidationError("Datumet ligger före beslutsdatumet.")
    if closed_on and not closed_reason.strip():
        raise ValidationError("Ange varför beslutet avslutades utan att verkställas.")
    reported = decision.quarters.order_by("-year", "-quarter").first()
    if reported is not None and reported.status in calc.FINAL:
        raise ValidationError(
            f"Beslutet rapporterades som {reported.get_status_display().lower()} i kvartal "
            f"{reported.quarter} {reported.year}; det kan inte ändras."
        )
    decision.executed_on = executed_on
    decision.closed_on = closed_on
    decision.closed_reason = closed_reason.strip() if closed_on else ""
    decision.save(update_fields=["executed_on", "closed_on", "closed_reason"])
    return decision


@transaction.atomic
def quarter_compile(*, actor, committee: OrgNode, year: int, quarter: int) -> list[QuarterReport]:
    """Set every decision's status in the quarter's report from the rules (new, reported
    again, executed, closed), after the previous quarter's. A quarter whose reporting event
    the committee has approved is frozen."""
    access.require(actor, access.CONFIDENTIAL, committee)
    if not 1 <= quarter <= 4:
        raise ValidationError(f"Kvartal {quarter} finns inte (1–4).")
    code = f"{year}-K{quarter}"
    event = ReportingEvent.objects.filter(committee=committee, code=code).first()
    if event is not None:
        event_ensure_open(event, what="ej verkställda beslut")
    end = calc.quarter_end(year, quarter)
    py, pq = calc.previous_quarter(year, quarter)
    out = []
    decisions = UnexecutedDecision.objects.filter(committee=committee, decision_date__lte=end)
    for d in decisions.select_for_update():
        earlier = d.quarters.filter(
            models.Q(year__lt=year) | models.Q(year=year, quarter__lt=quarter)
        )
        last = earlier.order_by("-year", "-quarter").first()
        try:
            status = calc.quarter_status(
                decision_date=d.decision_date,
                year=year,
                quarter=quarter,
                executed_on=d.executed_on,
                closed_on=d.closed_on,
                reported_before=last is not None,
            )
            if status is not None:
                calc.check_transition(last.status if last else None, status)
        except ValueError as exc:
            raise ValidationError(f"{d}: {exc}") from exc
        if status is None:
            QuarterReport.objects.filter(decision=d, year=year, quarter=quarter).delete()
            continue
        if (
            last is not None
            and (last.year, last.quarter) != (py, pq)
            and last.status not in calc.FINAL
        ):
            raise ValidationError(
                f"{d}: kvartal {pq} {py} är inte sammanställt; sammanställ kvartalen i ordning."
            )
        row, _ = QuarterReport.objects.update_or_create(
            decision=d, year=year, quarter=quarter, defaults={"status": status}
        )
        out.append(row)
    return out


# ------------------------------------------------------------------ audit answers


def _require_audit(actor, committee: OrgNode) -> None:
    """The secretary (MEETINGS) or the controller (FINANCE) answers the auditors."""
    access.check_actor(actor)
    if access.can(actor, access.MEETINGS, committee) or access.can(
        actor, access.FINANCE, committee
    ):
        return
    raise PermissionDenied(
        f"Du saknar behörighet att arbeta med revisionssvar för {committee.name}."
    )


@dataclass(frozen=True)
class QuestionInput:
    text: str
    assessment: str  # "ja", "delvis", "nej"


@transaction.atomic
def audit_register(
    *,
    actor,
    case,
    title: str,
    letter_date: dt.date,
    deadline: dt.date,
    extended_to: dt.date | None = None,
    auditor: str = "",
    conclusion: str = "",
    questions: Sequence[QuestionInput] = (),
    recommendations: Sequence[str] = (),
) -> AuditReport:
    """Register a revisionsrapport on a case: its questions with the auditors' assessment
    (Ja / Delvis / Nej), its recommendations, and the date the yttrande is due."""
    committee = case.committee
    access.require(actor, access.MEETINGS, committee)
    if not title.strip():
        raise ValidationError("Ange granskningens rubrik.")
    if deadline < letter_date:
        raise ValidationError("Sista dagen för yttrandet kan inte ligga före revisionsskrivelsen.")
    try:
        calc.effective_deadline(deadline, extended_to)
    except ValueError as exc:
        raise ValidationError(str(exc).capitalize() + ".") from exc
    for q in questions:
        if not q.text.strip():
            raise ValidationError("En revisionsfråga saknar text.")
        if q.assessment not in AuditAnswer.values:
            raise ValidationError(
                f"Bedömningen av ”{q.text.strip()[:60]}” ska vara Ja, Delvis eller Nej."
            )
    recs = [r.strip() for r in recommendations if r.strip()]
    if not recs:
        raise ValidationError("Ange minst en rekommendation: det är dem nämnden svarar på.")
    report = AuditReport.objects.create(
        committee=committee,
        case=case,
        title=title.strip(),
        auditor=auditor.strip(),
        letter_date=letter_date,
        deadline=deadline,
        extended_to=extended_to,
        conclusion=conclusion.strip(),
    )
    for n, q in enumerate(questions, start=1):
        AuditQuestion.objects.create(
            report=report, text=q.text.strip(), assessment=q.assessment, order=n
        )
    for n, text in enumerate(recs, start=1):
        Recommendation.objects.create(report=report, text=text, order=n)
    _case_reply(report)
    return report


def _case_reply(report: AuditReport) -> None:
    """The case answers the auditors: its svarsdatum is the yttrande's deadline (with the
    extension) and it is answered when the committee decided the yttrande, so the
    secretary's start page lists it with the other replies due. A case that is a remiss
    keeps its own date."""
    from styra.meetings.models import Case, ReplyKind

    case = Case.objects.select_for_update().get(pk=report.case_id)
    if case.reply_kind not in ("", ReplyKind.AUDIT_QUESTION):
        return
    case.reply_kind = ReplyKind.AUDIT_QUESTION
    case.reply_due = report.effective_deadline
    case.replied_on = report.answered_on
    case.full_clean()
    case.save()


@transaction.atomic
def audit_update(
    *,
    actor,
    report: AuditReport,
    introduction: str | None = None,
    extended_to: dt.date | None = None,
    answered_on: dt.date | None = None,
) -> AuditReport:
    """The yttrande's introduction, an extension (anstånd) and the day the committee
    decided the yttrande."""
    _require_audit(actor, report.committee)
    if introduction is not None:
        report.introduction = introduction.strip()
    if extended_to is not None:
        try:
            calc.effective_deadline(report.deadline, extended_to)
        except ValueError as exc:
            raise ValidationError(str(exc).capitalize() + ".") from exc
        report.extended_to = extended_to
    if answered_on is not None:
        if answered_on < report.letter_date:
            raise ValidationError("Yttrandet kan inte vara beslutat före revisionsskrivelsen.")
        report.answered_on = answered_on
    report.save()
    _case_reply(report)
    return report


@transaction.atomic
def recommendation_answer(
    *,
    actor,
    recommendation: Recommendation,
    answer: str,
    actions: Sequence[ActionInput] = (),
    answered_from: dt.date | None = None,
) -> Recommendation:
    """The committee's answer to one recommendation, with the actions it promises (added
    to those already there)."""
    report = recommendation.report
    _require_audit(actor, report.committee)
    if not answer.strip():
        raise ValidationError("Skriv nämndens svar på rekommendationen.")
    for a in actions:
        _action_check(a, report.committee, answered_from or report.letter_date)
    recommendation.answer = answer.strip()
    recommendation.save(update_fields=["answer"])
    for a in actions:
        Action.objects.create(
            committee=report.committee,
            recommendation=recommendation,
            description=a.description.strip(),
            responsible=a.responsible,
            responsible_role=a.responsible_role.strip(),
            due_on=a.due_on,
        )
    return recommendation


@transaction.atomic
def yttrande_produce(*, actor, report: AuditReport):
    """Write the yttrande (PDF/UA and Word) from the answers and attach it to the case as
    a bilaga; producing it again replaces the files. Every recommendation needs an answer."""
    _require_audit(actor, report.committee)
    access.require(actor, access.MEETINGS, report.committee)  # it files on the case
    missing = [r for r in report.recommendations.all() if not r.answer.strip()]
    if missing:
        raise ValidationError(
            f"{len(missing)} rekommendation{'er' if len(missing) > 1 else ''} saknar svar: "
            + "; ".join(f"”{r.text[:60]}”" for r in missing)
        )
    from styra.meetings.models import DocumentKind
    from styra.meetings.services import document_store
    from styra.reports.renderers import render

    from .papers import yttrande_report

    paper = yttrande_report(report)
    docs = []
    existing = report.case.documents.filter(
        kind=DocumentKind.ATTACHMENT, filename__startswith=f"yttrande-{report.pk}."
    ).first()
    number = existing.attachment_number if existing else None
    if number is None:
        last = [
            d.attachment_number or 0
            for d in report.case.documents.filter(kind=DocumentKind.ATTACHMENT)
        ]
        number = max(last, default=0) + 1
    for fmt in ("pdf", "docx"):
        docs.append(
            document_store(
                content=render(paper, fmt),
                filename=f"yttrande-{report.pk}.{fmt}",
                kind=DocumentKind.ATTACHMENT,
                title=paper.title,
                case=report.case,
                summary=paper.summary_text,
                attachment_number=number,
                publicity=report.case.publicity,
            )
        )
    return docs


# ------------------------------------------------------------------ reports filed on a case

# The reports of this app that are filed on a case: the plan, and the quarterly report of
# ej verkställda beslut in its public version (the identifiable one is never finalised).
FILED_REPORTS = {
    "internkontrollplan": "Internkontrollplanen",
    "ej-verkstallda": "Rapporten om ej verkställda beslut",
}


def report_file_on_case(*, actor, case, report_type: str, event_code: str):
    """Attach the latest finalised snapshot of the plan or the quarterly report (event
    `event_code`) to a case of the same committee as a numbered bilaga, with one action:
    the same attachment as a delårsrapport's (styra.meetings.services.case_attach_snapshot)."""
    from styra.meetings.services import case_attach_snapshot
    from styra.reports.models import ReportSnapshot

    committee = case.committee
    access.require(actor, access.MEETINGS, committee)
    if report_type not in FILED_REPORTS:
        raise ValidationError(f"Rapporttypen {report_type} bifogas inte härifrån.")
    snapshot = (
        ReportSnapshot.objects.filter(
            committee=committee, event__code=event_code, report_type=report_type
        )
        .order_by("-version")
        .first()
    )
    if snapshot is None:
        raise ValidationError(
            f"{FILED_REPORTS[report_type]} {event_code} är inte fastställd ännu: controllern "
            "fastställer den under Status och fastställande, sedan kan den bifogas."
        )
    return case_attach_snapshot(actor=actor, case=case, snapshot=snapshot)


# ------------------------------------------------------------------ handlingsplaner and SAM


@transaction.atomic
def action_plan_ensure(
    *, actor, node: OrgNode, kind: str, year: int, title: str = ""
) -> ActionPlan:
    """The node's plan of a kind (SAM, arbetsmiljö, brottsförebyggande) for a year."""
    access.require(actor, access.EDIT, node)
    _committee(node)
    if kind not in PlanKind.values:
        raise ValidationError("Okänt slag av handlingsplan.")
    plan, created = ActionPlan.objects.get_or_create(
        node=node,
        kind=kind,
        year=year,
        defaults={"title": title.strip() or f"{PlanKind(kind).label} {year} – {node.name}"},
    )
    if not created and title.strip() and plan.title != title.strip():
        plan.title = title.strip()
        plan.save(update_fields=["title"])
    return plan


@transaction.atomic
def action_plan_item_save(
    *,
    actor,
    plan: ActionPlan,
    action: str,
    responsible_role: str,
    due_on: dt.date,
    area: str = "",
    goal: str = "",
    follow_up_on: str = "",
    item: ActionPlanItem | None = None,
) -> ActionPlanItem:
    access.require(actor, access.EDIT, plan.node)
    if item is not None and item.plan_id != plan.pk:
        raise ValidationError("Åtgärden hör till en annan plan.")
    if not action.strip():
        raise ValidationError("Beskriv åtgärden.")
    if not responsible_role.strip():
        raise ValidationError("Ange vem som ansvarar för åtgärden.")
    if item is None:
        item = ActionPlanItem.objects.filter(plan=plan, action=action.strip()).first()
    if item is None:
        item = ActionPlanItem(plan=plan, order=plan.items.count() + 1)
    item.action = action.strip()
    item.responsible_role = responsible_role.strip()
    item.due_on = due_on
    item.area = area.strip()
    item.goal = goal.strip()
    item.follow_up_on = follow_up_on.strip()
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def action_plan_status_set(
    *, actor, item: ActionPlanItem, event: ReportingEvent, status: str, comment: str = ""
) -> ActionPlanStatus:
    """The item's status and comment in a reporting event (T1, T2, VB …); frozen once the
    committee has approved the event."""
    node = item.plan.node
    access.require(actor, access.EDIT, node)
    if event.committee_id != _committee(node).pk:
        raise ValidationError(f"{event.name} hör till en annan nämnd.")
    if status not in ItemStatus.values:
        raise ValidationError("Välj status: ej påbörjad, pågår eller genomförd.")
    event_ensure_open(event, what=f"handlingsplanens status för ”{item.action[:40]}”")
    row, _ = ActionPlanStatus.objects.update_or_create(
        item=item, event=event, defaults={"status": status, "comment": comment.strip()}
    )
    return row


@transaction.atomic
def sam_check_set(
    *, actor, node: OrgNode, year: int, step: str, done: bool, reason: str = ""
) -> SamCheck:
    """One step of the yearly SAM follow-up of a verksamhet: Ja, or Nej with the reason."""
    access.require(actor, access.EDIT, node)
    _committee(node)
    if not step.strip():
        raise ValidationError("Beskriv steget i uppföljningen.")
    if not done and not reason.strip():
        raise ValidationError(f"Ange orsaken när ”{step.strip()[:60]}” inte är genomfört.")
    check = SamCheck.objects.filter(node=node, year=year, step=step.strip()).first()
    if check is None:
        check = SamCheck(
            node=node,
            year=year,
            step=step.strip(),
            order=SamCheck.objects.filter(node=node, year=year).count() + 1,
        )
    check.done = done
    check.reason = "" if done else reason.strip()
    check.full_clean()
    check.save()
    return check
