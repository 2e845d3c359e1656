"""Approving through the events file is the web's approval: `styra finance events FILE`
with `status: approved` runs the same readiness checks as "Godkänn och lås" (refused
all or nothing, exit 1, naming file and line) and freezes the same figures; the same
file again changes nothing."""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from styra.calendar.models import EventStatus, ReportingEvent
from styra.calendar.services import event_status_set
from styra.finance import figures, services
from styra.finance.models import Assumption, FigureFreeze, FrozenFact
from styra.forms import services as forms_services
from styra.ledger.rows import ensure_default_scheme
from tests.actors import SYSTEM

pytestmark = pytest.mark.django_db

HEADER = "år;enhet;rad;belopp;profil;jan;feb;mar;apr;maj;jun;jul;aug;sep;okt;nov;dec\n"

APPROVE_D1 = textwrap.dedent("""\
    committee: AVUN
    events:
      - code: 2020-D1
        cutoff_period: 4
        status: approved
        approved: 2020-06-11
      - {code: 2020-D2, cutoff_period: 8}
    assumptions:
      - {event: 2020-D2, text: Pandemiläget består}
    """)


@pytest.fixture
def avun(demo_org, node, tmp_path):
    """AVUN 2020 with a budget and an open D1 (loaded from a file without status)."""
    ensure_default_scheme(demo_org)
    (tmp_path / "open.yaml").write_text(
        "committee: AVUN\nevents:\n  - {code: 2020-D1, cutoff_period: 4}\n", encoding="utf-8"
    )
    services.events_import(actor=SYSTEM, path=tmp_path / "open.yaml", municipality=demo_org)
    (tmp_path / "budget.csv").write_text(
        HEADER + "2020;JC;personal;-24 000 000;jämn;;;;;;;;;;;;\n", encoding="utf-8"
    )
    services.budget_import(actor=SYSTEM, path=tmp_path / "budget.csv", municipality=demo_org)
    (tmp_path / "approve.yaml").write_text(APPROVE_D1, encoding="utf-8")
    return node("AVUN")


def _events(path) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("finance", "events", str(path), stdout=out, stderr=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


def _unexplained_project(committee):
    """A strategic project of AVUN 2020 whose end date moved without cause and action:
    the forms' readiness check (registered with the calendar) finds it."""
    forms_services.strategic_project_save(
        actor=SYSTEM,
        committee=committee,
        year=2020,
        name="Digitalt jobbtorg",
        budget_cost=Decimal(60_000_000),
        forecast_cost=Decimal(60_000_000),
        decided_cost=Decimal(120_000_000),
        forecast_total_cost=Decimal(120_000_000),
        decided_start=dt.date(2020, 1, 1),
        forecast_start=dt.date(2020, 1, 1),
        decided_end=dt.date(2022, 6, 30),
        forecast_end=dt.date(2022, 12, 31),
    )


def test_a_file_approving_an_event_whose_check_finds_errors_is_refused(avun, tmp_path):
    _unexplained_project(avun)
    rc, out = _events(tmp_path / "approve.yaml")
    assert rc == 1, out
    # the file and the 1-based line of `status: approved`, the event and what is wrong
    assert f"{tmp_path / 'approve.yaml'}:5:" in out
    assert "Delårsrapport 1 2020 kan inte godkännas" in out
    assert "Digitalt jobbtorg" in out and "Traceback" not in out
    d1 = ReportingEvent.objects.get(committee=avun, code="2020-D1")
    assert d1.status == EventStatus.OPEN and d1.approved_at is None
    assert not FigureFreeze.objects.exists()
    # all or nothing: the file's other event and its assumption are not loaded either
    assert not ReportingEvent.objects.filter(committee=avun, code="2020-D2").exists()
    assert not Assumption.objects.exists()


def test_a_file_approving_a_clean_event_freezes_its_figures_once(avun, tmp_path, node):
    rc, out = _events(tmp_path / "approve.yaml")
    assert rc == 0, out
    d1 = ReportingEvent.objects.get(committee=avun, code="2020-D1")
    assert d1.status == EventStatus.APPROVED
    assert d1.approved_at.date() == dt.date(2020, 6, 11)
    assert FigureFreeze.objects.filter(event=d1).count() == 1
    approved = figures.follow_up(avun, d1).total.net
    assert approved.budget == Decimal("-24000000")
    frozen = sorted(FrozenFact.objects.filter(freeze__event=d1).values_list(flat=False))
    # a budget change decided before the cut-off but loaded later counts from D2 on
    (tmp_path / "changes.yaml").write_text(
        textwrap.dedent("""\
        changes:
          - {date: 2020-03-26, unit: JC, row: personal, amount: "-777 000",
             kind: ramjustering, decision: "KS/2020:123", text: Beslutad i mars}
        """),
        encoding="utf-8",
    )
    call_command("finance", "changes", str(tmp_path / "changes.yaml"), stdout=io.StringIO())
    assert figures.follow_up(avun, d1).total.net == approved
    d2 = ReportingEvent.objects.get(committee=avun, code="2020-D2")
    assert figures.follow_up(avun, d2).total.net.budget == Decimal("-24777000")
    # the demo loads its file twice: the same approval again changes nothing
    rc, out = _events(tmp_path / "approve.yaml")
    assert rc == 0, out
    d1.refresh_from_db()
    assert (d1.status, d1.approved_at.date()) == (EventStatus.APPROVED, dt.date(2020, 6, 11))
    assert FigureFreeze.objects.filter(event=d1).count() == 1
    assert sorted(FrozenFact.objects.filter(freeze__event=d1).values_list(flat=False)) == frozen
    assert figures.follow_up(avun, d1).total.net == approved


def test_recording_sent_on_an_open_event_is_an_approval_with_its_check(avun):
    _unexplained_project(avun)
    d1 = ReportingEvent.objects.get(committee=avun, code="2020-D1")
    with pytest.raises(Exception, match="Digitalt jobbtorg"):
        event_status_set(actor=SYSTEM, event=d1, status=EventStatus.SENT)
    d1.refresh_from_db()
    assert d1.status == EventStatus.OPEN and not FigureFreeze.objects.exists()
