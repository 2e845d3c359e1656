"""Approve with care: a confirmation step that shows the report's own check and is refused
while it finds errors; reopening an event or a klarmarkerad forecast needs a reason, which
is kept and shown with who and when."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from styra.calendar import locks
from styra.calendar.models import EventReopening, ReportingEvent
from styra.calendar.services import event_approve, event_reopen
from styra.finance import figures, services
from styra.finance.models import BudgetLine, FigureFreeze, ForecastReady
from styra.ledger.rows import ensure_default_scheme
from tests.actors import SYSTEM

HEADER = "år;enhet;rad;belopp;profil;jan;feb;mar;apr;maj;jun;jul;aug;sep;okt;nov;dec\n"


@pytest.fixture
def d1(demo_org, node, tmp_path):
    ensure_default_scheme(demo_org)
    (tmp_path / "events.yaml").write_text(
        "committee: AVUN\nevents:\n  - {code: 2020-D1, cutoff_period: 4}\n"
        "  - {code: 2020-D2, cutoff_period: 8}\n",
        encoding="utf-8",
    )
    services.events_import(actor=SYSTEM, path=tmp_path / "events.yaml", municipality=demo_org)
    (tmp_path / "budget.csv").write_text(
        HEADER + "2020;JC;personal;-24 000 000;jämn;;;;;;;;;;;;\n", encoding="utf-8"
    )
    services.budget_import(actor=SYSTEM, path=tmp_path / "budget.csv", municipality=demo_org)
    return ReportingEvent.objects.get(committee=node("AVUN"), code="2020-D1")


@pytest.fixture
def failing_check():
    def check(event):
        return [f"Jobbcenter: texten anger 0,6 mkr men tabellen visar 1,4 mkr ({event.code})"]

    locks.register_approval_check(check)
    yield check
    locks._APPROVAL_CHECKS.remove(check)


@pytest.mark.django_db
def test_approval_is_refused_while_the_check_finds_errors(d1, failing_check):
    with pytest.raises(ValidationError, match="kontrollen hittar 1 fel"):
        event_approve(actor=SYSTEM, event=d1)
    d1.refresh_from_db()
    assert not d1.is_locked and not FigureFreeze.objects.exists()


@pytest.mark.django_db
def test_confirmation_page_shows_figures_and_check_then_approves(d1, client, cast, node):
    client.force_login(cast["controller"])
    url = f"/ekonomi/{node('AVUN').pk}/handelser/2020-D1/godkann/"
    page = client.get(url).content.decode()
    assert "Texternas siffror stämmer med tabellerna" in page
    assert "-24\u00a0000" in page  # the budget it approves
    d1.refresh_from_db()
    assert not d1.is_locked  # looking is not approving
    assert client.post(url, {"bekrafta": "ja"}).status_code == 302
    d1.refresh_from_db()
    assert d1.is_locked and FigureFreeze.objects.filter(event=d1).exists()


@pytest.mark.django_db
def test_confirmation_page_with_errors_has_no_button_and_post_is_refused(
    d1, client, cast, node, failing_check
):
    client.force_login(cast["controller"])
    url = f"/ekonomi/{node('AVUN').pk}/handelser/2020-D1/godkann/"
    page = client.get(url).content.decode()
    assert "Kontrollen hittar 1 fel" in page and "tabellen visar 1,4 mkr" in page
    assert 'name="bekrafta"' not in page
    client.post(url, {"bekrafta": "ja"})
    d1.refresh_from_db()
    assert not d1.is_locked


@pytest.mark.django_db
def test_reopen_needs_a_reason_keeps_it_and_shows_live_figures(d1, client, cast, node):
    event_approve(actor=SYSTEM, event=d1)
    approved = figures.follow_up(node("AVUN"), d1).total.net
    with pytest.raises(ValidationError, match="Ange varför"):
        event_reopen(actor=cast["controller"], event=d1, reason="  ")
    # a correction behind the lock's back shows only once the event is open again
    BudgetLine.objects.filter(unit=node("JC")).update(amount=Decimal("-25000000"))
    assert figures.follow_up(node("AVUN"), d1).total.net == approved
    event_reopen(actor=cast["controller"], event=d1, reason="Fel budget för Jobbcenter")
    d1.refresh_from_db()
    assert not d1.is_locked and not FigureFreeze.objects.filter(event=d1).exists()
    assert figures.follow_up(node("AVUN"), d1).total.net.budget == Decimal("-25000000")
    (kept,) = EventReopening.objects.filter(event=d1)
    assert (kept.reason, kept.reopened_by, kept.from_status) == (
        "Fel budget för Jobbcenter",
        cast["controller"],
        "approved",
    )
    client.force_login(cast["controller"])
    page = client.get(f"/ekonomi/{node('AVUN').pk}/handelser/").content.decode()
    assert "Fel budget för Jobbcenter" in page


@pytest.mark.django_db
def test_reopening_a_ready_forecast_needs_a_reason(d1, client, cast, node):
    jc = node("JC")
    services.forecast_mark_ready(actor=cast["enhetschef"], event=d1, unit=jc)
    client.force_login(cast["controller"])
    url = f"/ekonomi/{jc.pk}/prognos/2020-D1/oppna/"
    client.post(url, {"skal": ""})
    assert ForecastReady.objects.filter(event=d1, unit=jc).exists()
    client.post(url, {"skal": "Vakanserna är tillsatta"})
    assert not ForecastReady.objects.filter(event=d1, unit=jc).exists()
    page = client.get(f"/ekonomi/{jc.pk}/prognos/2020-D1/").content.decode()
    assert "Vakanserna är tillsatta" in page
    # the unit manager may not reopen
    services.forecast_mark_ready(actor=cast["enhetschef"], event=d1, unit=jc)
    client.force_login(cast["enhetschef"])
    client.post(url, {"skal": "jag vill ändra"})
    assert ForecastReady.objects.filter(event=d1, unit=jc).exists()
