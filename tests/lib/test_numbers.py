"""Swedish number parsing and formatting (DOMAIN §14)."""

from decimal import Decimal as D
from decimal import localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from styra.lib.numbers import (
    MINUS,
    NBSP,
    NumberFormatError,
    ParsedNumber,
    format_kronor,
    format_mnkr,
    format_number,
    format_percent,
    format_tkr,
    looks_like_number,
    parse_number,
    parse_quantity,
    round_half_up,
)

NNBSP = "\u202f"  # narrow no-break space (PDF extraction)
THIN = "\u2009"
EN_DASH = "\u2013"
MINUS_SIGN = "\u2212"

# ----------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- 306 578", D("-306578")),  # minus, space, then the number (PDF tables)
        (f"{MINUS_SIGN}306 578", D("-306578")),  # U+2212
        ("-306578", D("-306578")),
        ("306 578", D("306578")),
        ("13.687", D("13.687")),  # decimal point by mistake = 13,687
        ("1,3", D("1.3")),
        ("0,5", D("0.5")),
        (",5", D("0.5")),
        ("+2,4", D("2.4")),
        ("+ 2,4", D("2.4")),
        ("1 234 567,89", D("1234567.89")),
        (f"1{NBSP}234", D("1234")),
        (f"1{NNBSP}234{NNBSP}567", D("1234567")),
        (f"12{THIN}345", D("12345")),
        (f"{EN_DASH}5", D("-5")),
        (f"{EN_DASH} 20 476", D("-20476")),
        ("\u2014 7", D("-7")),  # em dash
        ("\uff0d7", D("-7")),  # fullwidth hyphen-minus
        ("(1 234)", D("-1234")),  # accounting parentheses
        ("( 5,5 )", D("-5.5")),
        ("1.234.567", D("1234567")),  # dots as thousands when there are two groups
        ("1.234,5", D("1234.5")),
        ("  42  ", D("42")),
        ("42\r\n", D("42")),
        (f"{NBSP}42{NBSP}", D("42")),
        ("0", D("0")),
        ("007", D("7")),
        ("1 234.5", D("1234.5")),
    ],
)
def test_parse_number_accepts_what_people_type_and_pdfs_produce(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["+-0", "-+0", "±0", "+- 0", "+-0,0", "-0", "−0", "(0)"])
def test_plus_minus_zero_and_negative_zero_parse_as_plain_zero(text):
    value = parse_number(text)
    assert value == 0
    assert not value.is_signed()


@pytest.mark.parametrize("text", ["", "   ", NBSP, "\t\r\n"])
def test_empty_cell_is_missing_not_zero(text):
    assert parse_number(text) is None
    assert parse_number(text, dash="zero") is None


@pytest.mark.parametrize("dash", ["-", MINUS_SIGN, EN_DASH, "\u2014", " - "])
def test_lone_dash_is_missing_or_zero_by_context(dash):
    assert parse_number(dash) is None
    assert parse_number(dash, dash="missing") is None
    assert parse_number(dash, dash="zero") == D(0)


def test_lone_dash_keeps_its_unit():
    assert parse_quantity("- %", dash="zero") == ParsedNumber(D(0), "%")


def test_dash_context_must_be_missing_or_zero():
    with pytest.raises(ValueError, match="dash"):
        parse_number("1", dash="nothing")


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("93,33 %", D("93.33"), "%"),
        ("93,33%", D("93.33"), "%"),
        (f"41{NBSP}%", D("41"), "%"),
        ("12 procent", D("12"), "%"),
        ("13,5 mkr", D("13.5"), "mnkr"),
        ("13,5 Mkr", D("13.5"), "mnkr"),
        ("-1,2 mnkr", D("-1.2"), "mnkr"),
        ("2 400 tkr", D("2400"), "tkr"),
        ("2 400 TKR", D("2400"), "tkr"),
        ("152 080 kr", D("152080"), "kr"),
        ("152080kr", D("152080"), "kr"),
        ("10 kronor", D("10"), "kr"),
        ("362 st", D("362"), "st"),
        ("42", D("42"), ""),
    ],
)
def test_parse_quantity_reads_value_as_written_and_canonical_unit(text, value, unit):
    assert parse_quantity(text) == ParsedNumber(value, unit)


@pytest.mark.parametrize(
    ("text", "kronor"),
    [
        ("13,5 mkr", D("13500000")),
        ("-2 400 tkr", D("-2400000")),
        ("1,2345 tkr", D("1234.5")),
        ("99,50 kr", D("99.50")),
        ("17", D("17")),
    ],
)
def test_in_kronor_scales_money_units_exactly(text, kronor):
    result = parse_quantity(text).in_kronor()
    assert result == kronor
    assert "E" not in str(result)


