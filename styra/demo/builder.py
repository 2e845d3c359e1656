"""Builds the demo municipality from the raw inputs shipped in styra/demo/data/.

Idempotent: running it again updates in place and never duplicates. Each capability adds
its own module styra/demo/<part>.py with `TITLE` and `build() -> str` (a one-line summary);
they run in the order of PARTS, inside one transaction.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "styra-demo"
DEMO_COMMITTEE = "AVUN"
# The date the demo is served as: after the August close, before the 2020-09-10 meeting.
DEMO_TODAY = "2020-09-03"

# username -> what the demo login is for (printed by `styra demo`).
DEMO_USERS = {
    "controller": "controller för nämnden",
    "enhetschef": "verksamhetschef för Jobbcenter",
    "enhetschef2": "verksamhetschef för Utbildning för vuxna",
    "sekreterare": "nämndsekreterare",
    "ledamot": "ledamot (läsare)",
    "ordforande": "nämndens ordförande (justerar protokoll)",
    "admin": "administratör",
    "sn-controller": "controller för Socialnämnden",
    "sn-sekreterare": "nämndsekreterare för Socialnämnden",
    "amn-controller": "controller för Arbetsmarknadsnämnden (Stockholm)",
}

PARTS = ["org", "ledger", "finance", "goals", "reports", "meetings", "control", "forms", "planning"]


def parts() -> list[ModuleType]:
    found = []
    for name in PARTS:
        try:
            found.append(importlib.import_module(f"styra.demo.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"styra.demo.{name}":
                raise
    return found


def build_demo(progress: Callable[[str, str], None] | None = None) -> None:
    with transaction.atomic():
        for part in parts():
            summary = part.build()
            if progress:
                progress(part.TITLE, summary)
