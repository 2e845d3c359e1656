"""The one permission walk: every URL × every member of the cast (and the public).

The expectations are written out by hand from the role table in docs/roles.md,
independently of styra.org.access, so a wrong mapping there makes the walk fail. Each URL
parameter needs a sample value: tests/<app>/url_samples.py defines
`samples(node) -> {parameter: (node code the view checks, value)}`, creating what it needs.
A view marked with scope "committee" (styra.web.access.committee) is checked against the
committee's row even when its sample node is a unit.
"""

from __future__ import annotations

import importlib
import pkgutil

from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from styra.web.access import LOGIN, PUBLIC

ALL = {"view", "edit", "finance", "meetings", "admin", "confidential"}
# What each demo user may do on Jobbcenter (a unit) and on AVUN (the committee).
ALLOWED = {
    "JC": {
        "controller": {"view", "edit", "finance"},
        "enhetschef": {"view", "edit"},
        "enhetschef2": set(),  # unit manager of another unit: nothing on Jobbcenter
        "sekreterare": {"view", "meetings", "confidential"},
        "ledamot": {"view"},
        "admin": ALL,
    },
    "AVUN": {
        "controller": {"view", "edit", "finance"},
        "enhetschef": set(),  # a unit's role does not reach up to the committee
        "enhetschef2": set(),
        "sekreterare": {"view", "meetings", "confidential"},
        "ledamot": {"view"},
        "admin": ALL,
    },
}
CAST = [*ALLOWED["JC"]]


def all_patterns(resolvers=None):
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "api":
                continue  # the read API takes tokens, not sessions: tests/api/ walks it
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
        found = mod.samples(node)
        clash = sorted(set(found) & set(samples))
        # Two apps using one parameter name would silently test one app's URL with the
        # other's object: each name belongs to one app.
        assert not clash, f"tests/{module.name}/url_samples.py: {clash} finns redan"
        samples.update(found)
    return samples


def walk(client, username, samples, patterns=None, inspect=None) -> int:
    """GET every pattern as the user (None = the public); assert the expected door.
    inspect(url, response), when given, is called with every response as well."""
    checked = 0
    for pattern in patterns if patterns is not None else all_patterns():
        params = list(pattern.pattern.converters)
        missing = [p for p in params if p not in samples]
        assert not missing, f"{pattern.name}: lägg till exempelvärden för {missing}"
        kwargs = {p: samples[p][1] for p in params}
        checked_node = samples[params[0]][0] if params else None
        if getattr(pattern.callback, "styra_scope", "node") == "committee":
            checked_node = "AVUN"
        url = reverse(pattern.name, kwargs=kwargs)
        response = client.get(url)
        if inspect is not None:
            inspect(url, response)
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
    return checked
