"""Making and revoking API tokens. A person makes and revokes their own; the administrator
(ADMIN on some node, or a superuser) and the system may do it for anyone."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from styra.org import access

from .models import ApiToken

PREFIX = "styra_"


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _may_manage(actor, user) -> bool:
    access.check_actor(actor)
    if access.is_system(actor) or getattr(actor, "is_superuser", False):
        return True
    if getattr(actor, "pk", None) == user.pk:
        return True
    return bool(access.nodes_for(actor, access.ADMIN))


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
