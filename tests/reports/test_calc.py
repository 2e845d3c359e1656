"""Pure rules of reports: sentences from data, sign convention, definitions, markup."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from styra.lib.money import display_rounded
from styra.reports import blocks, calc, definitions

D = Decimal


def test_committee_sentence_says_surplus_deficit_or_balance_in_mkr():
    assert calc.committee_result_sentence(D("13500000")) == (
        "Nämnden prognostiserar ett överskott på 13,5 mkr."
    )
    assert calc.committee_result_sentence(D("-10449999.99")) == (
        "Nämnden prognostiserar ett underskott på 10,4 mkr."
    )
    assert (
        calc.committee_result_sentence(D("49999")) == "Nämnden prognostiserar en budget i balans."
    )
    assert calc.committee_result_sentence(D("2400000"), final=True).startswith("Nämnden redovisar")


def test_result_deviation_line_follows_the_tables_sign_convention():
    assert calc.result_deviation_line(D("2400000"), "revenue_positive") == (
        "Resultatavvikelse: +2,4 mkr"
    )
    assert calc.result_deviation_line(D("2400000"), "cost_positive") == (
        "Resultatavvikelse: -2,4 mkr"
    )
    assert calc.result_deviation_line(D("0"), "revenue_positive") == "Resultatavvikelse: 0,0 mkr"


def test_total_sentence_gives_forecast_budget_and_result():
    text = calc.total_sentence(D("-255546000"), D("-269046000"), "revenue_positive", year=2020)
    assert text == (
        "Prognosen för 2020 är -255,5 mkr mot en budget på -269,0 mkr, vilket innebär ett "
        "överskott på 13,5 mkr."
    )


def test_unknown_sign_convention_is_refused():
    with pytest.raises(ValueError, match="teckenkonvention"):
        calc.sign_factor("upside_down")


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_mnkr_and_tkr_rounded_from_the_same_exact_amount_agree(ore):
    kronor = D(ore) / 100
    mnkr = display_rounded(kronor, "mnkr")
    tkr = display_rounded(kronor, "tkr")
    # One decimal of mnkr is 100 tkr: the two displays differ by at most half of that
    # plus half a tkr.
    assert abs(mnkr * 1000 - tkr) <= D("50.5")


def test_money_cell_keeps_the_exact_amount_and_shows_it_rounded_half_up():
    cell = blocks.money(D("-20476500.00"), "tkr")
    assert cell.text == "-20\u00a0477" and cell.value == D("-20476500.00")
    assert blocks.money(D("13450000"), "mnkr").text == "13,5"
    assert blocks.money(None, "tkr").kind == "missing"


def test_narrative_markup_paragraphs_lists_and_bold():
    parts = blocks.split_blocks("Första **viktigt** stycket\nfortsätter.\n\n- ett\n- två\n")
    assert parts == [("p", ["Första **viktigt** stycket fortsätter."]), ("ul", ["ett", "två"])]
    assert blocks.bold_spans("a **b** c") == [("a ", False), ("b", True), (" c", False)]


def test_definitions_choose_report_type_from_event_code():
    assert definitions.for_event("2020-D2") == "delarsrapport"
    assert definitions.for_event("2021-T1") == "delarsrapport"
    assert definitions.for_event("2019-06") == "manadsrapport"
    assert definitions.for_event("2020-VB") == "verksamhetsberattelse"
    assert definitions.for_event("2020") == "yttrande"


def test_delarsrapport_has_the_six_parts_in_order():
    d = definitions.load("delarsrapport")
    top = [s.heading for s in d.sections if s.level == 1]
    assert top == [
        "Sammanfattning",
        "Måluppföljning och analys",
        "Betydelsefulla händelser",
        "Ekonomisk uppföljning och analys",
        "Volymer och nyckeltal",
        "Uppdrag",
    ]


def test_overrides_rename_hide_and_flip_sign_without_code():
    d = definitions.load("delarsrapport")
    changed = definitions.apply_overrides(
        d,
        {
            "sign_convention": "cost_positive",
            "title": "Tertialrapport",
            "sections": {
                "handelser": {"heading": "Viktiga händelser"},
                "uppdrag": {"enabled": False},
            },
        },
    )
    headings = [s.heading for s in changed.enabled_sections]
    assert "Viktiga händelser" in headings and "Uppdrag" not in headings
    assert changed.sign_convention == "cost_positive" and changed.title == "Tertialrapport"
    bad = definitions.apply_overrides(d, {"sign_convention": "nonsense"})
    assert bad.sign_convention == "revenue_positive"


def test_pure_modules_do_not_import_django():
    root = Path(__file__).resolve().parents[2] / "styra" / "reports"
    for name in ("calc.py", "blocks.py", "definitions/__init__.py", "checks.py"):
        tree = ast.parse((root / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                assert not any(n.startswith("django") for n in names), name
