"""PDF: the text layer with character positions (pdfium, installed with pdfplumber).

Words on one printed line are grouped into cells where the gap between them is wide (the
thousands space inside "1 234" is narrow and stays inside the cell). Where several lines in a
row carry numbers in the same places, they are read as a table: the value columns are placed
by position (so an empty cell stays empty instead of shifting its neighbours), and header
words printed over several lines above the first row are joined per column."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from .limits import DEFAULT, Limits
from .model import Document, Line, ReadError
from .numparse import parse_cell

_YEAR = re.compile(r"^(19|20)\d\d$")
# a figure, also negative in parentheses ("(1 234)", "(0,4)")
_NUMLIKE = re.compile(r"^(?:[-−–+]?\s?[\d\s ]+(?:[,.]\d+)?\s?%?|\(\d[\d\s ]*(?:[,.]\d+)?\))$")


class _Cell:
    __slots__ = ("text", "x0", "x1")

    def __init__(self, text: str, x0: float, x1: float):
        self.text, self.x0, self.x1 = text, x0, x1


class _Row:
    __slots__ = ("bottom", "cells", "numeric", "size", "top")

    def __init__(self, cells, top, bottom, size):
        self.cells, self.top, self.bottom, self.size = cells, top, bottom, size
        nums = [c for c in cells if _NUMLIKE.match(c.text) and parse_cell(c.text).is_number]
        if nums and all(_YEAR.match(c.text.strip()) for c in nums):
            nums = []  # a row of years is a header
        self.numeric: list[_Cell] = nums


def _words_of(page) -> list[dict]:
    """Words with positions (top-left origin) from pdfium's text layer."""
    import pypdfium2.raw as pdfium_c

    height = page.get_height()
    tp = page.get_textpage()
    try:
        n = tp.count_chars()
        chars = []
        for k in range(n):
            code = pdfium_c.FPDFText_GetUnicode(tp.raw, k)
            if code in (0, 10, 13, 0xFFFE, 0xFFFF):
                continue
            ch = chr(code)
            left, bottom, right, top = tp.get_charbox(k, loose=True)
            size = pdfium_c.FPDFText_GetFontSize(tp.raw, k) or 10.0
            chars.append((ch, left, height - top, right, height - bottom, size))
    finally:
        tp.close()
    chars.sort(key=lambda c: (round((c[2] + c[4]) / 2 / 3), c[1]))
    words: list[dict] = []
    cur: dict | None = None
    for ch, x0, top, x1, bottom, size in chars:
        mid = (top + bottom) / 2
        same_line = cur is not None and abs(cur["mid"] - mid) <= max(2.0, size * 0.3)
        if ch.isspace():
            if cur is not None:
                words.append(cur)
                cur = None
            continue
        if same_line and x0 - cur["x1"] <= size * 0.15:
            cur["text"] += ch
            cur["x1"] = x1
            continue
        if cur is not None:
            words.append(cur)
        cur = {
            "text": ch,
            "x0": x0,
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "size": size,
            "mid": mid,
        }
    if cur is not None:
        words.append(cur)
    return words


def _rows_of(page) -> list[_Row]:
    words = _words_of(page)
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["mid"] / 3), w["x0"])):
        if lines and abs(lines[-1][0]["mid"] - w["mid"]) <= 2.5:
            lines[-1].append(w)
        else:
            lines.append([w])
    lines.sort(key=lambda ws: min(w["top"] for w in ws))
    rows = []
    for ws in lines:
        ws.sort(key=lambda w: w["x0"])
        size = max((w.get("size") or 10) for w in ws)
        cells = [_Cell(ws[0]["text"], ws[0]["x0"], ws[0]["x1"])]
        for a, b in itertools.pairwise(ws):
            if b["x0"] - a["x1"] > max(size * 0.9, 6):
                cells.append(_Cell(b["text"], b["x0"], b["x1"]))
            else:
                cells[-1].text += " " + b["text"]
                cells[-1].x1 = b["x1"]
        rows.append(_Row(cells, min(w["top"] for w in ws), max(w["bottom"] for w in ws), size))
    return rows


def _table_runs(rows: list[_Row]) -> list[tuple[int, int]]:
    """Index ranges of runs of rows that carry two or more numbers."""
    runs = []
    i = 0
    while i < len(rows):
        if len(rows[i].numeric) >= 2:
            j = i
            while j + 1 < len(rows) and (
                len(rows[j + 1].numeric) >= 1
                or (
                    len(rows[j + 1].cells) == 1
                    and j + 2 < len(rows)
                    and len(rows[j + 2].numeric) >= 2
                )
            ):
                j += 1
            runs.append((i, j))
            i = j + 1
        else:
            i += 1
    return runs


def _columns(rows: list[_Row]) -> list[tuple[float, float]]:
    """Value-column spans from the rows with the most numbers (right edges aligned)."""
    most = max(len(r.numeric) for r in rows)
    ref = [r for r in rows if len(r.numeric) == most]
    spans = []
    for k in range(most):
        x0 = min(r.numeric[k].x0 for r in ref)
        x1 = max(r.numeric[k].x1 for r in ref)
        spans.append((x0, x1))
    return spans


