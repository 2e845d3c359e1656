"""DOCX: paragraphs and tables in document order (python-docx). Each table row becomes one
line whose cells are the row's cells, so tables from Word reach the same recognition as
tab-separated text. Line numbers count paragraphs and table rows from the start."""

from __future__ import annotations

import zipfile
from pathlib import Path

from .model import Document, Line, ReadError


def read_docx(path: str | Path) -> Document:
    p = Path(path)
    try:
        import docx  # python-docx
        from docx.document import Document as _DocxDocument
        from docx.table import Table as _DocxTable
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise ReadError(f"{p}: python-docx saknas, kan inte läsa DOCX") from exc
    if not zipfile.is_zipfile(p):
        raise ReadError(f"{p}: filen är inte en giltig DOCX (inte ett zip-arkiv)")
    try:
        d: _DocxDocument = docx.Document(str(p))
    except Exception as exc:  # python-docx raises many kinds on broken files
        raise ReadError(f"{p}: kan inte läsa DOCX-filen ({type(exc).__name__})") from exc
    lines: list[Line] = []

    def add(text: str, cells: list[str] | None = None, heading: int = 0, bold: bool = False):
        lines.append(
            Line(
                number=len(lines) + 1, text=text, page=None, bold=bold, heading=heading, cells=cells
            )
        )

    body = d.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, d)
            text = para.text.replace("\t", " ").strip()
            style = (para.style.name if para.style is not None else "") or ""
            level = 0
            if style.lower().startswith("heading") or style.lower().startswith("rubrik"):
                digits = "".join(ch for ch in style if ch.isdigit())
                level = int(digits) if digits else 1
            bold = bool(para.runs) and all(r.bold for r in para.runs if r.text.strip())
            add(text, heading=level if text else 0, bold=bold)
        elif tag == "tbl":
            table = _DocxTable(child, d)
            add("")
            for row in table.rows:
                cells = []
                prev = None
                for cell in row.cells:
                    if prev is not None and cell._tc is prev:
                        continue  # a merged cell repeats itself
                    prev = cell._tc
                    cells.append(" ".join(cell.text.split()))
                add("\t".join(cells), cells=cells)
            add("")
    if not any(ln.text.strip() for ln in lines):
        raise ReadError(f"{p}: DOCX-filen innehåller ingen text")
    return Document(path=str(p), kind="docx", lines=lines, pages=1)
