"""Sample URL parameters for the permission walk (tests/web/test_permissions.py): a plan
of AVUN with a proposal, and a grant."""

from __future__ import annotations

from decimal import Decimal

from tests.actors import SYSTEM


def samples(node) -> dict:
    from styra.planning import services

    avun = node("AVUN")
    plan = services.frame_plan_create(
        actor=SYSTEM, committee=avun, budget_year=2021, opening=Decimal(-1000)
    )
    proposal = services.proposal_save(
        actor=SYSTEM,
        plan=plan,
        title="Exempel",
        criterion=1,
        description="x",
        start_year=2021,
        start_month=1,
        lines={"personal": {"full_year": Decimal(-1000)}},
    )
    investment = services.investment_save(
        actor=SYSTEM, plan=plan, number="9", name="Exempel", group="nya", status="P", amounts={}
    )
    grant = services.grant_save(
        actor=SYSTEM, committee=avun, name="Exempel", grantor="x", mechanism="ansoka", amounts={}
    )
    return {
        "plan_id": ("AVUN", plan.pk),
        "proposal_id": ("AVUN", proposal.pk),
        "grant_id": ("AVUN", grant.pk),
        "investment_id": ("AVUN", investment.pk),
    }