def _col_of(x0: float, x1: float, spans: list[tuple[float, float]]) -> int | None:
    """Index of the value column a word sits in (None = left of them, in the label column)."""
    if x1 < spans[0][0] - 4 and x0 < spans[0][0] - 4:
        centre = (x0 + x1) / 2
        if centre < spans[0][0] - 4:
            return None
    centre = (x0 + x1) / 2
    best = min(range(len(spans)), key=lambda k: abs((spans[k][0] + spans[k][1]) / 2 - centre))
    return best


def read_pdf(path: str | Path, limits: Limits = DEFAULT, name: str | None = None) -> Document:
    p = Path(path)
    shown = name or str(p)
    try:
        import pypdfium2 as pdfium
    except ImportError as exc:  # pragma: no cover - installed with pdfplumber
        raise ReadError(f"{shown}: pypdfium2 saknas, kan inte läsa PDF") from exc
    lines: list[Line] = []

    def add(text: str, page: int, pl: int, cells: list[str] | None = None) -> None:
        if len(lines) >= limits.max_lines:
            raise ReadError(
                f"{shown}: PDF-filen har fler än {limits.max_lines} rader text (gränsen för "
                "kontrollen)"
            )
        lines.append(Line(number=len(lines) + 1, text=text, page=page, page_line=pl, cells=cells))

    try:
        pdf = pdfium.PdfDocument(str(p))
        try:
            npages = len(pdf)
            if npages > limits.max_pages:
                raise ReadError(
                    f"{shown}: PDF-filen har {npages} sidor, fler än gränsen {limits.max_pages}"
                )
            for pno in range(1, npages + 1):
                page = pdf[pno - 1]
                rows = _rows_of(page)
                page.close()
                runs = _table_runs(rows)
                starts = {a: b for a, b in runs}
                header_rows: set[int] = set()
                header_for: dict[int, int] = {}  # header row -> first row of its run
                for a, _b in runs:
                    k = a - 1
                    found: list[int] = []
                    while k >= 0 and a - k <= 6 and not rows[k].numeric and k not in header_rows:
                        gap = rows[k + 1].top - rows[k].bottom
                        if gap > rows[k].size * 0.5 or abs(rows[k].size - rows[a].size) > 0.6:
                            break
                        if any(_b2 >= k >= a2 for a2, _b2 in runs):
                            break
                        found.append(k)
                        k -= 1
                    # A one-cell line right above the first row, under a header of several
                    # cells, is the first section's label ("STÄDENHETEN"), not header.
                    while (
                        len(found) >= 2
                        and len(rows[found[0]].cells) == 1
                        and any(len(rows[h].cells) >= 2 for h in found[1:])
                    ):
                        found.pop(0)
                    header_rows.update(found)
                    for h in found:
                        header_for[h] = a
                pl = 0
                i = 0
                prev_bottom = None
                while i < len(rows):
                    row = rows[i]
                    if prev_bottom is not None and row.top - prev_bottom > row.size * 0.6:
                        pl += 1
                        add("", pno, pl)
                    if i in header_rows:
                        # find the run this header belongs to
                        j = i
                        while j in header_rows:
                            j += 1
                        first = header_for.get(i, j)
                        if first in starts:
                            spans = _columns(rows[first : starts[first] + 1])
                            cols = [""] * (len(spans) + 1)
                            for hr in rows[i:j]:
                                for c in hr.cells:
                                    for word in [c]:
                                        k = _col_of(word.x0, word.x1, spans)
                                        idx = 0 if k is None else k + 1
                                        cols[idx] = (cols[idx] + " " + word.text).strip()
                            pl += 1
                            add("\t".join(cols), pno, pl, cols)
                            prev_bottom = rows[j - 1].bottom
                            i = j
                            continue
                    if i in starts:
                        end = starts[i]
                        spans = _columns(rows[i : end + 1])
                        for r in rows[i : end + 1]:
                            cols = [""] * (len(spans) + 1)
                            for c in r.cells:
                                k = _col_of(c.x0, c.x1, spans)
                                if k is None or not (c in r.numeric or cols[k + 1] == ""):
                                    idx = 0 if k is None else k + 1
                                else:
                                    idx = k + 1
                                cols[idx] = (cols[idx] + " " + c.text).strip()
                            pl += 1
                            add("\t".join(cols), pno, pl, cols)
                        prev_bottom = rows[end].bottom
                        i = end + 1
                        continue
                    pl += 1
                    text = " ".join(c.text for c in row.cells)
                    add(text, pno, pl)
                    prev_bottom = row.bottom
                    i += 1
                add("", pno, pl + 1)
        finally:
            pdf.close()
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on broken files
        raise ReadError(f"{shown}: kan inte läsa PDF-filen ({type(exc).__name__})") from None
    if not any(ln.text.strip() for ln in lines):
        raise ReadError(
            f"{shown}: PDF-filen har inget textlager (inskannad?) och kan inte kontrolleras"
        )
    return Document(path=shown, kind="pdf", lines=lines, pages=npages)
