"""Stage two: renderers turn a Report (styra.reports.blocks) into files, registered by
format name. Heavy libraries (WeasyPrint, python-docx, pypdfium2) are imported lazily,
inside the renderer that needs them.

    render(report, "pdf") -> bytes
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from ..blocks import Report


@dataclass(frozen=True)
class Renderer:
    name: str
    extension: str
    content_type: str
    module: str  # module with a function render(report) -> bytes
    label: str

    def func(self) -> Callable[[Report], bytes]:
        return importlib.import_module(self.module).render


RENDERERS: dict[str, Renderer] = {}


def register(renderer: Renderer) -> None:
    RENDERERS[renderer.name] = renderer


register(Renderer("html", "html", "text/html; charset=utf-8", f"{__name__}.html", "Webbsida"))
register(Renderer("pdf", "pdf", "application/pdf", f"{__name__}.pdf", "PDF (tillgänglig)"))
register(
    Renderer(
        "docx",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        f"{__name__}.docx",
        "Word",
    )
)
register(Renderer("json", "json", "application/json", f"{__name__}.jsonfile", "Data (JSON)"))
register(Renderer("txt", "txt", "text/plain; charset=utf-8", f"{__name__}.text", "Text"))


def render(report: Report, fmt: str) -> bytes:
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(
            f"okänt format {fmt!r}; välj bland {', '.join(sorted(RENDERERS))}"
        ) from None
    return renderer.func()(report)


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
