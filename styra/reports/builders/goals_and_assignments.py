"""Goal follow-up (målområde → nämndmål → measures) and assignments (uppdrag)."""

from __future__ import annotations

from ..blocks import (
    Cell,
    GoalBlock,
    Paragraph,
    Row,
    Section,
    Table,
    missing,
    text,
)
from .context import Ctx, block
from .texts import narrative_blocks


def _measure_table(goal, years) -> Table:
    header = (
        "Målsatt mått",
        "*)",
        *(f"Utfall {y}" for y in years[:-1]),
        f"Mål {years[-1]}",
        f"Utfall {years[-1]}",
    )
    rows: list[Row] = []
    for m in goal.measures:
        for i, r in enumerate(m.rows):
            cells = []
            for value, shown in zip(r.outcomes, r.texts, strict=False):
                if value is None:
                    cells.append(missing(m.missing_reason if shown == "" else ""))
                elif m.unit == "%":
                    cells.append(Cell("percent", shown, value, "%"))
                else:
                    cells.append(Cell("number", shown, value, m.unit))
            gender = r.label if len(m.rows) > 1 else ""
            target = text(m.target_text if i == 0 else "")
            # Gender rows repeat the measure's name as row header (hidden on screen/paper).
            rows.append(
                Row(
                    (text(m.name), text(gender), *cells[:-1], target, cells[-1]),
                    "data" if i == 0 else "cont",
                )
            )
    return Table(
        f"matt-{goal.code}".lower(),
        f"Målsatta mått: {goal.name}",
        (header,),
        tuple(rows),
        "",
        numeric_columns=tuple(range(2, len(header))),
    )


@block("goals")
def goals(ctx: Ctx) -> list:
    report = ctx.data.goals
    if not report.areas:
        return [Paragraph("Nämnden har inga mål för året.", source="generated")]
    forecast = not ctx.final
    out: list = []
    for area in report.areas:
        out.append(
            Section(
                f"malomrade-{area.number}",
                f"Målområde {area.number} {area.name}",
                min(ctx.section.level + 1, 4),
            )
        )
        for goal in area.goals:
            analysis = tuple(
                b
                for b in narrative_blocks(goal.analysis, f"mal:{goal.code}")
                if isinstance(b, Paragraph)
            )
            measures = _measure_table(goal, report.years) if goal.measures else None
            out.append(
                GoalBlock(goal.code, goal.name, goal.level.label, forecast, analysis, measures)
            )
    return out


@block("assignments")
def assignments(ctx: Ctx) -> list:
    items = ctx.data.assignments
    if not items:
        return [Paragraph("Nämnden har inga uppdrag att redovisa.", source="generated")]
    out: list = []
    for a in items:
        out.append(Section(f"uppdrag-{a.code}".lower(), a.title, min(ctx.section.level + 1, 4)))
        meta = f"Givet av: {a.origin}"
        if a.origin_reference:
            meta += f" ({a.origin_reference})"
        if a.deadline:
            meta += f". Klart senast: {a.deadline.isoformat()}"
        out.append(Paragraph(f"**Beskrivning.** {a.description}".strip(), source="text"))
        out.append(Paragraph(meta + ".", source="text"))
        comment = a.comment.strip() or "Ingen kommentar vid detta rapporttillfälle."
        status = " Uppdraget är klart." if a.done else ""
        out.append(
            Paragraph(f"**Kommentar {ctx.data.event.name}.** {comment}{status}", source="text")
        )
    return out
