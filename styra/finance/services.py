"""Finance writes (HackSoft style): imports of whole files and single edits.

All imports validate the whole file first and store nothing when any line is wrong. Every
write checks that the reporting event is open (approved events are locked).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from styra.calendar.locks import event_ensure_open, event_is_locked, locked_events, year_ensure_open
from styra.calendar.models import EventStatus, LockedError, ReportingEvent
from styra.calendar.services import event_ensure, event_status_set
from styra.ledger.models import ReportRow
from styra.lib.errors import InputError, Issue, UsageError
from styra.lib.eventcodes import EventCode
from styra.lib.money import report_kr
from styra.lib.numbers import format_number
from styra.lib.yamlfile import LineDict
from styra.org import access
from styra.org.models import OrgNode
from styra.org.selectors import committee_get

from . import calc
from .aggregates import budget_months_refresh
from .models import (
    Assumption,
    AssumptionStatus,
    BudgetChange,
    BudgetLine,
    ChangeKind,
    Forecast,
    ForecastReady,
    GoLiveRevision,
    InvestmentForecast,
    InvestmentPlan,
    InvestmentProject,
    ProjectCategory,
    ProjectKind,
    StaffFigure,
    VolumeType,
    VolumeValue,
)
from .readers import (
    KIND_WORDS,
    money,
    month_date,
    need,
    read_budget_file,
    read_forecast_file,
    read_yaml_mapping,
)

STATUS_WORDS = {
    "open": EventStatus.OPEN,
    "submitted": EventStatus.SUBMITTED,
    "approved": EventStatus.APPROVED,
    "sent": EventStatus.SENT,
}
ASSUMPTION_WORDS = {
    "osäker": AssumptionStatus.UNCERTAIN,
    "förväntad": AssumptionStatus.EXPECTED,
    "beslutad": AssumptionStatus.DECIDED,
    "blev inte av": AssumptionStatus.NOT_REALISED,
}


def _units_by_code(municipality) -> dict[str, OrgNode]:
    return {n.code: n for n in OrgNode.objects.filter(municipality=municipality)}


def _row_codes(municipality) -> set[str]:
    return set(
        ReportRow.objects.filter(scheme__municipality=municipality).values_list("code", flat=True)
    )


def _committee(municipality, data: LineDict, file: str) -> OrgNode:
    """The file's committee (its code, via committee_get); InputError on its line."""
    try:
        return committee_get(municipality, str(data["committee"]))
    except UsageError as exc:
        raise InputError([Issue(file, data.line_of("committee"), str(exc))]) from exc


def _lock_issue(committee, year: int, what: str, period: int | None = None) -> str | None:
    """The lock message when changing `what` of the committee's year would change figures an
    approved event shows (styra.calendar.locks.year_ensure_open), else None."""
    if committee is None:
        return None
    try:
        year_ensure_open(committee, year, what=what, periods=(period, period) if period else None)
    except LockedError as exc:
        return " ".join(exc.messages)
    return None


def _require_finance(actor, units) -> None:
    """A file that writes figures of units needs the FINANCE right on their committees."""
    for committee in {u.committee() for u in units}:
        access.require(actor, access.FINANCE, committee)


# ---------------------------------------------------------------- budget


@transaction.atomic
def budget_import(*, actor, path: Path | str, municipality) -> int:
    """Load an annual budget file (CSV or XLSX; an SIE file's #PBUDGET rows go through
    budget_import_sie); rows for the same year × unit × row are replaced."""
    if Path(path).suffix.lower() in (".se", ".si", ".sie"):
        return budget_import_sie(actor=actor, path=path, municipality=municipality)
    units = _units_by_code(municipality)
    records, errors = read_budget_file(path, set(units), _row_codes(municipality))
    if errors:
        raise InputError(errors)
    _require_finance(actor, {units[r.unit] for r in records})
    existing = {
        (b.unit_id, b.year, b.row_code): b
        for b in BudgetLine.objects.filter(
            unit__in={units[r.unit] for r in records}, year__in={r.year for r in records}
        )
    }
    changed = []
    for r in records:
        unit = units[r.unit]
        wanted = (r.amount, r.profile, [str(w) for w in r.weights])
        old = existing.get((unit.pk, r.year, r.row))
        if old is not None and (old.amount, old.profile, list(old.weights or [])) == wanted:
            continue  # unchanged: nothing to write (a file loaded again)
        problem = _lock_issue(unit.committee(), r.year, f"budgeten för {unit.name} {r.year}")
        if problem:
            errors.append(Issue(str(path), r.line, problem))
        changed.append((r, unit, wanted))
    if errors:
        raise InputError(errors)
    for r, unit, (amount, profile, weights) in changed:
        BudgetLine.objects.update_or_create(
            unit=unit,
            year=r.year,
            row_code=r.row,
            defaults={"amount": amount, "profile": profile, "weights": weights},
        )
    budget_months_refresh({(unit.pk, r.year) for r, unit, _w in changed})
    return len(records)


def budget_set(*, actor, unit: OrgNode, year: int, row_code: str, amount: Decimal) -> BudgetLine:
    """Edit one budget cell (the controller's grid). The original budget of a year whose
    figures an approved event shows is locked: changes go in as budget changes."""
    access.require(actor, access.FINANCE, unit)
    with transaction.atomic():
        line = (
            BudgetLine.objects.select_for_update()
            .filter(unit=unit, year=year, row_code=row_code)
            .first()
        )
        if line is not None and line.amount == amount:
            return line
        committee = unit.committee()
        if committee is not None:
            year_ensure_open(committee, year, what=f"budgeten för {unit.name} {year}")
        line, _ = BudgetLine.objects.update_or_create(
            unit=unit, year=year, row_code=row_code, defaults={"amount": amount}
        )
        budget_months_refresh([(unit.pk, year)])
    return line


