"""One way for every view to say who may open it; the permission test reads these marks."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404

from styra.org import access
from styra.org.models import OrgNode

PUBLIC = "public"  # anyone, no login (the published part)
LOGIN = "login"  # any signed-in user; the view shows only what the user's roles allow


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


def node(capability: str):
    """The view takes `node_id`; the user needs `capability` on that node (or above it)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, node_id: int, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            obj = get_object_or_404(OrgNode.objects.select_related("municipality"), pk=node_id)
            access.require(request.user, capability, obj)
            return view(request, obj, *args, **kwargs)

        wrapper.styra_access = capability
        return wrapper

    return decorate
