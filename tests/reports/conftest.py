"""Fixtures for report tests: a small self-made data set on the demo organisation."""

from __future__ import annotations

import pytest

from . import dataset


@pytest.fixture
def report_data(demo_org, tmp_path):
    dataset.build(demo_org, tmp_path)
    return demo_org


@pytest.fixture
def d2(report_data, node):
    from styra.calendar.models import ReportingEvent

    return ReportingEvent.objects.get(committee=node("AVUN"), code="2020-D2")


@pytest.fixture(scope="module")
def d2_report(django_db_setup, django_db_blocker, tmp_path_factory):
    """The delårsrapport 2 2020 of the small data set, built once per module inside a
    transaction that is rolled back: for tests that only read the report (a Report is plain
    data), so the organisation and the data set are not loaded again for every test. The
    module's tests must carry the django_db mark: pytest-django sets up the test database only
    for the databases the collected tests ask for."""
    from django.db import transaction

    from styra.calendar.models import ReportingEvent
    from styra.demo.builder import DATA_DIR
    from styra.org.access import system_actor
    from styra.org.models import OrgNode
    from styra.org.services import org_load
    from styra.reports.builders import build_report

    with django_db_blocker.unblock(), transaction.atomic():
        loaded = org_load(actor=system_actor("test"), path=DATA_DIR / "org.yaml")
        dataset.build(loaded.municipality, tmp_path_factory.mktemp("d2"))
        committee = OrgNode.objects.get(municipality=loaded.municipality, code="AVUN")
        event = ReportingEvent.objects.get(committee=committee, code="2020-D2")
        report = build_report(committee, event)
        transaction.set_rollback(True)
    return report
