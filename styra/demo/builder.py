"""Builds the demo municipality from the raw inputs shipped in styra/demo/data/.

Idempotent: running it again updates in place and never duplicates. Each capability adds
its own step to STEPS (org first; ledger, finance, goals, reports and meetings follow).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from styra.org.services import org_load

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "styra-demo"
DEMO_COMMITTEE = "AVUN"

# username -> what the demo login is for (printed by `styra demo`, shown on the login page).
DEMO_USERS = {
    "controller": "controller för nämnden",
    "enhetschef": "verksamhetschef för Jobbcenter",
    "enhetschef2": "verksamhetschef för Utbildning för vuxna",
    "sekreterare": "nämndsekreterare",
    "ledamot": "ledamot (läsare)",
    "admin": "administratör",
}


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[], str]


def _org() -> str:
    result = org_load(path=DATA_DIR / "org.yaml")
    User = get_user_model()
    for user in User.objects.filter(username__in=DEMO_USERS):
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    return f"{result.municipality.name}: {result.created} nya och {result.updated} ändrade enheter"


STEPS: list[Step] = [Step("Organisation och användare", _org)]


def build_demo(progress: Callable[[str, str], None] | None = None) -> None:
    with transaction.atomic():
        for step in STEPS:
            summary = step.run()
            if progress:
                progress(step.name, summary)
