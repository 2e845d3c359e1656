"""Issue 13: the number of queries of every figures page is bounded and the same on a small
and a four times larger generated municipality (units and ledger rows; same committees)."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from styra.calendar.models import ReportingEvent
from styra.demo.scale import SPECS, build_scale
from styra.finance.models import ForecastReady
from styra.org.models import OrgNode, RoleGrant

EVENT = "2020-D2"
# The most queries any of these pages may make, whatever the data's size.
BOUNDS = {
    "uppföljning": 60,
    "uppföljning, enhetsnivå": 60,
    "kommunöversikt": 60,
    "startsida": 80,
    "prognosformulär": 60,
    "delårsrapport (data)": 150,
}


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def _measure(name: str, folder) -> tuple[dict[str, int], int]:
    from styra.reports.builders import build_report

    build_scale(name, folder=folder)
    # The bulk build keeps the stored aggregates too (styra figures verify: exit 0).
    call_command("figures", "verify", stdout=io.StringIO())
    committee = OrgNode.objects.get(municipality__org_number=SPECS[name].org_number, code="UBN")
    event = ReportingEvent.objects.get(committee=committee, code=EVENT)
    users = get_user_model().objects
    controller, manager = Client(), Client()
    controller.force_login(users.get(username="skala-controller"))
    grant = (
        RoleGrant.objects.filter(user__username="skala-chef01", role="editor")
        .select_related("user", "node")
        .get()
    )
    ForecastReady.objects.filter(event=event, unit=grant.node).delete()
    manager.force_login(grant.user)

    def get(client, url):
        def fn():
            response = client.get(url)
            assert response.status_code == 200, url

        return fn

    grid = f"/ekonomi/{committee.pk}/uppfoljning/?handelse={EVENT}"
    pages = {
        "uppföljning": get(controller, grid),
        "uppföljning, enhetsnivå": get(controller, grid + "&niva=detalj"),
        "kommunöversikt": get(controller, "/ekonomi/oversikt/"),
        "startsida": get(manager, "/"),
        "prognosformulär": get(manager, f"/ekonomi/{grant.node.pk}/prognos/{EVENT}/"),
        "delårsrapport (data)": lambda: build_report(committee, event),
    }
    counts = {}
    for page, fn in pages.items():
        fn()  # warm-up: sessions, caches
        counts[page] = _count(fn)
    units = OrgNode.objects.filter(municipality=committee.municipality).count()
    return counts, units


@pytest.mark.django_db
def test_page_queries_do_not_grow_with_the_data(tmp_path):
    sizes = {}
    for name in ("test", "test-stor"):
        # Each municipality is built, measured and rolled back: the same names, twice.
        with transaction.atomic():
            sizes[name] = _measure(name, tmp_path / name)
            transaction.set_rollback(True)
    (small, small_nodes), (large, large_nodes) = sizes["test"], sizes["test-stor"]
    assert large_nodes > 3 * small_nodes
    for page, bound in BOUNDS.items():
        assert small[page] <= bound, (page, small[page])
        assert large[page] == small[page], (page, small[page], large[page])
