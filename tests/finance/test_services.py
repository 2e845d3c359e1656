"""Finance services on the database: imports all-or-nothing, locks, who may change what."""

from __future__ import annotations

import textwrap
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from styra.calendar.models import LockedError, ReportingEvent
from styra.calendar.services import event_approve
from styra.finance import figures, services
from styra.finance.models import BudgetLine, Forecast
from styra.ledger.rows import ensure_default_scheme
from styra.lib.errors import InputError
from tests.actors import SYSTEM

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
    # Loaded open first, then the budget, then the file's approval of D1 (as the demo does):
    # an approved year's budget is locked.
    services.events_import(
        actor=SYSTEM, path=tmp_path / "events.yaml", municipality=demo_org, apply_status=False
    )
    (tmp_path / "budget.csv").write_text(
        HEADER
        + "2020;JC;personal;-24 000 000;jämn;;;;;;;;;;;;\n"
        + "2020;JC;bidrag_in;12 000 000;egen;1;1;1;1;1;1;1;1;2;1;1;1\n"
        + "2020;UFV;personal;-1 200 000,50;dagar;;;;;;;;;;;;\n",
        encoding="utf-8",
    )
    services.budget_import(actor=SYSTEM, path=tmp_path / "budget.csv", municipality=demo_org)
    services.events_import(actor=SYSTEM, path=tmp_path / "events.yaml", municipality=demo_org)
    return tmp_path


@pytest.mark.django_db
def test_budget_and_ack_budget_in_the_grid(setup, node):
    d2 = ReportingEvent.objects.get(code="2020-D2")
    fu = figures.follow_up(node("AVUN"), d2, level="detail")
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
    with pytest.raises(InputError) as exc:
        services.budget_import(actor=SYSTEM, path=bad, municipality=demo_org)
    messages = {(e.line, e.message.split(" ")[0]) for e in exc.value.errors}
    assert (3, "okänd") in messages and (3, "belopp:") in messages
    assert BudgetLine.objects.get(unit__code="JC", row_code="personal").amount == Decimal(
        "-24000000"
    )


