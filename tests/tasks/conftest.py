"""A small organisation with the shared cast's names and roles, made directly (the demo
organisation's loader costs seconds per test; these tests need only the roles)."""

from __future__ import annotations

import pytest

ROLES = {
    "controller": ("AVUN", "controller"),
    "enhetschef": ("JC", "editor"),
    "enhetschef2": ("UFV", "editor"),
    "sekreterare": ("AVUN", "secretary"),
    "ledamot": ("AVUN", "reader"),
    "admin": ("AVUN", "administrator"),
}


@pytest.fixture
def small_org(db):
    from styra.org.models import Municipality, OrgNode

    muni = Municipality.objects.create(name="Provkommun", org_number="212000-2882")
    avun = OrgNode.objects.create(
        municipality=muni, kind="committee", code="AVUN", name="Provnämnden", short_name="AVUN"
    )
    nodes = {"AVUN": avun}
    for code, name in (("JC", "Jobbcenter"), ("UFV", "Utbildning för vuxna")):
        nodes[code] = OrgNode.objects.create(
            municipality=muni, kind="unit", code=code, name=name, parent=avun
        )
    return nodes


@pytest.fixture
def node(small_org):
    return small_org.__getitem__


@pytest.fixture
def cast(small_org, django_user_model):
    from styra.org.models import RoleGrant

    people = {}
    for username, (code, role) in ROLES.items():
        user = django_user_model.objects.create(username=username)
        RoleGrant.objects.create(user=user, node=small_org[code], role=role)
        people[username] = user
    return people
