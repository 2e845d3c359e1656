"""Remisser and revisionsfrågor with a svarsdatum: the rules, the case form, and the list
on the secretary's start page (measured from Styra's one "today")."""

from __future__ import annotations

import datetime as dt

import pytest

from styra.meetings import calc
from tests.actors import SYSTEM

D = dt.date


@pytest.mark.parametrize(
    ("due", "replied", "today", "state"),
    [
        (None, None, D(2020, 9, 3), None),
        (D(2020, 9, 2), None, D(2020, 9, 3), "overdue"),
        (D(2020, 9, 3), None, D(2020, 9, 3), "soon"),
        (D(2020, 9, 17), None, D(2020, 9, 3), "soon"),  # 14 days ahead
        (D(2020, 9, 18), None, D(2020, 9, 3), None),  # 15 days ahead
        (D(2020, 9, 2), D(2020, 9, 1), D(2020, 9, 3), None),  # answered
        (D(2020, 9, 2), D(2020, 9, 10), D(2020, 9, 3), None),  # answered late: not listed
    ],
)
def test_reply_state(due, replied, today, state):
    assert calc.reply_state(due, replied, today) == state


@pytest.mark.parametrize(
    ("due", "today", "text"),
    [
        (D(2020, 9, 3), D(2020, 9, 3), "i dag"),
        (D(2020, 9, 4), D(2020, 9, 3), "om 1 dag"),
        (D(2020, 9, 10), D(2020, 9, 3), "om 7 dagar"),
        (D(2020, 9, 2), D(2020, 9, 3), "1 dag sen"),
        (D(2020, 8, 1), D(2020, 9, 3), "33 dagar sen"),
    ],
)
def test_reply_when(due, today, text):
    assert calc.reply_when(due, today) == text


def test_check_reply():
    assert calc.check_reply(True, D(2020, 9, 3), None) == {}
    assert calc.check_reply(False, None, None) == {}
    assert set(calc.check_reply(True, None, None)) == {"reply_due"}
    assert set(calc.check_reply(False, D(2020, 9, 3), None)) == {"reply_kind"}
    assert set(calc.check_reply(False, None, D(2020, 9, 3))) == {"reply_kind"}


@pytest.fixture
def replies(node, settings):
    """Four cases of AVUN at the demo's today 2020-09-03: an overdue remiss, a
    revisionsfråga due in 10 days, one due in a month and an answered one; one of SN."""
    from styra.meetings import services
    from styra.meetings.models import ReplyKind

    settings.STYRA_TODAY = "2020-09-03"
    avun = node("AVUN")

    def case(title, kind, due, replied=None, committee=avun):
        return services.case_create(
            actor=SYSTEM,
            committee=committee,
            title=title,
            reply_kind=kind,
            reply_due=due,
            replied_on=replied,
        )

    return {
        "late": case("Remiss om regional utvecklingsstrategi", ReplyKind.REFERRAL, D(2020, 8, 31)),
        "soon": case("Revisionsfråga om upphandling", ReplyKind.AUDIT_QUESTION, D(2020, 9, 13)),
        "later": case("Remiss om översiktsplan", ReplyKind.REFERRAL, D(2020, 10, 3)),
        "done": case(
            "Remiss om kollektivtrafik", ReplyKind.REFERRAL, D(2020, 8, 1), D(2020, 7, 30)
        ),
    }


def test_the_secretary_start_page_lists_overdue_and_soon_replies(client, cast, replies):
    client.force_login(cast["sekreterare"])
    html = client.get("/").content.decode()
    late, soon = replies["late"], replies["soon"]
    assert f"Remiss {late.dnr}: {late.title}" in html
    assert "svarsdatum 2020-08-31 (3 dagar sen)" in html
    assert f"Revisionsfråga {soon.dnr}: {soon.title}" in html
    assert "svarsdatum 2020-09-13 (om 10 dagar)" in html
    assert html.index(late.title) < html.index(soon.title)  # earliest first
    assert html.count('state-late">försenad') == 1
    assert replies["later"].title not in html
    assert replies["done"].title not in html
    assert f"/arenden/{late.pk}/" in html


def test_a_member_sees_no_reply_list(client, cast, replies):
    client.force_login(cast["ledamot"])
    html = client.get("/").content.decode()
    assert replies["late"].title not in html


def test_the_case_form_sets_and_answers_a_remiss(client, cast, node, settings):
    from styra.meetings import services
    from styra.meetings.models import Case

    settings.STYRA_TODAY = "2020-09-03"
    case = services.case_create(
        actor=SYSTEM, committee=node("AVUN"), title="Remiss om näringslivsprogram", summary="S"
    )
    client.force_login(cast["sekreterare"])
    url = f"/arenden/{case.pk}/"
    form = {
        "title": case.title,
        "publicity": "public",
        "summary": "S",
        "reply_kind": "",
        "reply_due": "2020-09-20",
    }
    page = client.post(url, form)
    assert page.status_code == 200  # refused: a date without saying what it answers
    assert "Ange om svarsdatumet gäller en remiss eller en revisionsfråga." in (
        page.content.decode()
    )
    assert Case.objects.get(pk=case.pk).reply_due is None
    form["reply_kind"] = "referral"
    assert client.post(url, form).status_code == 302
    case.refresh_from_db()
    assert (case.reply_kind, case.reply_due, case.summary) == ("referral", D(2020, 9, 20), "S")
    form["replied_on"] = "2020-09-15"
    assert client.post(url, form).status_code == 302
    case.refresh_from_db()
    assert case.replied_on == D(2020, 9, 15)


def test_the_demo_secretary_sees_the_demo_replies(demo_org, client, cast, settings):
    """The demo's meeting file carries a remiss and a revisionsfråga with svarsdatum; at the
    demo's today one is overdue and one due in 11 days. Loading again keeps them."""
    from styra.demo import meetings as demo_meetings
    from styra.meetings.models import Case

    settings.STYRA_TODAY = "2020-09-03"
    demo_meetings.build()
    demo_meetings.build()
    remiss = Case.objects.get(prefix="AVUX", year=2020, number=44)
    assert (remiss.reply_kind, remiss.reply_due) == ("referral", D(2020, 9, 14))
    client.force_login(cast["sekreterare"])
    html = client.get("/").content.decode()
    assert "svarsdatum 2020-09-14 (om 11 dagar)" in html
    assert "svarsdatum 2020-08-31 (3 dagar sen)" in html


def test_a_meeting_file_with_a_bad_reply_is_refused_with_its_line(demo_org, tmp_path):
    from styra.lib.errors import InputError
    from styra.meetings.services import meetings_load

    path = tmp_path / "m.yaml"
    path.write_text(
        "committee: AVUN\ncases:\n  - dnr: AVUX/2020:90\n    title: T\n"
        "    reply_kind: remiss\n  - dnr: AVUX/2020:91\n    title: U\n    reply_due: 2020-09-01\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        meetings_load(actor=SYSTEM, path=path)
    text = "\n".join(str(i) for i in exc.value.issues)
    assert f"{path}:5: reply_kind ska vara en av referral, audit_question" in text
    assert f"{path}:8: reply_due kräver reply_kind" in text
