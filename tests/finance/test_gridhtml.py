"""The follow-up grid's unit rows written in Python (styra.finance.gridhtml, issue 13)
are exactly what the template wrote: grid_rows_reference.html is the grid's row loop as it
was, rendered here by Django on generated rows (labels with markup characters, every level,
open or closed, every row key, any amounts) and compared character by character."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from django.template import engines
from hypothesis import given, settings
from hypothesis import strategies as st

from styra.finance.figures import Figures
from styra.finance.gridhtml import grid_rows_html

REFERENCE = (Path(__file__).parent / "grid_rows_reference.html").read_text(encoding="utf-8").strip()

text = st.text(alphabet="abcÅÄÖ &<>\"'-:", min_size=1, max_size=12)
amount = st.integers(min_value=-(10**13), max_value=10**13).map(lambda o: Decimal(o).scaleb(-2))
figures = st.builds(
    Figures,
    previous_year=amount,
    outcome=amount,
    budget_to_date=amount,
    budget=amount,
    forecast=amount,
    forecast_missing=st.booleans(),
)
unit = st.builds(SimpleNamespace, pk=st.integers(min_value=1, max_value=10**6), name=text)
row = st.fixed_dictionaries(
    {
        "unit": unit,
        "label": text,
        "fig": figures,
        "level": st.sampled_from([0, 1]),
        "depth": st.integers(min_value=0, max_value=4),
        "has_children": st.booleans(),
        "open": st.booleans(),
        "toggle": st.sampled_from(["", "?handelse=2020-D2&oppna=1,2", '?a=<b>&c="d"']),
    },
    optional={"key": st.sampled_from(["revenue", "staff", "other", "financial", "?", "<x>"])},
)


def _reference(rows, event, drill, can_finance) -> str:
    context = {"rows": rows, "event": event, "drill": drill, "can_finance": can_finance}
    return engines["django"].from_string(REFERENCE).render(context)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(row, max_size=8),
    st.integers(min_value=2000, max_value=2099),
    st.integers(min_value=1, max_value=13),
    st.sampled_from(["", "&handelse=2020-D2", "&handelse=2020-D2&oppna=3,4<"]),
    st.booleans(),
)
def test_python_rows_equal_the_template_rows(rows, year, cutoff, drill, can_finance):
    event = SimpleNamespace(year=year, cutoff_period=cutoff)
    expected = _reference(rows, event, drill, can_finance)
    assert grid_rows_html(rows, event=event, drill=drill, can_finance=can_finance) == expected


def test_a_row_can_differ():
    """The comparison sees what a row says (a deviation's sign, the row's anchor)."""
    rows = [
        {
            "unit": SimpleNamespace(pk=7, name="Skola"),
            "label": "Skola",
            "fig": Figures(budget=Decimal("1000.00"), forecast=Decimal("400.00")),
            "level": 0,
            "depth": 0,
            "has_children": False,
            "open": False,
            "toggle": "",
        }
    ]
    event = SimpleNamespace(year=2020, cutoff_period=8)
    html = grid_rows_html(rows, event=event, drill="", can_finance=False)
    assert "dev-neg" in html and "(sämre än budget)" in html and 'id="rad-7"' in html
    assert html == _reference(rows, event, "", False)
    rows[0]["fig"].forecast = Decimal("1600.00")
    assert grid_rows_html(rows, event=event, drill="", can_finance=False) != html
