"""The plan page: the matrix and its table say the same; who sees which doors."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from styra.control import selectors
from styra.control.models import Control

pytestmark = pytest.mark.django_db


def _user(name):
    return get_user_model().objects.get(username=name)


def test_matrix_table_and_svg_place_every_risk_in_its_cell(client, sn_plan):
    client.force_login(_user("sn-controller"))
    html = client.get(reverse("control_plan", args=[sn_plan.committee_id, 2023])).content.decode()
    # the demo: S3 K4 risk 1; S4 K3 risks 2 and 7; S3 K3 risks 3–6
    table = re.search(r'<table id="matris-tabell">.*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)
    cells = {label: re.findall(r"<td>(.*?) <span", body) for label, body in rows}
    assert cells["4 Sannolik"] == ["–", "–", "2, 7", "–"]
    assert cells["3 Möjlig"] == ["–", "–", "3, 4, 5, 6", "1"]
    assert cells["1 Osannolik"] == ["–"] * 4
    assert "risk 2, 7 i sannolikhet 4 och konsekvens 3 (riskvärde 12)" in html  # the <desc>
    values = re.findall(r'<td class="num risk-value">(\d+)</td>', html)
    assert values == ["12", "12", "9", "9", "9", "9", "12"]


def test_other_committees_controller_is_refused_and_reader_sees_no_form(client, sn_plan):
    client.force_login(_user("controller"))  # AVUN's controller
    assert client.get(reverse("control_plan", args=[sn_plan.committee_id, 2023])).status_code == 403
    control = Control.objects.filter(risk__plan=sn_plan).first()
    url = reverse("control_result", args=[control.pk])
    assert client.get(url).status_code == 403
    client.force_login(_user("sn-sekreterare"))  # reads SN, may not enter results
    html = client.get(url).content.decode()
    assert "Spara resultatet" not in html
    response = client.post(
        url, {"r-performed_on": "2023-03-01", "r-checked": "x", "r-assessment": "ok"}
    )
    assert response.status_code == 403


def test_start_card_lists_only_the_persons_own_open_actions(sn_plan):
    import datetime as dt

    card = selectors.start_card(_user("sn-controller"), dt.date(2023, 7, 1))
    assert card is not None
    assert any("2023-10-31" in line for line in card["lines"])
    assert selectors.start_card(_user("sn-sekreterare"), dt.date(2023, 7, 1)) is None
    assert selectors.start_card(_user("controller"), dt.date(2023, 7, 1)) is None
