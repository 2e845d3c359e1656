"""Who may open what: the one URL × role walk (tests/walk.py) and the tree per role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.walk import CAST, all_patterns, collect_samples, walk


def test_every_url_declares_who_may_open_it():
    for pattern in all_patterns():
        assert hasattr(pattern.callback, "styra_access"), (
            f"{pattern.name} saknar behörighetsmarkering (styra.web.access)"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("username", [*CAST, None])
def test_walk_every_url_with_each_role(client, cast, node, username):
    if username:
        client.force_login(cast[username])
    assert walk(client, username, collect_samples(node)) >= 5


@pytest.mark.django_db
def test_tree_shows_only_the_users_part(client, cast):
    client.force_login(cast["enhetschef"])
    html = client.get(reverse("org_tree")).content.decode()
    assert "Jobbcenter" in html
    assert "Utbildning för vuxna" not in html
    client.force_login(cast["controller"])
    html = client.get(reverse("org_tree")).content.decode()
    assert "Utbildning för vuxna" in html and "Näringslivsenheten" in html
    html = client.get(reverse("org_tree") + "?ar=2020").content.decode()
    assert "Näringslivsenheten" not in html  # closed at the end of 2019


@pytest.mark.django_db
def test_inherited_role_reaches_units_below(cast, node):
    from styra.org import access

    assert access.can(cast["controller"], access.FINANCE, node("NAMND"))
    assert not access.can(cast["enhetschef"], access.FINANCE, node("JC"))
    assert access.can(cast["enhetschef"], access.EDIT, node("JC"))
    assert not access.can(cast["enhetschef"], access.EDIT, node("UFV"))
    assert not access.can(cast["enhetschef"], access.VIEW, node("AVUN"))