@transaction.atomic
def budget_change_add(
    *,
    actor,
    unit: OrgNode,
    row_code: str,
    amount: Decimal,
    date: dt.date,
    kind: str,
    decision: str,
    text: str = "",
) -> BudgetChange:
    """Register one budget change (tilläggsbudget, ramjustering, omfördelning …) with its
    decision reference; it counts from its decision date (the web's form; the file import
    is budget_changes_import)."""
    access.require(actor, access.FINANCE, unit)
    if row_code not in _row_codes(unit.municipality):
        raise UsageError(f"okänd rapportrad {row_code!r}")
    if kind not in ChangeKind.values:
        raise UsageError(f"okänd typ {kind!r} ({', '.join(ChangeKind.values)})")
    if not decision.strip():
        raise UsageError("Ange beslutet som ändringen bygger på (t.ex. KS/2020:311).")
    change = BudgetChange(
        unit=unit,
        year=date.year,
        row_code=row_code,
        amount=amount,
        date=date,
        kind=kind,
        decision=decision.strip(),
        text=text.strip(),
    )
    change.full_clean()
    change.save()
    budget_months_refresh([(unit.pk, change.year)])
    return change


@transaction.atomic
def budget_changes_import(*, actor, path: Path | str, municipality) -> int:
    file = str(path)
    data, errors = read_yaml_mapping(path)
    if data is None:
        raise InputError(errors)
    units = _units_by_code(municipality)
    rows = _row_codes(municipality)
    parsed = []
    for item in data.get("changes", []) or []:
        line = item.line
        if not need(
            item, ["date", "unit", "row", "amount", "kind", "decision"], file, errors, "ändringen"
        ):
            continue
        if item["unit"] not in units:
            errors.append(Issue(file, line, f"okänd enhet {item['unit']!r}"))
        if item["row"] not in rows:
            errors.append(Issue(file, line, f"okänd rapportrad {item['row']!r}"))
        if item["kind"] not in KIND_WORDS:
            errors.append(
                Issue(file, line, f"okänd typ {item['kind']!r} ({', '.join(sorted(KIND_WORDS))})")
            )
        if not isinstance(item["date"], dt.date):
            errors.append(Issue(file, line, "date ska vara ett datum ÅÅÅÅ-MM-DD"))
        amount = money(item["amount"], file, line, "amount", errors)
        parsed.append((item, amount))
    if errors:
        raise InputError(errors)
    _require_finance(actor, {units[item["unit"]] for item, _ in parsed})
    # A change that is new is accepted whatever its date: an approved event keeps the
    # figures it showed, and the change counts from the next open event on. A change that
    # an approved event counted may no longer be altered.
    counted = {}
    for committee in {units[item["unit"]].committee() for item, _ in parsed} - {None}:
        for event in locked_events(committee, None):
            freeze = getattr(event, "figure_freeze", None)
            for pk in freeze.change_ids if freeze else []:
                counted[pk] = event
    writes = []
    for item, amount in parsed:
        key = dict(
            unit=units[item["unit"]],
            year=item["date"].year,
            row_code=item["row"],
            decision=str(item["decision"]),
            date=item["date"],
        )
        values = {"amount": amount, "kind": item["kind"], "text": str(item.get("text", ""))}
        old = BudgetChange.objects.filter(**key).first()
        if old is not None and any(getattr(old, k) != v for k, v in values.items()):
            event = counted.get(old.pk)
            if event is not None:
                try:
                    event_ensure_open(event, what=f"budgetförändringen {old.decision}")
                except LockedError as exc:
                    errors.append(Issue(file, item.line, " ".join(exc.messages)))
        writes.append((key, values))
    if errors:
        raise InputError(errors)
    for key, values in writes:
        BudgetChange.objects.update_or_create(**key, defaults=values)
    budget_months_refresh({(key["unit"].pk, key["year"]) for key, _values in writes})
    return len(writes)


# ---------------------------------------------------------------- reporting events


@transaction.atomic
def events_import(*, actor, path: Path | str, municipality, apply_status: bool = True) -> int:
    """Create or update reporting events (and their assumptions) of one committee.

    With apply_status=False new events start open and existing ones keep their status, so
    that a data load can fill an event before the file's approval is applied. A status
    goes through calendar.services.event_status_set: `approved` is the web's approval
    (readiness checks, frozen figures); a refusal refuses the whole file (InputError
    naming the line). An event already approved with the same status is left as it is."""
    file = str(path)
    data, errors = read_yaml_mapping(path)
    if data is None:
        raise InputError(errors)
    if not need(data, ["committee", "events"], file, errors, "filen"):
        raise InputError(errors)
    committee = _committee(municipality, data, file)
    access.require(actor, access.FINANCE, committee)
    planned = []
    for item in data["events"]:
        if not need(item, ["code", "cutoff_period"], file, errors, "händelsen"):
            continue
        try:
            code = EventCode.parse(str(item["code"]))
        except ValueError as exc:
            errors.append(Issue(file, item.line_of("code"), str(exc)))
            continue
        status = STATUS_WORDS.get(str(item.get("status", "open")))
        if status is None:
            errors.append(Issue(file, item.line_of("status"), f"okänd status {item['status']!r}"))
        cutoff = item["cutoff_period"]
        if not isinstance(cutoff, int) or not 1 <= cutoff <= 13:
            errors.append(Issue(file, item.line_of("cutoff_period"), "cutoff_period ska vara 1–13"))
        planned.append((item, code, status))
    assumptions = []
    for item in data.get("assumptions", []) or []:
        if not need(item, ["event", "text"], file, errors, "antagandet"):
            continue
        amount = money(item.get("amount"), file, item.line, "amount", errors, required=False)
        status = ASSUMPTION_WORDS.get(str(item.get("status", "osäker")))
        if status is None:
            errors.append(Issue(file, item.line, f"okänd status {item['status']!r}"))
        assumptions.append((item, amount, status))
    if errors:
        raise InputError(errors)
    by_code = {}
    for item, code, status in planned:
        existing = ReportingEvent.objects.filter(committee=committee, code=str(code)).first()
        if existing is not None and event_is_locked(existing):
            if status != existing.status:
                errors.append(Issue(file, item.line, f"{existing.name} är godkänd och låst"))
            by_code[str(code)] = existing
            continue
        event = event_ensure(
            actor=actor,
            committee=committee,
            code=str(code),
            cutoff_period=item["cutoff_period"],
            deadline=item.get("deadline"),
        )
        if apply_status:
            approved_at = (
                timezone.make_aware(dt.datetime.combine(item["approved"], dt.time(12)))
                if isinstance(item.get("approved"), dt.date)
                else None
            )
            # Approving from a file is the web's approval (calendar.services.event_approve):
            # the same checks, the same freeze. A refusal names the line; nothing is loaded.
            try:
                event = event_status_set(
                    actor=actor, event=event, status=status, approved_at=approved_at
                )
            except ValidationError as exc:
                errors.append(Issue(file, item.line_of("status"), " ".join(exc.messages)))
        by_code[str(code)] = event
    if errors:
        raise InputError(errors)
    for order, (item, amount, status) in enumerate(assumptions):
        event = (
            by_code.get(str(item["event"]))
            or ReportingEvent.objects.filter(committee=committee, code=str(item["event"])).first()
        )
        if event is None:
            raise InputError([Issue(file, item.line, f"okänd händelse {item['event']!r}")])
        Assumption.objects.update_or_create(
            event=event,
            order=order,
            defaults={"text": item["text"], "amount": amount, "status": status},
        )
    return len(planned)