@pytest.mark.django_db
def test_unit_manager_may_forecast_only_own_unit(setup, cast, node):
    d2 = ReportingEvent.objects.get(code="2020-D2")
    services.forecast_save(
        actor=cast["enhetschef"],
        event=d2,
        unit=node("JC"),
        row_code="personal",
        amount=Decimal("-23000000"),
        comment="vakanser",
    )
    with pytest.raises(PermissionDenied):
        services.forecast_save(
            actor=cast["enhetschef"],
            event=d2,
            unit=node("UFV"),
            row_code="personal",
            amount=Decimal("-1"),
        )
    with pytest.raises(PermissionDenied):
        services.forecast_save(
            actor=cast["enhetschef2"],
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
            actor=cast["controller"],
            event=d1,
            unit=node("JC"),
            row_code="personal",
            amount=Decimal("-1"),
        )
    (setup / "f.csv").write_text(
        "händelse;enhet;rad;prognos\n2020-D1;JC;personal;-1\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match="låst"):
        services.forecasts_import(actor=SYSTEM, path=setup / "f.csv", municipality=demo_org)
    d2 = ReportingEvent.objects.get(code="2020-D2")
    event_approve(actor=cast["controller"], event=d2)
    with pytest.raises(LockedError):
        services.forecast_save(
            actor=cast["controller"],
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
    # D1 as it was before the committee approved it: the forecast, then the approval,
    # which stores the figures D1 shows (the budget is loaded after the fixture's D1).
    ReportingEvent.objects.filter(code="2020-D1").update(status="open", approved_at=None)
    figures.unfreeze_event(ReportingEvent.objects.get(code="2020-D1"))
    d1 = ReportingEvent.objects.get(code="2020-D1")
    services.forecast_save(
        actor=SYSTEM, event=d1, unit=node("JC"), row_code="personal", amount=Decimal("-23500000")
    )
    event_approve(actor=SYSTEM, event=d1)
    services.forecasts_import(actor=SYSTEM, path=setup / "f.csv", municipality=demo_org)
    d2 = ReportingEvent.objects.get(code="2020-D2")
    services.forecast_mark_ready(actor=cast["enhetschef"], event=d2, unit=node("JC"))
    fu = figures.follow_up(node("AVUN"), d2, level="detail")
    jc = next(u for u in fu.units if u.unit.code == "JC")
    assert jc.by_row["staff"].forecast_change == Decimal("1500000")
    assert [u.code for u in fu.missing] == ["UFV"]
    with pytest.raises(LockedError, match="klarmarkerat"):
        services.forecast_save(
            actor=cast["enhetschef"],
            event=d2,
            unit=node("JC"),
            row_code="personal",
            amount=Decimal("-1"),
        )


@pytest.mark.django_db
def test_forecast_form_saves_exact_tkr_and_only_changed_cells(setup, client, cast, node):
    client.force_login(cast["enhetschef"])
    jc = node("JC")
    url = f"/ekonomi/{jc.pk}/prognos/2020-D2/"
    response = client.post(
        url,
        {
            f"was-{jc.pk}-personal": "",
            f"prognos-{jc.pk}-personal": "-23 500,1234",
            f"kommentar-{jc.pk}-personal": "vakanser",
            f"was-{jc.pk}-bidrag_in": "",
            f"prognos-{jc.pk}-bidrag_in": "",  # untouched and empty: not written
        },
    )
    assert response.status_code == 302
    saved = Forecast.objects.get()
    assert (saved.unit, saved.amount, saved.comment) == (jc, Decimal("-23500123.40"), "vakanser")
    page = client.get(url).content.decode()
    assert 'value="-23\u00a0500,1234"' in page
    # the page sent back unchanged writes nothing (no rounding of untouched cells)
    changed_at = saved.changed_at
    client.post(
        url,
        {
            f"was-{jc.pk}-personal": "-23\u00a0500,1234",
            f"prognos-{jc.pk}-personal": "-23\u00a0500,1234",
            f"kommentar-{jc.pk}-personal": "vakanser",
        },
    )
    assert Forecast.objects.get().changed_at == changed_at


@pytest.mark.django_db
def test_forecast_form_refuses_rows_and_characters_it_did_not_offer(setup, client, cast, node):
    """Issue 20: an invisible row (another unit's, or an unknown row code) moved the
    committee's forecast by 12 345 tkr. Now the whole form is refused, nothing is stored,
    and what was typed comes back with the errors."""
    client.force_login(cast["enhetschef"])
    jc, ufv = node("JC"), node("UFV")
    url = f"/ekonomi/{jc.pk}/prognos/2020-D2/"
    d2 = ReportingEvent.objects.get(code="2020-D2")
    before = figures.follow_up(node("AVUN"), d2).total.net.forecast
    for smuggled in (
        {f"prognos-{ufv.pk}-personal": "-12 345"},
        {f"prognos-{jc.pk}-hittepa": "-12 345"},
        {f"karaktar-{jc.pk}-personal": "påhittad"},
    ):
        response = client.post(url, {f"prognos-{jc.pk}-personal": "-23 000", **smuggled})
        assert response.status_code == 400
        assert not Forecast.objects.exists()
        assert 'value="-23 000"' in response.content.decode()
    assert figures.follow_up(node("AVUN"), d2).total.net.forecast == before
    response = client.post(url, {f"prognos-{jc.pk}-personal": "tjugo"})
    assert response.status_code == 400 and "inget belopp" in response.content.decode()
    assert 'value="tjugo"' in response.content.decode() and not Forecast.objects.exists()


@pytest.mark.django_db
def test_last_year_profile_without_last_years_outcome_spreads_evenly(setup, demo_org, node):
    (setup / "ly.csv").write_text(
        HEADER + "2020;DV;personal;-1 200 000;fjol;;;;;;;;;;;;\n", encoding="utf-8"
    )
    ReportingEvent.objects.filter(code="2020-D1").update(status="open")  # not about locks
    services.budget_import(actor=SYSTEM, path=setup / "ly.csv", municipality=demo_org)
    d2 = ReportingEvent.objects.get(code="2020-D2")
    facts = figures.event_facts(node("AVUN"), d2).facts
    assert facts[(node("DV").pk, "personal")].budget_to_date == Decimal("-800000.00")


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
    client.post(f"/ekonomi/{avun.pk}/handelser/2020-D2/godkann/")  # only shows the check
    assert ReportingEvent.objects.get(code="2020-D2").status == "open"
    client.post(f"/ekonomi/{avun.pk}/handelser/2020-D2/godkann/", {"bekrafta": "ja"})
    client.post(f"/ekonomi/{avun.pk}/handelser/2020-D2/skicka/")
    assert ReportingEvent.objects.get(code="2020-D2").status == "sent"
