"""Before a report is finalised: numbers typed into the prose that contradict the tables
are flagged. Reuses the checker (styra.checker): the report is rendered as text (Markdown
headings, tab-separated tables), read as a checker Document and run through its rules for
prose against tables and goal counts. Pure Python, no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from styra.documents.text import lines

from .blocks import Report, plain, split_blocks

RULES = ["text_mot_tabell", "procent_antal", "malantal"]


@dataclass(frozen=True)
class ProseFinding:
    rule: str
    message: str  # Swedish, names the number in the text and the table figure
    where: str  # the heading above the sentence
    part: str  # the section holding the sentence ("" if none)
    line: str = ""  # the line of the report's text the figure stands on


def check_report(report: Report) -> list[ProseFinding]:
    from styra.checker.api import check_document
    from styra.checker.model import Document
    from styra.checker.reader_text import lines_from_text

    rendered = lines(report.document())
    text = "\n".join(rendered)
    doc_lines, pages = lines_from_text(text)
    doc = Document(path=f"{report.title}", kind="text", lines=doc_lines, pages=pages)
    result = check_document(doc, rules=RULES)
    headings = [(ln.number, ln.text) for ln in doc_lines if ln.heading]
    out = []
    for f in result.findings:
        line = f.location.line or 0
        above = [h for n, h in headings if n <= line]
        where = above[-1] if above else ""
        said = rendered[line - 1] if 0 < line <= len(rendered) else ""
        out.append(ProseFinding(f.rule, f.message, where, _part_for(report, where), said))
    return out


def _norm(line: str) -> str:
    return re.sub(r"\s+", " ", line.replace("\u00a0", " ")).strip()


def findings_in_text(findings: list[ProseFinding], section: str, text: str) -> list[ProseFinding]:
    """The findings that stand on a line of `text` (a part as typed) inside the report's
    section `section`: the warnings to show beside the text while it is written."""
    own = set()
    for kind, items in split_blocks(text):
        for item in items:
            own.add(_norm(("- " if kind == "ul" else "") + plain(item)))
    return [f for f in findings if f.part == section and _norm(f.line) in own]


def _part_for(report: Report, heading: str) -> str:
    for s in report.sections:
        if s.heading == heading:
            return s.key
    return ""
