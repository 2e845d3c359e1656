"""Issue 20 (c): unit roles see their own unit subtree on every read path. The probe opened
the committee's pages with the enhetschef's own unit id and saw every unit's figures, draft
texts and forecast comments. Decided (docs/roles.md): a unit role sees its own subtree, with
its own total; the committee's total and other units only for roles on the committee."""

from __future__ import annotations

import pytest
from django.urls import reverse

from styra.demo.builder import DEMO_PASSWORD
from styra.goals import selectors as goal_selectors
from styra.org.access import subtree_ids

pytestmark = pytest.mark.django_db

OTHER_UNITS = ("Daglig verksamhet", "Utbildning för vuxna", "Förvaltningskontoret")


def _get(client, username, url):
    assert client.login(username=username, password=DEMO_PASSWORD)
    response = client.get(url)
    client.logout()
    return response


def test_follow_up_grid_shows_a_unit_role_only_its_own_units(client, report_data, node):
    jc = node("JC")
    url = reverse("finance_grid", args=[jc.pk]) + "?handelse=2020-D2"
    page = _get(client, "enhetschef", url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Jobbcenter" in text and "Summa Jobbcenter" in text
    for other in OTHER_UNITS:
        assert other not in text, other
    assert "Hela nämnden" not in text
    # the committee's deviation (+13,5 mkr = 13 500 tkr) is not shown to the unit role …
    assert "13 500" not in text.replace("\xa0", " ")
    # … while the controller sees every unit and the committee's total.
    full = _get(client, "controller", url).content.decode()
    assert all(other in full for other in OTHER_UNITS)
    assert "13 500" in full.replace("\xa0", " ")
    # and the committee's own page stays closed to the unit role
    committee_url = reverse("finance_grid", args=[node("AVUN").pk])
    assert _get(client, "enhetschef", committee_url).status_code == 403


def test_ledger_balances_show_a_unit_role_only_its_subtree(client, report_data, node):
    url = reverse("ledger_balances", args=[node("JC").pk]) + "?ar=2020"
    text = _get(client, "enhetschef", url).content.decode()
    assert "Jobbcenter" in text
    for other in OTHER_UNITS:
        assert other not in text, other
    transactions = reverse("ledger_transactions", args=[node("JC").pk])
    back = _get(client, "enhetschef", transactions).content.decode()
    assert reverse("ledger_balances", args=[node("AVUN").pk]) not in back


def test_the_draft_report_is_not_shown_to_a_unit_role(client, report_data, node):
    for username, code, status in [
        ("enhetschef", "JC", 403),
        ("enhetschef2", "UFV", 403),
        ("controller", "AVUN", 200),
    ]:
        url = reverse("report_preview", args=[node(code).pk, "2020-D2", "delarsrapport"])
        assert _get(client, username, url).status_code == status, username
        files = reverse("report_build_files", args=[node(code).pk, "2020-D2", "delarsrapport"])
        assert client.login(username=username, password=DEMO_PASSWORD)
        assert client.post(files).status_code == (302 if status == 200 else status), username
        client.logout()


def test_goal_pages_show_a_unit_role_only_its_own_measures_and_assignments(
    client, report_data, node
):
    avun, jc = node("AVUN"), node("JC")
    inside = subtree_ids(jc)
    event = goal_selectors.pick_event(avun, "2020-D2")
    everything = goal_selectors.goal_report_data(avun, event)
    measures = [m for a in everything.areas for g in a.goals for m in g.measures]
    foreign = [m for m in measures if m.owner_unit_id not in inside]
    assignments = goal_selectors.assignments_data(avun, event)
    foreign_tasks = [a for a in assignments if a.responsible_unit_id not in inside]
    assert foreign and foreign_tasks  # the demo data has other units' measures and tasks

    overview = _get(
        client, "enhetschef", reverse("goals_overview", args=[jc.pk]) + "?rapport=2020-D2"
    )
    text = overview.content.decode()
    for m in foreign:
        assert f"/mal/matt/{m.id}/" not in text, m.name
    tasks = _get(
        client, "enhetschef", reverse("goals_assignments", args=[jc.pk]) + "?rapport=2020-D2"
    )
    text = tasks.content.decode()
    for a in foreign_tasks:
        assert a.title not in text, a.title
    full = _get(
        client, "controller", reverse("goals_assignments", args=[avun.pk]) + "?rapport=2020-D2"
    )
    assert all(a.title in full.content.decode() for a in foreign_tasks)
