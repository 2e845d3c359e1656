"""Word (DOCX) with python-docx from the municipality's own template (styles, header with
logo, footer with page numbers): real, editable Word tables whose header rows repeat on
every page (w:tblHeader), charts as PNG pictures with alt text (wp:docPr descr)."""

from __future__ import annotations

import io
from pathlib import Path

from ..blocks import BulletList, Chart, GoalBlock, Paragraph, Report, Table, bold_spans

TEMPLATE = Path(__file__).resolve().parent.parent / "docx" / "kommun.docx"


def _replace_placeholders(part, values: dict[str, str]) -> None:
    for p in part.paragraphs:
        for run in p.runs:
            for key, value in values.items():
                if key in run.text:
                    run.text = run.text.replace(key, value)


def _clear_body(doc) -> None:
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)


def _paragraph(doc, text: str, style: str | None = None):
    p = doc.add_paragraph(style=style)
    for t, bold in bold_spans(text):
        p.add_run(t).bold = bold or None
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
        doc.add_paragraph(t.caption, style="Caption").paragraph_format.keep_with_next = True
        width = t.width
        numeric = set(t.numeric_columns)
        n_rows = len(t.header_rows) + len(t.rows)
        table = doc.add_table(rows=n_rows, cols=width)
        table.style = doc.styles["Styra tabell"]
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
            doc.add_paragraph(t.note, style="Tabellnot")

    def chart(self, c: Chart, png: bytes) -> None:
        doc = self.doc
        p = doc.add_paragraph()
        p.paragraph_format.keep_with_next = True
        shape = p.add_run().add_picture(io.BytesIO(png), width=self.Cm(16))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", c.alt)
        doc_pr.set("title", c.title)
        doc.add_paragraph(c.title, style="Caption")
        self.table(c.data)


def render(report: Report, *, template: Path | None = None) -> bytes:
    from docx import Document

    from .png import svgs_to_png

    doc = Document(str(template or TEMPLATE))
    _clear_body(doc)
    section = doc.sections[0]
    _replace_placeholders(section.header, {"{{kommun}}": report.municipality})
    _replace_placeholders(section.footer, {"{{sidfot}}": report.footer})
    props = doc.core_properties
    props.title = f"{report.title} – {report.committee}"
    props.author = report.committee
    props.subject = report.title
    props.language = "sv-SE"
    props.keywords = f"{report.committee_code} {report.event_code}"

    w = _Writer(doc)
    charts = report.charts()
    pngs = dict(zip((c.key for c in charts), svgs_to_png([c.svg for c in charts]), strict=True))
    doc.add_paragraph(report.title, style="Title")
    doc.add_paragraph(report.committee, style="Subtitle")
    for s in report.sections:
        doc.add_heading(s.heading, level=min(s.level, 4))
        for b in s.blocks:
            if isinstance(b, Paragraph):
                _paragraph(doc, b.text)
            elif isinstance(b, BulletList):
                for item in b.items:
                    _paragraph(doc, item, "List Bullet")
            elif isinstance(b, Table):
                w.table(b)
            elif isinstance(b, Chart):
                w.chart(b, pngs[b.key])
            elif isinstance(b, GoalBlock):
                doc.add_heading(f"Nämndens mål: {b.name}", level=min(s.level + 1, 4))
                when = " (prognos för helåret)" if b.forecast else ""
                _paragraph(doc, f"**Bedömning:** {b.assessment}{when}")
                for p in b.analysis:
                    _paragraph(doc, p.text)
                if b.measures is not None:
                    w.table(b.measures)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
