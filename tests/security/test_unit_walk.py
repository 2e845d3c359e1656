"""Unit roles see only their own subtree, on every page: the enhetschef of Jobbcenter opens
every address of the site with Jobbcenter's (and the samples') ids, on a committee with
ledger, budget, forecasts, goals and report texts for every unit, and no page names another
unit of the committee. The walk covers pages added later without a new test."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from styra.web.access import PUBLIC
from tests.reports import dataset
from tests.walk import all_patterns, collect_samples

pytestmark = pytest.mark.django_db

# A committee goal names the unit responsible for it (the committee's adopted plan, public):
# that line is not another unit's data and is left out of the search.
RESPONSIBLE = re.compile(r"Ansvarig: [^<]*</small>")
OTHER_UNITS = ("Daglig verksamhet", "Utbildning för vuxna", "Förvaltningskontoret")
# Query strings the pages take, so that event-dependent parts show data.
QUERIES = ("", "?handelse=2020-D2", "?ar=2020")


@pytest.fixture
def committee_data(demo_org, tmp_path):
    dataset.build(demo_org, tmp_path)
    return demo_org


def _pages(client, samples):
    for pattern in all_patterns():
        if pattern.callback.styra_access == PUBLIC:  # the public's pages: the same for all
            continue
        kwargs = {p: samples[p][1] for p in pattern.pattern.converters}
        url = reverse(pattern.name, kwargs=kwargs)
        for query in QUERIES:
            response = client.get(url + query)
            if response.status_code == 200 and response["Content-Type"].startswith(
                ("text/html", "application/json")
            ):
                html = response.content.decode("utf-8", "replace")
                yield url + query, RESPONSIBLE.sub("", html)


def test_a_unit_role_never_sees_another_units_name(client, cast, node, committee_data):
    samples = collect_samples(node)
    client.force_login(cast["controller"])
    # The data is there: the controller sees the other units on the committee's pages.
    seen_by_controller = {
        name for _url, html in _pages(client, samples) for name in OTHER_UNITS if name in html
    }
    assert seen_by_controller == set(OTHER_UNITS)
    client.force_login(cast["enhetschef"])
    leaks = [
        f"{url}: …{html[max(0, html.index(name) - 120) : html.index(name) + 40]}…"
        for url, html in _pages(client, samples)
        for name in OTHER_UNITS
        if name in html
    ]
    assert leaks == [], "\n".join(leaks)
