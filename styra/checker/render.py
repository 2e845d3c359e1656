"""Renderers: text (default), JSON (schema in docs/checker.md) and a self-contained HTML page
that shows the document's text with the lines that have findings marked."""

from __future__ import annotations

import html
import json

from .findings import CheckResult, Finding
from .rules import RULES


def _where(f: Finding, kind: str) -> str:
    return f.location.describe(kind) or "hela dokumentet"


def render_text(result: CheckResult) -> str:
    if result.error:
        return f"Kan inte kontrollera: {result.error}\n"
    out = [
        f"{result.path}: {len(result.errors)} fel, {len(result.warnings)} varningar "
        f"({result.tables} tabeller lästa; {result.rounding} skillnader förklaras av avrundning "
        "och redovisas inte)",
    ]
    for f in result.findings:
        out.append("")
        out.append(f"{f.id} [{f.severity}] {f.rule} – {_where(f, result.kind)}")
        out.append(f"  {f.message}")
        if f.expected is not None or f.found is not None:
            out.append(f"  Förväntat: {f.expected}   Står: {f.found}")
        for fig in f.figures[:8]:
            where = fig.location.describe(result.kind) if fig.location else ""
            out.append(f"    · {fig.label}: {fig.value}" + (f" ({where})" if where else ""))
        if len(f.figures) > 8:
            out.append(f"    · … och {len(f.figures) - 8} till")
    if not result.findings:
        out.append("Inga avvikelser hittades.")
    return "\n".join(out) + "\n"


def render_json(result: CheckResult) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"


_CSS = """
body{font-family:system-ui,sans-serif;margin:0;display:flex;gap:1rem}
main{flex:3;padding:1rem;overflow:auto}
aside{flex:2;padding:1rem;background:#f6f6f6;max-height:100vh;overflow:auto;position:sticky;top:0}
pre{margin:0;white-space:pre-wrap;font:13px/1.45 ui-monospace,monospace}
.l{display:block}.n{color:#999;display:inline-block;width:4em;text-align:right;margin-right:1em}
.fel{background:#ffd7d7}.varning{background:#fff1c2}
.f{border-left:4px solid #c00;padding:.3rem .6rem;margin:.5rem 0;background:#fff}
.f.varning{border-color:#d90}.f small{color:#555}
a{color:inherit}
"""


def render_html(result: CheckResult) -> str:
    """A page: the document's text on the left with marked lines, the findings on the right."""
    esc = html.escape
    if result.error:
        return (
            "<!doctype html><html lang='sv'><meta charset='utf-8'><title>Kontroll</title>"
            f"<body><main><h1>Kan inte kontrollera filen</h1><p>{esc(result.error)}</p></main>"
            "</body></html>"
        )
    by_line: dict[int, list[Finding]] = {}
    for f in result.findings:
        lines = {f.location.line} | {
            fig.location.line for fig in f.figures if fig.location and fig.location.line
        }
        for ln in lines:
            if ln:
                by_line.setdefault(ln, []).append(f)
    doc_rows = []
    for line in result.lines:
        fs = by_line.get(line.number, [])
        cls = ""
        if fs:
            cls = (
                "fel"
                if any(f.severity == "fel" and f.location.line == line.number for f in fs)
                else "varning"
            )
        refs = " ".join(f"<a href='#{f.id}'>[{f.id}]</a>" for f in fs)
        text = esc(line.text.replace("\t", "   "))
        doc_rows.append(
            f"<span class='l {cls}' id='L{line.number}'><span class='n'>{line.number}</span>"
            f"{text} {refs}</span>"
        )
    items = []
    for f in result.findings:
        figs = "".join(f"<li>{esc(fig.label)}: {esc(fig.value)}</li>" for fig in f.figures[:8])
        target = f"#L{f.location.line}" if f.location.line else "#"
        items.append(
            f"<div class='f {f.severity}' id='{f.id}'><b>{f.id} {esc(f.severity)}</b> "
            f"<small>{esc(f.rule)} – <a href='{target}'>{esc(_where(f, result.kind))}</a></small>"
            f"<p>{esc(f.message)}</p>"
            + (
                f"<p>Förväntat: <b>{esc(str(f.expected))}</b> · "
                f"Står: <b>{esc(str(f.found))}</b></p>"
                if f.expected is not None
                else ""
            )
            + (f"<ul>{figs}</ul>" if figs else "")
            + "</div>"
        )
    summary = (
        f"{len(result.errors)} fel, {len(result.warnings)} varningar, {result.tables} tabeller; "
        f"{result.rounding} skillnader förklaras av avrundning"
    )
    rules = "".join(
        f"<li><b>{esc(n)}</b>: {esc(RULES[n][1])}</li>" for n in result.rules_run if n in RULES
    )
    return (
        "<!doctype html><html lang='sv'><head><meta charset='utf-8'>"
        f"<title>Kontroll av {esc(result.path)}</title><style>{_CSS}</style></head><body>"
        f"<main><h1>{esc(result.path)}</h1><pre>{''.join(doc_rows)}</pre></main>"
        f"<aside><h2>Resultat</h2><p>{esc(summary)}</p>"
        f"{''.join(items) or '<p>Inga avvikelser.</p>'}"
        f"<details><summary>Regler</summary><ul>{rules}</ul></details></aside></body></html>"
    )


RENDERERS = {"text": render_text, "json": render_json, "html": render_html}
