"""Finance writes (HackSoft style): imports of whole files and single edits.

All imports validate the whole file first and store nothing when any line is wrong. Every
write checks that the reporting event is open (approved events are locked).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from styra.ledger.models import ReportRow
from styra.lib.periods import ReportingEventCode
from styra.lib.yamlfile import FileError, LineDict
from styra.org import access
from styra.org.models import NodeKind, OrgNode

from .importers import (
    KIND_WORDS,
    FinanceFileError,
    load_mapping,
    money,
    month_date,
    need,
    parse_budget,
    parse_forecasts,
)
from .models import (
    Assumption,
    AssumptionStatus,
    BudgetChange,
    BudgetLine,
    EventStatus,
    Forecast,
    ForecastReady,
    GoLiveRevision,
    InvestmentForecast,
    InvestmentPlan,
    InvestmentProject,
    LockedError,
    ReportingEvent,
    StaffFigure,
    VolumeType,
    VolumeValue,
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


def _committee(municipality, code: str) -> OrgNode | None:
    return OrgNode.objects.filter(
        municipality=municipality, kind=NodeKind.COMMITTEE, short_name=code
    ).first()


# ---------------------------------------------------------------- budget


@transaction.atomic
def budget_import(*, path: Path | str, municipality) -> int:
    """Load an annual budget file (CSV or XLSX; an SIE file's #PBUDGET rows go through
    budget_import_sie); rows for the same year × unit × row are replaced."""
    if Path(path).suffix.lower() in (".se", ".si", ".sie"):
        return budget_import_sie(path=path, municipality=municipality)
    units = _units_by_code(municipality)
    records, errors = parse_budget(path, set(units), _row_codes(municipality))
    if errors:
        raise FinanceFileError(errors)
    for r in records:
        BudgetLine.objects.update_or_create(
            unit=units[r.unit],
            year=r.year,
            row_code=r.row,
            defaults={
                "amount": r.amount,
                "profile": r.profile,
                "weights": [str(w) for w in r.weights],
            },
        )
    return len(records)


def budget_set(*, user, unit: OrgNode, year: int, row_code: str, amount: Decimal) -> BudgetLine:
    """Edit one budget cell (the controller's grid)."""
    access.require(user, access.FINANCE, unit)
    line, _ = BudgetLine.objects.update_or_create(
        unit=unit, year=year, row_code=row_code, defaults={"amount": amount}
    )
    return line


@transaction.atomic
def budget_changes_import(*, path: Path | str, municipality) -> int:
    file = str(path)
    data, errors = load_mapping(path)
    if data is None:
        raise FinanceFileError(errors)
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
            errors.append(FileError(file, line, f"okänd enhet {item['unit']!r}"))
        if item["row"] not in rows:
            errors.append(FileError(file, line, f"okänd rapportrad {item['row']!r}"))
        if item["kind"] not in KIND_WORDS:
            errors.append(
                FileError(
                    file, line, f"okänd typ {item['kind']!r} ({', '.join(sorted(KIND_WORDS))})"
                )
            )
        if not isinstance(item["date"], dt.date):
            errors.append(FileError(file, line, "date ska vara ett datum ÅÅÅÅ-MM-DD"))
        amount = money(item["amount"], file, line, "amount", errors)
        parsed.append((item, amount))
    if errors:
        raise FinanceFileError(errors)
    count = 0
    for item, amount in parsed:
        BudgetChange.objects.update_or_create(
            unit=units[item["unit"]],
            year=item["date"].year,
            row_code=item["row"],
            decision=str(item["decision"]),
            date=item["date"],
            defaults={"amount": amount, "kind": item["kind"], "text": str(item.get("text", ""))},
        )
        count += 1
    return count


# ---------------------------------------------------------------- reporting events


@transaction.atomic
def events_import(*, path: Path | str, municipality, apply_status: bool = True) -> int:
    """Create or update reporting events (and their assumptions) of one committee.

    With apply_status=False new events start open and existing ones keep their status, so
    that a data load can fill an event before the file's approval is applied."""
    file = str(path)
    data, errors = load_mapping(path)
    if data is None:
        raise FinanceFileError(errors)
    if not need(data, ["committee", "events"], file, errors, "filen"):
        raise FinanceFileError(errors)
    committee = _committee(municipality, str(data["committee"]))
    if committee is None:
        raise FinanceFileError(
            [FileError(file, data.line_of("committee"), f"okänd nämnd {data['committee']!r}")]
        )
    planned = []
    for item in data["events"]:
        if not need(item, ["code", "cutoff_period"], file, errors, "händelsen"):
            continue
        try:
            code = ReportingEventCode.parse(str(item["code"]))
        except ValueError as exc:
            errors.append(FileError(file, item.line_of("code"), str(exc)))
            continue
        status = STATUS_WORDS.get(str(item.get("status", "open")))
        if status is None:
            errors.append(
                FileError(file, item.line_of("status"), f"okänd status {item['status']!r}")
            )
        cutoff = item["cutoff_period"]
        if not isinstance(cutoff, int) or not 1 <= cutoff <= 13:
            errors.append(
                FileError(file, item.line_of("cutoff_period"), "cutoff_period ska vara 1–13")
            )
        planned.append((item, code, status))
    assumptions = []
    for item in data.get("assumptions", []) or []:
        if not need(item, ["event", "text"], file, errors, "antagandet"):
            continue
        amount = money(item.get("amount"), file, item.line, "amount", errors, required=False)
        status = ASSUMPTION_WORDS.get(str(item.get("status", "osäker")))
        if status is None:
            errors.append(FileError(file, item.line, f"okänd status {item['status']!r}"))
        assumptions.append((item, amount, status))
    if errors:
        raise FinanceFileError(errors)
    by_code = {}
    for item, code, status in planned:
        existing = ReportingEvent.objects.filter(committee=committee, code=str(code)).first()
        if existing is not None and existing.is_locked and status != existing.status:
            errors.append(FileError(file, item.line, f"{existing.name} är godkänd och låst"))
            continue
        approved_at = (
            timezone.make_aware(dt.datetime.combine(item["approved"], dt.time(12)))
            if isinstance(item.get("approved"), dt.date)
            else None
        )
        defaults = {
            "year": code.year,
            "name": code.name_sv,
            "cutoff_period": item["cutoff_period"],
            "deadline": item.get("deadline"),
        }
        if apply_status:
            defaults.update(status=status, approved_at=approved_at)
        elif existing is None:
            defaults.update(status=EventStatus.OPEN)
        if existing is not None and existing.is_locked:
            by_code[str(code)] = existing
            continue
        event, _ = ReportingEvent.objects.update_or_create(
            committee=committee, code=str(code), defaults=defaults
        )
        by_code[str(code)] = event
    if errors:
        raise FinanceFileError(errors)
    for order, (item, amount, status) in enumerate(assumptions):
        event = (
            by_code.get(str(item["event"]))
            or ReportingEvent.objects.filter(committee=committee, code=str(item["event"])).first()
        )
        if event is None:
            raise FinanceFileError(
                [FileError(file, item.line, f"okänd händelse {item['event']!r}")]
            )
        Assumption.objects.update_or_create(
            event=event,
            order=order,
            defaults={"text": item["text"], "amount": amount, "status": status},
        )
    return len(planned)


@transaction.atomic
def event_approve(
    *, event: ReportingEvent, user, when: dt.datetime | None = None
) -> ReportingEvent:
    """The committee approved the event: lock its figures."""
    access.require(user, access.FINANCE, event.committee)
    event.ensure_open()
    event.status = EventStatus.APPROVED
    event.approved_at = when or timezone.now()
    event.approved_by = user if getattr(user, "is_authenticated", False) else None
    event.save()
    return event


# ---------------------------------------------------------------- forecasts


@transaction.atomic
def forecasts_import(*, path: Path | str, municipality) -> int:
    units = _units_by_code(municipality)
    records, errors = parse_forecasts(path, set(units), _row_codes(municipality))
    events = {}
    for r in records:
        unit = units.get(r.unit)
        committee = unit.committee() if unit else None
        event = ReportingEvent.objects.filter(committee=committee, code=r.event).first()
        if event is None:
            errors.append(
                FileError(str(path), r.line, f"händelsen {r.event} finns inte för enhetens nämnd")
            )
        elif event.is_locked:
            errors.append(FileError(str(path), r.line, f"{event.name} är godkänd och låst"))
        events[r.line] = event
    if errors:
        raise FinanceFileError(errors)
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
    user,
    event: ReportingEvent,
    unit: OrgNode,
    row_code: str,
    amount: Decimal,
    comment: str = "",
    character: str = "",
) -> Forecast:
    """A unit manager (or controller) sets one forecast cell. Locked events refuse."""
    access.require(user, access.EDIT, unit)
    event.ensure_open()
    if ForecastReady.objects.filter(event=event, unit=unit).exists() and not access.can(
        user, access.FINANCE, unit
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
                "changed_by": user,
            },
        )
    return forecast


