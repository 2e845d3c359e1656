"""The one "today" of Styra: the real date, or settings.STYRA_TODAY (the demo's date).

Every date a user sees as "today" comes from here: new diarienummer years, deadline and
notice warnings, the date on a paper, the justering day, the start pages' next steps.
Timestamps of what happened (approved at, sent at) come from `now()`, which in the demo
is the demo's date at the real time of day, so the order of events is kept.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def today() -> dt.date:
    if settings.STYRA_TODAY:
        return dt.date.fromisoformat(settings.STYRA_TODAY)
    return timezone.localdate()


def now() -> dt.datetime:
    real = timezone.now()
    if settings.STYRA_TODAY:
        local = timezone.localtime(real)
        return timezone.make_aware(dt.datetime.combine(today(), local.time()))
    return real
