"""The goal pages with the demo data: overview counts, the unit form, assessing, charts."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from styra.goals.models import Goal, GoalAssessment, Measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_org(goals_once, db):
    """The module's demo organisation with its goals (loaded once: tests/goals/conftest.py)."""
    from styra.org.models import Municipality

    return Municipality.objects.get(pk=goals_once)


@pytest.fixture
def demo_goals(demo_org):
    """Loaded with the organisation (goals_once); the tests here only need the rows."""


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_overview_of_the_demo_shows_every_goal_and_the_counts_7_2_1_2(
    client, cast, node, demo_goals
):
    client.force_login(cast["ledamot"])
    response = client.get(reverse("goals_overview", kwargs={"node_id": node("AVUN").pk}))
    assert response.status_code == 200
    html = response.content.decode()
    for goal in Goal.objects.filter(committee=node("AVUN")):
        assert goal.name in html
    assert html.count('class="goal-row"') == 12
    counts = {
        key: re.search(rf'id="count-{key}">(\d+)<', html).group(1)
        for key in ("god", "godtagbar", "ej", "kan-inte")
    }
    assert counts == {"god": "7", "godtagbar": "2", "ej": "1", "kan-inte": "2"}
    text = _text(html)
    assert (
        "god måluppfyllnad för sju nämndmål, godtagbar måluppfyllnad för två nämndmål, ej "
        "godtagbar måluppfyllnad för ett nämndmål och två nämndmål kan inte bedömas." in text
    )
    # suggestion and decision side by side: tobak is suggested ej godtagbar, decided god
    goal_id = Goal.objects.get(code="5.2").pk
    row = re.search(rf'id="mal-{goal_id}".*?</tr>', html, re.S).group(0)
    assert "Ej godtagbar måluppfyllnad" in row and "God måluppfyllnad" in row
    assert "Varning:" in row  # the text says god while the data says not reached
    assert "Bedöm" not in row  # a reader cannot assess


def test_unit_form_saves_own_values_and_ignores_other_units(client, cast, node, demo_goals):
    client.force_login(cast["enhetschef"])  # editor of Jobbcenter
    url = reverse("goals_entry", kwargs={"node_id": node("JC").pk})
    html = client.get(url).content.decode()
    jc = Measure.objects.get(goal__code="3.1", code="d")
    sfi = Measure.objects.get(goal__code="2.1", code="a")  # Utbildning för vuxna's
    assert f'name="v-{jc.pk}-2020-K"' in html
    assert f"v-{sfi.pk}-" not in html
    response = client.post(
        url,
        {
            "rapport": "2020-D2",
            f"v-{jc.pk}-2020-T": "30 %",
            f"v-{jc.pk}-2020-K": "",
            f"r-{jc.pk}-2020": "",
            f"c-{jc.pk}": "Fler extratjänster.",
            f"v-{sfi.pk}-2020-T": "99 %",  # not this unit's measure
        },
    )
    assert response.status_code == 302
    assert jc.outcomes.get(year=2020, gender="T").value == D(30)
    assert not jc.outcomes.filter(year=2020, gender="K").exists()  # emptied = missing
    assert jc.comments.get().text == "Fler extratjänster."
    assert sfi.outcomes.get(year=2020, gender="T").value == D(41)
    # and the other unit's form is closed to this editor
    other = reverse("goals_entry", kwargs={"node_id": node("UFV").pk})
    assert client.post(other, {f"v-{sfi.pk}-2020-T": "99 %"}).status_code == 403
    assert sfi.outcomes.get(year=2020, gender="T").value == D(41)


def test_unit_form_rejects_a_bad_number_and_stores_nothing(client, cast, node, demo_goals):
    client.force_login(cast["enhetschef"])
    jc = Measure.objects.get(goal__code="3.1", code="d")
    url = reverse("goals_entry", kwargs={"node_id": node("JC").pk})
    response = client.post(
        url, {"rapport": "2020-D2", f"v-{jc.pk}-2020-T": "trettio", f"c-{jc.pk}": "ny"}
    )
    assert response.status_code == 200
    assert "Inget sparades" in response.content.decode()
    assert jc.outcomes.get(year=2020, gender="T").value == D(29)
    assert not jc.comments.exists()


def test_unit_writes_the_analysis_of_its_goal(client, cast, node, demo_goals):
    client.force_login(cast["enhetschef"])
    goal = Goal.objects.get(code="3.1")
    url = reverse("goals_entry", kwargs={"node_id": node("JC").pk})
    client.post(url, {"rapport": "2020-D2", f"a-{goal.pk}": "Ny analys."})
    assert GoalAssessment.objects.get(goal=goal).analysis == "Ny analys."


def test_controller_assesses_with_the_suggestion_at_hand(client, cast, demo_goals):
    client.force_login(cast["controller"])
    goal = Goal.objects.get(code="7.1")
    url = reverse("goals_assess", kwargs={"goal_id": goal.pk}) + "?rapport=2020-D2"
    html = client.get(url).content.decode()
    assert "Förslag: <strong>Godtagbar måluppfyllnad</strong>" in html
    response = client.post(url, {"rapport": "2020-D2", "level": "godtagbar", "motivation": ""})
    assert response.status_code == 302
    row = GoalAssessment.objects.get(goal=goal)
    assert (row.decided_level, row.decided_by) == ("godtagbar", cast["controller"])
    response = client.post(url, {"rapport": "2020-D2", "level": "god", "motivation": ""})
    assert "Motivera" in response.content.decode()


def test_measure_page_has_chart_with_text_alternative(client, cast, demo_goals):
    client.force_login(cast["ledamot"])
    measure = Measure.objects.get(goal__code="2.1", code="a")
    html = client.get(reverse("goals_measure", kwargs={"measure_id": measure.pk})).content.decode()
    assert 'role="img"' in html and "<title" in html and "<desc" in html
    assert "Kvinnor 2017: 42 %, 2018: 40 %, 2019: 43 %, 2020: 50 %".replace(" %", "\u00a0%") in html
    assert "<caption>Utfall och mål" in html and "41\u00a0%" in html


def test_assignments_page_lists_the_three_assignments(client, cast, node, demo_goals):
    client.force_login(cast["ledamot"])
    html = client.get(
        reverse("goals_assignments", kwargs={"node_id": node("AVUN").pk})
    ).content.decode()
    assert "Effektiviseringar motsvarande 2 procent" in html
    assert "Pröva överenskommelse om Idéburet offentligt partnerskap (IOP)" in html
    assert "Samverkan för att kombinera studier och praktik SFI" in html
    assert "Spara status" not in html  # a reader cannot change status
