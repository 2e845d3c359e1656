"""Word (DOCX) with python-docx from the municipality's own template (styles, header with
logo, footer with page numbers): real, editable Word tables whose header rows repeat on
every page (w:tblHeader), charts as PNG pictures with alt text (wp:docPr descr).

The template (setting STYRA_DOCX_TEMPLATE, else word/kommun.docx, made by
word/make_template.py) supplies the styles Title, Subtitle, Heading 1–4, Normal, List
Bullet, Caption, Tabellnot and the table style "Styra tabell" (Word's own are used when one
is missing), and the placeholders {{kommun}}, {{namnd}} and {{sidfot}} in its header and
footer ({kommun} and {namnd} with single braces are read too).
"""

from __future__ import annotations

import io
from pathlib import Path

from .model import (
    BulletList,
    Chart,
    Document,
    Facts,
    Group,
    NumberedList,
    Paragraph,
    Signatures,
    Table,
    bold_spans,
)

TEMPLATE = Path(__file__).resolve().parent / "word" / "kommun.docx"


def _replace_placeholders(part, values: dict[str, str]) -> None:
    for p in part.paragraphs:
        for run in p.runs:
            for key, value in values.items():
                for mark in ("{{" + key + "}}", "{" + key + "}"):
                    if mark in run.text:
                        run.text = run.text.replace(mark, value)


def _clear_body(doc) -> None:
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)


def _paragraph(doc, text: str, style: str | None = None, *, italic: bool = False):
    p = doc.add_paragraph(style=style)
    for t, bold in bold_spans(text):
        run = p.add_run(t)
        run.bold = bold or None
        run.italic = italic or None
    return p


