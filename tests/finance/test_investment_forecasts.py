"""Investment forecasts per reporting event in the web (finance.investment_forecasts_set
and the investments page): exact kronor from tkr, only the changed cells are written, an
approved event is frozen (the service refuses), only the controller writes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from styra.calendar.models import LockedError, ReportingEvent
from styra.finance import services
from styra.finance.models import InvestmentForecast, InvestmentProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(cast, node, settings):
    from styra.demo import finance as demo_finance
    from styra.demo import ledger as demo_ledger

    settings.STYRA_TODAY = "2020-08-28"
    demo_ledger.build()
    demo_finance.build()
    events = ReportingEvent.objects.filter(committee=node("AVUN"))
    return {"d1": events.get(code="2020-D1"), "d2": events.get(code="2020-D2")}


def _project(number):
    return InvestmentProject.objects.get(committee__code="AVUN", number=number)


def test_only_changed_forecasts_are_written(demo, cast):
    d2 = demo["d2"]
    reception, alhagsvagen = _project("3083"), _project("6115")
    before = InvestmentForecast.history.count()
    written = services.investment_forecasts_set(
        actor=cast["controller"],
        event=d2,
        amounts={reception: Decimal("-250123.45"), alhagsvagen: Decimal("-89000000")},
    )
    assert written == [reception]  # Alhagsvägen's forecast was already −89 000 000
    assert InvestmentForecast.history.count() == before + 1
    assert InvestmentForecast.objects.get(project=reception, event=d2).amount == Decimal(
        "-250123.45"
    )
    assert services.investment_forecasts_set(
        actor=cast["controller"], event=d2, amounts={reception: None}
    ) == [reception]
    assert not InvestmentForecast.objects.filter(project=reception, event=d2).exists()


def test_approved_event_and_other_roles_are_refused(demo, cast):
    reception = _project("3083")
    with pytest.raises(LockedError):
        services.investment_forecasts_set(
            actor=cast["controller"], event=demo["d1"], amounts={reception: Decimal(-1)}
        )
    with pytest.raises(PermissionDenied):
        services.investment_forecasts_set(
            actor=cast["enhetschef"], event=demo["d2"], amounts={reception: Decimal(-1)}
        )
    assert not InvestmentForecast.objects.filter(project=reception, event=demo["d1"]).exists()


def test_page_writes_only_what_the_user_changed(demo, cast, node):
    d2 = demo["d2"]
    client = Client()
    client.force_login(cast["controller"])
    url = f"/ekonomi/{node('AVUN').pk}/investeringar/?handelse=2020-D2"
    page = client.get(url).content.decode()
    reception, alhagsvagen = _project("3083"), _project("6115")
    assert f'name="inv-{reception.pk}"' in page and 'value="-89\xa0000"' in page
    # Someone else changed Alhagsvägen meanwhile; this form still shows −89 000: kept.
    services.investment_forecasts_set(
        actor=cast["controller"], event=d2, amounts={alhagsvagen: Decimal(-90_000_000)}
    )
    response = client.post(
        url,
        {
            f"inv-{reception.pk}": "-250,12345",
            f"was-inv-{reception.pk}": "0",
            f"inv-{alhagsvagen.pk}": "-89 000",
            f"was-inv-{alhagsvagen.pk}": "-89 000",
        },
    )
    assert response.status_code == 302
    forecasts = dict(
        InvestmentForecast.objects.filter(event=d2).values_list("project__number", "amount")
    )
    assert forecasts["3083"] == Decimal("-250123.45")
    assert forecasts["6115"] == Decimal(-90_000_000)
    # bad input: a clear error beside the cell, nothing written, the typed text kept
    response = client.post(
        url,
        {
            f"inv-{reception.pk}": "-1,123456",
            f"was-inv-{reception.pk}": "-250,12345",
            f"inv-{alhagsvagen.pk}": "tre",
            f"was-inv-{alhagsvagen.pk}": "-90 000",
        },
    )
    text = response.content.decode()
    assert response.status_code == 400 and "Inget sparades" in text
    assert 'value="tre"' in text and "fler decimaler än öre" in text
    assert InvestmentForecast.objects.get(project=reception, event=d2).amount == Decimal(
        "-250123.45"
    )


def test_page_of_an_approved_event_has_no_form_and_refuses_a_post(demo, cast, node):
    client = Client()
    client.force_login(cast["controller"])
    url = f"/ekonomi/{node('AVUN').pk}/investeringar/?handelse=2020-D1"
    text = client.get(url).content.decode()
    assert "investeringsprognoserna är låsta" in text and 'name="inv-' not in text
    reception = _project("3083")
    response = client.post(url, {f"inv-{reception.pk}": "-5", f"was-inv-{reception.pk}": ""})
    # the frozen event has no cells; the service refuses the save all the same
    assert response.status_code == 400 and "Inget sparades" in response.content.decode()
    assert not InvestmentForecast.objects.filter(project=reception, event=demo["d1"]).exists()
    # a reader sees the figures, not the form, and may not post
    reader = Client()
    reader.force_login(cast["ledamot"])
    assert 'name="inv-' not in reader.get(url.replace("D1", "D2")).content.decode()
    assert reader.post(url.replace("D1", "D2"), {}).status_code == 403
