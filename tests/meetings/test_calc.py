"""Kommunallagen's dates, diarienummer and delegation rules (pure)."""

from __future__ import annotations

import ast
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from styra.meetings import calc


def test_reference_protocol_dates_justerat_3_june_posted_4_june_down_25_june():
    d = calc.protocol_dates(
        date(2019, 5, 24), justerat=date(2019, 6, 3), anslag_posted=date(2019, 6, 4)
    )
    assert d.justering_deadline == date(2019, 6, 7)
    assert d.anslag_deadline == date(2019, 6, 5)
    assert d.appeal_last_day == date(2019, 6, 25)
    assert d.take_down == date(2019, 6, 25)


def test_appeal_period_ending_on_christmas_eve_moves_to_next_working_day():
    d = calc.protocol_dates(
        date(2020, 11, 19), justerat=date(2020, 12, 2), anslag_posted=date(2020, 12, 3)
    )
    # 3 dec + 21 days = 24 dec (julafton), 25-27 are holidays/weekend
    assert d.appeal_last_day == date(2020, 12, 28)


def test_easter_and_midsummer_are_known():
    assert calc.easter_sunday(2019) == date(2019, 4, 21)
    assert calc.easter_sunday(2024) == date(2024, 3, 31)
    assert date(2020, 6, 19) in calc.swedish_non_working_days(2020)  # midsommarafton
    assert calc.is_working_day(date(2020, 9, 10))


def test_justering_before_the_meeting_is_refused_with_the_rule_named():
    with pytest.raises(calc.RuleViolation) as exc:
        calc.check_justering(date(2020, 9, 10), date(2020, 9, 9))
    assert "före sammanträdet" in str(exc.value)


def test_justering_after_14_days_is_warned_with_the_paragraph_of_the_law():
    assert calc.check_justering(date(2020, 9, 10), date(2020, 9, 24)) == []
    (finding,) = calc.check_justering(date(2020, 9, 10), date(2020, 9, 25))
    assert "5 kap. 69 §" in str(finding)


def test_anslag_later_than_second_day_is_refused_unless_accepted_as_late():
    assert calc.check_anslag(date(2020, 9, 17), date(2020, 9, 19)) == []
    with pytest.raises(calc.RuleViolation) as exc:
        calc.check_anslag(date(2020, 9, 17), date(2020, 9, 20))
    assert "8 kap. 12 §" in str(exc.value)
    (warning,) = calc.check_anslag(date(2020, 9, 17), date(2020, 9, 20), accept_late=True)
    assert warning.level == "warning"
    with pytest.raises(calc.RuleViolation):
        calc.check_anslag(date(2020, 9, 17), date(2020, 9, 16), accept_late=True)


def test_notice_cannot_be_taken_down_before_the_appeal_time_has_run_out():
    with pytest.raises(calc.RuleViolation, match="överklagandetiden"):
        calc.check_take_down(date(2020, 9, 18), date(2020, 10, 8))
    calc.check_take_down(date(2020, 9, 18), date(2020, 10, 9))


def test_deadline_warnings_tell_what_is_overdue():
    d = calc.protocol_dates(date(2020, 9, 10))
    assert calc.deadline_warnings(d, date(2020, 9, 24)) == []
    (w,) = calc.deadline_warnings(d, date(2020, 9, 25))
    assert "inte justerat" in w.message
    d = calc.protocol_dates(date(2020, 9, 10), justerat=date(2020, 9, 17))
    (w,) = calc.deadline_warnings(d, date(2020, 9, 20))
    assert "inte anslagen" in w.message


def test_late_notice_is_warned():
    assert calc.notice_findings(date(2020, 9, 10), date(2020, 9, 3), 7) == []
    (w,) = calc.notice_findings(date(2020, 9, 10), date(2020, 9, 4), 7)
    assert "7 dagar" in w.rule


@given(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ", min_size=1, max_size=8),
    st.integers(1900, 2100),
    st.integers(1, 99999),
)
def test_diary_number_round_trips(prefix, year, number):
    dnr = calc.DiaryNumber(prefix, year, number)
    assert calc.DiaryNumber.parse(str(dnr)) == dnr
    assert calc.DiaryNumber.parse(dnr.text(5)) == dnr
    assert str(dnr).endswith(f":{number}")
    assert dnr.text(5).endswith(f":{number:05d}")


def test_diary_number_is_written_as_the_municipality_wants():
    dnr = calc.DiaryNumber("AVUX", 2020, 37)
    assert (dnr.text(), dnr.text(0), dnr.text(5), dnr.text(3)) == (
        "AVUX/2020:37",
        "AVUX/2020:37",
        "AVUX/2020:00037",
        "AVUX/2020:037",
    )
    assert calc.DiaryNumber("SN", 2023, 123456).text(5) == "SN/2023:123456"


def test_diary_number_accepts_older_spellings_and_rejects_junk():
    assert calc.DiaryNumber.parse("SN 2019:197") == calc.DiaryNumber("SN", 2019, 197)
    assert calc.DiaryNumber.parse("AVUX/2020:37") == calc.DiaryNumber("AVUX", 2020, 37)
    assert calc.DiaryNumber.parse("AVUX/2020:00037") == calc.DiaryNumber("AVUX", 2020, 37)
    with pytest.raises(ValueError, match="diarienummer"):
        calc.DiaryNumber.parse("2020:37")


def test_delegat_outside_the_scheme_is_refused_with_the_reason():
    calc.check_delegat("C1", ("Verksamhetschef", "Enhetschef"), "enhetschef")
    with pytest.raises(calc.RuleViolation) as exc:
        calc.check_delegat("G1", ("Rektor",), "Enhetschef")
    assert "Enhetschef får inte fatta beslut enligt punkt G1; delegat är Rektor" in str(exc.value)


def test_delegation_reported_by_noon_on_the_second_of_next_month():
    assert calc.delegation_report_deadline(date(2020, 8, 12)) == datetime(2020, 9, 2, 12)
    assert calc.delegation_report_deadline(date(2020, 12, 30)) == datetime(2021, 1, 2, 12)


def test_proposal_points_and_paragraph_ranges():
    assert calc.proposal_points("1. Godkänna\n\n2) Skicka\n- Notera") == [
        "Godkänna",
        "Skicka",
        "Notera",
    ]
    assert calc.paragraph_range([41, 42, 43]) == "§ 41\u201343"
    assert calc.paragraph_range([41, 43]) == "§ 41, 43"


@pytest.mark.parametrize("module", ["calc.py", "paper.py"])
def test_rules_modules_do_not_import_django(module):
    path = Path(__file__).resolve().parents[2] / "styra" / "meetings" / module
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [n for n in names if n.startswith("django")]
