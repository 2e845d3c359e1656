"""The structure every meeting paper is built as (pure; no Django): a title, a few
labelled facts, and blocks. Renderers (render.py) turn it into DOCX and PDF, so the
tjänsteskrivelse, the ordförandeförslag, the kallelse and the protocol come from one source.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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


def heading(text: str, level: int = 2) -> Block:
    return Block("heading", text=text, level=level)


def paragraphs(text: str) -> list[Block]:
    """Blank-line separated paragraphs; single newlines are kept within a paragraph."""
    chunks = [c.strip() for c in (text or "").replace("\r\n", "\n").split("\n\n")]
    return [Block("text", text=c) for c in chunks if c]


def section(title: str, text: str) -> list[Block]:
    body = paragraphs(text)
    return [heading(title), *body] if body else []
