"""A revisionsrapport gives its case a svarsdatum: the yttrande's deadline (moved by an
extension), answered when the committee decided the yttrande; the secretary's start page
lists it with the other replies due."""

from __future__ import annotations

import datetime as dt

import pytest

from styra.control import services
from styra.meetings.services import case_create
from tests.actors import SYSTEM

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_audit_deadline_is_the_cases_svarsdatum(node, client, cast, settings):
    from django.contrib.auth import get_user_model

    settings.STYRA_TODAY = "2023-09-05"
    case = case_create(actor=SYSTEM, committee=node("SN"), title="Granskning av bistånd")
    report = services.audit_register(
        actor=SYSTEM,
        case=case,
        title="Granskning av biståndshandläggningen",
        letter_date=D(2023, 6, 1),
        deadline=D(2023, 9, 1),
        recommendations=["Följ upp handläggningstiderna"],
    )
    case.refresh_from_db()
    assert (case.reply_kind, case.reply_due, case.replied_on) == (
        "audit_question",
        D(2023, 9, 1),
        None,
    )
    client.force_login(get_user_model().objects.get(username="sn-sekreterare"))
    assert "svarsdatum 2023-09-01 (4 dagar sen)" in client.get("/").content.decode()

    services.audit_update(actor=SYSTEM, report=report, extended_to=D(2023, 9, 15))
    case.refresh_from_db()
    assert case.reply_due == D(2023, 9, 15)
    assert "svarsdatum 2023-09-15 (om 10 dagar)" in client.get("/").content.decode()

    services.audit_update(actor=SYSTEM, report=report, answered_on=D(2023, 9, 12))
    case.refresh_from_db()
    assert case.replied_on == D(2023, 9, 12)
    assert "Granskning av bistånd" not in client.get("/").content.decode()
    assert cast  # the demo organisation's users exist


def test_a_remiss_keeps_its_own_date(node):
    from styra.meetings.models import ReplyKind

    case = case_create(
        actor=SYSTEM,
        committee=node("SN"),
        title="Remiss",
        reply_kind=ReplyKind.REFERRAL,
        reply_due=D(2023, 10, 1),
    )
    services.audit_register(
        actor=SYSTEM,
        case=case,
        title="Granskning",
        letter_date=D(2023, 6, 1),
        deadline=D(2023, 9, 1),
        recommendations=["R"],
    )
    case.refresh_from_db()
    assert (case.reply_kind, case.reply_due) == ("referral", D(2023, 10, 1))
