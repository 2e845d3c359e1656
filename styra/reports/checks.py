"""Before a report is finalised: numbers typed into the prose that contradict the tables
are flagged. Reuses the checker (styra.checker): the report is rendered as text (Markdown
headings, tab-separated tables), read as a checker Document and run through its rules for
prose against tables and goal counts. Pure Python, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

from .blocks import Report
from .renderers.text import lines

RULES = ["text_mot_tabell", "procent_antal", "malantal"]


@dataclass(frozen=True)
class ProseFinding:
    rule: str
    message: str  # Swedish, names the number in the text and the table figure
    where: str  # the heading above the sentence
    part: str  # the narrative part to correct ("" if generated text)


def check_report(report: Report) -> list[ProseFinding]:
    from styra.checker.api import check_document
    from styra.checker.model import Document
    from styra.checker.reader_text import lines_from_text

    text = "\n".join(lines(report))
    doc_lines, pages = lines_from_text(text)
    doc = Document(path=f"{report.title}", kind="text", lines=doc_lines, pages=pages)
    result = check_document(doc, rules=RULES)
    headings = [(ln.number, ln.text) for ln in doc_lines if ln.heading]
    out = []
    for f in result.findings:
        line = f.location.line or 0
        above = [h for n, h in headings if n <= line]
        where = above[-1] if above else ""
        out.append(ProseFinding(f.rule, f.message, where, _part_for(report, where)))
    return out


def _part_for(report: Report, heading: str) -> str:
    for s in report.sections:
        if s.heading == heading:
            return s.key
    return ""
