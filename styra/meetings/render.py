"""A Paper as Word and PDF through the one document pipeline (styra.documents): the same
Word template (STYRA_DOCX_TEMPLATE) and the same tagged PDF (PDF/UA) as the reports."""

from __future__ import annotations

from styra import documents

from .paper import Paper


def to_docx(paper: Paper) -> bytes:
    return documents.render(paper.document(), "docx")


def to_pdf(paper: Paper) -> bytes:
    return documents.render(paper.document(), "pdf")