def _changed_fields(obj, values: dict) -> list[str]:
    """The fields whose wanted value differs from the stored one (only those are written)."""
    return [k for k, v in values.items() if getattr(obj, k) != v]


@transaction.atomic
def assumption_save(
    *,
    actor,
    event: ReportingEvent,
    text: str,
    amount: Decimal | None = None,
    status: str = AssumptionStatus.UNCERTAIN,
    assumption: Assumption | None = None,
) -> Assumption:
    """Add a forecast assumption ("prognosen förutsätter att …") to the event, or change
    one; only the changed fields are written. An approved event's assumptions are locked."""
    access.require(actor, access.FINANCE, event.committee)
    text = (text or "").strip()
    if not text:
        raise UsageError("Skriv vad prognosen förutsätter.")
    if status not in AssumptionStatus.values:
        raise UsageError(f"okänd status {status!r} ({', '.join(AssumptionStatus.labels)})")
    values = {"text": text, "amount": amount, "status": status}
    if assumption is None:
        event_ensure_open(event, what="antagandena")
        last = event.assumptions.order_by("-order").values_list("order", flat=True).first()
        assumption = Assumption(event=event, order=0 if last is None else last + 1, **values)
        assumption.full_clean()
        assumption.save()
        return assumption
    assumption = Assumption.objects.select_for_update().get(pk=assumption.pk)
    if assumption.event_id != event.pk:
        raise UsageError("Antagandet hör till ett annat rapporttillfälle.")
    changed = _changed_fields(assumption, values)
    if not changed:
        return assumption
    event_ensure_open(event, what="antagandena")
    for key in changed:
        setattr(assumption, key, values[key])
    assumption.full_clean()
    assumption.save(update_fields=changed)
    return assumption


@transaction.atomic
def assumption_remove(*, actor, assumption: Assumption) -> None:
    """Remove an assumption of an open event (the history keeps it)."""
    event = assumption.event
    access.require(actor, access.FINANCE, event.committee)
    event_ensure_open(event, what="antagandena")
    assumption.delete()


# ---------------------------------------------------------------- forecasts


@transaction.atomic
def forecasts_import(*, actor, path: Path | str, municipality) -> int:
    units = _units_by_code(municipality)
    records, errors = read_forecast_file(path, set(units), _row_codes(municipality))
    events = {}
    for r in records:
        unit = units.get(r.unit)
        committee = unit.committee() if unit else None
        event = ReportingEvent.objects.filter(committee=committee, code=r.event).first()
        if event is None:
            errors.append(
                Issue(str(path), r.line, f"händelsen {r.event} finns inte för enhetens nämnd")
            )
        elif event_is_locked(event):
            errors.append(Issue(str(path), r.line, f"{event.name} är godkänd och låst"))
        events[r.line] = event
    if errors:
        raise InputError(errors)
    _require_finance(actor, {units[r.unit] for r in records})
    for r in records:
        Forecast.objects.update_or_create(
            event=events[r.line],
            unit=units[r.unit],
            row_code=r.row,
            defaults={"amount": r.amount, "comment": r.comment, "character": r.character},
        )
    return len(records)


def forecast_save(
    *,
    actor,
    event: ReportingEvent,
    unit: OrgNode,
    row_code: str,
    amount: Decimal,
    comment: str = "",
    character: str = "",
) -> Forecast:
    """A unit manager (or controller) sets one forecast cell. Locked events refuse."""
    access.require(actor, access.EDIT, unit)
    event_ensure_open(event, what=f"prognosen för {unit.name}")
    if ForecastReady.objects.filter(event=event, unit=unit).exists() and not access.can(
        actor, access.FINANCE, unit
    ):
        raise LockedError(
            f"{unit.name} har redan klarmarkerat prognosen för {event.name}; "
            "be controllern öppna den igen."
        )
    with transaction.atomic():
        forecast, _ = Forecast.objects.update_or_create(
            event=event,
            unit=unit,
            row_code=row_code,
            defaults={
                "amount": amount,
                "comment": comment,
                "character": character,
                "changed_by": access.user_of(actor),
            },
        )
    return forecast


