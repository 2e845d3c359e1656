"""DOCX: paragraphs and tables in document order, read from the document's XML with a
streaming parser (not python-docx, whose style lookup scans every style for every paragraph
and so takes hours on a file with a million paragraphs). Each table row becomes one line
whose cells are the row's cells, so tables from Word reach the same recognition as
tab-separated text. Line numbers count paragraphs and table rows from the start.

Limits (styra.checker.limits): the unpacked XML size is checked before parsing, and the
reading stops with a clear error at the line limit."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from .limits import DEFAULT, Limits, size_text
from .model import Document, Line, ReadError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(heading|rubrik)\s*(\d*)", re.IGNORECASE)


def _member(z: zipfile.ZipFile, suffix: str) -> zipfile.ZipInfo | None:
    for info in z.infolist():
        if info.filename == suffix:
            return info
    return None


def _styles(z: zipfile.ZipFile, limits: Limits) -> dict[str, tuple[int, bool]]:
    """styleId -> (heading level, bold) from word/styles.xml (read once)."""
    info = _member(z, "word/styles.xml")
    if info is None or info.file_size > limits.max_unpacked:
        return {}
    out: dict[str, tuple[int, bool]] = {}
    try:
        with z.open(info) as fh:
            for _ev, el in etree.iterparse(fh, tag=f"{W}style", resolve_entities=False):
                sid = el.get(f"{W}styleId") or ""
                name_el = el.find(f"{W}name")
                name = (name_el.get(f"{W}val") if name_el is not None else "") or sid
                level = 0
                m = _HEADING_STYLE.match(name.strip())
                if m:
                    level = int(m.group(2) or 1)
                outline = el.find(f"{W}pPr/{W}outlineLvl")
                if not level and outline is not None and (outline.get(f"{W}val") or "").isdigit():
                    level = int(outline.get(f"{W}val")) + 1
                bold = el.find(f"{W}rPr/{W}b") is not None
                out[sid] = (min(level, 9), bold)
                el.clear()
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError):
        return {}
    return out


def _text_of(el) -> str:
    parts = []
    for node in el.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        else:
            parts.append(" ")
    return "".join(parts)


def _run_bold(run) -> bool | None:
    b = run.find(f"{W}rPr/{W}b")
    if b is None:
        return None
    return (b.get(f"{W}val") or "true").lower() not in ("0", "false", "off")


def _quick_count(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Paragraph and row start tags counted in the raw XML, a chunk at a time (fast, before
    any parsing; a file that names its namespace otherwise is still held by the parse)."""
    count = 0
    tail = b""
    try:
        with z.open(info) as fh:
            while chunk := fh.read(1 << 20):
                data = tail + chunk
                count += data.count(b"<w:p>") + data.count(b"<w:p ") + data.count(b"<w:tr")
                tail = data[-5:]
                count -= tail.count(b"<w:p>") + tail.count(b"<w:p ") + tail.count(b"<w:tr")
    except (zipfile.BadZipFile, OSError, EOFError):
        return 0
    return count


def read_docx(path: str | Path, limits: Limits = DEFAULT, name: str | None = None) -> Document:
    p = Path(path)
    shown = name or str(p)
    try:
        z = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise ReadError(f"{shown}: filen är inte en giltig DOCX (inte ett zip-arkiv)") from None
    with z:
        info = _member(z, "word/document.xml")
        if info is None:
            raise ReadError(f"{shown}: kan inte läsa DOCX-filen (word/document.xml saknas)")
        if info.file_size > limits.max_unpacked:
            raise ReadError(
                f"{shown}: DOCX-filens text är {size_text(info.file_size)} uppackad, mer än "
                f"gränsen {size_text(limits.max_unpacked)}"
            )
        if _quick_count(z, info) > limits.max_lines:
            raise ReadError(
                f"{shown}: dokumentet har fler än {limits.max_lines} stycken och "
                "tabellrader (gränsen för kontrollen)"
            )
        styles = _styles(z, limits)
        lines: list[Line] = []

        def add(text: str, cells: list[str] | None = None, heading: int = 0, bold=False):
            if len(lines) >= limits.max_lines:
                raise ReadError(
                    f"{shown}: dokumentet har fler än {limits.max_lines} stycken och "
                    "tabellrader (gränsen för kontrollen)"
                )
            lines.append(
                Line(
                    len(lines) + 1, text[: limits.max_line_chars], None, None, bold, heading, cells
                )
            )

        def paragraph(el) -> None:
            text = " ".join(_text_of(el).replace("\t", " ").split())
            sid_el = el.find(f"{W}pPr/{W}pStyle")
            sid = sid_el.get(f"{W}val") if sid_el is not None else ""
            level, style_bold = styles.get(sid or "", (0, False))
            outline = el.find(f"{W}pPr/{W}outlineLvl")
            if not level and outline is not None and (outline.get(f"{W}val") or "").isdigit():
                level = min(int(outline.get(f"{W}val")) + 1, 9)
            runs = [r for r in el.iter(f"{W}r") if _text_of(r).strip()]
            bold = bool(runs) and all(
                (_run_bold(r) if _run_bold(r) is not None else style_bold) for r in runs
            )
            add(text, heading=level if text else 0, bold=bold)

        def table(el) -> None:
            add("")
            for tr in el.iter(f"{W}tr"):
                if tr.getparent() is not el:
                    continue  # rows of a nested table are read as their cell's text
                cells = []
                for tc in tr.findall(f"{W}tc"):
                    cells.append(" ".join(_text_of(tc).split()))
                add("\t".join(cells), cells=cells)
            add("")

        try:
            with z.open(info) as fh:
                depth_body = None
                for ev, el in etree.iterparse(
                    fh, events=("start", "end"), resolve_entities=False, huge_tree=False
                ):
                    if ev == "start":
                        if el.tag == f"{W}body":
                            depth_body = el
                        continue
                    parent = el.getparent()
                    if depth_body is None or parent is not depth_body:
                        continue
                    if el.tag == f"{W}p":
                        paragraph(el)
                    elif el.tag == f"{W}tbl":
                        table(el)
                    elif el.tag == f"{W}sdt":
                        for child in el.iter(f"{W}p", f"{W}tbl"):
                            if child.tag == f"{W}tbl":
                                table(child)
                            elif not any(a.tag == f"{W}tbl" for a in child.iterancestors()):
                                paragraph(child)
                    el.clear()
                    while el.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError:
            raise ReadError(f"{shown}: kan inte läsa DOCX-filen (trasig XML)") from None
        except (zipfile.BadZipFile, OSError, EOFError):
            raise ReadError(f"{shown}: kan inte läsa DOCX-filen (trasigt arkiv)") from None
    if not any(ln.text.strip() for ln in lines):
        raise ReadError(f"{shown}: DOCX-filen innehåller ingen text")
    return Document(path=shown, kind="docx", lines=lines, pages=1)
