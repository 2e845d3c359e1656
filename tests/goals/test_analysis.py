"""Goal analyses (issue 14): one save per goal, klarmarkering per goal kept and shown in
the status view, and the live check of the analysis as it is typed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from styra.goals import services
from styra.goals.models import Goal, GoalAssessment

pytestmark = pytest.mark.django_db

WRONG = "Andelen som fick svar i tid var 40 % (5 av 12)."


@pytest.fixture
def demo_org(goals_once, db):
    """The module's demo organisation with its goals (loaded once: tests/goals/conftest.py)."""
    from styra.org.models import Municipality

    return Municipality.objects.get(pk=goals_once)


@pytest.fixture
def d2(demo_org, node):
    from styra.calendar.models import ReportingEvent

    return ReportingEvent.objects.get(committee=node("AVUN"), code="2020-D2")


def _row(goal, d2):
    return GoalAssessment.objects.filter(goal=goal, event=d2).first()


def test_klarmarking_needs_text_is_kept_and_can_be_taken_away(cast, d2):
    goal = Goal.objects.get(code="3.1")
    who = cast["enhetschef"]
    with pytest.raises(ValidationError, match="Skriv analysen"):
        services.goal_analysis_set(actor=who, goal=goal, event=d2, text=" ", ready=True)
    services.goal_analysis_set(actor=who, goal=goal, event=d2, text="Analys.", ready=True)
    row = _row(goal, d2)
    assert row.analysis_ready and row.analysis_ready_by == who and row.analysis_ready_at
    # A save that says nothing about klar (the measure form, a file) keeps the mark.
    services.goal_analysis_set(actor=who, goal=goal, event=d2, text="Analys, rättad.")
    assert _row(goal, d2).analysis_ready
    services.goal_analysis_set(actor=who, goal=goal, event=d2, text="Analys.", ready=False)
    row = _row(goal, d2)
    assert not row.analysis_ready and row.analysis_ready_by is None
    services.goal_analysis_set(actor=who, goal=goal, event=d2, text="Analys.", ready=True)
    services.goal_analysis_set(actor=who, goal=goal, event=d2, text="")  # emptied: not klar
    assert not _row(goal, d2).analysis_ready


def test_each_goal_is_saved_on_its_own_with_its_klarmarkering(client, cast, node, d2):
    client.force_login(cast["enhetschef"])
    url = reverse("goals_entry", kwargs={"node_id": node("JC").pk}) + "?rapport=2020-D2"
    page = client.get(url).content.decode()
    mine = [g for g in Goal.objects.filter(committee=node("AVUN")) if f'id="analys-{g.pk}"' in page]
    assert mine, "the unit writes at least one analysis"
    goal = mine[0]
    others = {g.pk: (_row(g, d2).analysis if _row(g, d2) else "") for g in mine[1:]}
    response = client.post(
        url, {"rapport": "2020-D2", "analys": goal.pk, "text": "Vi når målet.", "ready": "on"}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#analys-{goal.pk}")
    row = _row(goal, d2)
    assert (row.analysis, row.analysis_ready) == ("Vi når målet.", True)
    assert {g: (_row(Goal.objects.get(pk=g), d2).analysis) for g in others} == others
    page = client.get(url).content.decode()
    section = page[page.index(f'id="analys-{goal.pk}"') :]
    assert "Klar</span> – klarmarkerad" in section[: section.index("</section>")]
    # Klar without a text: nothing saved, the reason shown at the goal, no traceback.
    other = Goal.objects.create(
        committee=goal.committee, area=goal.area, code="9.9", name="Nytt mål",
        responsible_unit=node("JC"),
    )  # fmt: skip
    response = client.post(
        url, {"rapport": "2020-D2", "analys": other.pk, "text": "", "ready": "on"}
    )
    assert response.status_code == 200
    assert "Analysen sparades inte" in response.content.decode()
    assert _row(other, d2) is None or not _row(other, d2).analysis_ready


def test_a_goal_of_another_unit_cannot_be_saved_from_this_page(client, cast, node, d2):
    client.force_login(cast["enhetschef"])
    url = reverse("goals_entry", kwargs={"node_id": node("JC").pk}) + "?rapport=2020-D2"
    page = client.get(url).content.decode()
    foreign = next(
        g for g in Goal.objects.filter(committee=node("AVUN")) if f'id="analys-{g.pk}"' not in page
    )
    response = client.post(url, {"rapport": "2020-D2", "analys": foreign.pk, "text": "x"})
    assert response.status_code == 403
    check = reverse("goals_analysis_check", kwargs={"analysed_goal_id": foreign.pk})
    assert client.post(check, {"rapport": "2020-D2", "text": WRONG}).status_code == 403


def test_the_check_flags_a_wrong_figure_as_typed_and_saves_nothing(client, cast, node, d2):
    client.force_login(cast["enhetschef"])
    url = reverse("goals_entry", kwargs={"node_id": node("JC").pk}) + "?rapport=2020-D2"
    page = client.get(url).content.decode()
    goal = next(
        g for g in Goal.objects.filter(committee=node("AVUN")) if f'id="analys-{g.pk}"' in page
    )
    before = _row(goal, d2).analysis if _row(goal, d2) else ""
    check = reverse("goals_analysis_check", kwargs={"analysed_goal_id": goal.pk})
    html = client.post(check, {"rapport": "2020-D2", "text": WRONG}).content.decode()
    assert "Varning" in html and "41,7 %" in html
    html = client.post(
        check, {"rapport": "2020-D2", "text": "Andelen var 42 % (5 av 12)."}
    ).content.decode()
    assert "Varning" not in html and "Inga siffror" in html
    assert (_row(goal, d2).analysis if _row(goal, d2) else "") == before
    # Saved with the wrong figure: the warning stands beside the analysis without script.
    client.post(url, {"rapport": "2020-D2", "analys": goal.pk, "text": WRONG})
    page = client.get(url).content.decode()
    section = page[page.index(f'id="analys-{goal.pk}"') :]
    assert "41,7 %" in section[: section.index("</section>")]


def test_status_view_counts_klarmarked_analyses(client, cast, node, d2, settings):
    from styra.start.status import State, event_status

    settings.STYRA_TODAY = "2020-09-01"
    goals = [g for g in Goal.objects.filter(committee=node("AVUN")) if g.responsible_unit_id]

    def analyses():
        rows = event_status(node("AVUN"), d2, dt.date(2020, 9, 1))
        return [r.analyses for r in rows if r.analyses is not None]

    GoalAssessment.objects.filter(event=d2).update(analysis_ready=False)
    assert goals and all(w.state != State.DONE for w in analyses())  # written is not klar
    for g in goals:
        services.goal_analysis_set(
            actor=cast["controller"], goal=g, event=d2, text="A.", ready=True
        )
    assert all(w.state == State.DONE for w in analyses())
    client.force_login(cast["controller"])
    page = client.get(
        reverse("status_view", kwargs={"node_id": node("AVUN").pk}) + "?handelse=2020-D2"
    ).content.decode()
    assert "Analyser: " in page and "Måttvärden: " in page
