"""Fiscal periods, period 13 and reporting-event codes (DOMAIN §3)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from styra.lib.periods import (
    MONTHS_LONG,
    MONTHS_SHORT,
    Period,
    PeriodRange,
    days_in_month,
    days_in_year,
    month_end,
    month_long,
    month_short,
)

# ------------------------------------------------------------------------------ months


def test_swedish_short_and_long_month_names():
    assert MONTHS_SHORT == (
        "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
    )  # fmt: skip
    assert MONTHS_LONG[0] == "januari"
    assert MONTHS_LONG[2] == "mars"
    assert MONTHS_LONG[5] == "juni"
    assert MONTHS_LONG[11] == "december"
    assert month_short(5) == "maj"
    assert month_long(8) == "augusti"


@pytest.mark.parametrize("month", [0, 13, -1])
def test_month_outside_1_to_12_is_refused(month):
    with pytest.raises(ValueError, match="finns inte"):
        month_short(month)
    with pytest.raises(ValueError, match="finns inte"):
        days_in_month(2020, month)


@pytest.mark.parametrize(
    ("year", "month", "days"),
    [(2020, 2, 29), (2019, 2, 28), (1900, 2, 28), (2000, 2, 29), (2020, 4, 30), (2020, 12, 31)],
)
def test_days_in_month_counts_leap_years(year, month, days):
    assert days_in_month(year, month) == days


def test_days_in_year_and_month_end():
    assert days_in_year(2020) == 366
    assert days_in_year(2021) == 365
    assert month_end(2020, 4) == date(2020, 4, 30)
    assert month_end(2020, 2) == date(2020, 2, 29)
    assert month_end(2019, 12) == date(2019, 12, 31)
    assert sum(days_in_month(2024, m) for m in range(1, 13)) == days_in_year(2024)


@pytest.mark.parametrize("year", [999, 10000, 20])
def test_years_must_have_four_digits(year):
    with pytest.raises(ValueError, match="fyra siffror"):
        days_in_year(year)


@pytest.mark.parametrize("year", ["2020", 2020.0, True])
def test_years_must_be_integers(year):
    with pytest.raises(TypeError, match="heltal"):
        Period(year, 1)


# ----------------------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("period", "label"),
    [
        (Period(2020, 1), "jan 2020"),
        (Period(2020, 8), "aug 2020"),
        (Period(2020, 3), "mar 2020"),
        (Period(2019, 12), "dec 2019"),
        (Period(2019, 13), "Mån 13 2019"),
    ],
)
def test_period_label_in_swedish(period, label):
    assert period.label == label


@pytest.mark.parametrize("number", [0, 14, -1])
def test_period_number_must_be_1_to_13(number):
    with pytest.raises(ValueError, match="finns inte"):
        Period(2020, number)


def test_period_13_is_the_closing_period_of_december():
    closing = Period(2019, 13)
    assert closing.is_closing
    assert not Period(2019, 12).is_closing
    assert closing.month == 12
    assert closing.end_date == date(2019, 12, 31)
    assert Period(2020, 2).end_date == date(2020, 2, 29)


def test_periods_order_by_year_then_number_with_13_after_december():
    periods = [Period(2020, 1), Period(2019, 13), Period(2019, 12), Period(2019, 1)]
    assert sorted(periods) == [Period(2019, 1), Period(2019, 12), Period(2019, 13), Period(2020, 1)]
    assert Period(2019, 13) < Period(2020, 1)


def test_period_next_and_previous_pass_through_period_13():
    assert Period(2019, 12).next() == Period(2019, 13)
    assert Period(2019, 13).next() == Period(2020, 1)
    assert Period(2020, 1).previous() == Period(2019, 13)
    assert Period(2020, 5).previous() == Period(2020, 4)


@given(st.integers(min_value=1001, max_value=9998), st.integers(min_value=1, max_value=13))
def test_period_next_is_the_smallest_later_period(year, number):
    period = Period(year, number)
    assert period < period.next()
    assert period.next().previous() == period
    assert Period.parse(str(period)) == period


def test_period_is_frozen_and_hashable():
    period = Period(2020, 8)
    with pytest.raises(AttributeError):
        period.number = 9
    assert len({Period(2020, 8), Period(2020, 8), Period(2020, 9)}) == 2


def test_period_parse_and_str():
    assert Period.parse("2020-08") == Period(2020, 8)
    assert Period.parse(" 2019-13 ") == Period(2019, 13)
    assert str(Period(2020, 8)) == "2020-08"
    with pytest.raises(ValueError, match="ingen period"):
        Period.parse("aug 2020")
    with pytest.raises(ValueError, match="finns inte"):
        Period.parse("2020-14")


# ------------------------------------------------------------------------ period ranges


@pytest.mark.parametrize(
    ("first", "last", "label"),
    [
        (1, 8, "jan–aug"),
        (1, 4, "jan–apr"),
        (1, 12, "jan–dec"),
        (1, 13, "jan–dec"),
        (9, 12, "sep–dec"),
        (5, 8, "maj–aug"),
        (8, 8, "aug"),
        (12, 13, "dec"),
        (13, 13, "Mån 13"),
    ],
)
def test_months_label_uses_en_dash(first, last, label):
    assert PeriodRange(2020, first, last).months_label == label


def test_full_year_including_period_13_knows_it_includes_closing():
    full = PeriodRange.full_year(2019)
    assert full == PeriodRange(2019, 1, 13)
    assert full.includes_closing
    assert full.months_label == "jan–dec"
    assert full.months_label_with_closing == "jan–Mån 13"
    assert not PeriodRange(2019, 1, 12).includes_closing
    assert PeriodRange(2019, 1, 12).months_label_with_closing == "jan–dec"
    assert PeriodRange(2019, 13, 13).months_label_with_closing == "Mån 13"


def test_range_label_and_periods():
    ytd = PeriodRange.year_to_date(2020, 8)
    assert ytd.label == "jan–aug 2020"
    assert len(ytd) == 8
    assert ytd.periods() == [Period(2020, n) for n in range(1, 9)]


def test_range_contains_only_its_own_periods_of_its_year():
    ytd = PeriodRange(2020, 1, 8)
    assert ytd.contains(Period(2020, 1))
    assert ytd.contains(Period(2020, 8))
    assert not ytd.contains(Period(2020, 9))
    assert not ytd.contains(Period(2019, 5))
    assert not ytd.contains(Period(2020, 13))
    assert Period(2020, 13) in PeriodRange.full_year(2020)
    assert "2020-05" not in ytd


@pytest.mark.parametrize(("first", "last"), [(0, 8), (5, 4), (1, 14), (14, 14)])
def test_range_must_be_ordered_within_1_to_13(first, last):
    with pytest.raises(ValueError, match="ogiltigt"):
        PeriodRange(2020, first, last)
