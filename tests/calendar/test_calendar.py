"""The year's calendar: one event_ensure, statuses, locks that say where corrections go."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from styra.calendar.locks import LockedError, event_ensure_open, event_is_locked
from styra.calendar.models import EventStatus, ReportingEvent
from styra.calendar.selectors import event_get, events_of
from styra.calendar.services import event_approve, event_ensure, event_send, event_status_set
from styra.lib.errors import UsageError
from tests.actors import SYSTEM


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "name", "cutoff"),
    [
        ("2020-D2", "Delårsrapport 2 2020", 8),
        ("2021-t1", "Tertialrapport 1 2021", 4),
        ("2019-06", "Månadsrapport juni 2019", 6),
        ("2023-K2", "Kvartalsrapport 2 2023", 6),
        ("2020-VB", "Verksamhetsberättelse 2020", 13),
        ("2023", "Verksamhetsåret 2023", 13),
    ],
)
def test_event_ensure_names_and_cuts_off_from_the_code(demo_org, node, code, name, cutoff):
    event = event_ensure(actor=SYSTEM, committee=node("AVUN"), code=code)
    assert (event.name, event.cutoff_period, event.status) == (name, cutoff, EventStatus.OPEN)
    assert event.code == code.upper()
    again = event_ensure(actor=SYSTEM, committee=node("AVUN"), code=code.lower())
    assert again.pk == event.pk
    assert ReportingEvent.objects.filter(committee=node("AVUN")).count() == 1


@pytest.mark.django_db
def test_prognos_needs_a_cutoff_and_bad_codes_are_usage_errors(demo_org, node):
    with pytest.raises(UsageError, match="till och med vilken period"):
        event_ensure(actor=SYSTEM, committee=node("AVUN"), code="2020-P3")
    event = event_ensure(actor=SYSTEM, committee=node("AVUN"), code="2020-P3", cutoff_period=5)
    assert event.cutoff_period == 5
    with pytest.raises(UsageError, match="ingen rapporteringshändelse"):
        event_ensure(actor=SYSTEM, committee=node("AVUN"), code="2020-X9")
    with pytest.raises(UsageError, match="ingen nämnd"):
        event_ensure(actor=SYSTEM, committee=node("JC"), code="2020-D2")


@pytest.mark.django_db
def test_event_ensure_refuses_an_actor_without_the_finance_right(demo_org, node, cast):
    with pytest.raises(PermissionDenied):
        event_ensure(actor=cast["enhetschef"], committee=node("AVUN"), code="2020-D2")
    with pytest.raises(TypeError, match="actor saknas"):
        event_ensure(actor=None, committee=node("AVUN"), code="2020-D2")
    made = event_ensure(actor=cast["controller"], committee=node("AVUN"), code="2020-D2")
    # reading an existing event needs only the right to see the committee
    assert event_ensure(actor=cast["ledamot"], committee=node("AVUN"), code="2020-D2") == made
    sn_controller = get_user_model().objects.get(username="sn-controller")
    with pytest.raises(PermissionDenied):
        event_ensure(actor=sn_controller, committee=node("AVUN"), code="2020-D2")


@pytest.mark.django_db
def test_locked_event_says_where_the_correction_goes_even_from_a_stale_instance(demo_org, node):
    avun = node("AVUN")
    d1 = event_ensure(actor=SYSTEM, committee=avun, code="2020-D1")
    d2 = event_ensure(actor=SYSTEM, committee=avun, code="2020-D2")
    stale = ReportingEvent.objects.get(pk=d1.pk)
    event_approve(actor=SYSTEM, event=d1, when=dt.datetime(2020, 6, 11, 12, tzinfo=dt.UTC))
    assert not event_is_locked(stale)  # the instance is old …
    with pytest.raises(LockedError) as exc:
        event_ensure_open(stale, what="prognosen för Jobbcenter")  # … the check is not
    message = exc.value.messages[0]
    assert "prognosen för Jobbcenter i Delårsrapport 1 2020 kan inte ändras" in message
    assert "2020-06-11" in message
    assert "Rättelser förs in i Delårsrapport 2 2020 (2020-D2)" in message
    event_ensure_open(d2)  # open: nothing raised
    with pytest.raises(LockedError):
        event_ensure(actor=SYSTEM, committee=avun, code="2020-D1", deadline=dt.date(2020, 5, 1))
    assert event_ensure(actor=SYSTEM, committee=avun, code="2020-D1").pk == d1.pk


@pytest.mark.django_db
def test_status_steps_and_sending_twice_changes_nothing(demo_org, node, cast):
    event = event_ensure(actor=SYSTEM, committee=node("AVUN"), code="2020-D2")
    with pytest.raises(LockedError, match="måste vara godkänd"):
        event_send(actor=cast["controller"], event=event)
    approved = event_approve(actor=cast["controller"], event=event)
    assert approved.approved_by == cast["controller"]
    with pytest.raises(LockedError):
        event_approve(actor=cast["controller"], event=approved)
    sent = event_send(actor=cast["controller"], event=approved)
    assert event_send(actor=cast["controller"], event=sent).status == EventStatus.SENT
    with pytest.raises(LockedError):
        event_status_set(actor=SYSTEM, event=sent, status=EventStatus.OPEN)


@pytest.mark.django_db
def test_event_get_and_events_of(demo_org, node):
    avun = node("AVUN")
    for code in ["2020-VB", "2020-D1", "2019-VB", "2020-D2"]:
        event_ensure(actor=SYSTEM, committee=avun, code=code)
    assert [e.code for e in events_of(avun)] == ["2019-VB", "2020-D1", "2020-D2", "2020-VB"]
    assert events_of(avun, 2020, latest_first=True).first().code == "2020-VB"
    assert event_get(committee=avun, code="2020-d2").code == "2020-D2"
    with pytest.raises(UsageError, match=r"inget rapporttillfälle 2021-D1 .*finns: 2019-VB"):
        event_get(committee=avun, code="2021-D1")


@pytest.mark.django_db
def test_forecasts_keep_pointing_at_their_event(demo_org, node):
    from styra.finance.models import Forecast

    event = event_ensure(actor=SYSTEM, committee=node("AVUN"), code="2020-D2")
    Forecast.objects.create(event=event, unit=node("JC"), row_code="personal", amount=Decimal(1))
    assert event.forecasts.get().unit == node("JC")
