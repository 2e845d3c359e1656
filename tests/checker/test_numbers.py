"""Reading numbers out of cells and out of space-separated PDF text."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from styra.checker.numparse import decimals_of, parse_cell, read_numbers, split_tail
from styra.lib.numbers import format_number


def test_every_swedish_variant_is_a_number():
    for text, value in [
        ("- 306 578", -306578),
        ("−306 578", -306578),
        ("-306578", -306578),
        ("13.687", Decimal("13.687")),
        ("1,3", Decimal("1.3")),
        ("93,33 %", Decimal("93.33")),
        ("+-0", 0),
        ("-", 0),
    ]:
        assert parse_cell(text).value == value, text
    assert parse_cell("").value is None
    assert parse_cell("Ökar").value is None


def test_several_percentages_in_one_cell_are_kept_in_order():
    assert parse_cell("85 % 41 % 44 %").values == (85, 41, 44)


def test_decimals_shown_are_counted():
    assert decimals_of("51,57") == 2 and decimals_of("51 570") == 0 and decimals_of("13,5") == 1


def test_space_separated_cells_are_split_at_signs_and_wide_gaps():
    label, tail = split_tail("Intäkter  841   153  688  612  841   229  ")
    assert label == "Intäkter"
    assert read_numbers(tail) == ["841", "153", "688", "612", "841", "229"]
    _, tail = split_tail("Netto - 16  - 163  147 - 653 - 777  - 124")
    assert read_numbers(tail) == ["-16", "-163", "147", "-653", "-777", "-124"]


def test_runs_that_cannot_be_read_safely_give_none():
    _, tail = split_tail("567  566 566 566 565")
    assert read_numbers(tail, 6) is None


@given(st.lists(st.integers(min_value=-9_999_999, max_value=9_999_999), min_size=1, max_size=8))
def test_formatted_numbers_separated_by_two_spaces_read_back(values):
    line = "Rad  " + "  ".join(format_number(Decimal(v)).replace("\u00a0", " ") for v in values)
    _, tail = split_tail(line)
    got = read_numbers(tail, len(values))
    assert got is not None
    assert [parse_cell(x).value for x in got] == values
