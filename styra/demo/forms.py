"""Demo part: Stockholm (demo) with Arbetsmarknadsnämnden (AMN) and the city's forms of its
Tertialrapport 1 2021 (result units, a strategic project, premises, ESF projects, grant
applications), and an IOP agreement of AVUN. Figures are invented where the city's forms
are blank; see docs/forms.md."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import yaml
from django.contrib.auth import get_user_model

from styra.calendar.services import event_ensure
from styra.finance import services as finance_services
from styra.forms import services
from styra.forms.models import (
    ExternalProject,
    GrantApplication,
    IopAgreement,
    PremisesApplication,
    StrategicProject,
)
from styra.ledger.rows import ensure_default_scheme
from styra.org.access import system_actor
from styra.org.models import OrgNode
from styra.org.selectors import committee_get, municipality_get
from styra.org.services import org_load
from styra.reports.services import template_update

from .builder import DATA_DIR, DEMO_PASSWORD, DEMO_USERS

TITLE = "Stadens blanketter (Stockholm, AMN) och IOP (AVUN)"
FOLDER = DATA_DIR / "forms"


def _read(name: str) -> dict:
    return yaml.safe_load((FOLDER / name).read_text(encoding="utf-8"))


def _d(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _m(value) -> Decimal:
    return Decimal(str(value))


def build_city_forms(actor, data: dict) -> int:
    committee = committee_get(municipality_get(data["municipality"]), data["committee"])
    year = int(data["year"])
    event = event_ensure(actor=actor, committee=committee, code=data["event"])
    ensure_default_scheme(committee.municipality)
    template_update(
        actor=actor,
        committee=committee,
        report_type="delarsrapport",
        overrides={"sign_convention": data["sign_convention"]},
    )
    count = 0
    for r in data["result_units"]:
        unit = OrgNode.objects.get(municipality=committee.municipality, code=r["unit"])
        # the budget and the T1 forecast the gross budget and the year's result are read from
        for row_code, amount in r["budget"].items():
            finance_services.budget_set(
                actor=actor, unit=unit, year=year, row_code=row_code, amount=_m(amount)
            )
        for row_code, amount in r["forecast"].items():
            finance_services.forecast_save(
                actor=actor, event=event, unit=unit, row_code=row_code, amount=_m(amount)
            )
        finance_services.forecast_mark_ready(actor=actor, event=event, unit=unit)
        services.result_unit_save(
            actor=actor,
            unit=unit,
            year=year,
            fund_in=_m(r["fund_in"]),
            own_result=_m(r["own"]),
            explanation=r["explanation"],
        )
        count += 1
    for p in data["strategic_projects"]:
        existing = StrategicProject.objects.filter(
            committee=committee, year=year, name=p["name"]
        ).first()
        services.strategic_project_save(
            actor=actor,
            committee=committee,
            year=year,
            project=existing,
            plan={int(y): {k: _m(v) for k, v in row.items()} for y, row in p["plan"].items()},
            name=p["name"],
            accumulated_cost=_m(p["accumulated"]["cost"]),
            accumulated_revenue=_m(p["accumulated"]["revenue"]),
            budget_cost=_m(p["budget"]["cost"]),
            budget_revenue=_m(p["budget"]["revenue"]),
            forecast_cost=_m(p["forecast"]["cost"]),
            forecast_revenue=_m(p["forecast"]["revenue"]),
            decided_cost=_m(p["decided"]["cost"]),
            decided_revenue=_m(p["decided"]["revenue"]),
            forecast_total_cost=_m(p["forecast_total"]["cost"]),
            forecast_total_revenue=_m(p["forecast_total"]["revenue"]),
            decided_start=_d(p["decided"]["start"]),
            decided_end=_d(p["decided"]["end"]),
            forecast_start=_d(p["forecast_total"]["start"]),
            forecast_end=_d(p["forecast_total"]["end"]),
            cause=p["cause"],
            action=p["action"],
        )
        count += 1
    for a in data["premises"]:
        existing = PremisesApplication.objects.filter(
            committee=committee, year=year, address=a["address"]
        ).first()
        services.premises_save(
            actor=actor,
            committee=committee,
            year=year,
            application=existing,
            address=a["address"],
            area=_m(a["area"]),
            contract_end=_d(a["contract_end"]),
            returned_on=_d(a["returned_on"]),
            yearly_rent=_m(a["yearly_rent"]),
            amount_applied=_m(a["amount_applied"]),
            covers=a["covers"],
            in_premises_plan=bool(a["in_premises_plan"]),
            comment=a.get("comment", ""),
        )
        count += 1
    for e in data["external_projects"]:
        existing = ExternalProject.objects.filter(committee=committee, name=e["name"]).first()
        fields = dict(e)
        for key in ("starts", "ends"):
            fields[key] = _d(fields[key])
        for key in (
            "total_budget",
            "total_budget_eur",
            "co_financing_cash",
            "co_financing_in_kind",
        ):
            if key in fields:
                fields[key] = _m(fields[key])
        services.external_project_save(actor=actor, committee=committee, project=existing, **fields)
        count += 1
    for g in data["grant_applications"]:
        existing = GrantApplication.objects.filter(committee=committee, name=g["name"]).first()
        lines = [{"side": "cost", **c} for c in g["costs"]]
        lines += [{"side": "financing", **f} for f in g["financing"]]
        for line in lines:
            line["amount"] = _m(line["amount"])
        application = services.grant_application_save(
            actor=actor,
            committee=committee,
            application=existing,
            lines=lines,
            name=g["name"],
            grantor=g["grantor"],
            regulation=g.get("regulation", ""),
            starts=_d(g["starts"]),
            ends=_d(g["ends"]),
            amount_sought=_m(g["amount_sought"]),
        )
        services.grant_application_mark_ready(actor=actor, application=application)
        count += 1
    return count


def build_iop(actor, data: dict) -> int:
    committee = committee_get(municipality_get(data["municipality"]), data["committee"])
    for a in data["agreements"]:
        existing = IopAgreement.objects.filter(committee=committee, name=a["name"]).first()
        years = {
            int(y): {k: (_m(v) if k == "amount" else v) for k, v in row.items()}
            for y, row in a["years"].items()
        }
        fields = {k: v for k, v in a.items() if k != "years"}
        fields["starts"], fields["ends"] = _d(fields["starts"]), _d(fields["ends"])
        services.iop_agreement_save(
            actor=actor, committee=committee, agreement=existing, years=years, **fields
        )
    return len(data["agreements"])


def build() -> str:
    actor = system_actor("demo")
    org_load(actor=actor, path=FOLDER / "stockholm-org.yaml")
    for user in get_user_model().objects.filter(username__in=DEMO_USERS):
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    forms = build_city_forms(actor, _read("stockholm-forms.yaml"))
    iop = build_iop(actor, _read("botkyrka-iop.yaml"))
    return f"AMN: {forms} blanketter och poster; AVUN: {iop} IOP-avtal"
