"""The structure every meeting paper is built as (pure; no Django): a title, a few
labelled facts, and blocks. The web page shows it (meetings/_paper.html); Paper.document()
hands it to the one document pipeline (styra.documents) for Word and PDF, so the
tjänsteskrivelse, the ordförandeförslag, the kallelse and the protocol come from one source
and look like the reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from styra.documents import model as dm


@dataclass(frozen=True)
class Block:
    """kind: heading (level 1/2), text, numbered, bullets, table, signatures, note."""

    kind: str
    text: str = ""
    level: int = 2
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    header: tuple[str, ...] = ()


@dataclass(frozen=True)
class Paper:
    doc_type: str
    title: str
    municipality: str
    committee: str
    filename: str
    meta: tuple[tuple[str, str], ...] = ()
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def text(self) -> str:
        """All visible text, in order (for tests and search)."""
        parts = [self.doc_type, self.title, *(f"{k}: {v}" for k, v in self.meta)]
        for b in self.blocks:
            parts.extend([b.text, *b.items, *(" ".join(r) for r in (b.header, *b.rows))])
        return "\n".join(p for p in parts if p)

    def document(self) -> dm.Document:
        """The paper as a document: each heading starts a section (level 1 and 2 alike,
        as the paper shows them); a table's title is its caption."""
        sections: list[dm.Section] = []
        heading, items = "", []

        def close():
            if heading or items:
                key = f"s{len(sections) + 1}"
                sections.append(dm.Section(key, heading, 1, tuple(items)))

        for i, b in enumerate(self.blocks):
            if b.kind == "heading":
                close()
                heading, items = b.text, []
            else:
                items.append(_document_block(b, i))
        close()
        return dm.Document(
            key=self.filename,
            title=self.title,
            municipality=self.municipality,
            committee=self.committee,
            sections=tuple(sections),
            kind=self.doc_type,
            facts=self.meta,
            page_header=True,
        )


def _document_block(b: Block, n: int):
    if b.kind in ("text", "note"):
        return dm.Paragraph(b.text, source=b.kind)
    if b.kind == "numbered":
        return dm.NumberedList(b.items)
    if b.kind == "bullets":
        return dm.BulletList(b.items)
    if b.kind == "table":
        return dm.text_table(f"{n}", b.text, b.header, b.rows, empty="Inga.")
    if b.kind == "signatures":
        return dm.Signatures(tuple((name, title) for name, title in b.rows))
    raise ValueError(f"okänd blocktyp {b.kind!r}")


def heading(text: str, level: int = 2) -> Block:
    return Block("heading", text=text, level=level)


def paragraphs(text: str) -> list[Block]:
    """Blank-line separated paragraphs; single newlines are kept within a paragraph."""
    chunks = [c.strip() for c in (text or "").replace("\r\n", "\n").split("\n\n")]
    return [Block("text", text=c) for c in chunks if c]


def section(title: str, text: str) -> list[Block]:
    body = paragraphs(text)
    return [heading(title), *body] if body else []
