"""Stage two: a Report (styra.reports.blocks) as files. HTML, PDF, Word and text come from
the one document pipeline (styra.documents) with Report.document(); JSON is the report's
own data (stable, Decimal as text).

    render(report, "pdf") -> bytes
"""

from __future__ import annotations

from styra import documents
from styra.documents import Renderer

from ..blocks import Report

RENDERERS: dict[str, Renderer] = {
    **{name: documents.RENDERERS[name] for name in ("html", "pdf", "docx")},
    "json": Renderer("json", "json", "application/json", "", "Data (JSON)"),
    "txt": documents.RENDERERS["txt"],
}


def render(report: Report, fmt: str) -> bytes:
    if fmt not in RENDERERS:
        raise ValueError(f"okänt format {fmt!r}; välj bland {', '.join(sorted(RENDERERS))}")
    if fmt == "json":
        return report.to_json().encode("utf-8")
    return documents.render(report.document(), fmt)


def file_name(report: Report, fmt: str) -> str:
    base = f"{report.committee_code}-{report.event_code}-{report.report_type}".lower()
    return f"{base}.{RENDERERS[fmt].extension}"


def _render_one(args: tuple[Report, str]) -> tuple[str, bytes]:
    report, fmt = args
    return fmt, render(report, fmt)


def render_many(report: Report, formats: list[str], *, parallel: bool = False) -> dict[str, bytes]:
    """Render several formats; PDF and DOCX (the slow ones) in separate processes when
    `parallel` and the platform can fork, so the wall time is the slowest of them."""
    import multiprocessing as mp
    import os

    heavy = [f for f in formats if f in ("pdf", "docx")]
    out: dict[str, bytes] = {}
    if parallel and len(heavy) > 1 and "fork" in mp.get_all_start_methods() and os.cpu_count():
        import docx  # noqa: F401  (imported once, before forking, not in each process)
        import weasyprint  # noqa: F401

        ctx = mp.get_context("fork")
        with ctx.Pool(len(heavy) - 1) as pool:
            pending = pool.map_async(_render_one, [(report, f) for f in heavy[1:]])
            out[heavy[0]] = render(report, heavy[0])
            out.update(dict(pending.get()))
    for fmt in formats:
        if fmt not in out:
            out[fmt] = render(report, fmt)
    return {fmt: out[fmt] for fmt in formats}
