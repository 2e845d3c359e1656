"""Every write of the city's forms; each takes a required actor and checks it on the
committee the record belongs to (FINANCE: the controller's registers). A result unit's own
result may also be entered by whoever may edit the unit (EDIT on the unit: its manager).

A year whose reporting events are all approved is closed: nothing of it changes any more.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from styra.calendar.locks import LockedError, event_is_locked
from styra.calendar.models import ReportingEvent
from styra.lib.numbers import round_half_up
from styra.org import access
from styra.org.models import NodeKind, OrgNode

from . import calc
from .models import (
    ExternalProject,
    GrantApplication,
    GrantLine,
    IopAgreement,
    IopYear,
    PremisesApplication,
    ProjectPlanYear,
    ResultUnitYear,
    StrategicProject,
)
from .selectors import result_units_of


def _committee_of(node: OrgNode) -> OrgNode:
    committee = node if node.kind == NodeKind.COMMITTEE else node.committee()
    if committee is None:
        raise ValidationError(f"{node.name} hör inte till någon nämnd.")
    return committee


def _year_ensure_open(committee: OrgNode, year: int) -> None:
    """Refuse a change to a year whose every reporting event the committee has approved."""
    events = list(ReportingEvent.objects.filter(committee=committee, year=year))
    if events and all(event_is_locked(e) for e in events):
        raise LockedError(
            f"{year} är avslutat: alla rapporttillfällen {year} för {committee.name} är "
            f"godkända och låsta. Ändringar förs in för {year + 1}."
        )


def _save(instance, fields: dict, allowed: Iterable[str]):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(f"Okända fält: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


def _money(value) -> Decimal:
    if isinstance(value, float):
        raise TypeError("belopp anges som Decimal, aldrig float")
    return Decimal(value)


# --- Result units --------------------------------------------------------------------------


def result_unit_save(*, actor, unit: OrgNode, year: int, **fields) -> ResultUnitYear:
    """Save a result unit's year: the fund brought in and the part of the result caused by
    the unit's own actions with its explanation (the gross budget and the year's result are
    read from the budget and the follow-up, never entered). The controller sets every field;
    the unit's manager (EDIT on the unit) only the own-action result and its explanation."""
    access.check_actor(actor)
    committee = _committee_of(unit)
    if not (unit.is_result_unit or unit.is_intraprenad):
        raise ValidationError(f"{unit.name} är ingen resultatenhet.")
    own_only = {"own_result", "explanation"}
    if not access.can(actor, access.FINANCE, committee):
        if not (set(fields) <= own_only and access.can(actor, access.EDIT, unit)):
            access.require(actor, access.FINANCE, committee)
    for key in ("fund_in", "own_result"):
        if key in fields:
            fields[key] = _money(fields[key])
    with transaction.atomic():
        _year_ensure_open(committee, year)
        record, created = ResultUnitYear.objects.select_for_update().get_or_create(
            unit=unit, year=year, defaults={"committee": committee}
        )
        if created and "fund_in" not in fields:
            before = next(
                (
                    line
                    for line in result_units_of(committee, year - 1)
                    if line.unit.pk == unit.pk and line.record is not None and line.event
                ),
                None,
            )
            if before is not None:
                # the fund is kept in whole öre (the 5 % cap of an amount in öre may not be)
                fields["fund_in"] = round_half_up(before.carry.fund_out, 2)
        own = fields.get("own_result", record.own_result)
        if own and not fields.get("explanation", record.explanation).strip():
            raise ValidationError(
                "Förklara resultatet som uppkommit till följd av enhetens eget handlande."
            )
        return _save(record, fields, ("fund_in", "own_result", "explanation"))


# --- Strategic projects --------------------------------------------------------------------

PROJECT_FIELDS = (
    "name", "accumulated_cost", "accumulated_revenue", "budget_cost", "budget_revenue",
    "forecast_cost", "forecast_revenue", "decided_cost", "decided_revenue",
    "forecast_total_cost", "forecast_total_revenue", "decided_start", "decided_end",
    "forecast_start", "forecast_end", "cause", "action",
)  # fmt: skip


def strategic_project_save(
    *,
    actor,
    committee: OrgNode,
    year: int,
    project: StrategicProject | None = None,
    plan: dict[int, dict] | None = None,
    **fields,
) -> StrategicProject:
    """Create or change a project; `plan` maps a plan year to its plan and forecast cost and
    revenue. Any change takes back the ready mark: the project is checked again."""
    access.require(actor, access.FINANCE, committee)
    if project is not None and (project.committee_id != committee.pk or project.year != year):
        raise PermissionDenied("Projektet hör till en annan nämnd eller ett annat år.")
    with transaction.atomic():
        _year_ensure_open(committee, year)
        record = project or StrategicProject(committee=committee, year=year)
        fields["ready"] = False
        _save(record, fields, (*PROJECT_FIELDS, "ready"))
        for plan_year, values in (plan or {}).items():
            if not year < plan_year <= year + 4:
                raise ValidationError(f"Planåret {plan_year} ligger utanför {year + 1}–{year + 4}.")
            row, _ = ProjectPlanYear.objects.get_or_create(project=record, year=plan_year)
            _save(
                row,
                {k: _money(v) for k, v in values.items()},
                ("plan_cost", "plan_revenue", "forecast_cost", "forecast_revenue"),
            )
        return record


