"""Exact money: öre, display rounding with exact totals, allocation (DOMAIN §5, §6)."""

from decimal import Decimal as D
from decimal import localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from styra.lib.money import (
    UNIT_DECIMALS,
    allocate,
    display_column,
    display_rounded,
    exact_sum,
    from_ore,
    in_unit,
    kr_to_mnkr,
    kr_to_tkr,
    rounding_tolerance,
    to_ore,
)
from styra.lib.numbers import round_half_up

UNITS = ("kr", "tkr", "mnkr")

# ---------------------------------------------------------------------- kronor and öre


@pytest.mark.parametrize(
    ("kronor", "ore"),
    [
        (D("-1234.50"), -123450),
        (D("0.01"), 1),
        (D("-0.01"), -1),
        (D("12"), 1200),
        (D("12.5"), 1250),
        (7, 700),
        (D("0"), 0),
        (D("99999999999999999999999999999.99"), 9999999999999999999999999999999),
    ],
)
def test_to_ore_converts_kronor_exactly(kronor, ore):
    assert to_ore(kronor) == ore
    assert isinstance(to_ore(kronor), int)


def test_to_ore_refuses_fractions_of_an_ore_unless_asked_to_round():
    with pytest.raises(ValueError, match="helt antal öre"):
        to_ore(D("1.005"))
    assert to_ore(D("1.005"), rounding=True) == 101
    assert to_ore(D("-1.005"), rounding=True) == -101
    assert to_ore(D("1.004"), rounding=True) == 100


@pytest.mark.parametrize("value", [1.5, "1", None, D("NaN")])
def test_to_ore_refuses_float_and_non_amounts(value):
    with pytest.raises((TypeError, ValueError)):
        to_ore(value)


@pytest.mark.parametrize(
    ("ore", "text"), [(-123450, "-1234.50"), (5, "0.05"), (0, "0.00"), (100, "1.00")]
)
def test_from_ore_gives_kronor_with_two_decimals(ore, text):
    assert str(from_ore(ore)) == text


@pytest.mark.parametrize("value", [1.0, D(1), True, "100"])
def test_from_ore_takes_only_integers(value):
    with pytest.raises(TypeError, match="heltal"):
        from_ore(value)


@given(st.integers(min_value=-(10**40), max_value=10**40))
def test_ore_round_trip(ore):
    assert to_ore(from_ore(ore)) == ore


def test_kr_to_tkr_and_mnkr_are_exact():
    assert kr_to_tkr(D("1234.5")) == D("1.2345")
    assert kr_to_tkr(D("-20476123.40")) == D("-20476.12340")
    assert kr_to_mnkr(13490000) == D("13.49")
    assert kr_to_mnkr(D("0.01")) == D("0.00000001")
    assert in_unit(D("152080.40"), "kr") == D("152080.40")
    assert in_unit(D("152080.40"), "tkr") == D("152.08040")
    assert in_unit(D("152080.40"), "mnkr") == D("0.15208040")


def test_kr_to_tkr_keeps_more_than_28_digits():
    kronor = D("123456789012345678901234567890.12")
    assert kr_to_tkr(kronor) == D("123456789012345678901234567.89012")


def test_unknown_unit_is_refused_in_swedish():
    with pytest.raises(ValueError, match="okänd enhet 'mkr'"):
        display_rounded(D(1), "mkr")
    with pytest.raises(ValueError, match="okänd enhet"):
        display_column([D(1)], "öre")
    with pytest.raises(ValueError, match="okänd enhet"):
        rounding_tolerance(2, "SEK")


# ------------------------------------------------------------------ display rounding


@pytest.mark.parametrize(
    ("kronor", "unit", "shown"),
    [
        (D("-20476123.40"), "tkr", D("-20476")),
        (D("1500"), "tkr", D("2")),
        (D("-1500"), "tkr", D("-2")),
        (D("2500"), "tkr", D("3")),  # half up, not half even
        (D("499.99"), "tkr", D("0")),
        (13490000, "mnkr", D("13.5")),
        (D("-4450000"), "mnkr", D("-4.5")),
        (D("4449999.99"), "mnkr", D("4.4")),
        (D("152080.5"), "kr", D("152081")),
        (D("-152080.5"), "kr", D("-152081")),
        (None, "tkr", None),
    ],
)
def test_display_rounded_rounds_half_up_in_the_unit(kronor, unit, shown):
    result = display_rounded(kronor, unit)
    assert result == shown
    if shown is not None:
        assert -result.as_tuple().exponent == UNIT_DECIMALS[unit]


