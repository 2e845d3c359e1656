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
    from styra.finance.models import ReportingEvent

    return ReportingEvent.objects.get(committee=node("AVUN"), code="2020-D2")