def forecast_mark_ready(*, user, event: ReportingEvent, unit: OrgNode) -> ForecastReady:
    access.require(user, access.EDIT, unit)
    event.ensure_open()
    ready, _ = ForecastReady.objects.get_or_create(
        event=event, unit=unit, defaults={"ready_by": user}
    )
    return ready


def forecast_reopen(*, user, event: ReportingEvent, unit: OrgNode) -> None:
    access.require(user, access.FINANCE, unit)
    event.ensure_open()
    ForecastReady.objects.filter(event=event, unit=unit).delete()


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
def investments_import(*, path: Path | str, municipality) -> int:
    file = str(path)
    data, errors = load_mapping(path)
    if data is None or not need(data, ["committee", "projects"], file, errors, "filen"):
        raise FinanceFileError(errors)
    committee = _committee(municipality, str(data["committee"]))
    if committee is None:
        raise FinanceFileError(
            [FileError(file, data.line_of("committee"), f"okänd nämnd {data['committee']!r}")]
        )
    units = _units_by_code(municipality)
    events = {e.code: e for e in ReportingEvent.objects.filter(committee=committee)}
    plans = []
    for item in data["projects"]:
        if not need(item, ["number", "name", "kind", "category"], file, errors, "projektet"):
            continue
        line = item.line
        if item["kind"] not in ("annual", "multi_year"):
            errors.append(
                FileError(file, item.line_of("kind"), "kind ska vara annual eller multi_year")
            )
        else:
            problem = project_number_problem(str(item["number"]), item["kind"])
            if problem:
                errors.append(FileError(file, item.line_of("number"), problem))
        if item["category"] not in ("inventarier", "reinvestering", "fastighet"):
            errors.append(
                FileError(file, item.line_of("category"), f"okänd kategori {item['category']!r}")
            )
        if item.get("unit") and item["unit"] not in units:
            errors.append(FileError(file, item.line_of("unit"), f"okänd enhet {item['unit']!r}"))
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
                errors.append(FileError(file, item.line_of("forecast"), f"okänd händelse {code!r}"))
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
                    errors.append(FileError(file, rev.line, "revised.on ska vara ett datum"))
                revisions.append((rev.get("on"), to, str(rev.get("why", ""))))
        plans.append((line, item, amounts, plan, forecasts, go_live, revisions))
    if errors:
        raise FinanceFileError(errors)
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


