"""Logins without a password handed over: the invitation (org.services.login_invite) and
"Glömt lösenordet?" send a one-time link through the configured SMTP server (a real one,
aiosmtpd); the forgot page answers the same for every address."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client

from styra.lib.errors import UsageError
from styra.meetings import services as meetings
from styra.org.services import login_invite, user_create

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/logga-in/valj-losenord/[^/\s]+/[^/\s]+/)")


def _member(cast, node, username="nyledamot", email="ny.ledamot@kommun.example"):
    row = meetings.roster_member_add(
        actor=cast["sekreterare"],
        committee=node("AVUN"),
        name="Ny Ledamot",
        post="member",
        start_date=__import__("datetime").date(2020, 1, 1),
        email=email,
        username=username,
    )
    return row.person.user


def test_secretary_invites_a_member_who_sets_the_password_once(cast, node, smtp_server):
    user = _member(cast, node)
    assert not user.has_usable_password()
    address = login_invite(
        actor=cast["sekreterare"], node=node("AVUN"), user=user, site_url="http://testserver/"
    )
    assert address == "ny.ledamot@kommun.example"
    (mail,) = smtp_server.to(address)
    body = mail.get_content()
    assert "nyledamot" in body and mail["Subject"] == "Din inloggning till Styra"
    path = LINK.search(body).group(1)

    client = Client()
    form = client.get(path, follow=True)
    assert form.status_code == 200 and "Välj ett lösenord" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Kanelbulle-2020", "new_password2": "Kanelbulle-2020"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Kanelbulle-2020")
    # the link is spent; and a login with a password is not invited again
    again = Client().get(path, follow=True)
    assert "Länken fungerar inte längre" in again.content.decode()
    with pytest.raises(UsageError, match="redan ett lösenord"):
        login_invite(actor=cast["sekreterare"], node=node("AVUN"), user=user, site_url="http://x/")


def test_invitation_is_refused_without_the_right_an_address_or_a_role(cast, node, smtp_server):
    user = _member(cast, node, username="utanpost", email="")
    with pytest.raises(UsageError, match="ingen e-postadress"):
        login_invite(actor=cast["sekreterare"], node=node("AVUN"), user=user, site_url="http://x/")
    with pytest.raises(PermissionDenied):
        login_invite(actor=cast["enhetschef"], node=node("JC"), user=user, site_url="http://x/")
    stranger = get_user_model().objects.create(username="fri", email="fri@kommun.example")
    stranger.set_unusable_password()
    stranger.save()
    with pytest.raises(UsageError, match="ingen roll"):
        login_invite(
            actor=cast["sekreterare"], node=node("AVUN"), user=stranger, site_url="http://x/"
        )
    assert smtp_server.messages == []


def test_admin_creates_a_login_without_password_and_the_invitation_goes_out(
    cast, node, smtp_server
):
    client = Client()
    client.force_login(cast["admin"])
    response = client.post(
        f"/organisation/{node('JC').pk}/behorigheter/",
        {
            "ny": "1",
            "fornamn": "Vera",
            "efternamn": "Vikarie",
            "epost": "vera@kommun.example",
            "anvandarnamn": "vera",
            "losenord": "",
            "roll": "editor",
        },
        follow=True,
    )
    assert "En inbjudan att välja lösenord är skickad till vera@kommun.example" in (
        response.content.decode()
    )
    assert LINK.search(smtp_server.to("vera@kommun.example")[0].get_content())
    assert not get_user_model().objects.get(username="vera").has_usable_password()
    # without an address there is nobody to invite: a password or an address is needed
    with pytest.raises(Exception, match="e-postadress"):
        user_create(
            actor=cast["admin"],
            node=node("JC"),
            role="editor",
            username="utan",
            first_name="U",
            last_name="T",
            email="",
            password="",
        )


def test_forgot_password_never_tells_whether_the_address_exists(cast, node, smtp_server):
    user = _member(cast, node)
    client = Client()
    unknown = client.post("/logga-in/glomt/", {"email": "ingen@kommun.example"}, follow=True)
    known = client.post("/logga-in/glomt/", {"email": "NY.LEDAMOT@kommun.example"}, follow=True)
    assert unknown.status_code == known.status_code == 200
    assert unknown.redirect_chain == known.redirect_chain
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|nonce="[^"]*"')
    assert strip.sub("", unknown.content.decode()) == strip.sub("", known.content.decode())
    assert smtp_server.to("ingen@kommun.example") == []
    (mail,) = smtp_server.to("ny.ledamot@kommun.example")
    path = LINK.search(mail.get_content()).group(1)
    form = client.get(path, follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Kanelbulle-2020", "new_password2": "Kanelbulle-2020"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Kanelbulle-2020")


def test_a_broken_mail_server_is_a_message_not_a_traceback(cast, node, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    client = Client()
    client.force_login(cast["sekreterare"])
    response = client.post(
        f"/namnden/{node('AVUN').pk}/ledamoter/",
        {
            "action": "member",
            "name": "Olle Offline",
            "post": "member",
            "start_date": "2020-01-01",
            "email": "olle@kommun.example",
            "username": "olle",
        },
        follow=True,
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Inbjudan till olle kunde inte skickas" in text
    assert get_user_model().objects.filter(username="olle").exists()
    # the forgot page still answers as always
    forgot = Client().post("/logga-in/glomt/", {"email": "olle@kommun.example"}, follow=True)
    assert forgot.status_code == 200 and "Kolla din e-post" in forgot.content.decode()
