"""Users and roles per org node in the web: thin views over org.services (role_grant,
role_revoke, user_create); the page shows the history of the node's roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from styra.lib.errors import UsageError
from styra.org import access as org_access
from styra.org.models import OrgNode, Role, RoleGrant
from styra.org.services import (
    CONTROLLER_GRANTS,
    login_invite,
    role_grant,
    role_revoke,
    user_create,
)

from . import access
from .history import history_rows
from .submit import once


def _grantable(user, node: OrgNode) -> list[tuple[str, str]]:
    if org_access.can(user, org_access.ADMIN, node):
        return list(Role.choices)
    return [(v, label) for v, label in Role.choices if v in CONTROLLER_GRANTS]


def _message(exc: Exception) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


@access.node(access.FINANCE)
def node_roles(request, node: OrgNode):
    if request.method == "POST":
        return once(request, lambda: _add(request, node))
    return _page(request, node, {}, 200)


def _add(request, node: OrgNode):
    role = request.POST.get("roll", "")
    try:
        if request.POST.get("ny") == "1":
            user = user_create(
                actor=request.user,
                node=node,
                role=role,
                username=request.POST.get("anvandarnamn", ""),
                first_name=request.POST.get("fornamn", ""),
                last_name=request.POST.get("efternamn", ""),
                email=request.POST.get("epost", ""),
                password=request.POST.get("losenord", ""),
            )
        else:
            user = (
                get_user_model()
                .objects.filter(username=request.POST.get("anvandare", ""), is_active=True)
                .first()
            )
            if user is None:
                raise UsageError("Välj en användare.")
            role_grant(actor=request.user, node=node, user=user, role=role)
    except (UsageError, ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
        return _page(request, node, request.POST, 400)
    messages.success(
        request,
        f"{user.get_full_name() or user.username} är {Role(role).label.lower()} på {node.name}.",
    )
    if request.POST.get("ny") == "1" and not user.has_usable_password():
        invite(request, node, user)
    return redirect("node_roles", node_id=node.pk)


def invite(request, node: OrgNode, user) -> bool:
    """Send the invitation to choose a password; the outcome becomes a message."""
    try:
        address = login_invite(
            actor=request.user, node=node, user=user, site_url=request.build_absolute_uri("/")
        )
    except (UsageError, PermissionDenied) as exc:
        messages.error(request, str(exc))
        return False
    except OSError as exc:  # the mail server did not answer
        messages.error(
            request,
            f"Inbjudan till {user.username} kunde inte skickas ({exc.__class__.__name__}); "
            "inloggningen finns, skicka inbjudan igen när e-posten fungerar.",
        )
        return False
    messages.success(request, f"En inbjudan att välja lösenord är skickad till {address}.")
    return True


@access.node(access.FINANCE)
@require_POST
def node_role_invite(request, node: OrgNode, role_grant_id: int):
    """Send (again) the invitation of a login on this node that has no password yet."""
    grant = RoleGrant.objects.filter(pk=role_grant_id, node=node).select_related("user").first()
    if grant is None:
        raise Http404("Behörigheten finns inte.")
    invite(request, node, grant.user)
    return redirect("node_roles", node_id=node.pk)


@access.node(access.FINANCE)
@require_POST
def node_role_revoke(request, node: OrgNode, role_grant_id: int):
    grant = RoleGrant.objects.filter(pk=role_grant_id, node=node).select_related("user").first()
    if grant is None:
        raise Http404("Behörigheten finns inte.")
    try:
        role_revoke(actor=request.user, grant=grant)
        messages.success(
            request,
            f"{grant.user.username} är inte längre {grant.get_role_display().lower()} "
            f"på {node.name}.",
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("node_roles", node_id=node.pk)


def _page(request, node: OrgNode, typed, status: int):
    grants = (
        RoleGrant.objects.filter(node=node)
        .select_related("user")
        .order_by("role", "user__username")
    )
    inherited = (
        RoleGrant.objects.filter(node__in=node.ancestors())
        .select_related("user", "node")
        .order_by("node__sort_order", "role")
    )
    below = (
        RoleGrant.objects.filter(node__parent=node)
        .select_related("user", "node")
        .order_by("node__sort_order", "role")
    )
    users = get_user_model().objects.filter(is_active=True, is_superuser=False).order_by("username")
    records = (
        RoleGrant.history.filter(node_id=node.pk)
        .select_related("history_user")
        .order_by("-history_date")
    )
    labels = dict(Role.choices)
    return render(
        request,
        "web/node_roles.html",
        {
            "node": node,
            "grants": grants,
            "inherited": inherited,
            "below": below,
            "users": users,
            "roles": _grantable(request.user, node),
            "typed": typed,
            "history": history_rows(
                records,
                lambda r: (
                    f"rollen {labels.get(r.role, r.role).lower()} för "
                    f"{getattr(r.user, 'username', r.user_id)}"
                ),
            ),
        },
        status=status,
    )
