"""Text blocks: the parts people write, and sentences generated from the figures."""

from __future__ import annotations

from styra.lib.numbers import format_mnkr

from .. import calc
from ..blocks import (
    BulletList,
    Paragraph,
    Section,
    split_blocks,
)
from .context import Ctx, block


def narrative_blocks(text_: str, part: str) -> list:
    out: list = []
    for kind, items in split_blocks(text_):
        if kind == "ul":
            out.append(BulletList(tuple(items), source="narrative"))
        else:
            out.append(Paragraph(items[0], source="narrative", part=part))
    return out


@block("narrative")
def narrative(ctx: Ctx) -> list:
    return narrative_blocks(ctx.data.narrative(ctx.section.key), ctx.section.key)


@block("forecast_sentence")
def forecast_sentence(ctx: Ctx) -> list:
    dev = ctx.data.by_unit.total.net.deviation
    return [
        Paragraph(
            calc.committee_result_sentence(dev, final=ctx.final), source="generated", part="summary"
        )
    ]


@block("total_sentence")
def total_sentence(ctx: Ctx) -> list:
    net = ctx.data.by_unit.total.net
    return [
        Paragraph(
            calc.total_sentence(net.forecast, net.budget, ctx.sign, year=ctx.y, final=ctx.final),
            source="generated",
        )
    ]


@block("goal_sentence")
def goal_sentence(ctx: Ctx) -> list:
    goals = ctx.data.goals
    if not goals.areas:
        return []
    return [Paragraph(goals.sentence, source="generated", part="goals")]


@block("unit_analysis")
def unit_analysis(ctx: Ctx) -> list:
    out: list = []
    level = min(ctx.section.level + 1, 4)
    for uf in ctx.data.by_unit.units:
        unit = uf.unit
        if not unit.valid_in_year(ctx.y):
            continue
        blocks = narrative_blocks(ctx.data.narrative(ctx.section.key, unit), ctx.section.key)
        blocks.append(
            Paragraph(
                calc.result_deviation_line(uf.net.deviation, ctx.sign),
                source="generated",
                part=f"{ctx.section.key}:{unit.code}",
            )
        )
        out.append(Section(f"{ctx.section.key}-{unit.code.lower()}", unit.name, level, ()))
        out.extend(blocks)
    return out


@block("assumptions")
def assumptions(ctx: Ctx) -> list:
    items = [
        calc.assumption_line(a.text, a.amount, a.get_status_display()) for a in ctx.data.assumptions
    ]
    if not items:
        return [Paragraph("Inga antaganden är registrerade för rapporten.", source="generated")]
    return [BulletList(tuple(items), source="generated")]


@block("budget_changes")
def budget_changes(ctx: Ctx) -> list:
    items = []
    for c in ctx.data.budget_changes:
        what = c.text.strip() or c.get_kind_display()
        items.append(
            f"{c.get_kind_display()}: {what} ({c.decision}, {c.date.isoformat()}), "
            f"{c.unit.name}, {format_mnkr(c.amount)} mkr"
        )
    if not items:
        return [Paragraph("Inga budgetförändringar under året.", source="generated")]
    return [BulletList(tuple(items), source="generated")]
