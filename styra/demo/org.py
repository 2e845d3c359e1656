"""Demo part 1: the organisation of AVUN and one login per role."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from styra.org.access import system_actor
from styra.org.services import org_load

from .builder import DATA_DIR, DEMO_PASSWORD, DEMO_USERS

TITLE = "Organisation och användare"


def build() -> str:
    result = org_load(actor=system_actor("demo"), path=DATA_DIR / "org.yaml")
    for user in get_user_model().objects.filter(username__in=DEMO_USERS):
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    return f"{result.municipality.name}: {result.created} nya och {result.updated} ändrade enheter"
