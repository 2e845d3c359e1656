"""One way for every view to say who may open it; the permission test reads these marks.

@access.public                      anyone, also without login (the published part)
@access.login                       any signed-in user; the view shows what roles allow
@access.node(access.EDIT)           the view takes node_id; needs EDIT on that node
@access.committee(access.EDIT)      the view takes node_id; needs EDIT on the node's
                                    committee (pages with every unit's figures or texts)
@access.obj(access.MEETINGS, Meeting, "meeting_id", node=lambda m: m.committee)
                                    the view takes meeting_id; needs MEETINGS on the
                                    node the object belongs to
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404

from styra.org import access
from styra.org.access import ADMIN, EDIT, FINANCE, MEETINGS, VIEW  # noqa: F401 (re-export)
from styra.org.models import OrgNode

PUBLIC = "public"
LOGIN = "login"


def public(view):
    view.styra_access = PUBLIC
    return view


def login(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.styra_access = LOGIN
    return wrapper


def obj(
    capability: str,
    model,
    kwarg: str,
    *,
    node: Callable[[object], OrgNode],
    field="pk",
    scope: str = "node",
):
    """The view takes `kwarg` naming a `model` row; the user needs `capability` on its node.

    The view is called as view(request, instance, **other_kwargs).
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            instance = get_object_or_404(model, **{field: kwargs.pop(kwarg)})
            access.require(request.user, capability, node(instance))
            return view(request, instance, *args, **kwargs)

        wrapper.styra_access = capability
        wrapper.styra_scope = scope  # "node" or "committee" (the permission walk reads it)
        return wrapper

    return decorate


def node(capability: str):
    """The view takes `node_id`; the user needs `capability` on that node (or above it)."""
    return obj(
        capability, OrgNode.objects.select_related("municipality"), "node_id", node=lambda n: n
    )


def committee(capability: str):
    """The view takes `node_id`; the user needs `capability` on the node's committee (a
    page that shows the whole committee: a unit role is refused even with its own unit)."""

    def committee_of(n: OrgNode) -> OrgNode:
        found = n.committee()
        if found is None:
            raise Http404("Noden hör inte till någon nämnd.")
        return found

    return obj(
        capability,
        OrgNode.objects.select_related("municipality"),
        "node_id",
        node=committee_of,
        scope="committee",
    )
