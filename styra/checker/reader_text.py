"""Plain text extracted from PDFs: tab-separated cells, `<b>` or `**` bold markers, Markdown
headings (#), form feeds between pages, or cells separated by runs of spaces."""

from __future__ import annotations

import re
from pathlib import Path

from .limits import DEFAULT, Limits, size_text
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


def lines_from_text(text: str, limits: Limits = DEFAULT, name: str = "") -> tuple[list[Line], int]:
    lines: list[Line] = []
    page = 1
    page_line = 0
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    count = text.count("\n") + text.count("\f") + 1
    if count > limits.max_lines:
        raise ReadError(
            f"{name}: filen har {count} rader, fler än gränsen {limits.max_lines} för kontrollen"
        )
    for number, raw in enumerate(text.split("\n"), start=1):
        if len(raw) > limits.max_line_chars:
            raise ReadError(
                f"{name}: rad {number} har {len(raw)} tecken, fler än gränsen "
                f"{limits.max_line_chars} för kontrollen"
            )
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


def read_text(path: str | Path, limits: Limits = DEFAULT, name: str | None = None) -> Document:
    p = Path(path)
    shown = name or str(p)
    try:
        with open(p, "rb") as fh:
            data = fh.read(limits.max_bytes + 1)
    except OSError as exc:
        raise ReadError(f"{shown}: kan inte läsa filen ({exc.strerror or 'okänt fel'})") from None
    if len(data) > limits.max_bytes:
        raise ReadError(f"{shown}: filen är större än gränsen {size_text(limits.max_bytes)}")
    text = decode(data, shown)
    del data
    lines, pages = lines_from_text(text, limits, shown)
    return Document(path=shown, kind="text", lines=lines, pages=pages)
