"""E-mail reminders of the state grants' deadlines: `styra planning remind` sends each
due deadline once per controller through a real SMTP server (aiosmtpd), records every
recipient, retries what the server refused and reminds again when a deadline moves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from styra.cli import main
from styra.planning import calc, services
from styra.planning.models import GrantReminder
from tests.actors import SYSTEM
from tests.smtp import _free_port

D = dt.date
SN_CONTROLLER = "sn-controller@demo.styra.se"


@pytest.mark.parametrize(
    ("deadline", "today", "due"),
    [
        (D(2020, 9, 17), D(2020, 9, 3), True),  # 14 days ahead
        (D(2020, 9, 18), D(2020, 9, 3), False),  # 15 days ahead
        (D(2020, 9, 3), D(2020, 9, 3), True),  # the day itself
        (D(2020, 9, 2), D(2020, 9, 3), False),  # passed
    ],
)
def test_reminder_due(deadline, today, due):
    assert calc.reminder_due(deadline, today, 14) is due


@pytest.fixture
def grants(node, settings):
    settings.STYRA_TODAY = "2020-09-03"
    settings.STYRA_PUBLIC_URL = "https://styra.kommun.se"
    sn = node("SN")

    def grant(name, status="beviljat", **dates):
        return services.grant_save(
            actor=SYSTEM,
            committee=sn,
            name=name,
            grantor="Socialstyrelsen",
            mechanism="rekvirera",
            status=status,
            amounts={2020: 100000},
            **dates,
        )

    return {
        # the report is due in 12 days; the requisition in 57 (not yet)
        "staffing": grant(
            "Stärkt bemanning", report_by=D(2020, 9, 15), requisition_by=D(2020, 10, 30)
        ),
        "homeless": grant("Hemlöshet", use_until=D(2020, 9, 3)),
        "closed": grant("Avslutat bidrag", status="avslutat", report_by=D(2020, 9, 10)),
        "passed": grant("Passerat", repay_by=D(2020, 9, 1)),
    }


def test_remind_sends_each_deadline_once_per_controller(grants, smtp_server, capsys):
    assert main(["planning", "remind"]) == 0
    (message,) = smtp_server.messages
    assert message.envelope_to == [SN_CONTROLLER]
    body = message.get_content()
    assert (
        "Stärkt bemanning (Socialstyrelsen): återrapporteras senast 2020-09-15 (om 12 dagar)"
        in (body)
    )
    assert "Hemlöshet (Socialstyrelsen): används senast 2020-09-03 (i dag)" in body
    for name in ("rekvireras senast 2020-10-30", "Avslutat bidrag", "Passerat"):
        assert name not in body
    sn = grants["staffing"].committee
    assert f"https://styra.kommun.se/planering/{sn.pk}/statsbidrag/" in body
    assert "2 tidsgränser" in message["Subject"]
    rows = GrantReminder.objects.order_by("grant__name")
    assert [(r.grant.name, r.deadline, r.recipient) for r in rows] == [
        ("Hemlöshet", "use_until", SN_CONTROLLER),
        ("Stärkt bemanning", "report_by", SN_CONTROLLER),
    ]
    assert all(r.sent_at is not None and r.error == "" for r in rows)
    assert "2 påminnelser skickade, 0 redan skickade" in capsys.readouterr().out

    # the grants page shows who was reminded of what
    from django.test import Client

    web = Client()
    web.force_login(get_user_model().objects.get(username="sn-controller"))
    html = web.get(f"/planering/{sn.pk}/statsbidrag/").content.decode()
    assert "återrapporteras senast 2020-09-15" in html and SN_CONTROLLER in html

    # the next day's run sends nothing again
    assert main(["planning", "remind"]) == 0
    assert len(smtp_server.messages) == 1
    assert "0 påminnelser skickade, 2 redan skickade" in capsys.readouterr().out

    # a moved deadline is a new one
    services.grant_save(
        actor=SYSTEM,
        committee=sn,
        grant=grants["staffing"],
        name="Stärkt bemanning",
        amounts={2020: 100000},
        report_by=D(2020, 9, 16),
    )
    assert main(["planning", "remind"]) == 0
    assert len(smtp_server.messages) == 2
    assert "återrapporteras senast 2020-09-16" in smtp_server.messages[1].get_content()
    assert "Hemlöshet" not in smtp_server.messages[1].get_content()


def test_every_controller_gets_their_own_mail_and_others_none(grants, smtp_server, node):
    from styra.org.models import Role, RoleGrant

    second = get_user_model().objects.create(username="sn2", email="sn2@demo.styra.se")
    RoleGrant.objects.create(user=second, node=node("SN"), role=Role.CONTROLLER)
    silent = get_user_model().objects.create(username="sn3", email="")
    RoleGrant.objects.create(user=silent, node=node("SN"), role=Role.CONTROLLER)
    assert main(["planning", "remind"]) == 0
    assert sorted(m.envelope_to[0] for m in smtp_server.messages) == [
        SN_CONTROLLER,
        "sn2@demo.styra.se",
    ]
    assert smtp_server.to("controller@demo.styra.se") == []  # AVUN's controller
    assert GrantReminder.objects.filter(recipient="sn2@demo.styra.se").count() == 2


def test_a_refused_mail_is_recorded_and_sent_on_the_next_run(grants, smtp_server, settings):
    real_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _free_port()  # nobody listens there
    assert main(["planning", "remind"]) == 1
    rows = list(GrantReminder.objects.all())
    assert len(rows) == 2
    assert all(r.sent_at is None and r.error for r in rows)
    assert smtp_server.messages == []
    settings.EMAIL_PORT = real_port
    assert main(["planning", "remind"]) == 0
    assert len(smtp_server.messages) == 1
    assert all(r.sent_at is not None and r.error == "" for r in GrantReminder.objects.all())


def test_only_the_system_sends_reminders(grants, smtp_server, cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.grant_reminders_send(actor=cast["admin"], today=D(2020, 9, 3))
    assert smtp_server.messages == []
    assert not GrantReminder.objects.exists()


def test_a_controller_sends_the_reminders_of_their_own_committee(grants, smtp_server, cast, node):
    from django.core.exceptions import PermissionDenied

    sn_controller = get_user_model().objects.get(username="sn-controller")
    with pytest.raises(PermissionDenied):  # AVUN's controller has no right on SN
        services.grant_reminders_send(
            actor=cast["controller"], today=D(2020, 9, 3), committee=node("SN")
        )
    assert smtp_server.messages == []
    run = services.grant_reminders_send(
        actor=sn_controller, today=D(2020, 9, 3), committee=node("SN")
    )
    assert sorted(r.grant.name for r in run.sent) == ["Hemlöshet", "Stärkt bemanning"]
    (message,) = smtp_server.messages
    assert message.envelope_to == [SN_CONTROLLER]
    # the same run again (the nightly command) sends nothing twice
    assert main(["planning", "remind"]) == 0
    assert len(smtp_server.messages) == 1