def test_in_kronor_of_missing_is_missing():
    assert parse_quantity("- tkr").in_kronor() is None


@pytest.mark.parametrize("text", ["12 %", "3 st"])
def test_in_kronor_refuses_units_that_are_not_money(text):
    with pytest.raises(ValueError, match="inget belopp"):
        parse_quantity(text).in_kronor()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "inget tal"),
        ("12abc", "inget tal"),
        ("1e5", "inget tal"),
        ("NaN", "inget tal"),
        ("Infinity", "inget tal"),
        ("5.", "inget tal"),
        ("1,2,3", "inget tal"),
        ("--5", "för många tecken"),
        ("- -5", "för många tecken"),
        ("+-5", "passar bara till noll"),
        ("±3,5", "passar bara till noll"),
        ("+", "inget tal"),
        ("(-5)", "både parentes och tecken"),
        ("()", "inget tal"),
        ("(5", "inget tal"),
        ("1 23", "mellanslag på fel ställe"),
        ("12 34 567", "mellanslag på fel ställe"),
        ("1234 567", "mellanslag på fel ställe"),
        ("1 234,5 6", "mellanslag på fel ställe"),
        ("1,5 3", "mellanslag på fel ställe"),
        ("1,234.5", "både punkt och komma"),
        ("tkr", "enhet men inget tal"),
        ("%", "enhet men inget tal"),
        ("\u0661\u0662\u0663", "inget tal"),  # Arabic-Indic digits are not Swedish figures
        ("1 234 kr kr", "mellanslag på fel ställe"),
        ("Summa", "inget tal"),
    ],
)
def test_garbage_raises_number_format_error_with_swedish_message(text, message):
    with pytest.raises(NumberFormatError, match=message) as info:
        parse_number(text)
    assert isinstance(info.value, ValueError)


def test_error_message_quotes_the_text_as_given():
    with pytest.raises(NumberFormatError) as info:
        parse_number(" x17 ")
    assert "' x17 '" in str(info.value)


def test_parse_passes_spreadsheet_values_through():
    assert parse_quantity(None) == ParsedNumber(None)
    assert parse_number(D("-12.50")) == D("-12.50")
    assert parse_number(42) == D(42)


@pytest.mark.parametrize("value", [1.5, True, object(), D("NaN"), D("Infinity")])
def test_parse_refuses_floats_and_other_objects(value):
    with pytest.raises(NumberFormatError):
        parse_number(value)


def test_parse_keeps_every_digit_of_long_numbers():
    digits = "1234567890" * 4
    grouped = " ".join([digits[:1]] + [digits[i : i + 3] for i in range(1, 40, 3)])
    assert parse_number("-" + grouped + ",05") == D("-" + digits + ".05")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", True), ("-1,5 %", True), ("", False), ("-", False), ("Summa", False)],
)
def test_looks_like_number(text, expected):
    assert looks_like_number(text) is expected


# ---------------------------------------------------------------------------- rounding


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (D("2.5"), 0, D("3")),
        (D("-2.5"), 0, D("-3")),
        (D("3.5"), 0, D("4")),
        (D("0.5"), 0, D("1")),
        (D("-0.5"), 0, D("-1")),
        (D("2.49"), 0, D("2")),
        (D("0.05"), 1, D("0.1")),
        (D("-0.05"), 1, D("-0.1")),
        (D("0.25"), 1, D("0.3")),  # half-even would give 0.2
        (D("1.005"), 2, D("1.01")),
        (D("1250"), -2, D("1300")),  # nearest hundred
        (D("-1250"), -2, D("-1300")),
        (D("25"), -1, D("30")),
        (D("12345"), -3, D("12000")),
        (7, 0, D("7")),
        (D("7"), 2, D("7.00")),
    ],
)
def test_round_half_up_rounds_halves_away_from_zero(value, decimals, expected):
    result = round_half_up(value, decimals)
    assert result == expected
    assert str(result) == str(expected)  # same number of decimals, no exponent


@pytest.mark.parametrize("value", [D("-0.4"), D("-0.0"), D("-0.04")])
def test_round_half_up_never_returns_negative_zero(value):
    result = round_half_up(value, 0)
    assert result == 0
    assert not result.is_signed()


def test_round_half_up_keeps_more_than_28_digits():
    value = D("123456789012345678901234567890123.5")
    assert round_half_up(value) == D("123456789012345678901234567890124")


