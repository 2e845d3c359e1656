"""Demo part: Socialnämnden's internal control 2023 (the plan, its revision, the results
done by June and their actions) and its registers."""

from __future__ import annotations

import datetime as dt

import yaml

from styra.calendar.services import event_ensure
from styra.control import services
from styra.control.models import ControlResult
from styra.org.access import system_actor
from styra.org.models import Person
from styra.org.selectors import committee_get, municipality_get

from .builder import DATA_DIR

TITLE = "Intern kontroll och register (Socialnämnden)"


def _person(municipality, username: str | None) -> Person | None:
    if not username:
        return None
    return Person.objects.get(municipality=municipality, user__username=username)


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def build_plan(actor, data: dict):
    municipality = municipality_get(data.get("municipality", "0127"))
    committee = committee_get(municipality, data["committee"])
    year = int(data["year"])
    event_ensure(actor=actor, committee=committee, code=str(year))
    plan = services.plan_ensure(
        actor=actor, committee=committee, year=year, introduction=data["introduction"].strip()
    )
    results = 0
    for order, r in enumerate(data["risks"], start=1):
        risk = services.risk_save(
            actor=actor,
            plan=plan,
            area=data["area"],
            name=r["name"],
            owner_tag=r.get("owner", ""),
            likelihood=int(r["s"]),
            consequence=int(r["k"]),
            motivation=r.get("motivation", ""),
            order=order,
        )
        for c_order, c in enumerate(r.get("controls", []), start=1):
            control = services.control_save(
                actor=actor,
                risk=risk,
                name=c["name"],
                description=c.get("description", ""),
                method=c.get("method", ""),
                sample_rule=c.get("sample", ""),
                months=c["months"],
                responsible_role=c.get("role", ""),
                responsible=_person(municipality, c.get("responsible")),
                order=c_order,
            )
            for res in c.get("results", []):
                on = _date(res["date"])
                if ControlResult.objects.filter(control=control, performed_on=on).exists():
                    continue
                services.result_register(
                    actor=actor,
                    control=control,
                    performed_on=on,
                    checked=res["checked"],
                    population=res.get("population"),
                    sample_size=res.get("sample"),
                    assessment=res["assessment"],
                    findings=res.get("findings", ""),
                    actions=[
                        services.ActionInput(
                            description=a["description"],
                            due_on=_date(a["due_on"]),
                            responsible=_person(municipality, a.get("responsible")),
                            responsible_role=a.get("responsible_role", ""),
                        )
                        for a in res.get("actions", [])
                    ],
                )
                results += 1
    if not plan.versions.exists():
        services.plan_revise(actor=actor, plan=plan, decided_on=_date(data["adopted_on"]))
    rev = data.get("revision")
    if rev and plan.versions.count() < 2:
        services.plan_revise(
            actor=actor, plan=plan, decided_on=_date(rev["decided_on"]), note=rev["note"].strip()
        )
    plan.refresh_from_db()
    return plan, results


def build() -> str:
    actor = system_actor("demo")
    data = yaml.safe_load((DATA_DIR / "control" / "sn-2023.yaml").read_text(encoding="utf-8"))
    plan, results = build_plan(actor, data)
    evb = yaml.safe_load((DATA_DIR / "control" / "sn-evb-2023.yaml").read_text(encoding="utf-8"))
    decisions = build_unexecuted(actor, evb)
    audit = yaml.safe_load(
        (DATA_DIR / "control" / "sn-revision-2023.yaml").read_text(encoding="utf-8")
    )
    build_audit(actor, audit)
    sam = yaml.safe_load((DATA_DIR / "control" / "sn-sam-2023.yaml").read_text(encoding="utf-8"))
    build_sam(actor, sam)
    event_ensure(actor=actor, committee=plan.committee, code=f"{plan.year}-VB")
    return (
        f"{plan.committee.name}: internkontrollplan {plan.year} med {plan.risks.count()} risker, "
        f"{results} nya kontrollresultat; {decisions} ej verkställda beslut; ett revisionssvar; "
        "SAM-uppföljning"
    )


