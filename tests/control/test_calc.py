"""The rules of internal control and the registers, as tables (styra.control.calc)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from styra.control import calc
from styra.control.calc import AGAIN, CLOSED, EXECUTED, NEW


@pytest.mark.parametrize(
    ("s", "k", "value", "level"),
    [
        (1, 1, 1, "låg"),
        (1, 3, 3, "låg"),
        (2, 2, 4, "medel"),
        (3, 2, 6, "medel"),
        (2, 4, 8, "hög"),
        (3, 3, 9, "hög"),
        (3, 4, 12, "mycket hög"),
        (4, 3, 12, "mycket hög"),
        (4, 4, 16, "mycket hög"),
    ],
)
def test_risk_value_is_the_product_and_falls_in_a_band(s, k, value, level):
    assert calc.risk_value(s, k) == value
    assert calc.risk_level(value) == level


@pytest.mark.parametrize("bad", [0, 5, -1, True, "3", 2.0, None])
def test_a_grade_outside_1_to_4_is_refused(bad):
    with pytest.raises(ValueError, match="1–4"):
        calc.risk_value(bad, 2)
    with pytest.raises(ValueError, match="konsekvens"):
        calc.risk_value(2, bad)


@given(st.integers(1, 4), st.integers(1, 4))
def test_risk_value_is_symmetric_and_within_1_16(s, k):
    assert calc.risk_value(s, k) == calc.risk_value(k, s)
    assert 1 <= calc.risk_value(s, k) <= 16


def test_matrix_counts_has_every_cell():
    counts = calc.matrix_counts([(3, 4), (4, 3), (3, 3), (3, 3), (4, 3)])
    assert len(counts) == 16
    assert counts[(3, 3)] == 2 and counts[(4, 3)] == 2 and counts[(3, 4)] == 1
    assert sum(counts.values()) == 5


@pytest.mark.parametrize(
    ("text", "percent", "minimum", "per"),
    [
        ("10 procent av alla externt nyanställda per förvaltning", Decimal(10), None, ""),
        ("stickprov med minst 15 verifikationer per kvartal", None, 15, "kvartal"),
        ("10% av alla nyanställda, minst 3 per år", Decimal(10), 3, "år"),
        ("2,5 % av fakturorna", Decimal("2.5"), None, ""),
        ("Kontroll av att beslut finns", None, None, ""),
    ],
)
def test_sample_rule_numbers_from_the_text(text, percent, minimum, per):
    assert calc.sample_rule_from_text(text) == calc.SampleRule(percent, minimum, per)


@pytest.mark.parametrize(
    ("population", "rule", "size"),
    [
        (47, calc.SampleRule(Decimal(10)), 5),  # rounded up
        (40, calc.SampleRule(Decimal(10)), 4),
        (0, calc.SampleRule(Decimal(10)), 0),
        (120, calc.SampleRule(None, 15), 15),
        (9, calc.SampleRule(None, 15), 9),  # never more than there is
        (300, calc.SampleRule(Decimal(10), 15), 30),
        (100, calc.SampleRule(Decimal(10), 15), 15),
        (10, calc.SampleRule(), None),
    ],
)
def test_sample_size(population, rule, size):
    assert calc.sample_size(population, rule) == size


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("3, 9", (3, 9)),
        ("mars och september", (3, 9)),
        ("Mar sep", (3, 9)),
        ("september", (9,)),
        ("Q2", (6,)),
        ("kvartal 2", (6,)),
        ("kvartalsvis", (3, 6, 9, 12)),
        ("12 1", (1, 12)),
    ],
)
def test_months_are_read_as_people_write_them(text, months):
    assert calc.parse_months(text) == months


@pytest.mark.parametrize("text", ["", "13", "marsch", "kvartal 5", "0"])
def test_months_that_are_not_months_are_refused(text):
    with pytest.raises(ValueError):
        calc.parse_months(text)


def test_months_label():
    assert calc.months_label((3, 9)) == "mars, september"
    assert calc.months_label(tuple(range(1, 13))) == "varje månad"


@pytest.mark.parametrize(
    ("decided", "due"),
    [
        (date(2023, 1, 16), date(2023, 4, 16)),
        (date(2022, 11, 30), date(2023, 2, 28)),  # shorter month: its last day
        (date(2023, 11, 30), date(2024, 2, 29)),  # leap year
        (date(2022, 12, 29), date(2023, 3, 29)),
        (date(2023, 5, 31), date(2023, 8, 31)),
        (date(2023, 3, 31), date(2023, 6, 30)),
    ],
)
def test_three_months_after(decided, due):
    assert calc.three_months_after(decided) == due


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1)))
def test_three_months_is_between_89_and_92_days(day):
    assert 89 <= (calc.three_months_after(day) - day).days <= 92


@pytest.mark.parametrize(
    ("decided", "quarter"),
    [
        (date(2022, 12, 29), (2023, 1)),
        (date(2023, 1, 16), (2023, 2)),
        (date(2023, 3, 31), (2023, 2)),
        (date(2023, 4, 1), (2023, 3)),
    ],
)
def test_first_reportable_quarter(decided, quarter):
    assert calc.first_reportable_quarter(decided) == quarter


D = date(2023, 1, 17)  # three months old 2023-04-17, in Q2 2023


@pytest.mark.parametrize(
    ("year", "q", "executed", "closed", "before", "status"),
    [
        (2023, 1, None, None, False, None),  # not three months old yet
        (2023, 2, None, None, False, NEW),
        (2023, 3, None, None, True, AGAIN),
        (2023, 3, date(2023, 8, 1), None, True, EXECUTED),
        (2023, 4, date(2023, 8, 1), None, True, None),  # finished a quarter earlier
        (2023, 3, None, date(2023, 9, 30), True, CLOSED),
        (2023, 2, date(2023, 4, 10), None, False, None),  # carried out in time
        (2023, 2, date(2023, 5, 2), None, False, EXECUTED),  # late, done in the same quarter
        (2023, 2, None, date(2023, 6, 1), False, CLOSED),
    ],
)
def test_quarter_status(year, q, executed, closed, before, status):
    got = calc.quarter_status(
        decision_date=D,
        year=year,
        quarter=q,
        executed_on=executed,
        closed_on=closed,
        reported_before=before,
    )
    assert got == status


def test_quarter_status_refuses_both_end_states_and_dates_before_the_decision():
    with pytest.raises(ValueError, match="antingen"):
        calc.quarter_status(
            decision_date=D,
            year=2023,
            quarter=2,
            executed_on=date(2023, 5, 1),
            closed_on=date(2023, 5, 1),
            reported_before=False,
        )
    with pytest.raises(ValueError, match="före"):
        calc.quarter_status(
            decision_date=D,
            year=2023,
            quarter=2,
            executed_on=date(2022, 5, 1),
            reported_before=False,
        )


@pytest.mark.parametrize(
    ("previous", "new", "ok"),
    [
        (None, NEW, True),
        (None, EXECUTED, True),
        (None, CLOSED, True),
        (None, AGAIN, False),
        (NEW, AGAIN, True),
        (NEW, EXECUTED, True),
        (NEW, CLOSED, True),
        (NEW, NEW, False),
        (AGAIN, AGAIN, True),
        (AGAIN, EXECUTED, True),
        (AGAIN, NEW, False),
        (EXECUTED, AGAIN, False),
        (EXECUTED, EXECUTED, False),
        (CLOSED, AGAIN, False),
        (CLOSED, NEW, False),
    ],
)
def test_status_transitions(previous, new, ok):
    if ok:
        calc.check_transition(previous, new)
    else:
        with pytest.raises(ValueError):
            calc.check_transition(previous, new)


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2024, 12, 31)),
    st.one_of(st.none(), st.integers(0, 800)),
)
def test_the_statuses_of_consecutive_quarters_follow_the_transitions(decided, after):
    """Walk every quarter from the decision on: each status is allowed after the last."""
    executed = None if after is None else date.fromordinal(decided.toordinal() + after)
    previous = None
    year, q = calc.quarter_of(decided)
    for _ in range(16):
        status = calc.quarter_status(
            decision_date=decided,
            year=year,
            quarter=q,
            executed_on=executed,
            reported_before=previous is not None,
        )
        if status is not None:
            calc.check_transition(previous, status)
            previous = status
        elif previous is not None:
            assert previous in calc.FINAL  # only a finished decision leaves the report
        year, q = (year, q + 1) if q < 4 else (year + 1, 1)


@pytest.mark.parametrize(
    ("deadline", "ext", "today", "done", "text", "overdue"),
    [
        (date(2023, 3, 31), date(2023, 6, 20), date(2023, 6, 13), False, "om 7 dagar", False),
        (date(2023, 3, 31), None, date(2023, 3, 31), False, "sista dag i dag", False),
        (date(2023, 3, 31), None, date(2023, 4, 1), False, "1 dag sen", True),
        (date(2023, 3, 31), None, date(2023, 4, 3), False, "3 dagar sen", True),
        (date(2023, 3, 31), None, date(2023, 4, 3), True, "klart", False),
        (date(2023, 3, 31), None, date(2023, 3, 30), False, "om 1 dag", False),
    ],
)
def test_deadlines(deadline, ext, today, done, text, overdue):
    effective = calc.effective_deadline(deadline, ext)
    assert calc.deadline_text(effective, today, done=done) == text
    assert calc.is_overdue(effective, today, done=done) is overdue


def test_an_extension_before_the_deadline_is_refused():
    with pytest.raises(ValueError, match="anståndet"):
        calc.effective_deadline(date(2023, 3, 31), date(2023, 3, 1))
