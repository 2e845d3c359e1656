"""Demo part: Socialnämndens planering för Mål och budget 2020 (issue 18): frames,
ramjustering proposals, efficiency plan, investment plan with underlag, state grants.

Idempotent: an existing plan for the year is rebuilt from the file (its rows replaced);
grants are matched on name and case number."""

from __future__ import annotations

from decimal import Decimal

from styra.goals.models import Measure
from styra.goals.services import goals_load
from styra.lib.yamlfile import load_yaml
from styra.org.access import system_actor
from styra.org.models import OrgNode
from styra.planning import services
from styra.planning.models import FramePlan, Grant
from styra.reports.services import narrative_save

from .builder import DATA_DIR

TITLE = "Planering (Socialnämnden, Mål och budget 2020)"
FILE = DATA_DIR / "planning" / "sn-2020.yaml"
GOALS = DATA_DIR / "planning" / "sn-2020-mal.yaml"  # measures with targets 2020–2023
ACTOR = system_actor("demo")
GRANT_TEXT_FIELDS = [
    "grantor", "case_number", "decision", "mechanism", "status", "requisition_by",
    "use_from", "use_until", "report_by", "repay_by", "restrictions", "purpose",
]  # fmt: skip


def tkr(value) -> Decimal:
    """Thousands in the file → kronor (exact: 3185.387 tkr is 3 185 387 kr)."""
    return Decimal(str(value)) * 1000


def _years(amounts) -> dict:
    return {int(y): tkr(v) for y, v in (amounts or {}).items()}


def build() -> str:
    data = load_yaml(FILE)
    committee = OrgNode.objects.get(code=data["committee"], kind="committee")
    year = int(data["budget_year"])
    plan = FramePlan.objects.filter(committee=committee, budget_year=year).first()
    if plan is None:
        plan = services.frame_plan_create(
            actor=ACTOR,
            committee=committee,
            budget_year=year,
            opening=tkr(data["opening"]),
            planning_decision=str(data.get("planning_decision", "")),
        )
    plan = services.frame_plan_update(
        actor=ACTOR,
        plan=plan,
        opening=tkr(data["opening"]),
        efficiency_percent=Decimal(str(data.get("efficiency_percent", 0))),
        efficiency_excluded=tkr(data.get("efficiency_excluded", 0)),
        revenues={g: _years(a) for g, a in (data.get("revenues") or {}).items()},
    )
    goals_load(actor=ACTOR, path=GOALS)
    for mark in data.get("marks", []):
        measure = Measure.objects.get(
            goal__committee=committee, goal__code=str(mark["goal"]), code=str(mark["measure"])
        )
        services.measure_mark_set(
            actor=ACTOR, plan=plan, measure=measure, kind=mark["kind"], text=mark.get("text", "")
        )
    for part, body in (data.get("texts") or {}).items():
        narrative_save(
            actor=ACTOR,
            event=plan.event,
            report_type="yttrande",
            part=str(part),
            text=str(body).strip(),
            ready=True,
        )
    plan.adjustments.all().delete()
    plan.proposals.all().delete()
    plan.efficiency.all().delete()
    plan.investments.all().delete()
    for a in data.get("adjustments", []):
        services.adjustment_save(
            actor=ACTOR,
            plan=plan,
            kind=a["kind"],
            text=str(a.get("text", "")),
            decision=str(a.get("decision", "")),
            amounts=_years(a["amounts"]),
        )
    for p in data.get("proposals", []):
        services.proposal_save(
            actor=ACTOR,
            plan=plan,
            title=p["title"],
            criterion=int(p["criterion"]),
            description=p["description"],
            start_year=int(p["start"][0]),
            start_month=int(p["start"][1]),
            motivation=p.get("motivation", ""),
            consequence=p.get("consequence", ""),
            lines={
                ct: {"part_year": tkr(v["part"]), "full_year": tkr(v["full"])}
                for ct, v in p["lines"].items()
            },
        )
    for m in data.get("efficiency", []):
        services.efficiency_measure_save(
            actor=ACTOR,
            plan=plan,
            name=m["name"],
            area=m.get("area", ""),
            content=m.get("content", ""),
            premise=m.get("premise", ""),
            consequence=m.get("consequence", ""),
            feasibility=m.get("feasibility", ""),
            amounts={
                int(y): {"saving": tkr(v.get("saving", 0)), "cost": tkr(v.get("cost", 0))}
                for y, v in m["amounts"].items()
            },
        )
    for i in data.get("investments", []):
        money = {k: tkr(i[k]) for k in ("decided_total", "outcome_to_date", "new_total") if k in i}
        inv = services.investment_save(
            actor=ACTOR,
            plan=plan,
            number=str(i["number"]),
            name=i["name"],
            group=i["group"],
            status=i["status"],
            amounts=_years(i.get("amounts")),
            owner=i.get("owner", ""),
            attachment=str(i.get("attachment", "")),
            administration=i.get("administration", ""),
            decided_year=i.get("decided_year"),
            **money,
        )
        b = i.get("basis")
        if b:
            services.investment_basis_save(
                actor=ACTOR,
                investment=inv,
                officer=b.get("officer", ""),
                description=b.get("description", ""),
                motivation=b.get("motivation", ""),
                consequence=b.get("consequence", ""),
                go_live_year=int(b["go_live"][0]),
                go_live_month=int(b["go_live"][1]),
                property_amount=tkr(b.get("property_amount", 0)),
                other_amount=tkr(b.get("other_amount", 0)),
                components=[
                    {"name": c["name"], "amount": tkr(c["amount"]), "life": int(c["life"])}
                    for c in b.get("components", [])
                ],
                property_costs=tkr(b.get("property_costs", 0)),
                rent=tkr(b.get("rent", 0)),
                interest_rate=Decimal(str(b.get("interest_rate", 0))),
            )
    for g in data.get("grants", []):
        existing = Grant.objects.filter(
            committee=committee, name=g["name"], case_number=g.get("case_number", "")
        ).first()
        fields = {k: g[k] for k in GRANT_TEXT_FIELDS if k in g}
        for k in ("substitute_share_cap", "overhead_cap"):
            if k in g:
                fields[k] = Decimal(str(g[k]))
        for k in ("municipal_cost", "substitute_cost", "wages", "overhead"):
            if k in g:
                fields[k] = tkr(g[k])
        services.grant_save(
            actor=ACTOR,
            committee=committee,
            name=g["name"],
            amounts=_years(g.get("amounts")),
            grant=existing,
            **fields,
        )
    return (
        f"{committee.name} {plan.title}: {plan.adjustments.count()} justeringar, "
        f"{plan.proposals.count()} förslag, {plan.efficiency.count()} effektiviseringar, "
        f"{plan.investments.count()} investeringar, "
        f"{Grant.objects.filter(committee=committee).count()} statsbidrag"
    )
