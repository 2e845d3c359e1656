"""The forms app's lines of tests/services/test_rights.py: the objects the calls need, and
for each service someone without the right (a unit manager of another unit, a controller of
another committee)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.actors import SYSTEM


def world(node) -> dict:
    from styra.forms import services

    avun = node("AVUN")
    project = services.strategic_project_save(
        actor=SYSTEM, committee=avun, year=2020, name="Projekt", decided_cost=Decimal(10)
    )
    grant = services.grant_application_save(
        actor=SYSTEM,
        committee=avun,
        name="Bidrag",
        grantor="Staten",
        starts=dt.date(2020, 1, 1),
        ends=dt.date(2020, 12, 31),
        amount_sought=Decimal(100),
        lines=[{"side": "cost", "kind": "wage", "amount": Decimal(100)},
               {"side": "financing", "kind": "grant", "amount": Decimal(100)}],
    )  # fmt: skip
    return {"f_project": project, "f_grant": grant, "f_dv": node("DV")}


def calls(w) -> dict:
    """service name → (username without the right, keyword arguments)."""
    avun = w["avun"]
    d = dt.date(2021, 6, 30)
    return {
        "forms.result_unit_save": ("enhetschef2", dict(unit=w["f_dv"], year=2020, own_result=1)),
        "forms.strategic_project_save": (
            "sn-controller",
            dict(committee=avun, year=2020, name="x"),
        ),
        "forms.strategic_project_mark_ready": ("enhetschef", dict(project=w["f_project"])),
        "forms.premises_save": (
            "sn-controller",
            dict(
                committee=avun,
                year=2020,
                address="x",
                area=1,
                contract_end=d,
                returned_on=d,
                yearly_rent=1,
                amount_applied=1,
                covers="x",
                in_premises_plan=True,
            ),
        ),
        "forms.external_project_save": (
            "enhetschef",
            dict(
                committee=avun,
                name="x",
                funder="ESF",
                role="owner",
                starts=d,
                ends=d,
                total_budget=1,
            ),
        ),
        "forms.grant_application_save": ("sn-controller", dict(committee=avun, name="x")),
        "forms.grant_application_mark_ready": ("enhetschef", dict(application=w["f_grant"])),
        "forms.iop_agreement_save": (
            "sn-controller",
            dict(committee=avun, name="x", partner="y", purpose="z", starts=d, ends=d),
        ),
    }
