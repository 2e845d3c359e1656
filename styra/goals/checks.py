"""Warnings about what a goal analysis says, shown beside it while it is written.

The goals' own rule (calc.claim_warnings: the text says the target is met while a measure
says it is not) and the checks other apps register: the reports app registers the report
check (figures in the text against the report's tables), which this layer cannot import.

    register_analysis_check(func)   func(committee, event, {goal: text}) -> {goal id: [str]}
    analysis_warnings(committee, event, {goal: text}) -> {goal id: [str]}
"""

from __future__ import annotations

from collections.abc import Callable

from . import calc, selectors

AnalysisCheck = Callable[[object, object, dict], dict[int, list[str]]]
_CHECKS: list[AnalysisCheck] = []


def register_analysis_check(func: AnalysisCheck) -> None:
    if func not in _CHECKS:
        _CHECKS.append(func)


def analysis_warnings(committee, event, texts: dict) -> dict[int, list[str]]:
    """Every warning for each goal's analysis as given (typed or saved), by goal id."""
    texts = {g: t for g, t in texts.items() if t.strip()}
    out: dict[int, list[str]] = {g.pk: [] for g in texts}
    if not texts:
        return out
    for goal, text in texts.items():
        data = selectors.goal_data(goal, event)
        judgements = [m.judgement for m in data.measures]
        out[goal.pk] += [w.message for w in calc.claim_warnings(text, judgements)]
    for check in _CHECKS:
        for goal_id, messages in check(committee, event, texts).items():
            out.setdefault(goal_id, []).extend(messages)
    # The same sentence found twice (two analyses of one målområde alike) is said once.
    return {goal_id: list(dict.fromkeys(messages)) for goal_id, messages in out.items()}
