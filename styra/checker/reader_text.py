"""Plain text extracted from PDFs: tab-separated cells, `<b>` or `**` bold markers, Markdown
headings (#), form feeds between pages, or cells separated by runs of spaces."""

from __future__ import annotations

import re
from pathlib import Path

from .model import Document, Line, ReadError
from .numparse import strip_markup

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


def decode(data: bytes, path: str) -> str:
    if not data.strip():
        raise ReadError(f"{path}: filen är tom")
    sample = data[:65536]
    if b"\x00" in sample:
        raise ReadError(f"{path}: filen är inte text (binärt innehåll) och inte PDF eller DOCX")
    for enc in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything; latin-1 decodes everything
        text = data.decode("latin-1")
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\r\n\f")
    if controls > max(8, len(text[:65536]) // 50):
        raise ReadError(f"{path}: filen innehåller mest styrtecken och kan inte läsas som text")
    return text


def lines_from_text(text: str) -> tuple[list[Line], int]:
    lines: list[Line] = []
    page = 1
    page_line = 0
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        while "\f" in raw:
            before, raw = raw.split("\f", 1)
            if before.strip():
                page_line += 1
                lines.append(_make_line(len(lines) + 1, before, page, page_line))
            page += 1
            page_line = 0
        page_line += 1
        lines.append(_make_line(len(lines) + 1, raw, page, page_line))
    return lines, page


def _make_line(number: int, raw: str, page: int, page_line: int) -> Line:
    bold = "<b>" in raw.lower() or raw.strip().startswith("**")
    heading = 0
    body = raw
    m = _HEADING.match(raw.strip())
    if m:
        heading = len(m.group(1))
        body = m.group(2)
    cells = None
    if "\t" in body:
        cells = [strip_markup(c) for c in body.split("\t")]
    text = strip_markup(body.replace("\t", " ")) if cells is None else "\t".join(cells)
    return Line(
        number=number,
        text=text.rstrip(),
        page=page,
        page_line=page_line,
        bold=bold,
        heading=heading,
        cells=cells,
    )


def read_text(path: str | Path) -> Document:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(f"{p}: kan inte läsa filen ({exc.strerror or exc})") from exc
    text = decode(data, str(p))
    lines, pages = lines_from_text(text)
    return Document(path=str(p), kind="text", lines=lines, pages=pages)
