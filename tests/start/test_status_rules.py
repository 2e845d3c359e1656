"""The work-state rule of the status view and the readable bar chart (pure, no database)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import Decimal

import pytest

from styra.lib.svgchart import Series, hbar_chart
from styra.start.status import State, work_state

D = dt.date(2020, 9, 1)


@pytest.mark.parametrize(
    ("done", "started", "total", "today", "state", "late"),
    [
        (0, 0, 1, dt.date(2020, 8, 31), State.NOT_STARTED, False),
        (0, 0, 1, dt.date(2020, 9, 1), State.NOT_STARTED, False),  # the deadline day itself
        (0, 0, 1, dt.date(2020, 9, 2), State.NOT_STARTED, True),
        (0, 1, 1, dt.date(2020, 9, 2), State.IN_PROGRESS, True),
        (1, 0, 3, dt.date(2020, 8, 1), State.IN_PROGRESS, False),  # klar parts count as started
        (3, 3, 3, dt.date(2021, 1, 1), State.DONE, False),  # klar is never late
    ],
)
def test_work_state(done, started, total, today, state, late):
    work = work_state(done=done, started=started, total=total, deadline=D, today=today)
    assert (work.state, work.late) == (state, late)


def test_no_parts_is_nothing_to_do_and_no_deadline_is_never_late():
    assert work_state(done=0, started=0, total=0, deadline=D, today=D) is None
    work = work_state(done=0, started=0, total=2, deadline=None, today=dt.date(2030, 1, 1))
    assert not work.late and work.label == "Ej påbörjad (0 av 2)"


def test_impossible_counts_are_refused():
    with pytest.raises(ValueError):
        work_state(done=3, started=3, total=2, deadline=None, today=D)


def test_horizontal_bars_give_every_label_its_own_line():
    labels = [f"Verksamhet med ett långt namn nummer {i}" for i in range(9)]
    svg = hbar_chart(
        "Budget och prognos",
        "Beskrivning",
        labels,
        [Series("Budget", [Decimal(-1000 * i) for i in range(9)]), Series("Prognos", [None] * 9)],
    )
    ys = [
        float(m.group(1))
        for m in re.finditer(r'<text x="[\d.]+" y="([\d.]+)" text-anchor="end" font-size="12"', svg)
    ]
    assert len(ys) == 9 and all(label in svg for label in labels)  # never cut short
    assert min(b - a for a, b in itertools.pairwise(ys)) >= 14  # no two collide
