"""Render a Paper as DOCX (the municipality's Word template) and as PDF (WeasyPrint from
an HTML template). Heavy libraries are imported when used."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from .docx_template import LOGO_PNG, SHIPPED_TEMPLATE, logo_png
from .paper import Paper


def template_path() -> Path:
    configured = getattr(settings, "STYRA_DOCX_TEMPLATE", "") or ""
    return Path(configured) if configured else SHIPPED_TEMPLATE


def _replace_placeholders(container, values: dict[str, str]) -> None:
    for paragraph in container.paragraphs:
        for run in paragraph.runs:
            for key, value in values.items():
                if key in run.text:
                    run.text = run.text.replace(key, value)


def to_docx(paper: Paper) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document(str(template_path()))
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    for section in doc.sections:
        for part in (section.header, section.first_page_header, section.footer):
            _replace_placeholders(
                part, {"{kommun}": paper.municipality, "{namnd}": paper.committee}
            )

    def style(name: str, fallback: str = "Normal") -> str:
        try:
            doc.styles[name]
            return name
        except KeyError:
            return fallback

    doc.add_paragraph(paper.doc_type.upper(), style=style("Subtitle"))
    doc.add_paragraph(paper.title, style=style("Title"))
    for label, value in paper.meta:
        p = doc.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(value)
    for block in paper.blocks:
        if block.kind == "heading":
            doc.add_paragraph(block.text, style=style(f"Heading {block.level}"))
        elif block.kind in ("text", "note"):
            p = doc.add_paragraph(block.text)
            if block.kind == "note":
                p.runs[0].italic = True
        elif block.kind == "numbered":
            for i, item in enumerate(block.items, 1):
                p = doc.add_paragraph(f"{i}. {item}")
                p.paragraph_format.left_indent = Cm(0.8)
                p.paragraph_format.first_line_indent = Cm(-0.6)
        elif block.kind == "bullets":
            for item in block.items:
                doc.add_paragraph(item, style=style("List Bullet"))
        elif block.kind == "table":
            if block.text:
                doc.add_paragraph(block.text, style=style("Heading 3"))
            cols = max([len(block.header), *(len(r) for r in block.rows)] or [1])
            table = doc.add_table(rows=0, cols=cols)
            if style("Table Grid", "") == "Table Grid":
                table.style = doc.styles["Table Grid"]
            if block.header:
                cells = table.add_row().cells
                for i, text in enumerate(block.header):
                    cells[i].text = text
                    for run in cells[i].paragraphs[0].runs:
                        run.bold = True
            for row in block.rows:
                cells = table.add_row().cells
                for i, text in enumerate(row):
                    cells[i].text = text
        elif block.kind == "signatures":
            for name, title in block.rows:
                p = doc.add_paragraph()
                p.paragraph_format.space_before = Pt(18)
                p.add_run(name).bold = True
                p.add_run(f"\n{title}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _logo_data_uri() -> str:
    data = LOGO_PNG.read_bytes() if LOGO_PNG.exists() else logo_png()
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def to_html(paper: Paper) -> str:
    return render_to_string("meetings/pdf/paper.html", {"paper": paper, "logo": _logo_data_uri()})


def to_pdf(paper: Paper) -> bytes:
    from weasyprint import HTML

    return HTML(string=to_html(paper)).write_pdf()
