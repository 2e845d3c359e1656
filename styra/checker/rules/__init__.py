"""The checks. Each rule is a small function registered under a name; it reads the Document
(with its tables) and returns findings. `run_rules` runs them all, isolating failures: a rule
that raises on an odd document is skipped, never turned into a traceback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..findings import Finding
from ..model import Document
from ..tolerance import Tally


@dataclass
class Context:
    doc: Document
    tally: Tally = field(default_factory=Tally)

    @property
    def kind(self) -> str:
        return self.doc.kind


RuleFunc = Callable[[Context], list[Finding]]
RULES: dict[str, tuple[RuleFunc, str]] = {}


def rule(name: str, description: str) -> Callable[[RuleFunc], RuleFunc]:
    def register(func: RuleFunc) -> RuleFunc:
        RULES[name] = (func, description)
        return func

    return register


def run_rules(ctx: Context, only: list[str] | None = None) -> tuple[list[Finding], list[str]]:
    from . import (  # noqa: F401
        change,
        columns,
        crossref,
        deviation,
        gender,
        goals,
        prose,
        shape,
        sums,
    )

    findings: list[Finding] = []
    ran = []
    for name, (func, _desc) in RULES.items():
        if only and name not in only:
            continue
        try:
            found = func(ctx)
        except Exception as exc:  # a rule must never crash the checker
            ctx.doc.notes.append(f"regeln {name} kunde inte köras: {type(exc).__name__}")
            continue
        ran.append(name)
        findings.extend(found)
    return findings, ran
