"""Finance services on the database: imports all-or-nothing, locks, who may change what."""

from __future__ import annotations

import textwrap
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from styra.finance import selectors, services
from styra.finance.importers import FinanceFileError
from styra.finance.models import BudgetLine, Forecast, LockedError, ReportingEvent
from styra.ledger.rows import ensure_default_scheme

HEADER = "år;enhet;rad;belopp;profil;jan;feb;mar;apr;maj;jun;jul;aug;sep;okt;nov;dec\n"


@pytest.fixture
def setup(demo_org, tmp_path):
    ensure_default_scheme(demo_org)
    (tmp_path / "events.yaml").write_text(
        textwrap.dedent("""\
        committee: AVUN
        events:
          - {code: 2020-D1, cutoff_period: 4, status: approved, approved: 2020-06-11}
          - {code: 2020-D2, cutoff_period: 8, deadline: 2020-09-01}
        assumptions:
          - {event: 2020-D2, text: Statsbidrag för yrkesvux beslutas, amount: "5 500 000"}
        """),
        encoding="utf-8",
    )
    services.events_import(path=tmp_path / "events.yaml", municipality=demo_org)
    (tmp_path / "budget.csv").write_text(
        HEADER
        + "2020;JC;personal;-24 000 000;jämn;;;;;;;;;;;;\n"
        + "2020;JC;bidrag_in;12 000 000;egen;1;1;1;1;1;1;1;1;2;1;1;1\n"
        + "2020;UFV;personal;-1 200 000,50;dagar;;;;;;;;;;;;\n",
        encoding="utf-8",
    )
    services.budget_import(path=tmp_path / "budget.csv", municipality=demo_org)
    return tmp_path


@pytest.mark.django_db
def test_budget_and_ack_budget_in_the_grid(setup, node):
    d2 = ReportingEvent.objects.get(code="2020-D2")
    fu = selectors.follow_up(node("AVUN"), d2, level="detail")
    jc = next(u for u in fu.units if u.unit.code == "JC")
    assert jc.net.budget == Decimal("-12000000")
    # personal even: 8/12 of -24 000 000; bidrag custom: 8 of 13 parts of 12 000 000.
    assert jc.by_row["staff"].budget_to_date == Decimal("-16000000.00")
    # 8/13 is 7 384 615,3846…: the four leftover öre of the year go to the largest
    # remainders (September's double share first, then January–March), so 0,39 here.
    assert jc.by_row["revenue"].budget_to_date == Decimal("7384615.39")
    # No forecast yet: counted as budget and marked missing.
    assert jc.net.forecast == jc.net.budget and jc.net.forecast_missing
    assert {u.code for u in fu.missing} == {"JC", "UFV"}


@pytest.mark.django_db
def test_bad_budget_file_stores_nothing(setup, demo_org):
    bad = setup / "bad.csv"
    bad.write_text(
        HEADER
        + "2020;JC;personal;-1;jämn;;;;;;;;;;;;\n"
        + "2020;XX;personal;12,3,4;veckovis;;;;;;;;;;;;\n",
        encoding="utf-8",
    )
    with pytest.raises(FinanceFileError) as exc:
        services.budget_import(path=bad, municipality=demo_org)
    messages = {(e.line, e.message.split(" ")[0]) for e in exc.value.errors}
    assert (3, "okänd") in messages and (3, "belopp:") in messages
    assert BudgetLine.objects.get(unit__code="JC", row_code="personal").amount == Decimal(
        "-24000000"
    )


@pytest.mark.django_db
def test_unit_manager_may_forecast_only_own_unit(setup, cast, node):
    d2 = ReportingEvent.objects.get(code="2020-D2")
    services.forecast_save(
        user=cast["enhetschef"],
        event=d2,
        unit=node("JC"),
        row_code="personal",
        amount=Decimal("-23000000"),
        comment="vakanser",
    )
    with pytest.raises(PermissionDenied):
        services.forecast_save(
            user=cast["enhetschef"],
            event=d2,
            unit=node("UFV"),
            row_code="personal",
            amount=Decimal("-1"),
        )
    with pytest.raises(PermissionDenied):
        services.forecast_save(
            user=cast["enhetschef2"],
            event=d2,
            unit=node("JC"),
            row_code="personal",
            amount=Decimal("-1"),
        )
    assert Forecast.objects.get().amount == Decimal("-23000000")


@pytest.mark.django_db
def test_unit_manager_cannot_open_another_units_form(setup, client, cast, node):
    client.force_login(cast["enhetschef"])
    assert client.get(f"/ekonomi/{node('JC').pk}/prognos/2020-D2/").status_code == 200
    assert client.get(f"/ekonomi/{node('UFV').pk}/prognos/2020-D2/").status_code == 403
    response = client.post(
        f"/ekonomi/{node('UFV').pk}/prognos/2020-D2/", {f"prognos-{node('UFV').pk}-personal": "-5"}
    )
    assert response.status_code == 403 and not Forecast.objects.exists()