def build_unexecuted(actor, data: dict) -> int:
    from styra.lib.eventcodes import parse_event_code

    municipality = municipality_get(data.get("municipality", "0127"))
    committee = committee_get(municipality, data["committee"])
    for d in data["decisions"]:
        decision = services.decision_register(
            actor=actor,
            committee=committee,
            reference=d["ref"],
            person_name=d["name"],
            person_number=str(d["pnr"]),
            decision_type=d["type"],
            decision_date=_date(d["date"]),
            gender=d["g"],
            age_group=str(d["age"]),
            reason=d["reason"],
            reason_text=d.get("text", ""),
        )
        if not decision.quarters.exists() and (d.get("executed") or d.get("closed")):
            services.decision_finish(
                actor=actor,
                decision=decision,
                executed_on=_date(d["executed"]) if d.get("executed") else None,
                closed_on=_date(d["closed"]) if d.get("closed") else None,
                closed_reason=d.get("why", ""),
            )
    for code in data["quarters"]:
        parsed = parse_event_code(code)
        event_ensure(actor=actor, committee=committee, code=str(parsed))
        services.quarter_compile(
            actor=actor, committee=committee, year=parsed.year, quarter=parsed.number
        )
    return len(data["decisions"])


def build_audit(actor, data: dict):
    from styra.control.models import AuditReport
    from styra.meetings import services as meetings
    from styra.meetings.calc import DiaryNumber
    from styra.meetings.models import Case

    municipality = municipality_get(data.get("municipality", "0127"))
    committee = committee_get(municipality, data["committee"])
    dnr = DiaryNumber.parse(data["dnr"])
    case = Case.objects.filter(
        committee=committee, prefix=dnr.prefix, year=dnr.year, number=dnr.number
    ).first() or meetings.case_create(
        actor=actor, committee=committee, title=data["case_title"], dnr=data["dnr"]
    )
    report = AuditReport.objects.filter(case=case, title=data["title"]).first()
    if report is None:
        report = services.audit_register(
            actor=actor,
            case=case,
            title=data["title"],
            auditor=data["auditor"],
            letter_date=_date(data["letter_date"]),
            deadline=_date(data["deadline"]),
            extended_to=_date(data["extended_to"]),
            conclusion=data["conclusion"].strip(),
            questions=[
                services.QuestionInput(q["text"], q["assessment"]) for q in data["questions"]
            ],
            recommendations=[r["text"] for r in data["recommendations"]],
        )
        services.audit_update(
            actor=actor,
            report=report,
            introduction=data["introduction"].strip(),
            answered_on=_date(data["answered_on"]),
        )
        for rec, r in zip(report.recommendations.all(), data["recommendations"], strict=True):
            services.recommendation_answer(
                actor=actor,
                recommendation=rec,
                answer=r["answer"].strip(),
                actions=[
                    services.ActionInput(
                        description=a["description"],
                        due_on=_date(a["due_on"]),
                        responsible=_person(municipality, a.get("responsible")),
                        responsible_role=a.get("responsible_role", ""),
                    )
                    for a in r.get("actions", [])
                ],
            )
        services.yttrande_produce(actor=actor, report=report)
    return report


def build_sam(actor, data: dict):
    from styra.org.models import OrgNode

    municipality = municipality_get(data.get("municipality", "0127"))
    node = OrgNode.objects.get(municipality=municipality, code=data["node"])
    year = int(data["year"])
    for c in data["checks"]:
        services.sam_check_set(
            actor=actor,
            node=node,
            year=year,
            step=c["step"],
            done=c["done"],
            reason=c.get("reason", ""),
        )
    p = data["plan"]
    plan = services.action_plan_ensure(
        actor=actor, node=node, kind=p["kind"], year=year, title=p["title"]
    )
    event = event_ensure(actor=actor, committee=node.committee(), code=p["status_event"])
    for i in p["items"]:
        item = services.action_plan_item_save(
            actor=actor,
            plan=plan,
            area=i["area"],
            action=i["action"],
            responsible_role=i["responsible"],
            due_on=_date(i["due_on"]),
            follow_up_on=i.get("follow_up", ""),
        )
        if not item.statuses.filter(event=event).exists():
            services.action_plan_status_set(
                actor=actor, item=item, event=event, status=i["status"], comment=i["comment"]
            )
    return plan
