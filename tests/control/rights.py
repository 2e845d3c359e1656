"""The control app's lines of tests/services/test_rights.py: the objects the calls need,
and for each service someone without the right."""

from __future__ import annotations

import datetime as dt

from tests.actors import SYSTEM


def world(node) -> dict:
    from styra.control import services

    sn = node("SN")
    plan = services.plan_ensure(actor=SYSTEM, committee=sn, year=2023)
    risk = services.risk_save(
        actor=SYSTEM, plan=plan, area="Område 1", name="Risk", likelihood=2, consequence=3
    )
    control = services.control_save(actor=SYSTEM, risk=risk, name="Kontroll", months="mars")
    result = services.result_register(
        actor=SYSTEM,
        control=control,
        performed_on=dt.date(2023, 3, 1),
        checked="x",
        assessment="deficient",
        findings="y",
        actions=[services.ActionInput("Gör", dt.date(2023, 4, 1), responsible_role="Chef")],
    )
    decision = services.decision_register(
        actor=SYSTEM,
        committee=sn,
        reference="R1",
        person_name="Prov Provsson",
        person_number="19800101-9801",
        decision_type="boendestod",
        decision_date=dt.date(2023, 1, 10),
        gender="k",
        age_group="21-64",
        reason="resurs",
    )
    from styra.meetings.services import case_create

    case = case_create(actor=SYSTEM, committee=sn, title="Revision", year=2023)
    audit = services.audit_register(
        actor=SYSTEM,
        case=case,
        title="Granskning",
        letter_date=dt.date(2023, 1, 10),
        deadline=dt.date(2023, 3, 1),
        recommendations=["Gör bättre"],
    )
    sof = node("SOF")
    ap = services.action_plan_ensure(actor=SYSTEM, node=sof, kind="sam", year=2023)
    item = services.action_plan_item_save(
        actor=SYSTEM, plan=ap, action="Gör", responsible_role="Chef", due_on=dt.date(2023, 12, 31)
    )
    from styra.calendar.services import event_ensure

    return {
        "ic_sof": sof,
        "ic_ap": ap,
        "ic_item": item,
        "ic_event": event_ensure(actor=SYSTEM, committee=sn, code="2023-D1"),
        "ic_case": case,
        "ic_audit": audit,
        "ic_decision": decision,
        "ic_plan": plan,
        "ic_risk": risk,
        "ic_control": control,
        "ic_action": result.actions.get(),
        "ic_plan_file": _plan_file(),
    }


def _plan_file() -> str:
    """A valid plan file of SN (the controller of AVUN may not load it)."""
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp(prefix="styra-rights-"))
    path = folder / "plan.yaml"
    path.write_text(
        "committee: SN\nyear: 2025\narea: A\nrisks:\n  - {name: R, s: 1, k: 1}\n",
        encoding="utf-8",
    )
    return str(path)


def calls(w) -> dict:
    """service name → (username without the right, keyword arguments)."""
    d = dt.date(2023, 3, 2)
    return {
        "control.plan_ensure": ("controller", dict(committee=w["sn"], year=2024)),
        "control.risk_save": (
            "sn-sekreterare",
            dict(plan=w["ic_plan"], area="a", name="n", likelihood=1, consequence=1),
        ),
        "control.control_save": ("controller", dict(risk=w["ic_risk"], name="k")),
        "control.plan_load": ("controller", dict(path=w["ic_plan_file"])),
        "control.plan_revise": ("sn-sekreterare", dict(plan=w["ic_plan"], decided_on=d)),
        "control.result_register": (
            "controller",
            dict(control=w["ic_control"], performed_on=d, checked="x", assessment="ok"),
        ),
        "control.action_update": ("sn-sekreterare", dict(action=w["ic_action"], follow_up="x")),
        # identifiable data: the committee's controller may not register or read it
        "control.decision_register": (
            "sn-controller",
            dict(
                committee=w["sn"],
                reference="R2",
                person_name="x",
                person_number="19800101-9802",
                decision_type="boendestod",
                decision_date=d,
                gender="k",
                age_group="21-64",
                reason="resurs",
            ),
        ),
        "control.decision_finish": (
            "sn-controller",
            dict(decision=w["ic_decision"], executed_on=dt.date(2023, 5, 1)),
        ),
        "control.quarter_compile": ("sn-controller", dict(committee=w["sn"], year=2023, quarter=2)),
        "control.audit_register": (
            "sn-controller",
            dict(case=w["ic_case"], title="t", letter_date=d, deadline=d, recommendations=["r"]),
        ),
        "control.audit_update": ("controller", dict(report=w["ic_audit"], introduction="x")),
        "control.recommendation_answer": (
            "controller",
            dict(recommendation=w["ic_audit"].recommendations.get(), answer="x"),
        ),
        "control.yttrande_produce": ("sn-controller", dict(report=w["ic_audit"])),
        "control.action_plan_ensure": (
            "sn-sekreterare",
            dict(node=w["ic_sof"], kind="arbetsmiljo", year=2023),
        ),
        "control.action_plan_item_save": (
            "controller",
            dict(plan=w["ic_ap"], action="x", responsible_role="y", due_on=d),
        ),
        "control.action_plan_status_set": (
            "sn-sekreterare",
            dict(item=w["ic_item"], event=w["ic_event"], status="done"),
        ),
        "control.report_file_on_case": (
            "sn-controller",  # finalises the plan, but files nothing on a case
            dict(case=w["ic_case"], report_type="internkontrollplan", event_code="2023"),
        ),
        "control.sam_check_set": (
            "controller",
            dict(node=w["ic_sof"], year=2023, step="s", done=True),
        ),
    }
