"""Charts as PNG for the Word file: the SVGs are laid out one per page with WeasyPrint
(write_png is gone from WeasyPrint) and the pages rasterised with pypdfium2, which comes
with pdfplumber. One WeasyPrint run for all charts of a report keeps it fast."""

from __future__ import annotations

import base64
import io
import re

SCALE = 2.5  # 640 px wide SVG -> 1600 px PNG: sharp in print at 15 cm


def _size(svg: str) -> tuple[int, int]:
    m = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    return (int(m.group(1)), int(m.group(2))) if m else (640, 300)


def svgs_to_png(svgs: list[str]) -> list[bytes]:
    if not svgs:
        return []
    import pypdfium2
    from weasyprint import HTML

    pages = []
    for i, svg in enumerate(svgs):
        w, h = _size(svg)
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        pages.append(
            f"<style>@page p{i} {{ size: {w}px {h}px; margin: 0 }}</style>"
            f'<div style="page: p{i}; break-after: page"><img style="display:block;width:{w}px;'
            f'height:{h}px" src="data:image/svg+xml;base64,{data}" alt=""></div>'
        )
    pdf = HTML(
        string="<html><body style='margin:0'>" + "".join(pages) + "</body></html>"
    ).write_pdf()
    doc = pypdfium2.PdfDocument(pdf)
    out = []
    try:
        for i in range(len(svgs)):
            bitmap = doc[i].render(scale=SCALE)
            image = bitmap.to_pil()
            buf = io.BytesIO()
            image.save(buf, format="PNG", optimize=False)
            out.append(buf.getvalue())
    finally:
        doc.close()
    return out
