"""The planning services' lines of tests/services/test_rights.py: every planning write
called by someone without the FINANCE right on SN (AVUN's controller has it elsewhere, a
unit manager and a secretary nowhere)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.actors import SYSTEM


def _planning(w) -> dict:
    """One plan of SN with a row of each kind (made once per world, by the system)."""
    if "planning" not in w:
        from styra.planning import services as planning

        sn = w["sn"]
        plan = planning.frame_plan_create(actor=SYSTEM, committee=sn, budget_year=2020, opening=0)
        lines = {"personal": {"full_year": Decimal(-1)}}
        inv = planning.investment_save(
            actor=SYSTEM, plan=plan, number="1", name="x", group="nya", status="P", amounts={}
        )
        w["planning"] = {
            "plan": plan,
            "adjustment": planning.adjustment_save(
                actor=SYSTEM, plan=plan, kind="volym", amounts={2020: Decimal(-1)}
            ),
            "proposal": planning.proposal_save(
                actor=SYSTEM,
                plan=plan,
                title="x",
                criterion=1,
                description="x",
                start_year=2020,
                start_month=1,
                lines=lines,
            ),
            "measure": planning.efficiency_measure_save(
                actor=SYSTEM, plan=plan, name="x", amounts={}
            ),
            "investment": inv,
            "grant": planning.grant_save(
                actor=SYSTEM, committee=sn, name="x", grantor="x", mechanism="ansoka", amounts={}
            ),
        }
    return w["planning"]


def calls(w) -> dict:
    """Planning writes need the FINANCE right on the committee: AVUN's controller has it
    elsewhere, a unit manager and a secretary nowhere."""
    p = _planning(w)
    plan, sn = p["plan"], w["sn"]
    lines = {"personal": {"full_year": Decimal(-1)}}
    return {
        "planning.frame_plan_create": (
            "controller",
            dict(committee=sn, budget_year=2030, opening=Decimal(0)),
        ),
        "planning.frame_plan_update": ("controller", dict(plan=plan, opening=Decimal(1))),
        "planning.frame_plan_roll_forward": ("sn-sekreterare", dict(plan=plan)),
        "planning.adjustment_save": (
            "controller",
            dict(plan=plan, kind="volym", amounts={2020: Decimal(-2)}),
        ),
        "planning.adjustment_delete": ("enhetschef", dict(adjustment=p["adjustment"])),
        "planning.proposal_save": (
            "controller",
            dict(
                plan=plan,
                title="x",
                criterion=1,
                description="x",
                start_year=2020,
                start_month=1,
                lines=lines,
            ),
        ),
        "planning.proposal_delete": ("sn-sekreterare", dict(proposal=p["proposal"])),
        "planning.efficiency_measure_save": ("controller", dict(plan=plan, name="y", amounts={})),
        "planning.efficiency_measure_delete": ("enhetschef", dict(measure=p["measure"])),
        "planning.investment_save": (
            "controller",
            dict(plan=plan, number="2", name="y", group="nya", status="P", amounts={}),
        ),
        "planning.investment_basis_save": (
            "controller",
            dict(investment=p["investment"], go_live_year=2024, go_live_month=6),
        ),
        "planning.grant_save": (
            "controller",
            dict(committee=sn, name="y", grantor="y", mechanism="ansoka", amounts={}),
        ),
        "planning.grant_delete": ("sn-sekreterare", dict(grant=p["grant"])),
        # The mail run is the system's (styra planning remind), no person's.
        "planning.grant_reminders_send": ("controller", dict(today=date(2020, 9, 3))),
        # Refused on the plan before the measure is looked at.
        "planning.measure_mark_set": ("controller", dict(plan=plan, measure=None, kind="utga")),
    }
