"""Sample values for the goal pages' URL parameters (tests/web/test_permissions.py)."""

from __future__ import annotations


def samples(node) -> dict:
    from styra.calendar.services import event_ensure
    from styra.goals.models import Goal, GoalArea, Measure
    from tests.actors import SYSTEM

    avun = node("AVUN")
    event_ensure(actor=SYSTEM, committee=avun, code="2020-D2")
    area, _ = GoalArea.objects.get_or_create(committee=avun, number=3, defaults={"name": "Arbete"})
    goal, _ = Goal.objects.get_or_create(
        committee=avun,
        code="prov",
        defaults={"area": area, "name": "Provmål", "responsible_unit": node("JC")},
    )
    measure, _ = Measure.objects.get_or_create(
        goal=goal, code="a", defaults={"name": "Provmått", "owner_unit": node("JC")}
    )
    # A goal's analysis is written (and checked live) by its responsible unit.
    return {
        "goal_id": ("AVUN", goal.pk),
        "analysed_goal_id": ("JC", goal.pk),
        "measure_id": ("JC", measure.pk),
    }