# ---------------------------------------------------------------- volumes and staff


def _period_key(key, file, line, errors) -> tuple[int, int] | None:
    """'2020-08' → (2020, 8); '2019-13' → the full year incl. period 13."""
    text = str(key)
    parts = text.split("-")
    if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit() and 1 <= int(parts[1]) <= 13:
        return int(parts[0]), int(parts[1])
    errors.append(FileError(file, line, f"{text!r} är ingen period (ÅÅÅÅ-MM, 13 = helår)"))
    return None


@transaction.atomic
def volumes_import(*, path: Path | str, municipality) -> int:
    file = str(path)
    data, errors = load_mapping(path)
    if data is None or not need(data, ["committee", "volumes"], file, errors, "filen"):
        raise FinanceFileError(errors)
    committee = _committee(municipality, str(data["committee"]))
    if committee is None:
        raise FinanceFileError([FileError(file, data.line_of("committee"), "okänd nämnd")])
    units = _units_by_code(municipality)
    events = {e.code: e for e in ReportingEvent.objects.filter(committee=committee)}
    parsed = []
    for order, item in enumerate(data["volumes"]):
        if not need(item, ["code", "unit", "name", "measure"], file, errors, "volymen"):
            continue
        if item["unit"] not in units:
            errors.append(FileError(file, item.line_of("unit"), f"okänd enhet {item['unit']!r}"))
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
                errors.append(FileError(file, item.line_of("forecast"), f"okänd händelse {code!r}"))
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
                    FileError(file, item.line_of("ratios"), "ratios: {label, basis: net|gross}")
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
        raise FinanceFileError(errors)
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


