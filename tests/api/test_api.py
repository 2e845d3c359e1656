"""The read API: tokens, rights as in the web (unit roles read their subtree, other
committees answer 404), and figures from the same engine as the pages."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from styra.api.models import ApiToken
from styra.api.services import token_create, token_revoke
from styra.calendar.models import ReportingEvent
from tests.actors import SYSTEM
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def _get(client, url, key=None):
    return client.get("/api/v1" + url, **(bearer(key) if key else {}))


def test_every_operation_needs_a_key(client, api_world, node):
    avun = node("AVUN").pk
    urls = [
        "/kommuner", "/namnder", f"/noder/{avun}", f"/namnder/{avun}/rapporttillfallen",
        f"/namnder/{avun}/rapporttillfallen/2020-D2/siffror", f"/namnder/{avun}/mal/2020",
        f"/namnder/{avun}/internkontroll/2020", f"/namnder/{avun}/resultatenheter/2020",
    ]  # fmt: skip
    for url in urls:
        assert _get(client, url).status_code == 401, url
        assert _get(client, url, "styra_inte-en-nyckel").status_code == 401, url
    assert _get(client, "/namnder", api_world["controller"]).status_code == 200


def test_a_revoked_key_stops_working_and_only_its_hash_is_stored(client, api_world):
    key = api_world["controller"]
    token = ApiToken.objects.get(user__username="controller")
    assert key not in token.key_hash and token.prefix == key[:10]
    token_revoke(actor=SYSTEM, token=token)
    assert _get(client, "/namnder", key).status_code == 401


def test_a_person_makes_keys_for_themself_only(cast):
    with pytest.raises(Exception, match="bara skapa API-nycklar åt dig själv"):
        token_create(actor=cast["enhetschef"], user=cast["controller"], name="x")
    _, key = token_create(actor=cast["enhetschef"], user=cast["enhetschef"], name="x")
    assert key.startswith("styra_")


def test_an_administrator_makes_keys_only_for_people_within_the_own_part(cast, node):
    """A key acts as its person: only who administers every node the person has a role on
    may make one for them (never for a superuser)."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied

    from styra.org.models import RoleGrant

    unit_admin = get_user_model().objects.create_user("enhetsadmin")
    RoleGrant.objects.create(user=unit_admin, node=node("JC"), role="administrator")
    boss = get_user_model().objects.create_superuser("chef", password="x")
    for victim in (cast["controller"], cast["sekreterare"], boss):
        with pytest.raises(PermissionDenied):
            token_create(actor=unit_admin, user=victim, name="x")
    with pytest.raises(PermissionDenied):
        token_create(actor=cast["admin"], user=boss, name="x")
    token = token_create(actor=cast["admin"], user=cast["controller"], name="x")[0]
    with pytest.raises(PermissionDenied):
        token_revoke(actor=unit_admin, token=token)
    assert token_create(actor=unit_admin, user=cast["enhetschef"], name="x")[1]


def test_another_committee_answers_404(client, api_world, node):
    sn = node("SN").pk
    key = api_world["controller"]
    assert _get(client, f"/namnder/{sn}/rapporttillfallen", key).status_code == 404
    assert _get(client, f"/noder/{sn}", key).status_code == 404
    names = [c["code"] for c in _get(client, "/namnder", key).json()]
    assert "AVUN" in names and "SN" not in names


def _engine(committee, event, within=None):
    from styra.finance.figures import follow_up

    return follow_up(committee, event, level="report", grouping="coarse3", within=within)


def test_figures_are_the_engines_exact_amounts(client, api_world, node):
    avun = node("AVUN")
    event = ReportingEvent.objects.get(committee=avun, code="2020-D2")
    data = _get(client, f"/namnder/{avun.pk}/rapporttillfallen/2020-D2/siffror",
                api_world["controller"]).json()  # fmt: skip
    expected = _engine(avun, event)
    assert data["scope"]["code"] == "AVUN"
    assert Decimal(data["total"]["net"]["forecast"]) == expected.total.net.forecast
    assert Decimal(data["total"]["net"]["deviation"]) == expected.total.net.deviation
    by_code = {u["unit"]["code"]: u for u in data["units"]}
    for u in expected.units:
        got = by_code[u.unit.code]
        for key, f in u.by_row.items():
            assert Decimal(got["rows"][key]["outcome"]) == f.outcome
            assert Decimal(got["rows"][key]["budget"]) == f.budget
    assert data["total"]["net"]["deviation"] == str(expected.total.net.deviation)  # exact


def test_a_unit_manager_reads_only_the_own_subtree(client, api_world, node):
    avun, jc = node("AVUN"), node("JC")
    event = ReportingEvent.objects.get(committee=avun, code="2020-D2")
    key = api_world["enhetschef"]
    data = _get(client, f"/namnder/{avun.pk}/rapporttillfallen/2020-D2/siffror", key).json()
    assert data["scope"]["code"] == "JC"
    assert {u["unit"]["code"] for u in data["units"]} == {"JC"}
    assert Decimal(data["total"]["net"]["budget"]) == _engine(avun, event, jc).total.net.budget
    assert _get(client, f"/namnder/{avun.pk}/mal/2020", key).status_code == 404
    assert _get(client, f"/noder/{node('UFV').pk}", key).status_code == 404


def test_the_command_makes_a_key_that_works(client, api_world):
    out = io.StringIO()
    call_command("api", "token", "--user", "ledamot", "--name", "Skript", stdout=out)
    key = out.getvalue().strip()
    assert _get(client, "/kommuner", key).json()[0]["name"] == "Botkyrka (demo)"


def test_the_key_page_shows_a_new_key_once(client, cast, demo_org):
    client.force_login(cast["controller"])
    response = client.post("/api-nycklar/", {"name": "Power BI"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.startswith("styra_") and key in response.content.decode()
    assert key not in client.get("/api-nycklar/").content.decode()
    assert _get(client, "/namnder", key).status_code == 200
