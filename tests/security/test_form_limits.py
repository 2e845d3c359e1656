"""The budget grid at Stockholm scale fits in one POST: Django's default of 1 000 fields
refused the grid beyond about 70 units with a 400."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from styra.demo.scale import SPECS, plan_org

pytestmark = pytest.mark.django_db


def test_budget_grid_of_the_largest_stockholm_committee_is_accepted(client, cast, node):
    from styra.ledger.rows import ensure_default_scheme

    avun = node("AVUN")
    ensure_default_scheme(avun.municipality)
    client.force_login(cast["controller"])
    url = reverse("budget_grid", kwargs={"node_id": avun.pk})
    page = client.get(url + "?ar=2020").content.decode()
    names = set(re.findall(r'<input[^>]* name="([^"]+)"', page))
    units = len(set(re.findall(r'name="b-(\d+)-', page)))
    assert units >= 3
    per_unit = len(names) / units
    largest = max(size for _code, _name, size in plan_org(SPECS["stockholm"]).committees)
    fields = round(per_unit * largest) + 50
    assert fields > 5_000  # far beyond Django's default of 1 000
    # As many fields as that grid in one POST: the request is read (not refused with 400 for
    # too many fields). The padding is no budget cell, so the grid ignores it (a cell the page
    # did not offer would be refused by the form itself, which is a different 400).
    data = {f"pad-{i}": "" for i in range(fields)}
    data["ar"] = "2020"
    response = client.post(url, data)
    assert response.status_code == 302
