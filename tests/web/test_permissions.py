"""Walk every URL with every member of the cast and check who may do what.

The expectations below are written out by hand from the role table in docs/roles.md,
independently of styra.org.access, so a wrong mapping there makes this test fail.

Each URL parameter needs a sample value: tests/<app>/url_samples.py defines
`samples(node) -> {parameter: (node code the view checks, value)}`, creating what it needs.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from styra.web.access import LOGIN, PUBLIC

ALL = {"view", "edit", "finance", "meetings", "admin"}
# What each demo user may do on Jobbcenter (a unit) and on AVUN (the committee).
ALLOWED = {
    "JC": {
        "controller": {"view", "edit", "finance"},
        "enhetschef": {"view", "edit"},
        "enhetschef2": set(),  # unit manager of another unit: nothing on Jobbcenter
        "sekreterare": {"view", "meetings"},
        "ledamot": {"view"},
        "admin": ALL,
    },
    "AVUN": {
        "controller": {"view", "edit", "finance"},
        "enhetschef": set(),  # a unit's role does not reach up to the committee
        "enhetschef2": set(),
        "sekreterare": {"view", "meetings"},
        "ledamot": {"view"},
        "admin": ALL,
    },
}


def all_patterns(resolvers=None):
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from all_patterns(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            yield entry


def collect_samples(node) -> dict:
    samples = {"node_id": ("JC", node("JC").pk)}
    for module in pkgutil.iter_modules(tests.__path__):
        try:
            mod = importlib.import_module(f"tests.{module.name}.url_samples")
        except ModuleNotFoundError:
            continue
        samples.update(mod.samples(node))
    return samples


def test_every_url_declares_who_may_open_it():
    for pattern in all_patterns():
        assert hasattr(pattern.callback, "styra_access"), (
            f"{pattern.name} saknar behörighetsmarkering (styra.web.access)"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("username", [*ALLOWED["JC"], None])
def test_walk_every_url_with_each_role(client, cast, node, username):
    if username:
        client.force_login(cast[username])
    samples = collect_samples(node)
    checked = 0
    for pattern in all_patterns():
        params = list(pattern.pattern.converters)
        missing = [p for p in params if p not in samples]
        assert not missing, f"{pattern.name}: lägg till exempelvärden för {missing}"
        kwargs = {p: samples[p][1] for p in params}
        checked_node = samples[params[0]][0] if params else None
        url = reverse(pattern.name, kwargs=kwargs)
        response = client.get(url)
        need = pattern.callback.styra_access
        where = f"{username or 'anonym'} GET {url} ({need} på {checked_node})"
        if need == PUBLIC:
            assert response.status_code in (200, 302, 405), where
            assert "logga-in/?next" not in response.get("Location", ""), where
        elif username is None:
            assert response.status_code == 302, where
            assert reverse("login") in response["Location"], where
        elif need == LOGIN or need in ALLOWED[checked_node][username]:
            # 405: a form-posting address opened with GET; the door itself was open.
            assert response.status_code in (200, 405), where
        else:
            assert response.status_code == 403, where
        checked += 1
    assert checked >= 5


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