def strategic_project_mark_ready(*, actor, project: StrategicProject) -> StrategicProject:
    access.require(actor, access.FINANCE, project.committee)
    problems = calc.ready_problems(project.deviations(), project.cause, project.action)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        _year_ensure_open(project.committee, project.year)
        project.ready = True
        project.save(update_fields=["ready"])
    return project


# --- Premises, external projects -----------------------------------------------------------


PREMISES_FIELDS = (
    "address", "area", "contract_end", "returned_on", "yearly_rent", "amount_applied",
    "covers", "in_premises_plan", "comment",
)  # fmt: skip


def premises_save(
    *, actor, committee: OrgNode, year: int, application: PremisesApplication | None = None,
    **fields,
) -> PremisesApplication:  # fmt: skip
    access.require(actor, access.FINANCE, committee)
    if application is not None and application.committee_id != committee.pk:
        raise PermissionDenied("Ansökan hör till en annan nämnd.")
    with transaction.atomic():
        _year_ensure_open(committee, year)
        record = application or PremisesApplication(committee=committee, year=year)
        return _save(record, fields, PREMISES_FIELDS)


EXTERNAL_FIELDS = (
    "name", "funder", "role", "starts", "ends", "total_budget", "total_budget_eur",
    "co_financing_cash", "co_financing_in_kind", "responsible", "reporting_dates",
    "description",
)  # fmt: skip


def external_project_save(
    *, actor, committee: OrgNode, project: ExternalProject | None = None, **fields
) -> ExternalProject:
    access.require(actor, access.FINANCE, committee)
    if project is not None and project.committee_id != committee.pk:
        raise PermissionDenied("Projektet hör till en annan nämnd.")
    if fields.get("starts") and fields.get("ends") and fields["ends"] < fields["starts"]:
        raise ValidationError("Projektet slutar före det börjar.")
    with transaction.atomic():
        record = project or ExternalProject(committee=committee)
        return _save(record, fields, EXTERNAL_FIELDS)


# --- Grant applications --------------------------------------------------------------------

GRANT_FIELDS = ("name", "grantor", "regulation", "starts", "ends", "amount_sought", "contact")


def grant_application_save(
    *,
    actor,
    committee: OrgNode,
    application: GrantApplication | None = None,
    lines: list[dict] | None = None,
    **fields,
) -> GrantApplication:
    """Create or change an application; `lines` (when given) replaces its cost and financing
    lines: dicts with side ("cost"/"financing"), kind, text and amount. A change takes back
    the ready mark."""
    access.require(actor, access.FINANCE, committee)
    if application is not None and application.committee_id != committee.pk:
        raise PermissionDenied("Ansökan hör till en annan nämnd.")
    with transaction.atomic():
        record = application or GrantApplication(committee=committee)
        fields["status"] = GrantApplication.Status.DRAFT
        _save(record, fields, (*GRANT_FIELDS, "status"))
        if lines is not None:
            record.lines.all().delete()
            kinds = {
                GrantLine.Side.COST: {k for k, _ in GrantLine.COST_KINDS},
                GrantLine.Side.FINANCING: {k for k, _ in GrantLine.FINANCING_KINDS},
            }
            for order, line in enumerate(lines):
                side = line["side"]
                if side not in kinds or line["kind"] not in kinds[side]:
                    raise ValidationError(f"Rad {order + 1}: okänd typ {line['kind']!r}.")
                GrantLine.objects.create(
                    application=record,
                    side=side,
                    kind=line["kind"],
                    text=line.get("text", ""),
                    amount=_money(line["amount"]),
                    order=order,
                )
        return record


def grant_application_mark_ready(*, actor, application: GrantApplication) -> GrantApplication:
    """Refused while the amounts do not hold: overhead above the cap, costs not equal to the
    financing, or a sought amount that differs from the financing table."""
    access.require(actor, access.FINANCE, application.committee)
    problems = application.amounts_check().problems
    if problems:
        raise ValidationError(problems)
    application.status = GrantApplication.Status.READY
    application.save(update_fields=["status"])
    return application


# --- IOP agreements ------------------------------------------------------------------------

IOP_FIELDS = (
    "name", "partner", "purpose", "starts", "ends", "payment_schedule", "steering_group",
    "evaluation",
)  # fmt: skip


def iop_agreement_save(
    *,
    actor,
    committee: OrgNode,
    agreement: IopAgreement | None = None,
    years: dict[int, dict] | None = None,
    **fields,
) -> IopAgreement:
    """Create or change an agreement; `years` maps a year to its amount, the partner's own
    contribution and the follow-up against the goals. A period outside the guideline of
    three to five years is allowed (the page shows the warning)."""
    access.require(actor, access.FINANCE, committee)
    if agreement is not None and agreement.committee_id != committee.pk:
        raise PermissionDenied("Avtalet hör till en annan nämnd.")
    if fields.get("starts") and fields.get("ends") and fields["ends"] < fields["starts"]:
        raise ValidationError("Avtalet slutar före det börjar.")
    with transaction.atomic():
        record = _save(agreement or IopAgreement(committee=committee), fields, IOP_FIELDS)
        for year, values in (years or {}).items():
            if not record.starts.year <= year <= record.ends.year:
                raise ValidationError(f"{year} ligger utanför avtalets period.")
            row, _ = IopYear.objects.get_or_create(
                agreement=record, year=year, defaults={"amount": Decimal(0)}
            )
            values = dict(values)
            if "amount" in values:
                values["amount"] = _money(values["amount"])
            _save(row, values, ("amount", "partner_contribution", "follow_up"))
        return record
