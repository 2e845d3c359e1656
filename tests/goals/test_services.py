"""Goal files, permissions, locks and assessments through the services."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from styra.goals import selectors, services
from styra.goals.models import Goal, GoalAssessment, Measure, Outcome
from styra.lib.errors import InputError
from tests.actors import SYSTEM

pytestmark = pytest.mark.django_db

SMALL = """\
committee: AVUN
year: 2021
event: 2021-D1
areas:
  - number: 3
    name: Arbete
    council_goals:
      - {code: "3:1", name: Botkyrkaborna kan försörja sig på eget arbete}
    goals:
      - code: A
        name: Fler i arbete
        council_goal: "3:1"
        responsible: JC
        analysis: Fler har fått arbete.
        measures:
          - code: a
            name: Andel till arbete ökar
            owner: JC
            gender: rate
            targets: {2021: Ökar, 2022: Ökar, 2023: "62 %", 2024: 5–15 %}
            outcomes:
              2020: {T: 29 %, M: 30 %, K: 28 %}
              2021: {T: 33 %, M: 35 %, K: 31 %}
          - code: b
            name: Väntetid till insats minskar
            unit: veckor
            polarity: lower
            owner: UFV
            new: 2021
            targets: {2021: 4}
            outcomes:
              2021: {missing: mäts i oktober}