def forecast_mark_ready(*, actor, event: ReportingEvent, unit: OrgNode) -> ForecastReady:
    """Klarmarkera the unit's forecast; refused (ValidationError naming the rows) while a
    row deviates more than the event's comment threshold without a comment."""
    access.require(actor, access.EDIT, unit)
    event_ensure_open(event)
    if event.comment_threshold is not None:
        from django.core.exceptions import ValidationError

        from . import figures

        missing = [
            r.name
            for r in figures.forecast_rows(unit, event)
            if calc.needs_comment(r.forecast, r.budget, r.comment, event.comment_threshold)
        ]
        if missing:
            raise ValidationError(
                "Skriv en kommentar på raderna med stor avvikelse (mer än "
                f"{format_number(event.comment_threshold)} kr) innan du klarmarkerar: "
                + ", ".join(missing)
                + "."
            )
    ready, _ = ForecastReady.objects.get_or_create(
        event=event, unit=unit, defaults={"ready_by": access.user_of(actor)}
    )
    return ready


@transaction.atomic
def forecast_reopen(*, actor, event: ReportingEvent, unit: OrgNode, reason: str) -> None:
    """The controller opens a klarmarkerad forecast again; the reason is required and kept
    with who and when."""
    from django.core.exceptions import ValidationError

    from .models import ForecastReopening

    access.require(actor, access.FINANCE, unit)
    event_ensure_open(event)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Ange varför prognosen öppnas igen.")
    if not ForecastReady.objects.filter(event=event, unit=unit).exists():
        raise ValidationError(f"{unit.name}s prognos för {event.name} är inte klarmarkerad.")
    ForecastReady.objects.filter(event=event, unit=unit).delete()
    ForecastReopening.objects.create(
        event=event, unit=unit, reason=reason, reopened_by=access.user_of(actor)
    )


# ---------------------------------------------------------------- investments


def project_number_problem(number: str, kind: str) -> str | None:
    """Project numbers follow the municipality's series per kind (settings
    STYRA_PROJECT_SERIES, e.g. annual 3xxx and multi-year 6xxx as in Botkyrka); a number
    outside its series is an error that says which series applies."""
    from django.conf import settings

    prefix = settings.STYRA_PROJECT_SERIES.get(kind, "")
    if prefix and not number.startswith(prefix):
        label = "årliga" if kind == "annual" else "fleråriga"
        return f"projektnummer {number} hör inte till serien för {label} projekt ({prefix}…)"
    return None


@transaction.atomic
def investments_import(*, actor, path: Path | str, municipality) -> int:
    file = str(path)
    data, errors = read_yaml_mapping(path)
    if data is None or not need(data, ["committee", "projects"], file, errors, "filen"):
        raise InputError(errors)
    committee = _committee(municipality, data, file)
    access.require(actor, access.FINANCE, committee)
    units = _units_by_code(municipality)
    events = {e.code: e for e in ReportingEvent.objects.filter(committee=committee)}
    plans = []
    for item in data["projects"]:
        if not need(item, ["number", "name", "kind", "category"], file, errors, "projektet"):
            continue
        line = item.line
        if item["kind"] not in ("annual", "multi_year"):
            errors.append(
                Issue(file, item.line_of("kind"), "kind ska vara annual eller multi_year")
            )
        else:
            problem = project_number_problem(str(item["number"]), item["kind"])
            if problem:
                errors.append(Issue(file, item.line_of("number"), problem))
        if item["category"] not in ("inventarier", "reinvestering", "fastighet"):
            errors.append(
                Issue(file, item.line_of("category"), f"okänd kategori {item['category']!r}")
            )
        if item.get("unit") and item["unit"] not in units:
            errors.append(Issue(file, item.line_of("unit"), f"okänd enhet {item['unit']!r}"))
        amounts = {
            key: money(item.get(key), file, item.line_of(key), key, errors, required=False)
            for key in ("decided_total", "new_total", "outcome_before")
        }
        plan = {}
        for year, value in (item.get("plan") or {}).items():
            plan[int(year)] = money(value, file, item.line_of("plan"), f"plan {year}", errors)
        forecasts = {}
        for code, value in (item.get("forecast") or {}).items():
            if str(code) not in events:
                errors.append(Issue(file, item.line_of("forecast"), f"okänd händelse {code!r}"))
            forecasts[str(code)] = money(
                value, file, item.line_of("forecast"), f"prognos {code}", errors
            )
        go_live, revisions = None, []
        if isinstance(item.get("go_live"), LineDict):
            gl = item["go_live"]
            go_live = month_date(gl.get("date"), file, gl.line, errors)
            for rev in gl.get("revised", []) or []:
                to = month_date(rev.get("to"), file, rev.line, errors)
                if not isinstance(rev.get("on"), dt.date):
                    errors.append(Issue(file, rev.line, "revised.on ska vara ett datum"))
                revisions.append((rev.get("on"), to, str(rev.get("why", ""))))
        plans.append((line, item, amounts, plan, forecasts, go_live, revisions))
    if errors:
        raise InputError(errors)
    # What an approved event shows stays: a year's plan and an approved event's forecast
    # of a project may not change (a new project or a new year is fine).
    for _line, item, _amounts, plan, forecasts, _go_live, _revisions in plans:
        project = InvestmentProject.objects.filter(
            committee=committee, number=str(item["number"])
        ).first()
        if project is None:
            continue
        old_plan = {p.year: p.amount for p in project.plan.all()}
        for year, amount in plan.items():
            if year in old_plan and old_plan[year] != amount:
                problem = _lock_issue(committee, year, f"investeringsbudgeten för {project}")
                if problem:
                    errors.append(Issue(file, item.line_of("plan"), problem))
        old_forecasts = {f.event_id: f.amount for f in project.forecasts.all()}
        for code, amount in forecasts.items():
            event = events[code]
            if event_is_locked(event) and old_forecasts.get(event.pk) != amount:
                try:
                    event_ensure_open(event, what=f"investeringsprognosen för {project}")
                except LockedError as exc:
                    errors.append(Issue(file, item.line_of("forecast"), " ".join(exc.messages)))
    if errors:
        raise InputError(errors)
    for _line, item, amounts, plan, forecasts, go_live, revisions in plans:
        project, _ = InvestmentProject.objects.update_or_create(
            committee=committee,
            number=str(item["number"]),
            defaults={
                "name": item["name"],
                "kind": item["kind"],
                "category": item["category"],
                "unit": units.get(item.get("unit")),
                "run_by": str(item.get("run_by", "") or ""),
                "status": str(item.get("status", "") or ""),
                "comment": str(item.get("comment", "") or ""),
                "decided_year": item.get("decided_year"),
                "decided_total": amounts["decided_total"] or 0,
                "new_total": amounts["new_total"],
                "outcome_before": amounts["outcome_before"] or 0,
                "go_live": revisions[-1][1] if revisions else go_live,
            },
        )
        for year, amount in plan.items():
            InvestmentPlan.objects.update_or_create(
                project=project, year=year, defaults={"amount": amount}
            )
        for code, amount in forecasts.items():
            InvestmentForecast.objects.update_or_create(
                project=project, event=events[code], defaults={"amount": amount}
            )
        GoLiveRevision.objects.filter(project=project).delete()
        for on, to, why in revisions:
            GoLiveRevision.objects.create(project=project, changed_on=on, go_live=to, reason=why)
    return len(plans)


