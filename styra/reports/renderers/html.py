"""HTML: the report body for the Styra page and, wrapped with print CSS, the document
WeasyPrint turns into the PDF. Pure Python (no template engine) so the web page, the PDF
and the tests get exactly the same markup.

Accessibility (WCAG 2.1 AA, PDF/UA): one h1, headings in order, tables with caption and
th scope (col / row / rowgroup), charts with a text alternative and their data as a table,
lang="sv" on the document.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

from ..blocks import (
    BulletList,
    Cell,
    Chart,
    GoalBlock,
    Paragraph,
    Report,
    Row,
    Section,
    Table,
    bold_spans,
)

CSS_DIR = Path(__file__).resolve().parent.parent / "static" / "reports"


def esc(s: str) -> str:
    return html.escape(s, quote=True)


def inline(text: str) -> str:
    return "".join(f"<strong>{esc(t)}</strong>" if bold else esc(t) for t, bold in bold_spans(text))


def _cell(c: Cell, numeric: bool) -> str:
    # Data cells are right-aligned by the style sheet; text columns say so (fewer
    # attributes keep the PDF layout fast).
    cls = "" if numeric else ' class="t"'
    if c.kind == "missing":
        return f"<td{cls}></td>"
    return f"<td{cls}>{esc(c.text)}</td>"


def table(t: Table, *, hide_caption: bool = False) -> str:
    width = t.width
    numeric = set(t.numeric_columns)
    cap_cls = ' class="visually-hidden"' if hide_caption else ""
    out = [
        f'<div class="table-wrap"><table class="report-table" id="t-{esc(t.key)}">',
        f"<caption{cap_cls}>{esc(t.caption)}</caption>",
        "<thead>",
    ]
    for header in t.header_rows:
        cells = []
        for i, h in enumerate(header):
            cls = "" if i in numeric or i == 0 else ' class="t"'
            label = esc(h) if h else '<span class="visually-hidden">Rad</span>'
            cells.append(f'<th scope="col"{cls}>{label}</th>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</thead>")
    groups: list[tuple[Row | None, list[Row]]] = [(None, [])]
    for r in t.rows:
        if r.kind == "section":
            groups.append((r, []))
        else:
            groups[-1][1].append(r)
    for head, rows in groups:
        if head is None and not rows:
            continue
        out.append("<tbody>")
        if head is not None:
            out.append(
                f'<tr class="section"><th scope="rowgroup" colspan="{width}">'
                f"{esc(head.cells[0].text)}</th></tr>"
            )
        for r in rows:
            first = r.cells[0].text
            label = (
                f'<span class="visually-hidden">{esc(first)}</span>'
                if r.kind == "cont"
                else esc(first)
            )
            cells = [f'<th scope="row">{label}</th>']
            cells += [_cell(c, i + 1 in numeric) for i, c in enumerate(r.cells[1:])]
            cells += ["<td></td>"] * (width - len(r.cells))
            out.append(f'<tr class="{r.kind}">' + "".join(cells) + "</tr>")
        out.append("</tbody>")
    out.append("</table></div>")
    if t.note:
        out.append(f'<p class="table-note">{esc(t.note)}</p>')
    return "\n".join(out)


def chart(c: Chart, *, for_print: bool) -> str:
    if for_print:
        data = base64.b64encode(c.svg.encode("utf-8")).decode("ascii")
        graphic = (
            f'<img class="chart-img" src="data:image/svg+xml;base64,{data}" alt="{esc(c.alt)}">'
        )
        table_html = table(c.data)
        return (
            f'<figure class="chart">{graphic}<figcaption>{esc(c.title)}</figcaption></figure>'
            f'<div class="chart-data">{table_html}</div>'
        )
    return (
        f'<figure class="chart" aria-label="{esc(c.title)}">{c.svg}'
        f"<figcaption>{esc(c.title)}</figcaption>"
        f"<details><summary>Visa diagrammets siffror som tabell</summary>{table(c.data)}"
        "</details></figure>"
    )


def goal(g: GoalBlock, level: int) -> str:
    h = min(level, 6)
    when = " (prognos för helåret)" if g.forecast else ""
    out = [
        '<div class="goal">',
        f"<h{h}>Nämndens mål: {esc(g.name)}</h{h}>",
        f'<p class="assessment"><strong>Bedömning:</strong> {esc(g.assessment)}{when}</p>',
    ]
    if g.analysis:
        out.append(f"<h{min(h + 1, 6)}>Analys</h{min(h + 1, 6)}>")
        out += [f"<p>{inline(p.text)}</p>" for p in g.analysis]
    if g.measures is not None:
        out.append(table(g.measures))
    out.append("</div>")
    return "\n".join(out)


def body(report: Report, *, for_print: bool = False) -> str:
    out = [
        f'<article class="report" lang="sv" id="rapport-{esc(report.report_type)}">',
        '<header class="report-head">',
        f'<p class="report-kicker">{esc(report.municipality)} · {esc(report.committee)}</p>',
        f"<h1>{esc(report.title)}</h1>",
        "</header>",
    ]
    for s in report.sections:
        out.append(section(s, for_print=for_print))
    out.append("</article>")
    return "\n".join(out)


def section(s: Section, *, for_print: bool) -> str:
    h = min(s.level + 1, 6)
    out = [
        f'<section class="level-{s.level}" aria-labelledby="h-{esc(s.key)}">',
        f'<h{h} id="h-{esc(s.key)}">{esc(s.heading)}</h{h}>',
    ]
    for b in s.blocks:
        if isinstance(b, Paragraph):
            out.append(f'<p class="{b.source}">{inline(b.text)}</p>')
        elif isinstance(b, BulletList):
            out.append("<ul>" + "".join(f"<li>{inline(i)}</li>" for i in b.items) + "</ul>")
        elif isinstance(b, Table):
            out.append(table(b))
        elif isinstance(b, Chart):
            out.append(chart(b, for_print=for_print))
        elif isinstance(b, GoalBlock):
            out.append(goal(b, h + 1))
    out.append("</section>")
    return "\n".join(out)


def css(name: str) -> str:
    return (CSS_DIR / name).read_text(encoding="utf-8")


def document(report: Report) -> str:
    """The stand-alone document for print (and the PDF): print CSS, footer, page numbers."""
    footer = report.footer.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return (
        '<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8">'
        f"<title>{esc(report.title)} – {esc(report.committee)}</title>"
        f'<meta name="author" content="{esc(report.committee)}">'
        f'<meta name="description" content="{esc(report.title)}, {esc(report.municipality)}">'
        f'<meta name="generator" content="Styra">'
        f"<style>{css('report.css')}\n{css('print.css')}\n"
        f'@page {{ @bottom-left {{ content: "{footer}"; }} }}</style>'
        f"</head><body>{body(report, for_print=True)}</body></html>"
    )


def render(report: Report) -> bytes:
    return document(report).encode("utf-8")