@transaction.atomic
def staff_import(*, path: Path | str, municipality) -> int:
    file = str(path)
    data, errors = load_mapping(path)
    if data is None or not need(data, ["staff"], file, errors, "filen"):
        raise FinanceFileError(errors)
    units = _units_by_code(municipality)
    parsed = []
    for item in data["staff"]:
        if not need(item, ["unit", "period"], file, errors, "raden"):
            continue
        if item["unit"] not in units:
            errors.append(FileError(file, item.line, f"okänd enhet {item['unit']!r}"))
        period = _period_key(item["period"], file, item.line, errors)
        parsed.append((item, period))
    if errors:
        raise FinanceFileError(errors)
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


# ---------------------------------------------------------------- budget from SIE #PBUDGET


@transaction.atomic
def budget_import_sie(
    *, path: Path | str, municipality, sie_dimensions: dict[str, str] | None = None
) -> int:
    """The annual budget from an SIE file's #PBUDGET rows (period budgets per account and
    object), aggregated to unit × report row; the months become the row's profile, so
    Ack. budget follows the file exactly. Rows for the same unit, row and year are replaced.
    Every problem (unknown account row, unmapped object, other year) is an error with its
    line, and nothing is stored."""
    from styra.ledger.importers import sie
    from styra.ledger.rows import lookup_for
    from styra.ledger.services import DEFAULT_SIE_DIMENSIONS, UNIT_DIMENSIONS
    from styra.org.models import DimensionMapping

    file = str(path)
    dims = sie_dimensions or DEFAULT_SIE_DIMENSIONS
    mapping = {
        (m.year, m.dimension, m.code): m.node_id
        for m in DimensionMapping.objects.filter(municipality=municipality)
    }
    errors: list[FileError] = []
    fiscal_year = None
    months: dict[tuple[int, str], list[Decimal]] = {}
    lookups: dict = {}
    for rec in sie.iter_sie(path, filename=Path(file).name):
        if isinstance(rec, sie.Issue):
            if rec.is_error:
                errors.append(FileError(file, rec.line, rec.message))
            continue
        if isinstance(rec, sie.FiscalYear) and rec.year_index == 0:
            fiscal_year = rec.start.year
            continue
        if not isinstance(rec, sie.PeriodBalance) or rec.kind != "PBUDGET" or rec.year_index != 0:
            continue
        year, month = int(rec.period[:4]), int(rec.period[4:6])
        if fiscal_year and year != fiscal_year:
            errors.append(
                FileError(file, rec.line, f"perioden {rec.period} ligger utanför {fiscal_year}")
            )
            continue
        lookup = lookups.setdefault(year, lookup_for(municipality, year))
        row = lookup.row_for(rec.account) if lookup else None
        if row is None:
            key4 = rec.account[:4]
            if key4.isdigit() and 3000 <= int(key4) <= 8999:
                errors.append(
                    FileError(file, rec.line, f"konto {rec.account} hör inte till någon rapportrad")
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
            errors.append(
                FileError(file, rec.line, f"{codes} är inte kopplad till någon enhet {year}")
            )
            continue
        key = (unit_id, row.code)
        months.setdefault(key, [Decimal(0)] * 12)[month - 1] += -Decimal(rec.amount_ore) / 100
        fiscal_year = fiscal_year or year
    if not months and not errors:
        errors.append(FileError(file, 0, "filen har inga #PBUDGET-rader för räkenskapsåret"))
    if errors:
        raise FinanceFileError(errors)
    count = 0
    for (unit_id, code), values in months.items():
        total = sum(values, Decimal(0))
        weights = values if total else [Decimal(1)] * 12
        BudgetLine.objects.update_or_create(
            unit_id=unit_id,
            year=fiscal_year,
            row_code=code,
            defaults={"amount": total, "profile": "custom", "weights": [str(w) for w in weights]},
        )
        count += 1
    return count


@transaction.atomic
def event_send(*, event: ReportingEvent, user) -> ReportingEvent:
    """The approved report has been sent on to the executive board (KS)."""
    access.require(user, access.FINANCE, event.committee)
    if event.status != EventStatus.APPROVED:
        raise LockedError(f"{event.name} måste vara godkänd av nämnden innan den skickas vidare.")
    event.status = EventStatus.SENT
    event.save(update_fields=["status"])
    return event
