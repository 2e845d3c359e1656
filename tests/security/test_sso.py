"""Single sign-on through OpenID Connect against a real provider on loopback (pyop, see
oidc_provider.py): the person logs in at the provider, comes back and is signed in to the
Styra account with the same e-mail address, with exactly the roles granted in Styra. An
unknown person or a bad code gets the login page with a message, never an account."""

from __future__ import annotations

import pytest
import requests
from django.urls import reverse

from tests.security.oidc_provider import CLIENT_ID, CLIENT_SECRET, OIDCProvider

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver/logga-in/kommunen/klar/"
PEOPLE = {
    "eva": {"sub": "eva-1", "email": "Controller@demo.styra.se", "name": "Eva Ekonom"},
    # The provider says this person is an administrator: Styra does not listen.
    "lars": {"sub": "lars-2", "email": "ledamot@demo.styra.se", "roles": ["administrator"]},
    "okand": {"sub": "okand-3", "email": "okand@annan.kommun.se"},
    # Someone who typed the secretary's address at the provider without proving it.
    "maskerad": {"sub": "mask-4", "email": "sekreterare@demo.styra.se", "email_verified": False},
    "bekraftad": {"sub": "bekr-5", "email": "sekreterare@demo.styra.se", "email_verified": True},
}


@pytest.fixture
def provider(settings, monkeypatch, cast):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with OIDCProvider(PEOPLE, CALLBACK) as op:
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = op.url + "/authorize"
        settings.OIDC_OP_TOKEN_ENDPOINT = op.url + "/token"
        settings.OIDC_OP_USER_ENDPOINT = op.url + "/userinfo"
        settings.OIDC_OP_JWKS_ENDPOINT = op.url + "/jwks"
        settings.OIDC_RP_SIGN_ALGO = "RS256"
        settings.AUTHENTICATION_BACKENDS = [
            *settings.AUTHENTICATION_BACKENDS,
            "styra.web.sso.SSOBackend",
        ]
        yield op


def _sign_in_at_provider(client, provider, who):
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302
    location = start["Location"]
    assert location.startswith(provider.url + "/authorize?")
    form = requests.get(location, timeout=10)  # the provider's own login page
    assert form.status_code == 200 and "Logga in hos kommunen" in form.text
    url, data = provider.login_url_for(location)
    back = requests.post(url, data={**data, "user": who}, allow_redirects=False, timeout=10)
    assert back.status_code == 302 and back.headers["Location"].startswith(CALLBACK)
    return client.get(back.headers["Location"].removeprefix("http://testserver"))


def test_the_login_page_offers_the_municipalitys_account(client, provider):
    page = client.get(reverse("login")).content.decode()
    assert "Logga in med kommunens konto" in page


def test_a_known_person_is_signed_in_to_their_styra_account(client, provider, cast):
    done = _sign_in_at_provider(client, provider, "eva")
    assert done.status_code == 302 and done["Location"] == reverse("start")
    assert int(client.session["_auth_user_id"]) == cast["controller"].pk
    assert client.get(reverse("start")).status_code == 200


def test_roles_come_from_styra_not_from_the_provider(client, provider, cast, node):
    _sign_in_at_provider(client, provider, "lars")
    assert int(client.session["_auth_user_id"]) == cast["ledamot"].pk
    # A member reads, but the provider's "administrator" claim opens nothing more.
    budget = reverse("budget_grid", kwargs={"node_id": node("AVUN").pk})
    assert client.get(budget).status_code == 403


def test_an_unknown_person_gets_the_login_page_and_no_account(client, provider):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.count()
    done = _sign_in_at_provider(client, provider, "okand")
    assert done.status_code == 302 and done["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.count() == users
    page = client.get(done["Location"]).content.decode()
    assert "Inloggningen med kommunens konto gick inte" in page


def test_an_address_the_provider_has_not_verified_opens_no_account(client, provider, cast):
    done = _sign_in_at_provider(client, provider, "maskerad")
    assert done.status_code == 302 and done["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    _sign_in_at_provider(client, provider, "bekraftad")
    assert int(client.session["_auth_user_id"]) == cast["sekreterare"].pk


def test_a_forged_callback_is_refused(client, provider):
    client.get(reverse("oidc_authentication_init"))
    forged = client.get(reverse("oidc_authentication_callback") + "?code=falsk&state=falsk")
    assert forged.status_code in (302, 400)
    assert "_auth_user_id" not in client.session


def test_without_configuration_the_sso_addresses_lead_to_the_login_page(client):
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "Logga in med kommunens konto" not in client.get(reverse("login")).content.decode()
