"""Sample values for the control pages' URL parameters (tests/web/test_permissions.py)."""

from __future__ import annotations

import datetime as dt


def samples(node) -> dict:
    from styra.control import services
    from tests.actors import SYSTEM

    avun = node("AVUN")
    plan = services.plan_ensure(actor=SYSTEM, committee=avun, year=2020)
    risk = services.risk_save(
        actor=SYSTEM, plan=plan, area="Område", name="Provrisk", likelihood=2, consequence=2
    )
    control = services.control_save(actor=SYSTEM, risk=risk, name="Provkontroll", months="3")
    result = control.results.first() or services.result_register(
        actor=SYSTEM,
        control=control,
        performed_on=dt.date(2020, 3, 2),
        checked="Prov",
        assessment="deficient",
        findings="Brist",
        actions=[services.ActionInput("Rätta", dt.date(2020, 4, 1), responsible_role="Chef")],
    )
    from styra.control.models import AuditReport
    from styra.meetings.services import case_create

    audit = AuditReport.objects.filter(committee=avun).first()
    if audit is None:
        case = case_create(actor=SYSTEM, committee=avun, title="Revision", year=2020)
        audit = services.audit_register(
            actor=SYSTEM,
            case=case,
            title="Provgranskning",
            letter_date=dt.date(2020, 2, 1),
            deadline=dt.date(2020, 4, 1),
            recommendations=["Gör bättre"],
        )
    return {
        "audit_id": ("AVUN", audit.pk),
        "year": ("AVUN", 2020),
        "control_id": ("AVUN", control.pk),
        "action_id": ("AVUN", result.actions.get().pk),
    }
