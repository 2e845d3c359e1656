"""Demo part: AVUN's goals, measures, assessments and assignments at Delårsrapport 2 2020.

Loaded from styra/demo/data/goals/ through the goals file service (docs/goals.md).
"""

from __future__ import annotations

from styra.goals.calc import assessment_sentence
from styra.goals.services import goals_load
from styra.org.access import system_actor

from .builder import DATA_DIR

TITLE = "Mål och mått"


def build() -> str:
    summary = []
    for path in sorted((DATA_DIR / "goals").glob("*.yaml")):
        result = goals_load(actor=system_actor("demo"), path=path)
        line = f"{result.goals} nämndmål, {result.measures} mått, {result.assignments} uppdrag"
        if result.counts is not None:
            line += f"; {assessment_sentence(result.counts, occasion='vid ' + result.event.code)}"
        summary.append(line)
    return "; ".join(summary) or "inga målfiler"
