"""Handlingsplaner with a status per reporting event, the SAM checklist, and the annual
report's section "Uppföljning av intern kontroll"."""

from __future__ import annotations

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from styra.control import services
from styra.control.models import ActionPlanItem, SamCheck
from tests.actors import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(demo_org):
    from styra.demo import control as demo_control
    from styra.demo.builder import DATA_DIR

    data = yaml.safe_load((DATA_DIR / "control" / "sn-sam-2023.yaml").read_text(encoding="utf-8"))
    return demo_control.build_sam(SYSTEM, data)


def test_demo_sam_follow_up_and_plan(sam):
    checks = SamCheck.objects.filter(node__code="SOF", year=2023)
    assert [c.done for c in checks] == [True, False, True, True, False]
    assert all(c.reason for c in checks if not c.done)
    assert ActionPlanItem.objects.filter(plan=sam).count() == 4
    assert {s.status for i in sam.items.all() for s in i.statuses.all()} == {
        "ongoing",
        "not_started",
    }


def test_a_no_needs_a_reason_and_status_is_frozen_in_an_approved_event(sam, node):
    with pytest.raises(ValidationError, match="orsaken"):
        services.sam_check_set(actor=SYSTEM, node=node("SOF"), year=2023, step="X", done=False)
    from styra.calendar.models import ReportingEvent

    event = ReportingEvent.objects.get(committee=node("SN"), code="2023-D1")
    ReportingEvent.objects.filter(pk=event.pk).update(status="approved")
    item = sam.items.first()
    with pytest.raises(ValidationError, match="låst"):
        services.action_plan_status_set(actor=SYSTEM, item=item, event=event, status="done")
    from styra.calendar.services import event_ensure

    other = event_ensure(actor=SYSTEM, committee=node("AVUN"), code="2023-D1")
    with pytest.raises(ValidationError, match="annan nämnd"):
        services.action_plan_status_set(actor=SYSTEM, item=item, event=other, status="done")


def test_page_lists_the_plan_and_a_controller_adds_a_status(sam, client, node):
    from styra.calendar.services import event_ensure

    event = event_ensure(actor=SYSTEM, committee=node("SN"), code="2023-D2")
    client.force_login(get_user_model().objects.get(username="sn-controller"))
    url = reverse("control_action_plans", args=[node("SN").pk])
    html = client.get(url).content.decode()
    assert "Handlingsplan SAM 2023 – Socialförvaltningen" in html
    assert "Medarbetarna involveras" in html and "Arbetet har börjat" in html
    item = sam.items.first()
    response = client.post(
        url,
        {
            "status": str(item.pk),
            f"st{item.pk}-event": str(event.pk),
            f"st{item.pk}-status": "done",
            f"st{item.pk}-comment": "Klart.",
        },
    )
    assert response.status_code == 302
    assert item.statuses.get(event=event).status == "done"
    # a member of another committee is refused
    client.force_login(get_user_model().objects.get(username="controller"))
    assert client.get(url).status_code == 403


def test_annual_report_section_follows_up_controls_and_actions(sn_plan, sn_audit, node):
    from styra.calendar.services import event_ensure
    from styra.reports.builders import build_report

    event = event_ensure(actor=SYSTEM, committee=node("SN"), code="2023-VB")
    report = build_report(node("SN"), event, "verksamhetsberattelse")
    section = report.section("intern_kontroll")
    sentence = section.blocks[0].text
    assert sentence.startswith("Av planens 8 kontroller har 7 genomförts (9 tillfällen): 7 utan")
    assert "2 med brister" in sentence and "Av 5 åtgärder" in sentence
    results = report.table("ik_resultat")
    assert len(results.rows) == 8
    assert results.row("Stickprovskontroll av dokumentation").cells[1].text == "Inte genomförd"
    actions = report.table("ik_atgarder")
    assert len(actions.rows) == 5
    assert any(r.cells[1].text.startswith("Revision:") for r in actions.rows)


def test_annual_report_without_a_plan_has_no_such_section(demo_org, node):
    from styra.calendar.services import event_ensure
    from styra.reports.builders import build_report

    event = event_ensure(actor=SYSTEM, committee=node("SN"), code="2022-VB")
    report = build_report(node("SN"), event, "verksamhetsberattelse")
    assert "intern_kontroll" not in [s.key for s in report.sections]


def test_sam_step_date_is_kept_per_year(sam, node):
    services.sam_check_set(
        actor=SYSTEM,
        node=node("SOF"),
        year=2024,
        step="Arbetsskador och tillbud sammanställs",
        done=True,
    )
    assert SamCheck.objects.filter(step="Arbetsskador och tillbud sammanställs").count() == 2
