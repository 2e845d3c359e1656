"""The forms' services: who may write what, the year lock, the rules enforced on save and on
marking ready, and the T1 2021 report of AMN built from the demo's forms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from styra.calendar.locks import LockedError
from styra.finance.models import BudgetLine, Forecast
from styra.forms import calc, services
from styra.forms.models import GrantApplication, ResultUnitYear, StrategicProject
from styra.forms.selectors import result_units_of
from styra.ledger.rows import ensure_default_scheme
from tests.actors import SYSTEM

pytestmark = pytest.mark.django_db
# the report rows of the default scheme whose budget is gross budget (costs)
COST_ROWS = {
    "personal", "varor", "entreprenad", "lokalhyror", "bidrag_ut", "ovriga_kost", "konto49",
    "kapital",
}  # fmt: skip


def _user(name):
    return get_user_model().objects.get(username=name)


def test_the_fund_brought_in_is_last_years_fund_carried_out(demo_org, node):
    from styra.calendar.services import event_ensure
    from styra.finance import services as finance_services

    dv, avun = node("DV"), node("AVUN")
    ensure_default_scheme(demo_org)
    event_ensure(actor=SYSTEM, committee=avun, code="2020-D2")
    finance_services.budget_set(
        actor=SYSTEM, unit=dv, year=2020, row_code="personal", amount=D(-1_000_000)
    )
    services.result_unit_save(
        actor=SYSTEM, unit=dv, year=2020, fund_in=D(0), own_result=D(80_000),
        explanation="Vakanser",
    )  # fmt: skip
    nxt = services.result_unit_save(actor=SYSTEM, unit=dv, year=2021, own_result=D(0))
    assert nxt.fund_in == D(50_000)  # 2020: transfer capped at 5 % of 1 000 000


def test_gross_budget_and_result_come_from_budget_and_follow_up_never_typed(demo_org, node):
    from styra.calendar.services import event_ensure
    from styra.finance import services as finance_services

    dv, avun = node("DV"), node("AVUN")
    ensure_default_scheme(demo_org)
    event = event_ensure(actor=SYSTEM, committee=avun, code="2020-D2")
    for row, amount in (("personal", -700_000), ("ovriga_kost", -300_000), ("taxor", 50_000)):
        finance_services.budget_set(
            actor=SYSTEM, unit=dv, year=2020, row_code=row, amount=D(amount)
        )
    finance_services.forecast_save(
        actor=SYSTEM, event=event, unit=dv, row_code="personal", amount=D(-640_000)
    )
    services.result_unit_save(
        actor=SYSTEM, unit=dv, year=2020, own_result=D(60_000), explanation="Vakanser"
    )
    (line,) = [x for x in result_units_of(avun, 2020) if x.unit == dv]
    assert line.event == event
    assert line.gross_budget == D(1_000_000)  # the cost rows; the revenue is not gross budget
    assert line.year_result == D(60_000)  # forecast − budget at D2
    assert line.carry.transfer == D(50_000)  # capped at 5 % of the budget's 1 000 000
    finance_services.budget_set(
        actor=SYSTEM, unit=dv, year=2020, row_code="personal", amount=D(-1_700_000)
    )
    (line,) = [x for x in result_units_of(avun, 2020) if x.unit == dv]
    assert line.gross_budget == D(2_000_000) and line.carry.transfer == D(60_000)
    assert line.year_result == D(1_060_000)
    with pytest.raises(ValidationError, match="Okända fält"):
        services.result_unit_save(actor=SYSTEM, unit=dv, year=2020, gross_budget=D(1))


def test_an_own_result_needs_an_explanation(demo_org, node):
    with pytest.raises(ValidationError, match="Förklara"):
        services.result_unit_save(actor=SYSTEM, unit=node("DV"), year=2020, own_result=D(1))


def test_a_unit_that_is_not_a_result_unit_is_refused(demo_org, node):
    with pytest.raises(ValidationError, match="ingen resultatenhet"):
        services.result_unit_save(actor=SYSTEM, unit=node("JC"), year=2020, own_result=D(0))


def test_a_unit_manager_enters_only_the_own_result(demo_org, node):
    from styra.org.models import Role, RoleGrant

    dv = node("DV")
    manager = _user("enhetschef2")
    RoleGrant.objects.create(user=manager, node=dv, role=Role.EDITOR)
    saved = services.result_unit_save(
        actor=manager, unit=dv, year=2020, own_result=D(5), explanation="Egen insats"
    )
    assert saved.own_result == D(5)
    with pytest.raises(PermissionDenied):
        services.result_unit_save(actor=manager, unit=dv, year=2020, fund_in=D(99))


def test_a_closed_year_refuses_changes(demo_org, node):
    from styra.calendar.models import EventStatus, ReportingEvent

    avun = node("AVUN")
    ReportingEvent.objects.filter(committee=avun, year=2020).delete()
    from styra.calendar.services import event_ensure

    event = event_ensure(actor=SYSTEM, committee=avun, code="2020-VB")
    ReportingEvent.objects.filter(pk=event.pk).update(status=EventStatus.APPROVED)
    with pytest.raises(LockedError, match="avslutat"):
        services.strategic_project_save(actor=SYSTEM, committee=avun, year=2020, name="x")


def test_a_grant_application_that_does_not_add_up_cannot_be_marked_ready(demo_org, node):
    application = services.grant_application_save(
        actor=SYSTEM, committee=node("AVUN"), name="Lotsar", grantor="Staten",
        starts=dt.date(2021, 7, 1), ends=dt.date(2022, 4, 30), amount_sought=D(979_600),
        lines=[
            {"side": "cost", "kind": "wage", "amount": D(1_106_000)},
            {"side": "cost", "kind": "overhead", "amount": D(110_600)},
            {"side": "cost", "kind": "external", "amount": D(125_000)},
            {"side": "cost", "kind": "other", "amount": D(88_000)},
            {"side": "financing", "kind": "grant", "amount": D(979_000)},
            {"side": "financing", "kind": "own", "amount": D(450_000)},
        ],
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.grant_application_mark_ready(actor=SYSTEM, application=application)
    assert any("Summa kostnader" in m for m in caught.value.messages)
    assert any("Sökt belopp" in m for m in caught.value.messages)
    application.refresh_from_db()
    assert application.status == GrantApplication.Status.DRAFT


def test_grant_lines_of_an_unknown_kind_are_refused(demo_org, node):
    with pytest.raises(ValidationError, match="okänd typ"):
        services.grant_application_save(
            actor=SYSTEM, committee=node("AVUN"), name="x", grantor="y",
            starts=dt.date(2021, 1, 1), ends=dt.date(2021, 2, 1), amount_sought=D(1),
            lines=[{"side": "cost", "kind": "invisible", "amount": D(1)}],
        )  # fmt: skip


def test_a_moved_end_date_needs_cause_and_action_before_ready(demo_org, node):
    project = services.strategic_project_save(
        actor=SYSTEM, committee=node("AVUN"), year=2021, name="Centrum",
        decided_end=dt.date(2022, 12, 31), forecast_end=dt.date(2023, 6, 30),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="orsak och åtgärd"):
        services.strategic_project_mark_ready(actor=SYSTEM, project=project)
    project = services.strategic_project_save(
        actor=SYSTEM, committee=node("AVUN"), year=2021, project=project, cause="Försenad",
        action="Ny tidplan",
    )  # fmt: skip
    assert services.strategic_project_mark_ready(actor=SYSTEM, project=project).ready
    again = services.strategic_project_save(
        actor=SYSTEM, committee=node("AVUN"), year=2021, project=project, budget_cost=D(5)
    )
    assert not again.ready  # a change takes the mark back


def test_amn_tertial_report_has_the_forms_and_they_follow_the_rule(amn_forms):
    from styra.calendar.selectors import event_get
    from styra.reports.builders import build_report

    report = build_report(amn_forms, event_get(committee=amn_forms, code="2021-T1"))
    sections = {s.key: s for s in report.sections}
    assert "bilagor" in sections
    table = sections["bilaga-resultatenheter"].blocks[0]
    records = {r.unit.name: r for r in ResultUnitYear.objects.filter(committee=amn_forms)}
    event = event_get(committee=amn_forms, code="2021-T1")
    capped, transfers = set(), D(0)
    for row in table.rows[:-1]:
        name = row.cells[0].text.replace(" (intraprenad)", "")
        r = records[name]
        # an oracle from the stored budget and forecast: B = the cost rows' budget,
        # the result = forecast − budget (a row without a forecast keeps its budget)
        lines = {b.row_code: b.amount for b in BudgetLine.objects.filter(unit=r.unit, year=2021)}
        saved = {f.row_code: f.amount for f in Forecast.objects.filter(event=event, unit=r.unit)}
        gross = -sum(a for code, a in lines.items() if code in COST_ROWS)
        result = sum(saved.get(code, a) - a for code, a in lines.items())
        assert row.cells[1].value == gross
        assert row.cells[4].value == -result  # the city's sign: a surplus negative
        expected = calc.carry_over(gross, r.fund_in, r.own_result)
        assert row.cells[6].value == -expected.transfer
        assert row.cells[8].value == -expected.fund_out
        transfers += expected.transfer
        if expected.transfer_capped:
            capped.add("+5" if expected.transfer > 0 else "-5")
        if expected.fund_capped:
            capped.add("+10" if expected.fund_out > 0 else "fund-5")
    assert capped == {"+5", "-5", "+10", "fund-5"}  # one unit per cap
    assert table.rows[-1].cells[6].value == -transfers
    projects = sections["bilaga-strategiska-projekt"].blocks
    assert "slutdatum avviker från beslutet" in projects[1].text
    assert StrategicProject.objects.get(committee=amn_forms).cause.split()[0] in projects[1].text


def test_avun_delarsrapport_has_no_forms_part_without_forms(demo_org, node):
    from styra.calendar.services import event_ensure
    from styra.reports.builders import build_report

    avun = node("AVUN")
    report = build_report(avun, event_ensure(actor=SYSTEM, committee=avun, code="2020-D2"))
    assert not any(s.key.startswith("bilag") for s in report.sections)
