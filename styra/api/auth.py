"""Who is calling the API: the person whose token is in `Authorization: Bearer <key>`."""

from __future__ import annotations

from django.utils import timezone
from ninja.security import HttpBearer

from .models import ApiToken
from .services import PREFIX, key_hash


def token_user(key: str):
    """The user a key belongs to, or None (unknown, revoked, inactive user). Marks the use."""
    if not key or not key.startswith(PREFIX) or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=key_hash(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class TokenAuth(HttpBearer):
    """A valid, unrevoked key of an active user; the request then acts as that user."""

    def authenticate(self, request, token):
        user = token_user(token)
        if user is not None:
            request.user = user
        return user
