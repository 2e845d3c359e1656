"""PDF with WeasyPrint from the same HTML as the web page, tagged for accessibility:
pdf_variant "pdf/ua-1" (structure tree, /Lang sv from <html lang>, /Title from <title>
shown as the window title, /MarkInfo), bookmarks from the headings, alt text on charts
(the <img alt>), table headers as TH, page numbers and the kommun's footer (CSS @page)."""

from __future__ import annotations

from . import html
from .model import Document


def pdf_from_html(document: str) -> bytes:
    from weasyprint import HTML  # heavy: imported only when a PDF is made

    return HTML(string=document, base_url=".").write_pdf(pdf_variant="pdf/ua-1")


def render(doc: Document) -> bytes:
    return pdf_from_html(html.document(doc))
