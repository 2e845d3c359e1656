"""Template context for every page: the menu entries the signed-in user can use.

Each app's urls.py may declare NAV = [(url_name, label, capability)]; an entry shows when
the user holds the capability somewhere (styra.org.access). The capability may be a tuple:
the entry shows when the user holds any of them.
"""

import importlib

from styra.org import access
from styra.org.models import Role, RoleGrant

APPS = [
    "ledger", "finance", "goals", "reports", "meetings", "checker", "control", "forms", "planning",
    "api",
]  # fmt: skip
BASE_NAV = [("start", "Start", access.VIEW), ("org_tree", "Organisation", access.VIEW)]


def _nav_entries():
    entries = list(BASE_NAV)
    for app in APPS:
        entries.extend(getattr(importlib.import_module(f"styra.{app}.urls"), "NAV", []))
    return entries


def node_links(user, node) -> list[tuple[str, str]]:
    """Links for an org node's page that the user may follow: (url, label).

    Each app's urls.py may declare NODE_LINKS = [(url_name, label, capability, kinds)];
    the url takes node_id; kinds is a set of node kinds or None for every kind.
    """
    from django.urls import reverse

    links = []
    for app in APPS:
        module = importlib.import_module(f"styra.{app}.urls")
        for name, label, cap, kinds in getattr(module, "NODE_LINKS", []):
            if (kinds is None or node.kind in kinds) and access.can(user, cap, node):
                links.append((reverse(name, kwargs={"node_id": node.pk}), label))
    return links


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        from django.conf import settings

        return {"nav": [], "sso_enabled": bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))}
    # A role held on any node gives its capabilities somewhere: one query, not a tree walk.
    if user.is_superuser:
        roles = set(Role.values)
    else:
        roles = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
    held = {cap for cap, allowed in access.CAPABILITIES.items() if roles & allowed}
    held.add(access.VIEW)  # the start page and the tree are for every signed-in user
    return {
        "nav": [
            (name, label)
            for name, label, cap in _nav_entries()
            if held & set(cap if isinstance(cap, tuple) else (cap,))
        ]
    }