"""


def test_load_builds_the_tree_with_council_goal_and_multi_year_targets(demo_org, write_yaml):
    result = services.goals_load(actor=SYSTEM, path=write_yaml(SMALL))
    assert (result.goals, result.measures) == (1, 2)
    goal = Goal.objects.get(code="A")
    assert goal.council_goal.code == "3:1"
    measure = goal.measures.get(code="a")
    assert [t.as_calc().label("%") for t in measure.targets.order_by("year")] == [
        "Ökar", "Ökar", "62\u00a0%", "5–15\u00a0%",
    ]  # fmt: skip
    weeks = goal.measures.get(code="b")
    assert weeks.outcomes.get(year=2021).value is None
    assert weeks.outcomes.get(year=2021).missing_reason == "mäts i oktober"
    report = selectors.goal_report_data(result.committee, result.event)
    (area,) = report.areas
    assert area.council_goals[0].code == "3:1"
    (g,) = area.goals
    assert g.suggested.value == "god"  # the one judgeable measure (33 > 29) is reached
    assert any("mäts i oktober" in item for item in g.missing)
    assert "Bedömning saknas" in g.missing


def test_load_twice_changes_nothing(demo_org, write_yaml):
    path = write_yaml(SMALL)
    services.goals_load(actor=SYSTEM, path=path)
    before = Outcome.history.count(), Measure.history.count(), GoalAssessment.history.count()
    services.goals_load(actor=SYSTEM, path=path)
    assert (Outcome.history.count(), Measure.history.count(), GoalAssessment.history.count()) == (
        before
    )


def test_bad_file_reports_every_error_with_line_and_stores_nothing(demo_org, write_yaml):
    bad = SMALL.replace("owner: UFV", "owner: XYZ").replace('2023: "62 %"', "2023: bättre")
    bad = bad.replace("M: 35 %", "M: trettio")
    path = write_yaml(bad)
    with pytest.raises(InputError) as exc:
        services.goals_load(actor=SYSTEM, path=path)
    text = [str(e) for e in exc.value.errors]
    assert any(":20: mått a: målet 'bättre' förstås inte" in t for t in text), text
    assert any(":23: mått a 2021 M:" in t for t in text), text
    assert any(":28: enheten 'XYZ' finns inte" in t for t in text), text
    assert not Goal.objects.exists()


def test_cli_load_exit_codes(demo_org, write_yaml, tmp_path, capsys):
    call_command("goals", "load", str(write_yaml(SMALL)))
    assert "1 nämndmål, 2 mått" in capsys.readouterr().out
    with pytest.raises(CommandError) as exc:
        call_command("goals", "load", str(write_yaml("committee: AVUN\nyear: 2021\nareas: [1\n")))
    assert exc.value.returncode == 1
    assert "ogiltig YAML" in capsys.readouterr().err
    with pytest.raises(CommandError) as exc:
        call_command("goals", "load", str(tmp_path / "saknas.yaml"))
    assert exc.value.returncode == 2


def test_editor_cannot_enter_values_for_another_units_measure(demo_goals, cast, node):
    event = demo_goals.event
    ufv_measure = Measure.objects.get(goal__code="2.1", code="a")  # SFI, owned by UFV
    jc_measure = Measure.objects.get(goal__code="3.1", code="d")  # owned by JC
    with pytest.raises(PermissionDenied, match="Utbildning för vuxna"):
        services.outcome_set(
            measure=ufv_measure, year=2020, value=D(99), event=event, actor=cast["enhetschef"]
        )
    assert ufv_measure.outcomes.get(year=2020, gender="T").value == D(41)
    with pytest.raises(PermissionDenied):
        services.measure_comment_set(
            measure=ufv_measure, event=event, text="x", actor=cast["enhetschef"]
        )
    services.outcome_set(
        measure=jc_measure, year=2020, value=D(30), event=event, actor=cast["enhetschef"]
    )
    assert jc_measure.outcomes.get(year=2020, gender="T").value == D(30)


def test_only_the_committee_level_decides_and_override_needs_motivation(demo_goals, cast):
    event = demo_goals.event
    goal = Goal.objects.get(code="5.2")
    with pytest.raises(PermissionDenied):
        services.goal_assess(goal=goal, event=event, level="god", actor=cast["enhetschef"])
    with pytest.raises(ValidationError, match="Motivera"):
        services.goal_assess(goal=goal, event=event, level="godtagbar", actor=cast["controller"])
    row = services.goal_assess(
        goal=goal, event=event, level="ej_godtagbar", actor=cast["controller"]
    )  # agrees with the suggestion: no motivation needed
    assert (row.suggested_level, row.decided_level, row.decided_by) == (
        "ej_godtagbar", "ej_godtagbar", cast["controller"],
    )  # fmt: skip
    assert row.history.count() >= 2  # who and when of each change is kept


def test_suggestion_is_kept_per_event_and_follows_new_values(demo_goals, cast):
    event = demo_goals.event
    goal = Goal.objects.get(code="5.2")  # tobak: 5 -> 3, target Ökar
    assessment = GoalAssessment.objects.get(goal=goal, event=event)
    assert (assessment.suggested_level, assessment.decided_level) == ("ej_godtagbar", "god")
    services.outcome_set(
        measure=goal.measures.get(), year=2020, value=D(6), event=event, actor=cast["controller"]
    )
    assessment.refresh_from_db()
    assert (assessment.suggested_level, assessment.decided_level) == ("god", "god")


def test_locked_event_refuses_changes(demo_goals, cast):
    from styra.calendar.models import EventStatus, LockedError

    event = demo_goals.event
    event.status = EventStatus.APPROVED
    event.save()
    measure = Measure.objects.get(goal__code="3.1", code="d")
    with pytest.raises(LockedError):
        services.outcome_set(
            measure=measure, year=2020, value=D(1), event=event, actor=cast["controller"]
        )
    with pytest.raises(LockedError):
        services.goal_assess(
            goal=measure.goal, event=event, level="god", motivation="x", actor=cast["controller"]
        )
    with pytest.raises(LockedError):
        services.goal_analysis_set(goal=measure.goal, event=event, text="ny", actor=SYSTEM)


def test_assignment_status_per_event(demo_goals, cast):
    from styra.goals.models import Assignment

    sfi = Assignment.objects.get(code="U3")
    with pytest.raises(PermissionDenied):
        services.assignment_status_set(
            assignment=sfi, event=demo_goals.event, comment="x", done=True,
            actor=cast["enhetschef"],
        )  # fmt: skip
    services.assignment_status_set(
        assignment=sfi, event=demo_goals.event, comment="Klart.", done=True,
        actor=cast["enhetschef2"],
    )  # fmt: skip
    data = {a.code: a for a in selectors.assignments_data(demo_goals.committee, demo_goals.event)}
    assert data["U3"].done and data["U3"].comment == "Klart."
