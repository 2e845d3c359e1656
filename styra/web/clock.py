"""Today's date for "what to do next": the real date, or settings.STYRA_TODAY (the demo)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def today() -> dt.date:
    if settings.STYRA_TODAY:
        return dt.date.fromisoformat(settings.STYRA_TODAY)
    return timezone.localdate()


def now() -> dt.datetime:
    if settings.STYRA_TODAY:
        return timezone.make_aware(dt.datetime.combine(today(), dt.time(8)))
    return timezone.now()
