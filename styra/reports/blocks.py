"""The report as data: frozen dataclasses that every renderer reads. Pure Python, no Django.

Report → Section (heading, level) → blocks: Paragraph, BulletList, Table (header rows, body
rows of typed cells), Chart (SVG, alt text, data table), GoalBlock (a nämndmål with its
assessment, analysis and measure table). `Report.to_json()` is stable (sorted keys, Decimal
as text) so the report data can be snapshot-tested and stored with a finalised report.

Money cells keep the exact amount in kronor (already in the report's sign convention) and
the display unit; the text shown is the half-up rounding of that exact amount, so a total
shown is always the rounding of the exact total (DOMAIN §6).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal
from typing import Literal

from styra.lib.money import display_rounded
from styra.lib.numbers import format_number, format_percent

CellKind = Literal["money", "percent", "number", "text", "missing"]
RowKind = Literal["data", "section", "total", "subtotal", "cont"]  # cont: same row header


@dataclass(frozen=True)
class Cell:
    kind: CellKind
    text: str  # what the reader sees
    value: Decimal | None = None  # exact: kronor for money, percent units for percent
    unit: str = ""  # "tkr", "mnkr", "kr", "%", "" for text

    @property
    def numeric(self) -> bool:
        return self.kind in ("money", "percent", "number")

    @property
    def rounded(self) -> Decimal | None:
        """The value as shown (in the display unit), None for text and missing."""
        if self.kind == "money" and self.value is not None:
            return display_rounded(self.value, self.unit)  # type: ignore[arg-type]
        return self.value


def money(kronor: Decimal | None, unit: str, *, plus: bool = False) -> Cell:
    """A money cell: exact kronor shown in tkr/mnkr/kr, half up; None is missing."""
    if kronor is None:
        return missing()
    shown = display_rounded(kronor, unit)  # type: ignore[arg-type]
    decimals = 1 if unit == "mnkr" else 0
    return Cell("money", format_number(shown, decimals, plus=plus), Decimal(kronor), unit)


def percent(value: Decimal | None, decimals: int = 0) -> Cell:
    if value is None:
        return missing()
    return Cell("percent", format_percent(value, decimals), Decimal(value), "%")


def number(value: Decimal | int | None, decimals: int = 0, unit: str = "") -> Cell:
    if value is None:
        return missing()
    return Cell("number", format_number(Decimal(value), decimals), Decimal(value), unit)


def text(value: str) -> Cell:
    return Cell("text", value)


def missing(reason: str = "") -> Cell:
    """No value (not zero): shown empty; `reason` is kept for screen readers and JSON."""
    return Cell("missing", "", None, reason)


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]  # the first cell is the row header
    kind: RowKind = "data"


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    header_rows: tuple[tuple[str, ...], ...]
    rows: tuple[Row, ...]
    unit: str = ""  # "tkr", "mnkr", "" (mixed)
    note: str = ""  # shown under the table (sign convention, base of percentages)
    numeric_columns: tuple[int, ...] = ()  # right-aligned columns

    @property
    def width(self) -> int:
        return max([len(self.header_rows[-1])] + [len(r.cells) for r in self.rows])

    def row(self, label: str) -> Row:
        for r in self.rows:
            if r.cells and r.cells[0].text == label:
                return r
        raise KeyError(label)

    def column(self, header: str) -> int:
        return list(self.header_rows[-1]).index(header)


@dataclass(frozen=True)
class Paragraph:
    text: str  # simple markup: **bold**, one paragraph
    source: str = "text"  # "generated" (from data), "narrative" (written), "text", "notice"
    part: str = ""  # the narrative part it comes from ("handelser", "analys:JC")


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]
    intro: str = ""
    source: str = "text"


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    alt: str  # the text alternative (also the SVG's <desc>)
    svg: str
    data: Table  # the numbers behind the chart


@dataclass(frozen=True)
class GoalBlock:
    code: str
    name: str
    assessment: str  # "God måluppfyllnad" …
    forecast: bool  # the assessment is a forecast for year end
    analysis: tuple[Paragraph, ...]
    measures: Table | None


Block = Paragraph | BulletList | Table | Chart | GoalBlock


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    level: int  # 1 = part of the report, 2 = subsection, 3 = unit / goal heading
    blocks: tuple[Block, ...] = ()


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

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=1)


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


# ------------------------------------------------------------------ simple markup

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def split_blocks(text: str) -> list[tuple[str, list[str]]]:
    """Narrative text (written in the browser) into ("p", [text]) and ("ul", [items]).

    The markup is deliberately small: blank lines separate paragraphs, lines starting
    with "- " or "* " form a bulleted list, **double stars** make bold.
    """
    out: list[tuple[str, list[str]]] = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [ln.strip() for ln in chunk.split("\n") if ln.strip()]
        if not lines:
            continue
        if all(re.match(r"^[-*•]\s+", ln) for ln in lines):
            out.append(("ul", [re.sub(r"^[-*•]\s+", "", ln) for ln in lines]))
        else:
            out.append(("p", [" ".join(lines)]))
    return out


def bold_spans(text: str) -> list[tuple[str, bool]]:
    """ "a **b** c" → [("a ", False), ("b", True), (" c", False)]."""
    out, pos = [], 0
    for m in _BOLD.finditer(text):
        if m.start() > pos:
            out.append((text[pos : m.start()], False))
        out.append((m.group(1), True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def plain(text: str) -> str:
    return _BOLD.sub(r"\1", text)
