"""The report as data: frozen dataclasses (pure Python, no Django).

Report → Section (heading, level) → blocks: the document blocks of styra.documents.model
(Paragraph, BulletList, Table of typed cells, Chart) and GoalBlock (a nämndmål with its
assessment, analysis and measure table). `Report.to_json()` is stable (sorted keys, Decimal
as text) so the report data can be snapshot-tested and stored with a finalised report;
`Report.document()` is what the renderers (styra.documents) turn into HTML, PDF and Word.

Money cells keep the exact amount in kronor (already in the report's sign convention) and
the display unit; the text shown is the half-up rounding of that exact amount, so a total
shown is always the rounding of the exact total (DOMAIN §6).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal

from styra.documents.model import (  # noqa: F401  (the report's blocks are the document's)
    BulletList,
    Cell,
    CellKind,
    Chart,
    Document,
    Group,
    Paragraph,
    Row,
    RowKind,
    Section,
    Table,
    bold_spans,
    missing,
    money,
    number,
    percent,
    plain,
    split_blocks,
    text,
)


@dataclass(frozen=True)
class GoalBlock:
    code: str
    name: str
    assessment: str  # "God måluppfyllnad" …
    forecast: bool  # the assessment is a forecast for year end
    analysis: tuple[Paragraph, ...]
    measures: Table | None


Block = Paragraph | BulletList | Table | Chart | GoalBlock  # a report Section's blocks


@dataclass(frozen=True)
class Report:
    report_type: str  # "delarsrapport", "manadsrapport", "verksamhetsberattelse"
    title: str  # "Delårsrapport 2 2020"
    committee: str  # the committee's name
    committee_code: str
    municipality: str
    event_code: str
    year: int
    cutoff_period: int
    sign_convention: str  # "revenue_positive" (intäkter +) or "cost_positive"
    summary_unit: str
    table_unit: str
    footer: str
    summary_text: str  # the summary used in the report, tjänsteskrivelse and proposal
    sections: tuple[Section, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def tables(self) -> list[Table]:
        out: list[Table] = []
        for s in self.sections:
            for b in s.blocks:
                if isinstance(b, Table):
                    out.append(b)
                elif isinstance(b, GoalBlock) and b.measures is not None:
                    out.append(b.measures)
        return out

    def table(self, key: str) -> Table:
        for t in self.tables():
            if t.key == key:
                return t
        raise KeyError(key)

    def charts(self) -> list[Chart]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Chart)]

    def to_dict(self) -> dict:
        return _plain(self)

    def document(self) -> Document:
        """The report as the document the renderers read (a goal becomes a group)."""
        sections = tuple(
            Section(s.key, s.heading, s.level, tuple(_document_block(b) for b in s.blocks))
            for s in self.sections
        )
        return Document(
            key=f"rapport-{self.report_type}",
            title=self.title,
            municipality=self.municipality,
            committee=self.committee,
            sections=sections,
            footer=self.footer,
            keywords=f"{self.committee_code} {self.event_code}",
            new_page_per_part=True,
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=1)


def _document_block(b):
    if not isinstance(b, GoalBlock):
        return b
    when = " (prognos för helåret)" if b.forecast else ""
    blocks: list = [Paragraph(f"**Bedömning:** {b.assessment}{when}", source="assessment")]
    if b.analysis:
        blocks.append(Group("Analys", tuple(b.analysis)))
    if b.measures is not None:
        blocks.append(b.measures)
    return Group(f"Nämndens mål: {b.name}", tuple(blocks), css="goal")


def _plain(obj):
    if is_dataclass(obj):
        out = {"type": type(obj).__name__}
        for f in fields(obj):
            out[f.name] = _plain(getattr(obj, f.name))
        return out
    if isinstance(obj, Decimal):
        return format(obj, "f")
    if isinstance(obj, tuple | list):
        return [_plain(x) for x in obj]
    return obj
