"""One "today" (settings.STYRA_TODAY, the demo's date in the demo) for new diarienummer
years, deadline warnings and the justering day; the diarienummer as the municipality
writes it (STYRA_DIARIENUMMER_DIGITS)."""

from __future__ import annotations

import datetime as dt

import pytest

from styra.calendar import clock
from styra.meetings import selectors, services
from styra.meetings.models import ItemKind
from tests.actors import SYSTEM

from .conftest import aware


def test_today_is_the_setting_when_given_and_the_real_date_otherwise(settings):
    settings.STYRA_TODAY = ""
    real = clock.today()
    assert real.year >= 2025
    settings.STYRA_TODAY = "2020-09-03"
    assert clock.today() == dt.date(2020, 9, 3)
    assert clock.now().date() == dt.date(2020, 9, 3)
    assert clock.now().tzinfo is not None


@pytest.mark.django_db
def test_a_new_case_takes_the_year_of_styras_today(committee, settings):
    settings.STYRA_TODAY = "2020-09-03"
    case = services.case_create(actor=SYSTEM, committee=committee, title="Ny motion")
    assert case.year == 2020
    assert case.dnr.startswith("AVUX/2020:")
    settings.STYRA_TODAY = "2021-01-04"
    assert services.case_create(actor=SYSTEM, committee=committee, title="B").year == 2021


@pytest.mark.django_db
@pytest.mark.parametrize(("digits", "expected"), [(0, "AVUX/2020:37"), (5, "AVUX/2020:00037")])
def test_diarienummer_is_written_in_the_municipalitys_format(committee, settings, digits, expected):
    settings.STYRA_DIARIENUMMER_DIGITS = digits
    case = services.case_create(actor=SYSTEM, committee=committee, title="A", dnr="AVUX 2020:37")
    assert case.dnr == expected
    # both forms find the same number: registering the padded one continues the series
    following = services.case_create(actor=SYSTEM, committee=committee, title="B", year=2020)
    assert following.number == 38


@pytest.mark.django_db
def test_notice_warning_uses_styras_today(committee, settings):
    meeting = services.meeting_create(
        actor=SYSTEM, committee=committee, start=aware(2020, 9, 10), place="Kommunhuset"
    )
    settings.STYRA_TODAY = "2020-09-05"  # seven days before is 09-03: late
    assert any("Kallelsen" in f.message for f in selectors.meeting_warnings(meeting))
    settings.STYRA_TODAY = "2020-09-01"  # still in time
    assert selectors.meeting_warnings(meeting) == []


@pytest.mark.django_db
def test_justering_day_is_styras_today(committee, members, settings):
    meeting = services.meeting_create(
        actor=SYSTEM, committee=committee, start=aware(2020, 9, 10), place="Kommunhuset"
    )
    services.agenda_item_add(actor=SYSTEM, meeting=meeting, kind=ItemKind.INFORMATION, title="I")
    services.protocol_open(actor=SYSTEM, meeting=meeting)
    services.adjusters_set(actor=SYSTEM, meeting=meeting, persons=[members["Ing-Marie Viklund"]])
    settings.STYRA_TODAY = "2020-09-14"
    services.protocol_approve(actor=members["Ing-Marie Viklund"].user, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.justerat_on == dt.date(2020, 9, 14)
