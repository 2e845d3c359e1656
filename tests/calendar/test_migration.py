"""An existing database keeps its reporting events when they move from finance to the
calendar app (`styra migrate`): the rows, their history and every reference stay.

The suite's test database is made from the models (pytest --nomigrations, in pyproject), so
this test empties it and runs the real migrations from the start; at the end the schema is
the migrations' leaf, which `makemigrations --check` (make lint) keeps equal to the models.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("org", "0001_initial"),
    ("finance", "0004_remove_historicalvolumetype_ratio_label_and_more"),
    ("goals", "0001_initial"),
    ("reports", "0001_initial"),
    ("meetings", "0001_initial"),
]


@pytest.fixture
def empty_database(transactional_db, settings):
    """No tables at all, and the project's real migrations switched on."""
    settings.MIGRATION_MODULES = {}
    cascade = " CASCADE" if connection.vendor == "postgresql" else ""
    with connection.schema_editor() as editor:
        for table in connection.introspection.table_names():
            editor.execute(f"DROP TABLE {editor.quote_name(table)}{cascade}")
    yield
    executor = MigrationExecutor(connection)  # whatever happened: the full schema again
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_events_forecasts_and_meeting_links_survive_the_move(empty_database):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    muni = old.get_model("org", "Municipality").objects.create(name="K", org_number="212000-2882")
    node = old.get_model("org", "OrgNode")
    committee = node.objects.create(municipality=muni, kind="committee", code="N", name="N")
    unit = node.objects.create(municipality=muni, kind="unit", code="U", name="U", parent=committee)
    event = old.get_model("finance", "ReportingEvent").objects.create(
        committee=committee,
        year=2020,
        code="2020-D1",
        name="D1",
        cutoff_period=4,
        status="approved",
    )
    old.get_model("finance", "Forecast").objects.create(
        event=event, unit=unit, row_code="personal", amount=-5
    )
    meeting = old.get_model("meetings", "Meeting").objects.create(
        committee=committee, start="2020-06-11T18:00:00Z"
    )
    meeting.reporting_events.add(event)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    moved = new.get_model("calendar", "ReportingEvent").objects.get()
    assert (moved.pk, moved.code, moved.status, moved.meeting_date) == (
        event.pk,
        "2020-D1",
        "approved",
        None,
    )
    assert new.get_model("finance", "Forecast").objects.get().event_id == moved.pk
    assert list(
        new.get_model("meetings", "Meeting")
        .objects.get()
        .reporting_events.values_list("code", flat=True)
    ) == ["2020-D1"]
    assert "calendar_reportingevent" in connection.introspection.table_names()
    assert "finance_reportingevent" not in connection.introspection.table_names()