@transaction.atomic
def investment_project_save(
    *,
    actor,
    committee: OrgNode,
    number: str,
    name: str,
    kind: str,
    category: str,
    unit: OrgNode | None = None,
    run_by: str = "",
    status: str = "",
    comment: str = "",
    decided_year: int | None = None,
    decided_total: Decimal = Decimal(0),
    new_total: Decimal | None = None,
    outcome_before: Decimal = Decimal(0),
    project: InvestmentProject | None = None,
) -> InvestmentProject:
    """Add an investment project to the committee, or change one (its number stays); only
    the changed fields are written. The same rules as investments_import."""
    access.require(actor, access.FINANCE, committee)
    number, name = (number or "").strip(), (name or "").strip()
    if not number or not name:
        raise UsageError("Ange projektnummer och namn.")
    if kind not in ProjectKind.values:
        raise UsageError(f"okänt slag {kind!r} ({', '.join(ProjectKind.labels)})")
    if category not in ProjectCategory.values:
        raise UsageError(f"okänd kategori {category!r} ({', '.join(ProjectCategory.labels)})")
    if unit is not None and unit.committee() != committee:
        raise UsageError(f"{unit.name} hör inte till {committee.name}.")
    problem = project_number_problem(number, kind)
    if problem:
        raise UsageError(problem)
    values = {
        "name": name,
        "kind": kind,
        "category": category,
        "unit": unit,
        "run_by": (run_by or "").strip(),
        "status": (status or "").strip(),
        "comment": (comment or "").strip(),
        "decided_year": decided_year,
        "decided_total": decided_total,
        "new_total": new_total,
        "outcome_before": outcome_before,
    }
    if project is None:
        if InvestmentProject.objects.filter(committee=committee, number=number).exists():
            raise UsageError(f"Projektnummer {number} finns redan i {committee.name}.")
        project = InvestmentProject(committee=committee, number=number, **values)
        project.full_clean()
        project.save()
        return project
    project = InvestmentProject.objects.select_for_update().get(pk=project.pk)
    if project.committee_id != committee.pk:
        raise UsageError(f"Projektet hör inte till {committee.name}.")
    if project.number != number:
        raise UsageError("Projektnumret ändras inte; lägg upp ett nytt projekt.")
    changed = _changed_fields(project, values)
    if changed:
        for key in changed:
            setattr(project, key, values[key])
        project.full_clean()
        project.save(update_fields=changed)
    return project


@transaction.atomic
def investment_plan_set(
    *, actor, project: InvestmentProject, year: int, amount: Decimal | None
) -> InvestmentPlan | None:
    """Set (None: remove) a project's budget for one year. A year whose figures an approved
    event shows keeps its plan (as in investments_import)."""
    access.require(actor, access.FINANCE, project.committee)
    if not 2000 <= year <= 2100:
        raise UsageError(f"{year} är inget år.")
    plan = InvestmentPlan.objects.select_for_update().filter(project=project, year=year).first()
    if (plan.amount if plan else None) == amount:
        return plan
    if plan is not None:
        problem = _lock_issue(project.committee, year, f"investeringsbudgeten för {project}")
        if problem:
            raise LockedError(problem)
    if amount is None:
        plan.delete()
        return None
    if plan is None:
        plan = InvestmentPlan(project=project, year=year, amount=amount)
        plan.full_clean()
        plan.save()
        return plan
    plan.amount = amount
    plan.save(update_fields=["amount"])
    return plan


@transaction.atomic
def investment_forecasts_set(
    *,
    actor,
    event: ReportingEvent,
    amounts: dict[InvestmentProject, Decimal | None],
) -> list[InvestmentProject]:
    """The year's forecast (kr, exact) per project at `event`; None removes a forecast.
    Only a project whose forecast differs is written (a value equal to the stored one is
    left alone), all or nothing. An approved event is frozen (LockedError), and every
    project must belong to the event's committee. Returns the projects written."""
    committee = event.committee
    access.require(actor, access.FINANCE, committee)
    event_ensure_open(event, what="investeringsprognoserna")
    for project in amounts:
        if project.committee_id != committee.pk:
            raise UsageError(f"Projektet {project} hör inte till {committee.name}.")
    stored = {
        f.project_id: f
        for f in InvestmentForecast.objects.select_for_update().filter(
            event=event, project__in=[p.pk for p in amounts]
        )
    }
    written = []
    for project, amount in amounts.items():
        old = stored.get(project.pk)
        if (old.amount if old else None) == amount:
            continue
        if amount is None:
            old.delete()
        elif old is None:
            row = InvestmentForecast(project=project, event=event, amount=amount)
            row.full_clean()
            row.save()
        else:
            old.amount = amount
            old.full_clean()
            old.save(update_fields=["amount"])
        written.append(project)
    return written


