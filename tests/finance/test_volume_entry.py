"""Volumes entered in the web where the follow-up shows them (issue 14): the unit manager
writes the unit's outcome so far and forecast, the controller the budget; exact decimals,
only the cells the user changed, all or nothing, frozen approvals respected."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from styra.finance.models import VolumeType, VolumeValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def d2(cast, node):
    from styra.calendar.models import ReportingEvent
    from styra.demo import finance as demo_finance
    from styra.demo import ledger as demo_ledger

    demo_ledger.build()
    demo_finance.build()
    return ReportingEvent.objects.get(committee=node("AVUN"), code="2020-D2")


def _url(node, code="JC"):
    return reverse("volumes", kwargs={"node_id": node(code).pk}) + "?handelse=2020-D2"


def _value(code, kind, **kw):
    row = VolumeValue.objects.filter(volume__code=code, kind=kind, **kw).first()
    return row.value if row else None


def _name(code, col):
    return f"vol-{VolumeType.objects.get(code=code).pk}-{col}"


def test_unit_manager_enters_outcome_and_forecast_exactly(client, cast, node, d2):
    client.force_login(cast["enhetschef"])
    page = client.get(_url(node)).content.decode()
    amp_outcome, amp_forecast = _name("amp_platser", "to_date"), _name("amp_platser", "forecast")
    assert f'name="{amp_outcome}" value="392"' in page
    assert f'name="{amp_forecast}"' in page
    assert _name("amp_platser", "budget") not in page  # the budget is the controller's
    assert _name("gyv_platser", "to_date") not in page  # another unit's volume
    response = client.post(
        _url(node),
        {
            amp_outcome: "392,75",
            f"was-{amp_outcome}": "392",
            amp_forecast: "1 410,5",
            f"was-{amp_forecast}": "",
            _name("amp_platser", "budget"): "1",  # not offered: ignored
            f"was-{_name('amp_platser', 'budget')}": "400",
        },
    )
    assert response.status_code == 302
    assert _value("amp_platser", "outcome", year=2020, period=8) == Decimal("392.75")
    assert _value("amp_platser", "forecast", event=d2) == Decimal("1410.5")
    assert _value("amp_platser", "budget", year=2020) == Decimal(400)
    page = client.get(_url(node)).content.decode()
    assert f'name="{amp_outcome}" value="392,75"' in page
    assert f'name="{amp_forecast}" value="1410,5"' in page


def test_only_the_cells_the_user_changed_are_written(client, cast, node, d2):
    client.force_login(cast["enhetschef"])
    amp, ferie = _name("amp_platser", "to_date"), _name("ferie_personer", "to_date")
    client.get(_url(node))
    # Someone else changes Ferie's figure after the page was opened.
    VolumeValue.objects.filter(volume__code="ferie_personer", year=2020, period=8).update(
        value=Decimal(930)
    )
    client.post(_url(node), {amp: "400", f"was-{amp}": "392", ferie: "929", f"was-{ferie}": "929"})
    assert _value("amp_platser", "outcome", year=2020, period=8) == Decimal(400)
    assert _value("ferie_personer", "outcome", year=2020, period=8) == Decimal(930)


def test_bad_input_saves_nothing_and_keeps_what_was_typed(client, cast, node, d2):
    client.force_login(cast["enhetschef"])
    amp, ferie = _name("amp_platser", "to_date"), _name("ferie_personer", "to_date")
    for bad, says in (("12,345", "högst två decimaler"), ("tolv", "inget tal"), ("-3", "negativ")):
        response = client.post(
            _url(node), {amp: "401", f"was-{amp}": "392", ferie: bad, f"was-{ferie}": "929"}
        )
        page = response.content.decode()
        assert response.status_code == 200 and "Inget sparades" in page, bad
        assert says in page, (bad, page[page.index("Inget sparades") :][:400])
        assert f'value="{bad}"' in page and 'value="401"' in page
        assert _value("amp_platser", "outcome", year=2020, period=8) == Decimal(392)
        assert "Traceback" not in page


def test_controller_sets_the_budget_unless_an_approved_event_shows_it(client, cast, node, d2):
    from styra.calendar.models import ReportingEvent

    others = ReportingEvent.objects.filter(committee=node("AVUN"), year=2020).exclude(pk=d2.pk)
    others.update(status="open")
    client.force_login(cast["controller"])
    budget = _name("amp_platser", "budget")
    page = client.get(_url(node, "AVUN")).content.decode()
    assert f'name="{budget}" value="400"' in page
    response = client.post(_url(node, "AVUN"), {budget: "410,25", f"was-{budget}": "400"})
    assert response.status_code == 302
    assert _value("amp_platser", "budget", year=2020) == Decimal("410.25")
    d1 = others.get(code="2020-D1")
    d1.status = "approved"
    d1.save(update_fields=["status"])
    response = client.post(_url(node, "AVUN"), {budget: "420", f"was-{budget}": "410,25"})
    page = response.content.decode()
    assert response.status_code == 200 and "Inget sparades" in page
    assert "godkän" in page.lower()
    assert _value("amp_platser", "budget", year=2020) == Decimal("410.25")


def test_an_approved_event_shows_no_inputs_and_refuses_a_post(client, cast, node, d2):
    d2.status = "approved"
    d2.save(update_fields=["status"])
    client.force_login(cast["enhetschef"])
    page = client.get(_url(node)).content.decode()
    assert "<input" not in page.split("<caption>Volymer</caption>")[1].split("</table>")[0]
    assert "volymerna är låsta" in page
    amp = _name("amp_platser", "to_date")
    assert client.post(_url(node), {amp: "1", f"was-{amp}": "392"}).status_code == 403
    assert _value("amp_platser", "outcome", year=2020, period=8) == Decimal(392)


def test_the_excel_file_keeps_the_figures_of_editable_cells(client, cast, node, d2):
    import io

    from openpyxl import load_workbook

    client.force_login(cast["enhetschef"])
    response = client.get(_url(node) + "&format=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    values = [c.value for row in book.worksheets[0].iter_rows() for c in row]
    assert 392 in values


def test_status_view_shows_the_units_volume_state(client, cast, node, d2):
    import datetime as dt

    from styra.start.status import State, event_status

    def jc():
        rows = event_status(node("AVUN"), d2, dt.date(2020, 9, 1))
        return next(r for r in rows if r.unit.pk == node("JC").pk).volumes

    VolumeValue.objects.filter(kind="forecast").delete()
    assert (jc().state, jc().done, jc().total) == (State.IN_PROGRESS, 0, 2)
    client.force_login(cast["enhetschef"])
    data = {}
    for code in ("amp_platser", "ferie_personer"):
        name = _name(code, "forecast")
        data |= {name: "10", f"was-{name}": ""}
    assert client.post(_url(node), data).status_code == 302
    assert (jc().state, jc().done) == (State.DONE, 2)
    client.force_login(cast["controller"])
    page = client.get(
        reverse("status_view", kwargs={"node_id": node("AVUN").pk}) + "?handelse=2020-D2"
    ).content.decode()
    assert 'data-label="Volymer"' in page and reverse("volumes", args=[node("JC").pk]) in page
