"""Schemathesis drives every operation of the read API with data generated from its own
OpenAPI schema and finds no server error and no response outside the schema.

The operations are run one by one from the test (schemathesis' own pytest integration does
not work with this pytest yet); each runs Hypothesis with the operation's case strategy."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


def test_every_operation_against_the_schema(api_world, node):
    # Calls go straight to the WSGI application, as the test client's do: keep the test's
    # database connection open between them (the client disconnects the same signals).
    from django.core import signals
    from django.db import close_old_connections

    from styra.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        _run(application, api_world, node)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _run(application, api_world, node):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    headers = {"Authorization": f"Bearer {api_world['controller']}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    # First the demo's own objects, so that full answers are checked, not only 404s.
    real = {"node_id": node("JC").pk, "committee_id": node("AVUN").pk, "code": "2020-D2",
            "year": 2020}  # fmt: skip
    for operation in operations:
        names = [p.name for p in operation.path_parameters]
        case = operation.Case(path_parameters={n: real[n] for n in names})
        response = case.call(headers=headers)
        assert response.status_code in (200, 404), (operation.label, response.status_code)
        case.validate_response(response, checks=CHECKS)
    for operation in operations:

        @given(operation.as_strategy())
        @settings(
            max_examples=30,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()
