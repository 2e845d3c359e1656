"""Plain text: Markdown headings, tab-separated table rows. The checker (styra.checker)
reads this to compare the prose with the tables before a report is finalised."""

from __future__ import annotations

from ..blocks import BulletList, Chart, GoalBlock, Paragraph, Report, Table, plain


def _table(t: Table) -> list[str]:
    out = [t.caption, ""]
    for header in t.header_rows:
        out.append("\t".join(header))
    for row in t.rows:
        out.append("\t".join(c.text.replace("\u00a0", " ") for c in row.cells))
    out.append("")
    return out


def lines(report: Report) -> list[str]:
    out = [f"# {report.title}", "", report.committee, ""]
    for s in report.sections:
        out += ["#" * min(s.level + 1, 6) + " " + s.heading, ""]
        for b in s.blocks:
            if isinstance(b, Paragraph):
                out += [plain(b.text).replace("\u00a0", " "), ""]
            elif isinstance(b, BulletList):
                out += [f"- {plain(i)}" for i in b.items] + [""]
            elif isinstance(b, Table):
                out += _table(b)
            elif isinstance(b, Chart):
                out += [b.title, b.alt, ""]
            elif isinstance(b, GoalBlock):
                out += [f"Nämndens mål: {b.name}", "", f"Bedömning: {b.assessment}", ""]
                out += [line for p in b.analysis for line in (plain(p.text), "")]
                if b.measures is not None:
                    out += _table(b.measures)
    return out


def render(report: Report) -> bytes:
    return "\n".join(lines(report)).encode("utf-8")
