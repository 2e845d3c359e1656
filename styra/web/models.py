"""The web's own bookkeeping: submitted forms (so that a double submit does nothing twice)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SubmitToken(models.Model):
    """A form that creates something carries a one-time token; the first submit claims it
    (the unique index makes a concurrent second submit wait and then fail), and a repeated
    submit is sent to where the first one went."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    result_url = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = "skickat formulär"
        verbose_name_plural = "skickade formulär"

    def __str__(self) -> str:
        return self.token
