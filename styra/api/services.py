"""Making and revoking API tokens. A person makes and revokes their own; the system, a
superuser, and the administrator of every node the person has a role on may do it for them."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from styra.org import access
from styra.org.models import RoleGrant

from .models import ApiToken

PREFIX = "styra_"


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _may_manage(actor, user) -> bool:
    """A key acts as its person, so making one is acting as them: the person themself, the
    system, a superuser, or whoever administers every node the person has a role on (an
    administrator of one unit or of another municipality does not; nobody but a superuser
    makes a key for a superuser)."""
    access.check_actor(actor)
    if access.is_system(actor) or getattr(actor, "is_superuser", False):
        return True
    if getattr(actor, "pk", None) == user.pk:
        return True
    if user.is_superuser:
        return False
    nodes = [g.node for g in RoleGrant.objects.filter(user=user).select_related("node")]
    return bool(nodes) and all(access.can(actor, access.ADMIN, n) for n in nodes)


def token_create(*, actor, user, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and the key, which is never shown again."""
    if not _may_manage(actor, user):
        raise PermissionDenied("Du får bara skapa API-nycklar åt dig själv.")
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError("Ge nyckeln ett namn (högst 100 tecken), t.ex. vad den används till.")
    key = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[: len(PREFIX) + 4], key_hash=key_hash(key)
    )
    return token, key


def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if not _may_manage(actor, token.user):
        raise PermissionDenied("Du får bara återkalla dina egna API-nycklar.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