@transaction.atomic
def investment_go_live_revise(
    *, actor, project: InvestmentProject, go_live: dt.date, changed_on: dt.date, reason: str = ""
) -> GoLiveRevision | None:
    """Set the project's go-live month (driftsättning). The first month is just set; a
    later change is kept as a dated revision with its reason (the go-live history)."""
    access.require(actor, access.FINANCE, project.committee)
    go_live = go_live.replace(day=1)
    project = InvestmentProject.objects.select_for_update().get(pk=project.pk)
    if project.go_live == go_live:
        return None
    revision = None
    if project.go_live is not None:
        reason = (reason or "").strip()
        if not reason:
            raise UsageError("Ange skälet till att driftsättningen flyttas.")
        revision = GoLiveRevision.objects.create(
            project=project, changed_on=changed_on, go_live=go_live, reason=reason
        )
    project.go_live = go_live
    project.save(update_fields=["go_live"])
    return revision


# ---------------------------------------------------------------- volumes and staff


def _period_key(key, file, line, errors) -> tuple[int, int] | None:
    """'2020-08' → (2020, 8); '2019-13' → the full year incl. period 13."""
    text = str(key)
    parts = text.split("-")
    if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit() and 1 <= int(parts[1]) <= 13:
        return int(parts[0]), int(parts[1])
    errors.append(Issue(file, line, f"{text!r} är ingen period (ÅÅÅÅ-MM, 13 = helår)"))
    return None


@transaction.atomic
def volumes_import(*, actor, path: Path | str, municipality) -> int:
    file = str(path)
    data, errors = read_yaml_mapping(path)
    if data is None or not need(data, ["committee", "volumes"], file, errors, "filen"):
        raise InputError(errors)
    committee = _committee(municipality, data, file)
    access.require(actor, access.FINANCE, committee)
    units = _units_by_code(municipality)
    events = {e.code: e for e in ReportingEvent.objects.filter(committee=committee)}
    parsed = []
    for order, item in enumerate(data["volumes"]):
        if not need(item, ["code", "unit", "name", "measure"], file, errors, "volymen"):
            continue
        if item["unit"] not in units:
            errors.append(Issue(file, item.line_of("unit"), f"okänd enhet {item['unit']!r}"))
        values = []
        for key, value in (item.get("values") or {}).items():
            period = _period_key(key, file, item.line_of("values"), errors)
            number = money(value, file, item.line_of("values"), f"värde {key}", errors)
            if period:
                values.append(("outcome", period[0], period[1], None, number))
        for year, value in (item.get("budget") or {}).items():
            values.append(
                (
                    "budget",
                    int(year),
                    None,
                    None,
                    money(value, file, item.line_of("budget"), "budget", errors),
                )
            )
        for code, value in (item.get("forecast") or {}).items():
            if str(code) not in events:
                errors.append(Issue(file, item.line_of("forecast"), f"okänd händelse {code!r}"))
                continue
            values.append(
                (
                    "forecast",
                    events[str(code)].year,
                    None,
                    events[str(code)],
                    money(value, file, item.line_of("forecast"), "prognos", errors),
                )
            )
        ratios = []
        for ratio in item.get("ratios") or [{"label": "Kostnad / årsplats", "basis": "net"}]:
            if not isinstance(ratio, dict) or ratio.get("basis", "net") not in ("net", "gross"):
                errors.append(
                    Issue(file, item.line_of("ratios"), "ratios: {label, basis: net|gross}")
                )
                continue
            ratios.append(
                {
                    "label": str(ratio.get("label", "Kostnad / årsplats")),
                    "basis": ratio.get("basis", "net"),
                }
            )
        parsed.append((order, item, values, ratios))
    if errors:
        raise InputError(errors)
    for _order, item, values, _ratios in parsed:
        volume = VolumeType.objects.filter(committee=committee, code=str(item["code"])).first()
        if volume is None:
            continue
        old = {(x.kind, x.year, x.period, x.event_id): x.value for x in volume.values.all()}
        new = {(k, y, p, e.pk if e else None): v for k, y, p, e, v in values}
        for key in {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}:
            problem = _volume_lock(committee, volume, key)
            if problem:
                errors.append(Issue(file, item.line_of("values"), problem))
    if errors:
        raise InputError(errors)
    for order, item, values, ratios in parsed:
        volume, _ = VolumeType.objects.update_or_create(
            committee=committee,
            code=str(item["code"]),
            defaults={
                "unit": units[item["unit"]],
                "name": item["name"],
                "measure": item["measure"],
                "ratios": ratios,
                "order": order,
            },
        )
        volume.values.all().delete()
        VolumeValue.objects.bulk_create(
            VolumeValue(volume=volume, kind=k, year=y, period=p, event=e, value=v)
            for k, y, p, e, v in values
        )
    return len(parsed)


def _volume_lock(committee, volume, key) -> str | None:
    """The lock message when a volume value (kind, year, period, event id) is one an
    approved event shows: an outcome through its cut-off, the year's budget, its forecast."""
    kind, year, period, event_id = key
    if kind == "forecast" and event_id is not None:
        event = ReportingEvent.objects.get(pk=event_id)
        if event_is_locked(event):
            try:
                event_ensure_open(event, what=f"volymprognosen för {volume.name}")
            except LockedError as exc:
                return " ".join(exc.messages)
        return None
    return _lock_issue(committee, year, f"volymen {volume.name} {year}", period)


def _ratio_list(ratios) -> list[dict]:
    out = []
    for ratio in ratios or []:
        label = str(ratio.get("label", "")).strip()
        basis = ratio.get("basis", "net")
        if not label:
            continue
        if basis not in ("net", "gross"):
            raise UsageError(f"okänd grund {basis!r} för nyckeltalet {label} (net eller gross)")
        out.append({"label": label, "basis": basis})
    return out