def test_display_rounded_never_gives_negative_zero():
    result = display_rounded(D("-400"), "tkr")
    assert result == 0
    assert not result.is_signed()


def test_display_column_total_is_rounded_exact_total_not_sum_of_rounded_parts():
    parts = [D("1400"), D("1400"), D("1400")]  # 1,4 tkr each
    shown, total = display_column(parts, "tkr")
    assert shown == [D(1), D(1), D(1)]
    assert total == D(4)  # 4,2 tkr, not 1 + 1 + 1


def test_display_column_keeps_missing_parts_in_place_and_excludes_them_from_total():
    shown, total = display_column([D("400"), None, D("700"), D("400")], "tkr")
    assert shown == [D(0), None, D(1), D(0)]
    assert total == D(2)  # 1,5 tkr rounds half up


def test_display_column_of_nothing_is_zero():
    assert display_column([], "mnkr") == ([], D("0.0"))
    assert display_column([None, None], "tkr") == ([None, None], D(0))


def test_display_column_in_mnkr_agrees_with_tkr_from_the_same_exact_figures():
    units = [D("-22876000"), D("-19986499.50"), D("-164770123"), D("51522499.99")]
    _, total_tkr = display_column(units, "tkr")
    _, total_mnkr = display_column(units, "mnkr")
    exact = sum(units)
    assert total_tkr == round_half_up(exact / 1000)
    assert total_mnkr == round_half_up(exact / 1000000, 1)


@pytest.mark.parametrize(
    ("n", "unit", "tolerance"),
    [
        (2, "tkr", D("1")),
        (3, "tkr", D("1.5")),
        (1, "kr", D("0.5")),
        (2, "mnkr", D("0.1")),
        (10, "mnkr", D("0.5")),
        (0, "tkr", D("0")),
    ],
)
def test_rounding_tolerance_is_n_halves_of_the_last_digit(n, unit, tolerance):
    assert rounding_tolerance(n, unit) == tolerance


def test_rounding_tolerance_is_reached_for_an_even_number_of_halves():
    parts = [D("500")] * 4  # 0,5 tkr each: each shown as 1
    shown, total = display_column(parts, "tkr")
    assert sum(shown) - total == D(2) == rounding_tolerance(4, "tkr")


def test_rounding_tolerance_flags_the_reference_total_that_does_not_add_up():
    # DOMAIN §12: units sum to -164 770, the total says -164 689.
    assert abs(D(-164770) - D(-164689)) > rounding_tolerance(8, "tkr")


def test_rounding_tolerance_refuses_negative_or_non_integer_counts():
    with pytest.raises(ValueError, match="negativt"):
        rounding_tolerance(-1, "tkr")
    with pytest.raises(TypeError, match="heltal"):
        rounding_tolerance(2.0, "tkr")


def test_exact_sum_does_not_round_to_28_digits():
    values = [D("1E+30"), D("0.01"), D("-1E+30")]
    assert sum(values) == 0  # what plain sum() does with Decimal's default context
    assert exact_sum(values) == D("0.01")
    assert exact_sum([]) == 0


kronor_amounts = st.decimals(
    min_value=D("-1e12"), max_value=D("1e12"), places=2, allow_nan=False, allow_infinity=False
)


@given(st.lists(st.one_of(st.none(), kronor_amounts), max_size=30), st.sampled_from(UNITS))
def test_display_column_total_equals_rounded_exact_sum(parts, unit):
    shown, total = display_column(parts, unit)
    present = [p for p in parts if p is not None]
    with localcontext() as ctx:
        ctx.prec = 100
        exact = sum(present, D(0))
        expected = round_half_up(
            exact.scaleb(-{"kr": 0, "tkr": 3, "mnkr": 6}[unit]), UNIT_DECIMALS[unit]
        )
        assert total == expected
        assert [s is None for s in shown] == [p is None for p in parts]
        difference = abs(sum((s for s in shown if s is not None), D(0)) - total)
    assert difference <= rounding_tolerance(len(present), unit)