@pytest.mark.django_db
def test_locked_event_cannot_change_and_says_why(setup, cast, node, demo_org):
    d1 = ReportingEvent.objects.get(code="2020-D1")
    with pytest.raises(LockedError, match=r"godkänd av nämnden .* låst"):
        services.forecast_save(
            user=cast["controller"],
            event=d1,
            unit=node("JC"),
            row_code="personal",
            amount=Decimal("-1"),
        )
    (setup / "f.csv").write_text(
        "händelse;enhet;rad;prognos\n2020-D1;JC;personal;-1\n", encoding="utf-8"
    )
    with pytest.raises(FinanceFileError, match="låst"):
        services.forecasts_import(path=setup / "f.csv", municipality=demo_org)
    d2 = ReportingEvent.objects.get(code="2020-D2")
    services.event_approve(event=d2, user=cast["controller"])
    with pytest.raises(LockedError):
        services.forecast_save(
            user=cast["controller"],
            event=d2,
            unit=node("JC"),
            row_code="personal",
            amount=Decimal("-1"),
        )
    assert not Forecast.objects.exists()


@pytest.mark.django_db
def test_ready_marking_and_forecast_change_since_previous_event(setup, cast, node, demo_org):
    (setup / "f.csv").write_text(
        "händelse;enhet;rad;prognos;kommentar;karaktär\n"
        "2020-D2;JC;personal;-22 000 000;färre beredskapsanställda;engångs\n",
        encoding="utf-8",
    )
    d1 = ReportingEvent.objects.get(code="2020-D1")
    Forecast.objects.create(
        event=d1, unit=node("JC"), row_code="personal", amount=Decimal("-23500000")
    )
    services.forecasts_import(path=setup / "f.csv", municipality=demo_org)
    d2 = ReportingEvent.objects.get(code="2020-D2")
    services.forecast_mark_ready(user=cast["enhetschef"], event=d2, unit=node("JC"))
    fu = selectors.follow_up(node("AVUN"), d2, level="detail")
    jc = next(u for u in fu.units if u.unit.code == "JC")
    assert jc.by_row["staff"].forecast_change == Decimal("1500000")
    assert [u.code for u in fu.missing] == ["UFV"]
    with pytest.raises(LockedError, match="klarmarkerat"):
        services.forecast_save(
            user=cast["enhetschef"],
            event=d2,
            unit=node("JC"),
            row_code="personal",
            amount=Decimal("-1"),
        )


@pytest.mark.django_db
def test_forecast_form_saves_in_tkr_for_the_units_subtree(setup, client, cast, node):
    client.force_login(cast["enhetschef"])
    jc = node("JC")
    response = client.post(
        f"/ekonomi/{jc.pk}/prognos/2020-D2/",
        {
            f"prognos-{jc.pk}-personal": "-23 500",
            f"kommentar-{jc.pk}-personal": "vakanser",
            f"prognos-{node('UFV').pk}-personal": "-1",
        },
    )
    assert response.status_code == 302
    saved = Forecast.objects.get()
    assert (saved.unit, saved.amount, saved.comment) == (jc, Decimal("-23500000"), "vakanser")
    page = client.get(f"/ekonomi/{jc.pk}/prognos/2020-D2/").content.decode()
    assert "-23\u00a0500" in page and "raden hör inte till Jobbcenter" in page


@pytest.mark.django_db
def test_last_year_profile_without_last_years_outcome_spreads_evenly(setup, demo_org, node):
    (setup / "ly.csv").write_text(
        HEADER + "2020;DV;personal;-1 200 000;fjol;;;;;;;;;;;;\n", encoding="utf-8"
    )
    services.budget_import(path=setup / "ly.csv", municipality=demo_org)
    budgets = selectors.budget_by_unit_row(node("AVUN"), 2020, 8)
    assert budgets[(node("DV").pk, "personal")][2] == Decimal("-800000.00")


@pytest.mark.django_db
def test_proposal_is_taken_for_rows_without_forecast_and_event_is_sent_on(
    setup, client, cast, node
):
    client.force_login(cast["enhetschef"])
    jc = node("JC")
    client.post(f"/ekonomi/{jc.pk}/prognos/2020-D2/", {"action": "forslag-budget"})
    # No outcome booked: the proposal is the budget of September–December alone.
    assert {f.row_code: f.amount for f in Forecast.objects.filter(unit=jc)} == {
        "personal": Decimal("-8000000.00"),  # 4/12 of -24 000 000
        "bidrag_in": Decimal("4615384.61"),  # 5 of 13 parts of 12 000 000
    }
    client.force_login(cast["controller"])
    avun = node("AVUN")
    response = client.post(f"/ekonomi/{avun.pk}/handelser/2020-D2/skicka/")
    assert response.status_code == 302
    assert ReportingEvent.objects.get(code="2020-D2").status == "open"  # not approved yet
    client.post(f"/ekonomi/{avun.pk}/handelser/2020-D2/godkann/")
    client.post(f"/ekonomi/{avun.pk}/handelser/2020-D2/skicka/")
    assert ReportingEvent.objects.get(code="2020-D2").status == "sent"
