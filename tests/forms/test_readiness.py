"""A tertial is neither marked ready nor approved while a strategic project deviates from
its decision (budget, total or dates) without a cause and an action: the calendar's
readiness check (the same the approval uses) names the project, in the service and on
the web."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from styra.calendar.locks import approval_problems
from styra.calendar.models import EventStatus, ReportingEvent
from styra.calendar.services import event_approve, event_submit
from styra.forms import services
from styra.org.models import Role, RoleGrant
from tests.actors import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved(amn_forms):
    """AMN's T1 2021 with a second project whose end date moved, not explained."""
    project = services.strategic_project_save(
        actor=SYSTEM,
        committee=amn_forms,
        year=2021,
        name="Digitalt jobbtorg",
        budget_cost=D(60_000_000),
        forecast_cost=D(60_000_000),
        decided_cost=D(120_000_000),
        forecast_total_cost=D(120_000_000),
        decided_start=dt.date(2020, 1, 1),
        forecast_start=dt.date(2020, 1, 1),
        decided_end=dt.date(2022, 6, 30),
        forecast_end=dt.date(2022, 12, 31),
    )
    event = ReportingEvent.objects.get(committee=amn_forms, code="2021-T1")
    return amn_forms, event, project


def _project_problems(event):
    return [p for p in approval_problems(event) if p.startswith("Strategiskt projekt")]


def test_the_demos_explained_project_is_no_problem(amn_forms):
    event = ReportingEvent.objects.get(committee=amn_forms, code="2021-T1")
    assert _project_problems(event) == []


def test_an_unexplained_moved_date_stops_ready_and_approval_naming_the_project(moved):
    committee, event, project = moved
    (problem,) = _project_problems(event)
    assert "Digitalt jobbtorg" in problem and "slutdatum" in problem
    assert "orsak och åtgärd" in problem
    with pytest.raises(ValidationError, match="Digitalt jobbtorg") as refused:
        event_submit(actor=SYSTEM, event=event)
    assert "kan inte markeras klar" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError, match="Digitalt jobbtorg"):
        event_approve(actor=SYSTEM, event=event)
    event.refresh_from_db()
    assert event.status == EventStatus.OPEN
    # a cause alone is not enough; cause and action are
    services.strategic_project_save(
        actor=SYSTEM, committee=committee, year=2021, project=project, cause="Sen upphandling"
    )
    (problem,) = _project_problems(event)
    assert "åtgärd" in problem and "orsak och" not in problem
    services.strategic_project_save(
        actor=SYSTEM, committee=committee, year=2021, project=project, action="Ny tidplan"
    )
    assert _project_problems(event) == []
    # a deviation of the year's budget needs the same
    services.strategic_project_save(
        actor=SYSTEM, committee=committee, year=2021, project=project,
        forecast_cost=D(58_000_000), cause="", action="",
    )  # fmt: skip
    (problem,) = _project_problems(event)
    assert "budgeten" in problem and "Digitalt jobbtorg" in problem


def test_the_web_says_why_the_tertial_cannot_be_marked_ready(moved, client):
    committee, event, _project = moved
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("amn-test-controller")
    RoleGrant.objects.create(user=user, node=committee, role=Role.CONTROLLER)
    client.force_login(user)
    events = client.get(f"/ekonomi/{committee.pk}/handelser/").content.decode()
    assert "Markera klar" in events
    response = client.post(f"/ekonomi/{committee.pk}/handelser/{event.code}/klar/", follow=True)
    page = response.content.decode()
    assert "kan inte markeras klar" in page and "Digitalt jobbtorg" in page
    event.refresh_from_db()
    assert event.status == EventStatus.OPEN
    approve = client.get(f"/ekonomi/{committee.pk}/handelser/{event.code}/godkann/").content
    approve = approve.decode()
    assert "Strategiskt projekt Digitalt jobbtorg" in approve
    assert f"Godkänn och lås {event.name}<" not in approve
    response = client.post(
        f"/ekonomi/{committee.pk}/handelser/{event.code}/godkann/", {"bekrafta": "ja"}, follow=True
    )
    assert "Digitalt jobbtorg" in response.content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.OPEN
