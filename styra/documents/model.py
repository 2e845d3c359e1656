"""The document as data: frozen dataclasses every renderer reads (pure Python, no Django).

Document → Section (heading, level) → blocks: Paragraph, BulletList, NumberedList, Table
(header rows, body rows of typed cells), Chart (SVG, alt text, data table), Facts (labelled
facts under a heading), Signatures and Group (blocks that belong together, such as a goal
with its assessment). Reports (styra.reports.blocks) and meeting papers
(styra.meetings.paper) are built as their own data and turned into a Document; the
renderers (styra.documents.render) make HTML, PDF and Word of it.

Money cells keep the exact amount in kronor and the display unit; the text shown is the
half-up rounding of that exact amount, so a total shown is always the rounding of the exact
total (DOMAIN §6).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from styra.lib.money import display_rounded
from styra.lib.numbers import format_number, format_percent, format_tkr

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
    if unit == "tkr":
        # The same text (whole tkr, half up) by format_tkr's integer path: a report's
        # tables have thousands of cells.
        return Cell("money", format_tkr(kronor, plus=plus), Decimal(kronor), unit)
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
        header = [len(self.header_rows[-1])] if self.header_rows else []
        return max([*header, 1] + [len(r.cells) for r in self.rows])

    def row(self, label: str) -> Row:
        for r in self.rows:
            if r.cells and r.cells[0].text == label:
                return r
        raise KeyError(label)

    def column(self, header: str) -> int:
        return list(self.header_rows[-1]).index(header)


def text_table(key: str, caption: str, header: tuple[str, ...], rows, empty: str = "") -> Table:
    """A table of plain text (a list of names, an agenda); `empty` is its one row when
    there are no rows."""
    body = tuple(Row(tuple(text(str(c)) for c in r)) for r in rows)
    if not body and empty:
        body = (Row((text(empty),)),)
    return Table(key, caption, (tuple(header),) if header else (), body)


@dataclass(frozen=True)
class Paragraph:
    text: str  # simple markup: **bold**, one paragraph (a newline is a line break)
    source: str = "text"  # "generated" (from data), "narrative" (written), "text", "notice",
    # "note" (a remark, in italics)
    part: str = ""  # the narrative part it comes from ("handelser", "analys:JC")


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]
    intro: str = ""
    source: str = "text"


@dataclass(frozen=True)
class NumberedList:
    items: tuple[str, ...]  # shown "1. …", "2. …" (decision points)


@dataclass(frozen=True)
class Facts:
    items: tuple[tuple[str, str], ...]  # (label, value): Dnr, Datum, Plats …


@dataclass(frozen=True)
class Signatures:
    items: tuple[tuple[str, str], ...]  # (name, title)


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    alt: str  # the text alternative (also the SVG's <desc>)
    svg: str
    data: Table  # the numbers behind the chart


@dataclass(frozen=True)
class Group:
    """Blocks that belong together under a heading one level below the section's (a goal
    with its assessment, analysis and measures); `css` names it in HTML."""

    heading: str
    blocks: tuple
    css: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    heading: str  # "" for the blocks before the first heading
    level: int  # 1 = part of the document, 2 = subsection, 3 = unit / goal heading
    blocks: tuple = ()


@dataclass(frozen=True)
class Document:
    key: str  # the id of the document in HTML ("rapport-delarsrapport", "tjansteskrivelse")
    title: str
    municipality: str
    committee: str
    sections: tuple[Section, ...] = ()
    kind: str = ""  # the kind of paper shown above the title ("Tjänsteskrivelse"); "" none
    facts: tuple[tuple[str, str], ...] = ()  # labelled facts under the title
    footer: str = ""  # the page footer (left)
    keywords: str = ""
    new_page_per_part: bool = False  # print each level-1 section on a new page (reports)
    page_header: bool = False  # print the municipality and committee at the top of each page

    @property
    def full_title(self) -> str:
        """The window / file title: "Delårsrapport 2 2020 – Arbetsmarknadsnämnden"."""
        if self.kind:
            return f"{self.kind}: {self.title}"
        return f"{self.title} – {self.committee}" if self.committee else self.title

    def charts(self) -> list[Chart]:
        out: list[Chart] = []

        def walk(blocks):
            for b in blocks:
                if isinstance(b, Chart):
                    out.append(b)
                elif isinstance(b, Group):
                    walk(b.blocks)

        for s in self.sections:
            walk(s.blocks)
        return out


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
