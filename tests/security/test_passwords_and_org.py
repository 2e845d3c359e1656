"""Passwords go through the configured validators on every path that sets one, and
`styra org load` updates a person whose name changed under the same username (the probe
got an IntegrityError)."""

from __future__ import annotations

import io
import sys
import textwrap

import pytest

from styra.org.access import system_actor
from styra.org.models import Person, RoleGrant
from styra.org.services import org_load

pytestmark = pytest.mark.django_db

ORG = """\
municipality:
  name: Testkommun
  org_number: 212000-2882
nodes:
  - code: N1
    kind: committee
    name: Testnämnden
    short_name: TN
    diarium_prefix: TNX
    valid_from: 2019-01-01
people:
  - name: {name}
    email: {email}
    username: eva
    roles: [{{node: N1, role: {role}}}]
"""


def _load(tmp_path, **values):
    path = tmp_path / "org.yaml"
    path.write_text(textwrap.dedent(ORG.format(**values)), encoding="utf-8")
    return org_load(actor=system_actor("test"), path=path)


def test_a_changed_name_updates_the_same_person(tmp_path):
    _load(tmp_path, name="Eva Ekonom", email="eva@test.se", role="controller")
    _load(tmp_path, name="Eva Andersson", email="eva.a@test.se", role="reader")
    (person,) = Person.objects.all()
    assert (person.name, person.email, person.user.username) == (
        "Eva Andersson",
        "eva.a@test.se",
        "eva",
    )
    assert person.user.first_name == "Eva Andersson"
    assert list(RoleGrant.objects.values_list("role", flat=True)) == ["reader"]


@pytest.mark.parametrize(
    ("password", "why"),
    [("password", "vanligt"), ("kort1", "för kort"), ("12345678", "vanligt")],
)
def test_user_password_refuses_what_the_validators_refuse(password, why):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from styra.command import Fel

    user = get_user_model().objects.create_user("eva")
    user.set_unusable_password()
    user.save()
    stdin = sys.stdin
    try:
        sys.stdin = io.StringIO(password + "\n")
        with pytest.raises(Fel) as refused:
            call_command("user", "password", "eva", "--stdin")
    finally:
        sys.stdin = stdin
    assert "Lösenordet godtas inte" in str(refused.value)
    assert why in str(refused.value)
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_user_password_accepts_a_good_one(capsys):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    user = get_user_model().objects.create_user("eva")
    stdin = sys.stdin
    try:
        sys.stdin = io.StringIO("Gröna-Lövträd-i-Botkyrka-2020\n")
        call_command("user", "password", "eva", "--stdin")
    finally:
        sys.stdin = stdin
    user.refresh_from_db()
    assert user.check_password("Gröna-Lövträd-i-Botkyrka-2020")