# ----------------------------------------------------------------------------- allocate


@pytest.mark.parametrize(
    ("total", "weights", "parts"),
    [
        (100, [1] * 12, [9, 9, 9, 9, 8, 8, 8, 8, 8, 8, 8, 8]),
        (-100, [1] * 12, [-9, -9, -9, -9, -8, -8, -8, -8, -8, -8, -8, -8]),
        (7, [1, 0, 2], [2, 0, 5]),  # 2,33 / 0 / 4,67: the larger remainder gets the öre
        (10, [0, 0, 0], [4, 3, 3]),  # all-zero weights: even split
        (0, [3, 1], [0, 0]),
        (1, [D("0.5"), D("0.5")], [1, 0]),  # tie: the earlier part first
        (100, [D("0.1"), D("0.2"), D("0.7")], [10, 20, 70]),
        (10, [3, -1], [15, -5]),  # negative weights (an outcome-pattern profile)
        (5, [7], [5]),
    ],
)
def test_allocate_splits_by_largest_remainder(total, weights, parts):
    assert allocate(total, weights) == parts
    assert sum(parts) == total


def test_allocate_by_calendar_days_sums_to_the_year():
    days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]  # 2020
    year_ore = -62854000000  # -628 540 tkr
    months = allocate(year_ore, days)
    assert sum(months) == year_ore
    assert abs(months[1] - Fraction(year_ore * 29, 366)) < 1
    assert abs(months[1]) < abs(months[3]) < abs(months[0])  # 29 < 30 < 31 days


def test_allocate_refuses_impossible_splits():
    with pytest.raises(ValueError, match="inga delar"):
        allocate(100, [])
    with pytest.raises(ValueError, match="summerar till noll"):
        allocate(100, [1, -1])
    with pytest.raises(TypeError):
        allocate(100, [0.5, 0.5])
    with pytest.raises(TypeError, match="heltal"):
        allocate(D("100"), [1, 1])


weights_lists = st.lists(
    st.one_of(
        st.integers(min_value=0, max_value=10**6),
        st.decimals(min_value=0, max_value=1000, places=3),
    ),
    min_size=1,
    max_size=13,
)


@given(st.integers(min_value=-(10**14), max_value=10**14), weights_lists)
def test_allocate_sums_exactly_and_each_part_is_within_one_ore_of_its_share(total, weights):
    parts = allocate(total, weights)
    assert sum(parts) == total
    assert len(parts) == len(weights)
    fractions = [Fraction(w) for w in weights]
    if not any(fractions):
        fractions = [Fraction(1)] * len(weights)
    weight_sum = sum(fractions)
    for part, w in zip(parts, fractions, strict=True):
        assert abs(part - Fraction(total) * w / weight_sum) < 1


@given(st.integers(min_value=-(10**12), max_value=10**12), weights_lists)
def test_allocate_of_negative_total_mirrors_the_positive(total, weights):
    assert allocate(-total, weights) == [-p for p in allocate(total, weights)]


@given(
    st.integers(min_value=-(10**9), max_value=10**9),
    st.lists(st.integers(min_value=-100, max_value=100), min_size=1, max_size=12).filter(
        lambda ws: sum(ws) != 0
    ),
)
def test_allocate_with_mixed_sign_weights_still_sums_exactly(total, weights):
    parts = allocate(total, weights)
    assert sum(parts) == total
    for part, w in zip(parts, weights, strict=True):
        assert abs(part - Fraction(total * w, sum(weights))) < 1


@given(
    st.lists(st.integers(min_value=-40, max_value=40).map(lambda k: D(k * 500)), max_size=15),
    st.lists(kronor_amounts, max_size=3),
)
def test_rounding_tolerance_holds_when_parts_sit_exactly_on_halves(halves, others):
    parts = halves + others  # multiples of 0,5 tkr: the worst case for rounding
    shown, total = display_column(parts, "tkr")
    assert abs(sum(shown, D(0)) - total) <= rounding_tolerance(len(parts), "tkr")
