"""The scale build as a background job (`styra demo --scale NAME --bakgrund`): the same
build_scale as in the terminal, its steps reported as one progress."""

from __future__ import annotations

from styra.tasks.registry import background

# Each step's share of the whole build, as measured at Stockholm scale on PostgreSQL
# (organisation 52 s, SIE files 41 s, ledger import 441 s, budget 7 s, goals 0.5 s).
STEP_SHARES = {
    "Organisation": 0.09,
    "SIE-filer": 0.07,
    "Huvudbok (import)": 0.80,
    "Budget, händelser, prognoser": 0.03,
    "Mål och mått": 0.01,
}


def _count(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


class StepProgress:
    """build_scale's progress(step, done, total) as one fraction and a Swedish message."""

    def __init__(self, report):
        self.report = report  # report(fraction, message)
        self.done_steps: set[str] = set()

    def __call__(self, step: str, done: int, total: int) -> None:
        before = sum(STEP_SHARES.get(s, 0.0) for s in self.done_steps if s != step)
        share = STEP_SHARES.get(step, 0.0)
        part = done / total if total else 1.0
        if part >= 1:
            self.done_steps.add(step)
        message = step if total <= 1 else f"{step}: {_count(done)} av {_count(total)}"
        self.report(min(1.0, before + share * part), message)


@background("demo.scale", label="Skaldata", priority=-10)
def build_scale_job(job, *, name: str) -> dict:
    from .scale import build_scale

    try:
        summary = build_scale(name, progress=StepProgress(job.progress))
    except ValueError as exc:  # an unknown scale name
        from styra.tasks.runner import TaskFailed

        raise TaskFailed(str(exc)) from exc
    return {"summary": summary.text()}
