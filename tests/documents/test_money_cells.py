"""A tkr money cell (written by format_tkr's integer path, issue 13) shows exactly the
rounding of the exact value that display_rounded gives, as every other unit does."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from styra.documents.model import money
from styra.lib.money import display_rounded
from styra.lib.numbers import format_number

kronor = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15).map(lambda o: Decimal(o).scaleb(-2)),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False),
)


@settings(deadline=None)  # timing on a shared machine is no result
@given(kronor, st.booleans())
def test_tkr_cell_text_is_the_display_rounding(value, plus):
    cell = money(value, "tkr", plus=plus)
    assert cell.text == format_number(display_rounded(value, "tkr"), 0, plus=plus)
    assert cell.value == Decimal(value) and cell.unit == "tkr" and cell.kind == "money"
    assert cell.rounded == display_rounded(value, "tkr")


def test_half_a_thousand_rounds_away_from_zero():
    assert money(Decimal("-1500.00"), "tkr").text == "-2"
    assert money(Decimal("1499.99"), "tkr", plus=True).text == "+1"
    assert money(Decimal("-0.40"), "tkr", plus=True).text == "0"