class _Writer:
    def __init__(self, doc):
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt, RGBColor

        self.doc = doc
        self.OxmlElement, self.qn = OxmlElement, qn
        self.RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
        self.CENTER_TABLE = WD_TABLE_ALIGNMENT.CENTER
        self.Cm, self.Pt, self.RGB = Cm, Pt, RGBColor
        self.pictures: dict[str, bytes] = {}
        names = {st.name for st in doc.styles}
        self.styles = names

    def style(self, name: str, fallback: str | None = None) -> str | None:
        """The template's style, or Word's fallback when a municipality's template lacks it."""
        return name if name in self.styles else fallback

    def _shade(self, cell, fill: str) -> None:
        tc_pr = cell._tc.get_or_add_tcPr()
        shd = self.OxmlElement("w:shd")
        shd.set(self.qn("w:val"), "clear")
        shd.set(self.qn("w:color"), "auto")
        shd.set(self.qn("w:fill"), fill)
        tc_pr.append(shd)

    def _repeat_header(self, row) -> None:
        tr_pr = row._tr.get_or_add_trPr()
        el = self.OxmlElement("w:tblHeader")
        el.set(self.qn("w:val"), "true")
        tr_pr.append(el)
        cant = self.OxmlElement("w:cantSplit")
        tr_pr.append(cant)

    def _set(self, cell, text: str, *, bold=False, right=False, white=False) -> None:
        p = cell.paragraphs[0]
        run = p.add_run(text)
        if bold:
            run.bold = True
        if white:
            run.font.color.rgb = self.RGB(0xFF, 0xFF, 0xFF)
        if right:
            p.alignment = self.RIGHT

    def _widths(self, n: int) -> list:
        """The row-header column gets about a third of the 17 cm text width."""
        total = self.Cm(17)
        if n == 1:
            return [total]
        first = int(total * (0.36 if n > 3 else 0.45))
        rest = int((total - first) / (n - 1))
        return [first] + [rest] * (n - 1)

    def table(self, t: Table) -> None:
        doc = self.doc
        if t.caption:
            caption = doc.add_paragraph(t.caption, style=self.style("Caption"))
            caption.paragraph_format.keep_with_next = True
        width = t.width
        numeric = set(t.numeric_columns)
        n_rows = len(t.header_rows) + len(t.rows)
        table = doc.add_table(rows=n_rows, cols=width)
        table.style = doc.styles[self.style("Styra tabell", "Table Grid")]
        table.alignment = self.CENTER_TABLE
        table.autofit = False
        widths = self._widths(width)
        for col, w in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
            col.w = w
        rows = table.rows
        for i, header in enumerate(t.header_rows):
            row = rows[i]
            self._repeat_header(row)
            cells = row.cells
            for cell, w in zip(cells, widths, strict=True):
                cell.width = w
            for j, h in enumerate(header):
                self._set(cells[j], h, bold=True, right=j in numeric, white=True)
                self._shade(cells[j], "005293")
        offset = len(t.header_rows)
        for i, r in enumerate(t.rows):
            row = rows[offset + i]
            cells = row.cells
            for cell, w in zip(cells, widths, strict=True):
                cell.width = w
            bold = r.kind in ("total", "subtotal", "section")
            if r.kind == "section":
                merged = cells[0].merge(cells[-1]) if width > 1 else cells[0]
                self._set(merged, r.cells[0].text, bold=True)
                self._shade(merged, "EEF3F8")
                continue
            label = "" if r.kind == "cont" else r.cells[0].text
            self._set(cells[0], label, bold=bold)
            for j, c in enumerate(r.cells[1:], start=1):
                self._set(cells[j], c.text, bold=bold, right=j in numeric)
        if t.note:
            doc.add_paragraph(t.note, style=self.style("Tabellnot"))

    def chart(self, c: Chart, png: bytes) -> None:
        doc = self.doc
        p = doc.add_paragraph()
        p.paragraph_format.keep_with_next = True
        shape = p.add_run().add_picture(io.BytesIO(png), width=self.Cm(16))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", c.alt)
        doc_pr.set("title", c.title)
        doc.add_paragraph(c.title, style=self.style("Caption"))
        self.table(c.data)

    def heading(self, text: str, level: int) -> None:
        self.doc.add_paragraph(text, style=self.style(f"Heading {min(level, 4)}", "Heading 1"))

    def blocks(self, items, level: int, pngs: dict[str, bytes]) -> None:
        """The blocks of a section whose heading has `level`."""
        doc = self.doc
        for b in items:
            if isinstance(b, Paragraph):
                _paragraph(doc, b.text, italic=b.source == "note")
            elif isinstance(b, BulletList):
                for item in b.items:
                    _paragraph(doc, item, self.style("List Bullet"))
            elif isinstance(b, NumberedList):
                for n, item in enumerate(b.items, 1):
                    p = _paragraph(doc, f"{n}. {item}")
                    p.paragraph_format.left_indent = self.Cm(0.8)
                    p.paragraph_format.first_line_indent = self.Cm(-0.6)
            elif isinstance(b, Facts):
                self.facts(b.items)
            elif isinstance(b, Signatures):
                for name, title in b.items:
                    p = doc.add_paragraph()
                    p.paragraph_format.space_before = self.Pt(18)
                    p.add_run(name).bold = True
                    p.add_run(f"\n{title}")
            elif isinstance(b, Table):
                self.table(b)
            elif isinstance(b, Chart):
                self.chart(b, pngs[b.key])
            elif isinstance(b, Group):
                self.heading(b.heading, level + 1)
                self.blocks(b.blocks, level + 1, pngs)
            else:  # pragma: no cover - a new block type must be added to every renderer
                raise TypeError(f"unknown block {type(b).__name__}")

    def facts(self, items) -> None:
        for label, value in items:
            p = self.doc.add_paragraph()
            p.add_run(f"{label}: ").bold = True
            p.add_run(value)


def render(doc: Document, *, template: Path | str | None = None) -> bytes:
    from docx import Document as Word

    from .png import svgs_to_png

    word = Word(str(template or TEMPLATE))
    _clear_body(word)
    values = {"kommun": doc.municipality, "namnd": doc.committee, "sidfot": doc.footer}
    for section in word.sections:
        parts = [section.header, section.footer]
        if section.different_first_page_header_footer:
            parts += [section.first_page_header, section.first_page_footer]
        for part in parts:
            _replace_placeholders(part, values)
    props = word.core_properties
    props.title = doc.full_title
    props.author = doc.committee
    props.subject = doc.title
    props.language = "sv-SE"
    props.keywords = doc.keywords

    w = _Writer(word)
    charts = doc.charts()
    pngs = dict(zip((c.key for c in charts), svgs_to_png([c.svg for c in charts]), strict=True))
    if doc.kind:
        word.add_paragraph(doc.kind.upper(), style=w.style("Subtitle"))
    word.add_paragraph(doc.title, style=w.style("Title"))
    if not doc.kind:
        word.add_paragraph(doc.committee, style=w.style("Subtitle"))
    w.facts(doc.facts)
    for s in doc.sections:
        if s.heading:
            w.heading(s.heading, s.level)
        w.blocks(s.blocks, s.level, pngs)
    buf = io.BytesIO()
    word.save(buf)
    return buf.getvalue()
