"""HTML: the document body for the Styra page and, wrapped with print CSS, the document
WeasyPrint turns into the PDF. Pure Python (no template engine) so the web page, the PDF
and the tests get exactly the same markup, for reports and meeting papers alike.

Accessibility (WCAG 2.1 AA, PDF/UA): one h1, headings in order, tables with caption and
th scope (col / row / rowgroup), charts with a text alternative and their data as a table,
lang="sv" on the document.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

from .model import (
    BulletList,
    Cell,
    Chart,
    Document,
    Facts,
    Group,
    NumberedList,
    Paragraph,
    Row,
    Section,
    Signatures,
    Table,
    bold_spans,
)

CSS_DIR = Path(__file__).resolve().parent / "static" / "documents"


def esc(s: str) -> str:
    return html.escape(s, quote=True)


def inline(text: str) -> str:
    """**bold** markup to <strong>; a newline is a line break."""
    out = "".join(f"<strong>{esc(t)}</strong>" if bold else esc(t) for t, bold in bold_spans(text))
    return out.replace("\n", "<br>")


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
    out = [f'<div class="table-wrap"><table class="report-table" id="t-{esc(t.key)}">']
    if t.caption:
        out.append(f"<caption{cap_cls}>{esc(t.caption)}</caption>")
    if t.header_rows:
        out.append("<thead>")
    for header in t.header_rows:
        cells = []
        for i, h in enumerate(header):
            cls = "" if i in numeric or i == 0 else ' class="t"'
            label = esc(h) if h else '<span class="visually-hidden">Rad</span>'
            cells.append(f'<th scope="col"{cls}>{label}</th>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    if t.header_rows:
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


def blocks(items, h: int, *, for_print: bool) -> list[str]:
    """The blocks of a section whose heading is h<h>."""
    out = []
    for b in items:
        if isinstance(b, Paragraph):
            out.append(f'<p class="{esc(b.source)}">{inline(b.text)}</p>')
        elif isinstance(b, BulletList):
            out.append("<ul>" + "".join(f"<li>{inline(i)}</li>" for i in b.items) + "</ul>")
        elif isinstance(b, NumberedList):
            out.append("<ol>" + "".join(f"<li>{inline(i)}</li>" for i in b.items) + "</ol>")
        elif isinstance(b, Facts):
            out.append(facts(b.items))
        elif isinstance(b, Signatures):
            people = "".join(
                f"<div><p><strong>{esc(name)}</strong></p><p>{esc(title)}</p></div>"
                for name, title in b.items
            )
            out.append(f'<div class="signatures">{people}</div>')
        elif isinstance(b, Table):
            out.append(table(b))
        elif isinstance(b, Chart):
            out.append(chart(b, for_print=for_print))
        elif isinstance(b, Group):
            g = min(h + 1, 6)
            cls = f' class="{esc(b.css)}"' if b.css else ""
            out.append(f"<div{cls}><h{g}>{esc(b.heading)}</h{g}>")
            out += blocks(b.blocks, g, for_print=for_print)
            out.append("</div>")
        else:  # pragma: no cover - a new block type must be added to every renderer
            raise TypeError(f"unknown block {type(b).__name__}")
    return out


def facts(items) -> str:
    rows = "".join(f"<dt>{esc(label)}</dt><dd>{esc(value)}</dd>" for label, value in items)
    return f'<dl class="facts">{rows}</dl>'


def body(doc: Document, *, for_print: bool = False) -> str:
    out = [
        f'<article class="report" lang="sv" id="{esc(doc.key)}">',
        '<header class="report-head">',
    ]
    if doc.kind:
        out.append(f'<p class="report-kicker">{esc(doc.kind)}</p>')
    else:
        out.append(f'<p class="report-kicker">{esc(doc.municipality)} · {esc(doc.committee)}</p>')
    out.append(f"<h1>{esc(doc.title)}</h1>")
    if doc.facts:
        out.append(facts(doc.facts))
    out.append("</header>")
    for s in doc.sections:
        out.append(section(s, for_print=for_print))
    out.append("</article>")
    return "\n".join(out)


def section(s: Section, *, for_print: bool) -> str:
    h = min(s.level + 1, 6)
    if not s.heading:
        return "\n".join(["<section>", *blocks(s.blocks, h - 1, for_print=for_print), "</section>"])
    out = [
        f'<section class="level-{s.level}" aria-labelledby="h-{esc(s.key)}">',
        f'<h{h} id="h-{esc(s.key)}">{esc(s.heading)}</h{h}>',
        *blocks(s.blocks, h, for_print=for_print),
        "</section>",
    ]
    return "\n".join(out)


def css(name: str) -> str:
    return (CSS_DIR / name).read_text(encoding="utf-8")


def _css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ") + '"'


def document(doc: Document) -> str:
    """The stand-alone document for print (and the PDF): print CSS, footer, page numbers;
    reports start each part on a new page, papers carry the municipality and committee at
    the top of every page."""
    page = f"@page {{ @bottom-left {{ content: {_css_string(doc.footer)}; }} }}"
    if doc.page_header:
        page += (
            f"@page {{ @top-left {{ content: {_css_string(doc.municipality)} "
            f'"\\a " {_css_string(doc.committee)}; white-space: pre; }} }}'
        )
    if doc.new_page_per_part:
        page += ".report section.level-1 { break-before: page; }"
    return (
        '<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8">'
        f"<title>{esc(doc.full_title)}</title>"
        f'<meta name="author" content="{esc(doc.committee)}">'
        f'<meta name="description" content="{esc(doc.title)}, {esc(doc.municipality)}">'
        f'<meta name="generator" content="Styra">'
        f"<style>{css('document.css')}\n{css('print.css')}\n{page}</style>"
        f"</head><body>{body(doc, for_print=True)}</body></html>"
    )


def render(doc: Document) -> bytes:
    return document(doc).encode("utf-8")
