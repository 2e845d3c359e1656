"""Template context for every page: the menu entries the signed-in user can use.

Each app's urls.py may declare NAV = [(url_name, label, capability)]; an entry shows when
the user holds the capability somewhere (styra.org.access).
"""

import importlib

from styra.org import access

APPS = ["ledger", "finance", "goals", "reports", "meetings", "checker"]
BASE_NAV = [("start", "Start", access.VIEW), ("org_tree", "Organisation", access.VIEW)]


def _nav_entries():
    entries = list(BASE_NAV)
    for app in APPS:
        entries.extend(getattr(importlib.import_module(f"styra.{app}.urls"), "NAV", []))
    return entries


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    held = {cap for cap in access.CAPABILITIES if access.nodes_for(user, cap)}
    held.add(access.VIEW)  # the start page and the tree are for every signed-in user
    return {"nav": [(name, label) for name, label, cap in _nav_entries() if cap in held]}