@transaction.atomic
def volume_type_save(
    *,
    actor,
    committee: OrgNode,
    code: str,
    unit: OrgNode,
    name: str,
    measure: str,
    ratios: list[dict] | None = None,
    volume: VolumeType | None = None,
) -> VolumeType:
    """Define a volume (e.g. årsplatser of a unit) and its key ratios, or change one (its
    code stays); only the changed fields are written. The values are volume_value_set's."""
    access.require(actor, access.FINANCE, committee)
    code, name, measure = (code or "").strip(), (name or "").strip(), (measure or "").strip()
    if not code or not name or not measure:
        raise UsageError("Ange kod, verksamhet och enhet (t.ex. Antal årsplatser).")
    if unit.committee() != committee:
        raise UsageError(f"{unit.name} hör inte till {committee.name}.")
    values = {"unit": unit, "name": name, "measure": measure, "ratios": _ratio_list(ratios)}
    if volume is None:
        if VolumeType.objects.filter(committee=committee, code=code).exists():
            raise UsageError(f"Volymkoden {code} finns redan i {committee.name}.")
        last = (
            VolumeType.objects.filter(committee=committee)
            .order_by("-order")
            .values_list("order", flat=True)
            .first()
        )
        volume = VolumeType(
            committee=committee, code=code, order=0 if last is None else last + 1, **values
        )
        volume.full_clean()
        volume.save()
        return volume
    volume = VolumeType.objects.select_for_update().get(pk=volume.pk)
    if volume.committee_id != committee.pk or volume.code != code:
        raise UsageError("Volymens kod ändras inte; lägg upp en ny volym.")
    changed = _changed_fields(volume, values)
    if changed:
        for key in changed:
            setattr(volume, key, values[key])
        volume.full_clean()
        volume.save(update_fields=changed)
    return volume


@transaction.atomic
def volume_value_set(
    *,
    actor,
    volume: VolumeType,
    kind: str,
    year: int,
    value: Decimal | None,
    period: int | None = None,
    event: ReportingEvent | None = None,
) -> VolumeValue | None:
    """Set one value of a volume (None: remove it): an outcome through a period (1–13) or
    a forecast for an event – the unit's own figures, EDIT on the volume's unit – or the
    year's budget (the target), FINANCE on the committee. Unchanged values are not
    written; a value an approved event shows is locked (the same rule as volumes_import)."""
    if kind == VolumeValue.Kind.BUDGET:
        access.require(actor, access.FINANCE, volume.committee)
        period, event = None, None
    elif kind == VolumeValue.Kind.OUTCOME:
        access.require(actor, access.EDIT, volume.unit)
        if period is None or not 1 <= period <= 13:
            raise UsageError("Ett utfall gäller till och med en period (1–13).")
        event = None
    elif kind == VolumeValue.Kind.FORECAST:
        access.require(actor, access.EDIT, volume.unit)
        if event is None or event.committee_id != volume.committee_id:
            raise UsageError("En prognos gäller ett av nämndens rapporttillfällen.")
        year, period = event.year, None
    else:
        raise UsageError(f"okänt slag {kind!r} (outcome, budget, forecast)")
    if value is not None and value < 0:
        raise UsageError(f"{volume.name}: en volym är aldrig negativ.")
    found = (
        VolumeValue.objects.select_for_update()
        .filter(volume=volume, kind=kind, year=year, period=period, event=event)
        .first()
    )
    if (found.value if found else None) == value:
        return found
    problem = _volume_lock(volume.committee, volume, (kind, year, period, event and event.pk))
    if problem:
        raise LockedError(problem)
    if value is None:
        found.delete()
        return None
    if found is None:
        found = VolumeValue(
            volume=volume, kind=kind, year=year, period=period, event=event, value=value
        )
        found.full_clean()
        found.save()
        return found
    found.value = value
    found.full_clean()
    found.save(update_fields=["value"])
    return found


@transaction.atomic
def staff_import(*, actor, path: Path | str, municipality) -> int:
    file = str(path)
    data, errors = read_yaml_mapping(path)
    if data is None or not need(data, ["staff"], file, errors, "filen"):
        raise InputError(errors)
    units = _units_by_code(municipality)
    parsed = []
    for item in data["staff"]:
        if not need(item, ["unit", "period"], file, errors, "raden"):
            continue
        if item["unit"] not in units:
            errors.append(Issue(file, item.line, f"okänd enhet {item['unit']!r}"))
        period = _period_key(item["period"], file, item.line, errors)
        parsed.append((item, period))
    if errors:
        raise InputError(errors)
    _require_finance(actor, {units[item["unit"]] for item, _ in parsed})
    for item, (year, period) in parsed:
        unit = units[item["unit"]]
        old = StaffFigure.objects.filter(
            unit=unit, kind="outcome", year=year, period=period, event=None
        ).first()
        if old is not None and (old.fte, old.employees) != (
            None if item.get("arsarbetare") is None else Decimal(str(item["arsarbetare"])),
            item.get("anstallda"),
        ):
            problem = _lock_issue(unit.committee(), year, f"personalen för {unit.name}", period)
            if problem:
                errors.append(Issue(file, item.line, problem))
    if errors:
        raise InputError(errors)
    for item, (year, period) in parsed:
        StaffFigure.objects.update_or_create(
            unit=units[item["unit"]],
            kind="outcome",
            year=year,
            period=period,
            event=None,
            defaults={"fte": item.get("arsarbetare"), "employees": item.get("anstallda")},
        )
        for kind in ("budget", "forecast"):
            figures = item.get(kind) or {}
            if figures:
                StaffFigure.objects.update_or_create(
                    unit=units[item["unit"]],
                    kind=kind,
                    year=year,
                    period=None,
                    event=None,
                    defaults={
                        "fte": figures.get("arsarbetare"),
                        "employees": figures.get("anstallda"),
                    },
                )
    return len(parsed)


