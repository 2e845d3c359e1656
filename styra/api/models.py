"""API tokens: one person's key to the read API, with that person's rights.

Only a hash of the key is stored; the key itself is shown once, when it is made. A token can
be revoked; its last use is kept so that unused keys can be found."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("namn", max_length=100)
    prefix = models.CharField("början av nyckeln", max_length=12)  # shown to tell keys apart
    key_hash = models.CharField(max_length=64, unique=True)  # sha256 of the key, hex
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    last_used_at = models.DateTimeField("senast använd", null=True, blank=True)
    revoked_at = models.DateTimeField("återkallad", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API-nyckel"
        verbose_name_plural = "API-nycklar"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
