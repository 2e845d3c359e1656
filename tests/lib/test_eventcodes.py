"""Reporting event codes: parse what people type, print one canonical form."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from styra.lib.eventcodes import EventCode, EventKind, format_event_code, parse_event_code
from styra.lib.periods import PeriodRange

# --------------------------------------------------------------------- reporting events


@pytest.mark.parametrize(
    ("code", "kind", "cutoff", "name"),
    [
        ("2020-D1", "delår", 4, "Delårsrapport 1 2020"),
        ("2020-D2", "delår", 8, "Delårsrapport 2 2020"),
        ("2021-T1", "tertial", 4, "Tertialrapport 1 2021"),
        ("2021-T2", "tertial", 8, "Tertialrapport 2 2021"),
        ("2019-06", "month", 6, "Månadsrapport juni 2019"),
        ("2019-01", "month", 1, "Månadsrapport januari 2019"),
        ("2019-12", "month", 12, "Månadsrapport december 2019"),
        ("2020-VB", "vb", 13, "Verksamhetsberättelse 2020"),
        ("2020-P3", "prognos", None, "Prognos 3 2020"),
        ("2020-P12", "prognos", None, "Prognos 12 2020"),
        ("2023-K1", "quarter", 3, "Kvartalsrapport 1 2023"),
        ("2023-K2", "quarter", 6, "Kvartalsrapport 2 2023"),
        ("2023-K4", "quarter", 12, "Kvartalsrapport 4 2023"),
        ("2023", "year", 13, "Verksamhetsåret 2023"),
    ],
)
def test_reporting_event_code_parses_kind_cutoff_and_name(code, kind, cutoff, name):
    event = EventCode.parse(code)
    assert event.kind == kind
    assert isinstance(event.kind, EventKind)
    assert event.cutoff_period == cutoff
    assert event.name_sv == name
    assert str(event) == code


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("2020-d2", "2020-D2"),
        (" 2020-vb ", "2020-VB"),
        ("2019-6", "2019-06"),
        ("2020-p3", "2020-P3"),
        ("2023-k2", "2023-K2"),
        (" 2023 ", "2023"),
    ],
)
def test_reporting_event_code_is_lenient_on_case_and_prints_canonically(text, canonical):
    assert str(EventCode.parse(text)) == canonical


@pytest.mark.parametrize(
    "code",
    ["2020-D3", "2020-T0", "2020-13", "2020-00", "2020-P0", "20-D1", "2020D2", "2020-X1", "",
     "2020-VB1", "2020-D", "D2-2020", "2020-P100", "2023-K0", "2023-K5", "2023-", "202"],
)  # fmt: skip
def test_bad_reporting_event_code_lists_accepted_forms_in_swedish(code):
    with pytest.raises(ValueError, match="ingen rapporteringshändelse") as info:
        EventCode.parse(code)
    message = str(info.value)
    for form in ("ÅÅÅÅ-D1", "ÅÅÅÅ-T2", "ÅÅÅÅ-K1", "ÅÅÅÅ-MM", "ÅÅÅÅ-VB", "ÅÅÅÅ-Pn", "ÅÅÅÅ (året)"):
        assert form in message


def test_parse_refuses_non_text():
    with pytest.raises(ValueError, match="ingen rapporteringshändelse"):
        EventCode.parse(2020)


def test_reporting_event_cutoff_range_and_date():
    d1 = EventCode.parse("2020-D1")
    assert d1.cutoff_range == PeriodRange(2020, 1, 4)
    assert d1.cutoff_date == date(2020, 4, 30)  # "per den 30 april"
    vb = EventCode.parse("2020-VB")
    assert vb.cutoff_range.includes_closing
    assert vb.cutoff_range.months_label == "jan–dec"
    assert vb.cutoff_date == date(2020, 12, 31)
    february = EventCode.parse("2020-02")
    assert february.cutoff_date == date(2020, 2, 29)
    prognos = EventCode.parse("2020-P1")
    assert prognos.cutoff_range is None
    assert prognos.cutoff_date is None


def test_reporting_event_constructor_validates():
    assert EventCode(2020, "delår", 2) == EventCode.parse("2020-D2")
    with pytest.raises(ValueError, match="okänd sorts"):
        EventCode(2020, "kvartal", 1)
    with pytest.raises(ValueError, match="inget nummer"):
        EventCode(2020, EventKind.VB, 1)
    with pytest.raises(TypeError, match="heltal"):
        EventCode(2020, EventKind.MONTH, None)


@given(
    st.integers(min_value=1000, max_value=9999),
    st.one_of(
        st.tuples(st.just("month"), st.integers(1, 12)),
        st.tuples(st.sampled_from(["delår", "tertial"]), st.integers(1, 2)),
        st.tuples(st.just("prognos"), st.integers(1, 99)),
        st.tuples(st.just("quarter"), st.integers(1, 4)),
        st.tuples(st.sampled_from(["vb", "year"]), st.none()),
    ),
)
def test_reporting_event_code_round_trips_through_str(year, kind_number):
    kind, number = kind_number
    event = EventCode(year, kind, number)
    assert parse_event_code(str(event)) == event
    assert parse_event_code(format_event_code(event)) == event
    assert str(event.year) in event.name_sv


def test_quarter_and_year_cutoffs():
    k2 = parse_event_code("2023-K2")
    assert k2.cutoff_range == PeriodRange(2023, 1, 6)
    assert k2.cutoff_date == date(2023, 6, 30)
    year = parse_event_code("2023")
    assert year.kind is EventKind.YEAR
    assert year.cutoff_range == PeriodRange.full_year(2023)
    with pytest.raises(ValueError, match="inget nummer"):
        EventCode(2023, EventKind.YEAR, 1)


def test_events_of_a_year_sort_in_calendar_order():
    codes = ["2020-VB", "2020", "2020-D2", "2020-08", "2020-K1", "2020-D1", "2019-VB", "2020-04"]
    ordered = sorted((parse_event_code(c) for c in codes), key=lambda e: e.sort_key)
    assert [str(e) for e in ordered] == [
        "2019-VB", "2020-K1", "2020-04", "2020-D1", "2020-08", "2020-D2", "2020-VB", "2020",
    ]  # fmt: skip