@transaction.atomic
def staff_set(
    *,
    actor,
    unit: OrgNode,
    kind: str,
    year: int,
    fte: Decimal | None,
    employees: int | None,
    period: int | None = None,
) -> StaffFigure | None:
    """Set a unit's staff figures (årsarbetare, anställda): the outcome through a period
    (1–13), or the year's budget or forecast – the same rows staff_import writes. Both
    None removes them; unchanged figures are not written; figures an approved event shows
    are locked (an outcome through its cut-off; the budget and forecast of its year)."""
    access.require(actor, access.FINANCE, unit)
    if kind == VolumeValue.Kind.OUTCOME:
        if period is None or not 1 <= period <= 13:
            raise UsageError("Personalens utfall gäller till och med en period (1–13).")
    elif kind in (VolumeValue.Kind.BUDGET, VolumeValue.Kind.FORECAST):
        period = None
    else:
        raise UsageError(f"okänt slag {kind!r} (outcome, budget, forecast)")
    if (fte is not None and fte < 0) or (employees is not None and employees < 0):
        raise UsageError("Årsarbetare och anställda är aldrig negativa.")
    found = (
        StaffFigure.objects.select_for_update()
        .filter(unit=unit, kind=kind, year=year, period=period, event=None)
        .first()
    )
    wanted = {"fte": fte, "employees": employees}
    if found is None and fte is None and employees is None:
        return None
    if found is not None and not _changed_fields(found, wanted):
        return found
    problem = _lock_issue(unit.committee(), year, f"personalen för {unit.name} {year}", period)
    if problem:
        raise LockedError(problem)
    if fte is None and employees is None:
        found.delete()
        return None
    if found is None:
        found = StaffFigure(unit=unit, kind=kind, year=year, period=period, **wanted)
        found.full_clean()
        found.save()
        return found
    changed = _changed_fields(found, wanted)
    for key in changed:
        setattr(found, key, wanted[key])
    found.full_clean()
    found.save(update_fields=changed)
    return found


# ---------------------------------------------------------------- budget from SIE #PBUDGET


@transaction.atomic
def budget_import_sie(
    *, actor, path: Path | str, municipality, sie_dimensions: dict[str, str] | None = None
) -> int:
    """The annual budget from an SIE file's #PBUDGET rows (period budgets per account and
    object), aggregated to unit × report row; the months become the row's profile, so
    Ack. budget follows the file exactly. Rows for the same unit, row and year are replaced.
    Every problem (unknown account row, unmapped object, other year) is an error with its
    line, and nothing is stored."""
    from styra.ledger.readers import sie
    from styra.ledger.rows import lookup_for
    from styra.ledger.services import DEFAULT_SIE_DIMENSIONS, UNIT_DIMENSIONS
    from styra.org.models import DimensionMapping

    file = str(path)
    dims = sie_dimensions or DEFAULT_SIE_DIMENSIONS
    mapping = {
        (m.year, m.dimension, m.code): m.node_id
        for m in DimensionMapping.objects.filter(municipality=municipality)
    }
    errors: list[Issue] = []
    fiscal_year = None
    months: dict[tuple[int, str], list[Decimal]] = {}
    first_line: dict[tuple[int, str], int] = {}
    lookups: dict = {}
    for rec in sie.iter_sie(path, filename=Path(file).name):
        if isinstance(rec, Issue):
            if rec.is_error:
                errors.append(rec)
            continue
        if isinstance(rec, sie.FiscalYear) and rec.year_index == 0:
            fiscal_year = rec.start.year
            continue
        if not isinstance(rec, sie.PeriodBalance) or rec.kind != "PBUDGET" or rec.year_index != 0:
            continue
        year, month = int(rec.period[:4]), int(rec.period[4:6])
        if fiscal_year and year != fiscal_year:
            errors.append(
                Issue(file, rec.line, f"perioden {rec.period} ligger utanför {fiscal_year}")
            )
            continue
        lookup = lookups.setdefault(year, lookup_for(municipality, year))
        row = lookup.row_for(rec.account) if lookup else None
        if row is None:
            key4 = rec.account[:4]
            if key4.isdigit() and 3000 <= int(key4) <= 8999:
                errors.append(
                    Issue(file, rec.line, f"konto {rec.account} hör inte till någon rapportrad")
                )
            continue
        by_dim = {dims.get(d, f"dim{d}"): c for d, c in rec.objects}
        unit_id = next(
            (
                mapping[(year, d, by_dim[d])]
                for d in UNIT_DIMENSIONS
                if (year, d, by_dim.get(d)) in mapping
            ),
            None,
        )
        if unit_id is None:
            codes = ", ".join(f"{d} {c}" for d, c in by_dim.items()) or "inget objekt"
            errors.append(Issue(file, rec.line, f"{codes} är inte kopplad till någon enhet {year}"))
            continue
        key = (unit_id, row.code)
        first_line.setdefault(key, rec.line)
        months.setdefault(key, [Decimal(0)] * 12)[month - 1] += report_kr(rec.amount_ore)
        fiscal_year = fiscal_year or year
    if not months and not errors:
        errors.append(Issue(file, 0, "filen har inga #PBUDGET-rader för räkenskapsåret"))
    if errors:
        raise InputError(errors)
    nodes = OrgNode.objects.in_bulk({unit_id for unit_id, _ in months})
    _require_finance(actor, nodes.values())
    existing = {
        (b.unit_id, b.row_code): b
        for b in BudgetLine.objects.filter(unit_id__in=nodes, year=fiscal_year)
    }
    writes = []
    for (unit_id, code), values in months.items():
        total = sum(values, Decimal(0))
        weights = [str(w) for w in (values if total else [Decimal(1)] * 12)]
        old = existing.get((unit_id, code))
        if old is not None and (old.amount, old.profile, list(old.weights or [])) == (
            total,
            "custom",
            weights,
        ):
            continue
        unit = nodes[unit_id]
        problem = _lock_issue(unit.committee(), fiscal_year, f"budgeten för {unit.name}")
        if problem:
            errors.append(Issue(file, first_line[(unit_id, code)], problem))
        writes.append((unit_id, code, total, weights))
    if errors:
        raise InputError(errors)
    for unit_id, code, total, weights in writes:
        BudgetLine.objects.update_or_create(
            unit_id=unit_id,
            year=fiscal_year,
            row_code=code,
            defaults={"amount": total, "profile": "custom", "weights": weights},
        )
    budget_months_refresh({(unit_id, fiscal_year) for unit_id, _c, _t, _w in writes})
    return len(months)
