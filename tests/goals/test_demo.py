"""The demo's goals against the reference report and the reports' selector API."""

from __future__ import annotations

import re

import pytest

from styra.goals import selectors
from styra.goals.models import Goal, GoalAssessment, Measure
from tests.conftest import shared_path

pytestmark = pytest.mark.django_db


def test_demo_counts_come_from_the_goals(demo_goals):
    assert demo_goals.counts.as_tuple() == (7, 2, 1, 2)
    counts = selectors.assessment_counts(demo_goals.committee, demo_goals.event)
    assert counts.undecided == 0
    assert [a.number for a in counts.by_area] == [1, 2, 3, 4, 5, 6, 7]
    assert sum(a.counts.total for a in counts.by_area) == 12
    assert selectors.assessment_sentence(demo_goals.committee, demo_goals.event).startswith(
        "Vid delår 2 prognostiserar vi god måluppfyllnad för sju nämndmål"
    )


def test_every_goal_has_analysis_suggestion_and_decision(demo_goals):
    for row in GoalAssessment.objects.filter(event=demo_goals.event):
        assert row.analysis and row.suggested_level and row.decided_level
        assert row.decided_by is not None and row.decided_at is not None


def test_report_data_shape(demo_goals):
    report = selectors.goal_report_data(demo_goals.committee, demo_goals.event)
    assert report.years == (2017, 2018, 2019, 2020)
    sfi = next(m for g in report.goals for m in g.measures if m.name.startswith("Andelen elever"))
    assert [r.label for r in sfi.rows] == ["Totalt", "Män", "Kvinnor"]
    assert sfi.rows[2].texts == ("42\u00a0%", "40\u00a0%", "43\u00a0%", "50\u00a0%")
    assert sfi.target_text == "Ökar"
    budget = next(m for g in report.goals for m in g.measures if "budgetram" in m.name)
    assert (budget.target_text, budget.rows[0].texts[-1]) == ("Ja", "Ja")
    with pytest.raises(AttributeError):
        report.counts = None  # frozen


def test_demo_build_is_idempotent(demo_org):
    from styra.demo import goals as demo

    demo.build()
    before = [m.history.count() for m in (Goal, Measure, GoalAssessment)]
    summary = demo.build()
    assert [m.history.count() for m in (Goal, Measure, GoalAssessment)] == before
    assert "12 nämndmål, 26 mått, 3 uppdrag" in summary


def test_demo_has_every_goal_and_measure_of_the_reference_report(demo_goals):
    text = shared_path("reference-documents", "avun-2020-09-10-delarsrapport-2.txt").read_text(
        encoding="utf-8"
    )
    section = text[text.index("## Måluppföljning och analys") : text.index("## Betydelsefulla")]
    goal_names = re.findall(r"^Nämndens mål: (.+?)\s*$", section, re.M)
    measure_names = [
        line.split("\t")[0].strip()
        for line in section.splitlines()
        if "\t" in line and not line.startswith(("Målsatt mått", "\t", "<b>"))
    ]
    assert len(goal_names) == 12 and len(measure_names) == 26
    assert sorted(g.name for g in Goal.objects.all()) == sorted(goal_names)
    assert sorted(m.name for m in Measure.objects.all()) == sorted(measure_names)
