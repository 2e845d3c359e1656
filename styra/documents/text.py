"""Plain text: Markdown headings, tab-separated table rows. The checker (styra.checker)
reads a report's text to compare the prose with the tables before it is finalised."""

from __future__ import annotations

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
    plain,
)


def _table(t: Table) -> list[str]:
    out = [t.caption, ""] if t.caption else []
    for header in t.header_rows:
        out.append("\t".join(header))
    for row in t.rows:
        out.append("\t".join(c.text.replace("\u00a0", " ") for c in row.cells))
    out.append("")
    return out


def _blocks(items) -> list[str]:
    out: list[str] = []
    for b in items:
        if isinstance(b, Paragraph):
            out += [plain(b.text).replace("\u00a0", " "), ""]
        elif isinstance(b, BulletList):
            out += [f"- {plain(i)}" for i in b.items] + [""]
        elif isinstance(b, NumberedList):
            out += [f"{n}. {plain(i)}" for n, i in enumerate(b.items, 1)] + [""]
        elif isinstance(b, Facts | Signatures):
            out += [f"{a}: {v}" if isinstance(b, Facts) else f"{a}, {v}" for a, v in b.items]
            out.append("")
        elif isinstance(b, Table):
            out += _table(b)
        elif isinstance(b, Chart):
            out += [b.title, b.alt, ""]
        elif isinstance(b, Group):
            out += [b.heading, "", *_blocks(b.blocks)]
    return out


def lines(doc: Document) -> list[str]:
    out = [f"# {doc.title}", "", doc.kind or doc.committee, ""]
    out += [f"{label}: {value}" for label, value in doc.facts]
    for s in doc.sections:
        if s.heading:
            out += ["#" * min(s.level + 1, 6) + " " + s.heading, ""]
        out += _blocks(s.blocks)
    return out


def render(doc: Document) -> bytes:
    return "\n".join(lines(doc)).encode("utf-8")