@pytest.mark.parametrize("value", [1.5, D("NaN"), D("-Infinity")])
def test_round_half_up_refuses_float_and_non_finite(value):
    with pytest.raises((TypeError, ValueError)):
        round_half_up(value)


# --------------------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (D("-306578"), 0, f"{MINUS}306{NBSP}578"),
        (D("1234567.891"), 2, f"1{NBSP}234{NBSP}567,89"),
        (D("999"), 0, "999"),
        (D("1000"), 0, f"1{NBSP}000"),
        (D("100000"), 0, f"100{NBSP}000"),
        (D("13.687"), 3, "13,687"),
        (D("1.3"), 1, "1,3"),
        (D("1.3"), 2, "1,30"),
        (D("2.5"), 0, "3"),
        (D("-2.5"), 0, "-3"),
        (D("0.25"), 1, "0,3"),
        (0, 0, "0"),
        (D(0), 2, "0,00"),
        (D("-0.4"), 0, "0"),
        (D("-0.04"), 1, "0,0"),
        (152080, 0, f"152{NBSP}080"),
        (D("5"), -1, "10"),  # negative decimals round to tens, hundreds, ...
        (D("-1250"), -2, f"-1{NBSP}300"),
    ],
)
def test_format_number_uses_nbsp_thousands_decimal_comma_and_half_up(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_format_number_puts_minus_directly_before_the_number():
    text = format_number(D("-20476"))
    assert text.startswith(MINUS + "20")
    assert MINUS == "-"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("2.44"), "+2,4"),
        (D("-2.44"), "-2,4"),
        (D("0"), "0,0"),
        (D("0.04"), "0,0"),  # rounds to zero: no sign
        (D("-0.04"), "0,0"),
        (D("12.8"), "+12,8"),
    ],
)
def test_plus_marks_positive_deviations_but_never_zero(value, expected):
    assert format_number(value, 1, plus=True) == expected


def test_format_number_prints_missing_as_given_text():
    assert format_number(None) == ""
    assert format_number(None, missing="–") == "–"


@pytest.mark.parametrize("value", [1.5, True, "12"])
def test_formatting_refuses_float_and_non_numbers(value):
    with pytest.raises(TypeError, match="inte tillåtet"):
        format_number(value)
    with pytest.raises(TypeError, match="inte tillåtet"):
        format_tkr(value)
    with pytest.raises(TypeError, match="inte tillåtet"):
        format_mnkr(value)


@pytest.mark.parametrize(
    ("kronor", "plus", "expected"),
    [
        (D("-20476123.40"), False, f"-20{NBSP}476"),
        (D("-164770499.99"), False, f"-164{NBSP}770"),
        (D("1500"), False, "2"),  # 1,5 tkr rounds half up
        (D("-1500"), False, "-2"),
        (D("2500"), False, "3"),  # half-even would give 2
        (D("499.99"), False, "0"),
        (D("-499"), False, "0"),
        (D("2890000"), True, f"+2{NBSP}890"),
        (55053000, False, f"55{NBSP}053"),
        (None, False, ""),
    ],
)
def test_format_tkr_shows_whole_thousands(kronor, plus, expected):
    assert format_tkr(kronor, plus=plus) == expected


@pytest.mark.parametrize(
    ("kronor", "plus", "decimals", "expected"),
    [
        (13490000, False, 1, "13,5"),
        (D("-37920000"), False, 1, "-37,9"),
        (D("4450000"), True, 1, "+4,5"),  # half up: 4,45 -> 4,5
        (D("-4450000"), True, 1, "-4,5"),
        (D("624440000"), False, 1, "624,4"),
        (D("1234567890"), False, 1, f"1{NBSP}234,6"),
        (D("12800000"), True, 0, "+13"),
        (D("-40000"), True, 1, "0,0"),
        (None, False, 1, ""),
    ],
)
def test_format_mnkr_shows_millions_with_one_decimal(kronor, plus, decimals, expected):
    assert format_mnkr(kronor, plus=plus, decimals=decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "plus", "expected"),
    [
        (D("41"), 0, False, f"41{NBSP}%"),
        (D("93.33"), 2, False, f"93,33{NBSP}%"),
        (D("93.33"), 0, False, f"93{NBSP}%"),
        (D("1.5"), 1, True, f"+1,5{NBSP}%"),
        (D("-1.45"), 1, False, f"-1,5{NBSP}%"),
        (None, 0, False, ""),
    ],
)
def test_format_percent_uses_nbsp_before_percent_sign(value, decimals, plus, expected):
    assert format_percent(value, decimals, plus=plus) == expected


