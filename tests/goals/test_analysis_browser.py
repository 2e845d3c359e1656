"""A unit manager writes a goal analysis in a real Chromium: a wide box that grows, the
warning for a wrong figure beside it while typing, one save per goal with klarmarkering."""

from __future__ import annotations

import pytest

from tests.web.browserkit import assert_accessible, no_horizontal_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_goal_analysis_written_checked_and_klarmarked(
    page, live_server, client, cast, node, demo_goals
):
    from styra.goals.models import Goal, GoalAssessment

    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, client, live_server, cast["enhetschef"])
    page.goto(f"{live_server.url}/mal/{node('JC').pk}/registrera/?rapport=2020-D2")
    sections = page.locator("section.analysis")
    assert sections.count() >= 1
    first = sections.first
    goal = Goal.objects.get(pk=int(first.get_attribute("id").split("-")[1]))
    others = {a.goal_id: a.analysis for a in GoalAssessment.objects.exclude(goal=goal)}
    box = first.get_by_role("textbox")
    assert box.bounding_box()["width"] > 800  # room to write (was about 20 characters)
    box.fill("")
    height = box.bounding_box()["height"]
    box.click()
    page.keyboard.type("Andelen som fick svar i tid var 40 % (5 av 12).")
    for _ in range(14):
        page.keyboard.press("Enter")
    page.keyboard.type("Vi arbetar vidare.")
    assert box.bounding_box()["height"] > height  # the box grows with the text
    warning = first.locator(".text-warnings")
    warning.wait_for(timeout=15000)
    assert "41,7 %" in warning.inner_text()
    b, w = box.bounding_box(), first.locator(".text-check").bounding_box()
    assert w["x"] >= b["x"] + b["width"]  # beside the text
    assert_accessible(page, "analys med varning")

    first.get_by_label("Klar (klarmarkera analysen)").check()
    first.get_by_role("button", name=f"Spara analysen av {goal.name}").click()
    page.locator(".messages").wait_for()
    row = GoalAssessment.objects.get(goal=goal)
    assert row.analysis_ready and row.analysis.startswith("Andelen som fick svar i tid var 40 %")
    assert {a.goal_id: a.analysis for a in GoalAssessment.objects.exclude(goal=goal)} == others
    first = page.locator(f"#analys-{goal.pk}")
    assert "Klar" in first.locator(".analysis-state").inner_text()
    assert "41,7 %" in first.locator(".text-warnings").inner_text()  # saved: still warned

    page.set_viewport_size({"width": 390, "height": 800})
    page.reload()
    wide = page.evaluate(
        """() => Array.from(document.querySelectorAll('main *')).filter(
        e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 8).map(
        e => e.tagName + '.' + e.className + '#' + e.id)"""
    )
    assert no_horizontal_scroll(page), wide
    assert_accessible(page, "målsidan 390 px")
