"""One document pipeline for everything Styra prints: reports, the papers of a case
(tjänsteskrivelse, ordförandeförslag), the kallelse and the protocol.

A caller builds a Document (styra.documents.model) and asks for a format:

    render(document, "pdf") -> bytes

Renderers are registered by format name; heavy libraries (WeasyPrint, python-docx,
pypdfium2) are imported inside the renderer that needs them. Word files are written in the
municipality's template: the setting STYRA_DOCX_TEMPLATE, else the shipped word/kommun.docx.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from .model import Document


@dataclass(frozen=True)
class Renderer:
    name: str
    extension: str
    content_type: str
    module: str  # a module with render(document) -> bytes
    label: str


RENDERERS: dict[str, Renderer] = {}


def register(renderer: Renderer) -> None:
    RENDERERS[renderer.name] = renderer


register(Renderer("html", "html", "text/html; charset=utf-8", f"{__name__}.html", "Webbsida"))
register(Renderer("pdf", "pdf", "application/pdf", f"{__name__}.pdf", "PDF (tillgänglig)"))
register(
    Renderer(
        "docx",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        f"{__name__}.docx",
        "Word",
    )
)
register(Renderer("txt", "txt", "text/plain; charset=utf-8", f"{__name__}.text", "Text"))


def docx_template() -> Path | None:
    """The municipality's Word template (STYRA_DOCX_TEMPLATE), None for the shipped one."""
    from django.conf import settings

    configured = getattr(settings, "STYRA_DOCX_TEMPLATE", "") or ""
    return Path(configured) if configured else None


def render(doc: Document, fmt: str) -> bytes:
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(
            f"okänt format {fmt!r}; välj bland {', '.join(sorted(RENDERERS))}"
        ) from None
    module = importlib.import_module(renderer.module)
    if fmt == "docx":
        return module.render(doc, template=docx_template())
    return module.render(doc)