@pytest.mark.parametrize(
    ("value", "plus", "expected"),
    [
        (D("-152080.4"), False, f"-152{NBSP}080"),
        (D("152080.5"), True, f"+152{NBSP}081"),
        (None, False, ""),
    ],
)
def test_format_kronor_shows_whole_kronor(value, plus, expected):
    assert format_kronor(value, plus=plus) == expected


def test_formatting_keeps_more_than_28_digits():
    text = format_tkr(D("123456789012345678901234567890123456"))
    assert text.replace(NBSP, "") == "123456789012345678901234567890123"


# -------------------------------------------------------------------------- properties

finite = st.decimals(allow_nan=False, allow_infinity=False)
moderate = st.decimals(
    min_value=D("-1e15"), max_value=D("1e15"), allow_nan=False, allow_infinity=False
)


@given(finite, st.integers(min_value=0, max_value=4), st.booleans())
def test_parse_of_format_is_the_rounded_value(value, decimals, plus):
    text = format_number(value, decimals, plus=plus)
    assert parse_number(text) == round_half_up(value, decimals)


@given(moderate, st.booleans())
def test_parse_of_format_tkr_and_mnkr_is_the_rounded_value(kronor, plus):
    with localcontext() as ctx:
        ctx.prec = 200  # the test's own division must not round
        tkr, mnkr = kronor / 1000, kronor / 1000000
    assert parse_number(format_tkr(kronor, plus=plus)) == round_half_up(tkr)
    assert parse_number(format_mnkr(kronor, plus=plus)) == round_half_up(mnkr, 1)
    parsed = parse_quantity(format_percent(kronor, 2, plus=plus))
    assert parsed == ParsedNumber(round_half_up(kronor, 2), "%")


@given(finite, st.integers(min_value=0, max_value=3), st.booleans())
def test_formatting_never_produces_negative_zero(value, decimals, plus):
    for text in (
        format_number(value, decimals, plus=plus),
        format_tkr(value, plus=plus),
        format_mnkr(value, plus=plus),
    ):
        if text.startswith(MINUS):
            assert parse_number(text) < 0, text
        if text.startswith("+"):
            assert parse_number(text) > 0, text
        assert text.lstrip("+-").replace(NBSP, "").replace(",", "").isdigit(), text


@given(moderate, st.integers(min_value=-3, max_value=4))
def test_round_half_up_is_within_half_a_unit_and_ties_go_away_from_zero(value, decimals):
    result = round_half_up(value, decimals)
    unit = D(1).scaleb(-decimals)
    with localcontext() as ctx:
        ctx.prec = 200
        error = abs(result - value)
    assert error <= unit / 2
    if error == unit / 2:
        assert abs(result) > abs(value)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_whole_numbers_round_trip_through_format_and_parse(n):
    assert parse_number(format_number(n)) == n


ore_amounts = st.integers(min_value=-(10**22), max_value=10**22)


@settings(deadline=None)  # timing on a shared machine is no result
@given(ore_amounts, st.booleans(), st.sampled_from([0, 1, 2]))
def test_format_tkr_integer_path_equals_the_decimal_path(ore, plus, exponent):
    """format_tkr's integer path (whole öre, written any way: -12.3, -12.30, int kronor)
    gives exactly the text of the general Decimal path it stands in for."""
    from styra.lib.numbers import _shift, _tkr_fast

    kronor = D(ore).scaleb(-2)
    if exponent < 2:  # the same amount with fewer decimals where it has them to spare
        kronor = kronor.quantize(D(10) ** -exponent) if ore % 10 ** (2 - exponent) == 0 else kronor
    reference = format_number(_shift(kronor, -3), 0, plus=plus)
    assert _tkr_fast(kronor, plus) == reference
    assert format_tkr(kronor, plus=plus) == reference
    if ore % 100 == 0:
        assert _tkr_fast(ore // 100, plus) == reference
    # rounding half away from zero at exactly ±500 kr, on both sides of zero
    for edge in (D("500.00"), D("-500.00"), D("499.99"), D("-499.99"), D("1500"), D("-2500")):
        assert format_tkr(edge, plus=plus) == format_number(_shift(edge, -3), 0, plus=plus)


def test_format_tkr_leaves_what_it_cannot_do_exactly_to_the_decimal_path():
    from styra.lib.numbers import _tkr_fast

    assert _tkr_fast(D("0.001"), False) is None  # fractions of an öre
    assert _tkr_fast(D("1e30"), False) is None  # scaleb would round
    assert _tkr_fast(True, False) is None  # refused by the general path
    assert format_tkr(D("-499.995")) == "0"
    assert format_tkr(D("-500.001")) == "-1"
