"""Finding tables in a document's lines and giving their columns and rows a meaning.

Two layouts: "cells" (tab-separated text, DOCX tables, PDF words grouped by geometry) and
"spaces" (text from PDFs where cells are separated by spaces and headers are split over
lines). When a table's structure is unclear the table is still recorded, but its columns stay
unclassified and the rules that need a classification say nothing about it.
"""

from __future__ import annotations

import re
from collections import Counter

from .model import Cell, Column, Document, Line, Row, Table
from .numparse import is_year_token, parse_cell, read_numbers, split_tail, strip_markup

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "maj": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "okt": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_HEADER_WORDS = re.compile(
    r"\b(utfall|budget|prognos|avvik\w*|bokslut|mål|ack\.?|årsbudget|årsprognos|"
    r"innevarande|föregående|helår|period|plan|vp|tertial|delår|"
    r"(19|20)\d\d|jan\w*|aug\w*|dec\w*|mån 13|belopp|kostnad|intäkt|antal)\b",
    re.IGNORECASE,
)
_TOTAL = re.compile(r"^(summa|s:a|total|totalt|totalsumma|netto)\b", re.I)
_VARAV = re.compile(r"^[-–\s]*(varav|därav)\b", re.IGNORECASE)
_TOTAL_SECTION = re.compile(r"^(totalt?|summa|totalsumma|hela nämnden|nämnden totalt)$", re.I)


def norm_label(label: str) -> str:
    s = strip_markup(label).lower()
    s = re.sub(r"\((?:\+|-|\+/-|-/\+|−)\)", "", s)
    s = re.sub(r"\s+", " ", s).strip(" :")
    return s


def classify_column(index: int, header: str) -> Column:
    h = strip_markup(header)
    low = h.lower().replace("\u2212", "-").replace("–", "-")
    low = re.sub(r"([a-zåäö])(jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)", r"\1 \2", low)
    low = re.sub(r"(budget|prognos|utfall|avvikelse)(budget|prognos|utfall)", r"\1 \2", low)
    col = Column(index=index, header=re.sub(r"\s+", " ", h).strip())
    formula = re.search(r"(budget|prognos|utfall)\s*-\s*(budget|prognos|utfall)", low)
    if re.search(r"avvik|differens|\bdiff\b", low):
        col.kind = "avvikelse"
        if formula:
            col.formula = (formula.group(1), formula.group(2))
    elif "prognos" in low:
        col.kind = "prognos"
    elif "budget" in low or re.search(r"\bvp\b", low):
        col.kind = "budget"
    elif re.search(r"utfall|bokslut|innevarande år|föregående år", low):
        col.kind = "utfall"
    elif re.search(r"\bmål\b", low):
        col.kind = "mal"
    years = re.findall(r"\b((?:19|20)\d\d)\b", low)
    if years:
        col.year = int(years[-1])
    else:
        m = re.search(
            r"\b(?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)\w*\.?\s+(\d\d)\b", low
        )
        if m:
            col.year = 2000 + int(m.group(1))
    rng = re.search(
        r"\b(jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)\w*\.?\s*\d{0,4}\s*-\s*"
        r"(jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec|mån 13)",
        low,
    )
    if rng:
        end = 12 if rng.group(2) == "mån 13" else MONTHS[rng.group(2)]
        col.months = (MONTHS[rng.group(1)], end)
        col.scope = "full" if end == 12 and MONTHS[rng.group(1)] == 1 else "ytd"
    elif re.search(r"\back\b|\back\.|period|t\.o\.m|tom\b", low):
        col.scope = "ytd"
    elif re.search(r"bokslut|helår|årsbudget|årsprognos|mån 13|\bår\b", low):
        col.scope = "full"
    elif col.kind in ("budget", "prognos"):
        col.scope = "full"
    if col.kind == "avvikelse" and not col.scope:
        col.scope = "full" if re.search(r"helår|år", low) else ""
    return col


def _finish_columns(columns: list[Column]) -> None:
    years = [c.year for c in columns if c.year]
    if not years:
        return
    top = max(years)
    for c in columns:
        if c.year is None and c.kind in ("budget", "prognos", "avvikelse"):
            c.year = top


def table_unit(texts: list[str]) -> str:
    joined = " ".join(texts).lower()
    if re.search(r"\bmnkr\b|miljoner kronor|\bmkr\b|\bmnkr\)", joined):
        return "mnkr"
    if re.search(r"\btkr\b|tusen kronor|tusentals kronor", joined):
        return "tkr"
    if re.search(r"\bkronor\b|\bkr\b|\bsek\b", joined):
        return "kr"
    return ""


def _is_header_cells(cells: list[str]) -> bool:
    rest = [c for c in cells[1:] if c.strip()]
    if len(rest) < 2:
        return False
    numeric = 0
    words = 0
    for c in rest:
        cell = parse_cell(c)
        if cell.is_number and not is_year_token(c):
            numeric += 1
        if _HEADER_WORDS.search(c) or re.fullmatch(r"\*\)|antal|enhet|status|kommentar", c, re.I):
            words += 1
    return numeric == 0 and words >= 2


def _row_kind(label: str) -> str:
    if _VARAV.match(label):
        return "varav"
    low = norm_label(label)
    if _TOTAL.match(low) and "/" not in low and " per " not in low:
        return "total"
    return "data"


def _assign_sections(table: Table) -> None:
    data_labels = {norm_label(r.label) for r in table.rows if r.has_values}
    section = ""
    for row in table.rows:
        if not row.has_values and row.label.strip() and not row.marker:
            if norm_label(row.label) in data_labels:
                row.kind = "data"  # an empty line item ("Intäkter" with no figures)
                row.section = section
                continue
            row.kind = "section"
            section = row.label.strip()
            row.section = section
            continue
        row.section = section
        if row.kind == "data":
            row.kind = _row_kind(row.label)


# ------------------------------------------------------------------------ cells layout


def _cells_table(index: int, header: Line, body: list[Line]) -> Table:
    hcells = header.cells or []
    columns = [classify_column(i, h) for i, h in enumerate(hcells[1:])]
    _finish_columns(columns)
    rows = []
    width = len(columns)
    for line in body:
        cells_txt = line.cells or [line.text]
        label = strip_markup(cells_txt[0])
        parsed = [parse_cell(c) for c in cells_txt[1:]]
        while len(parsed) > width:
            columns.append(Column(index=len(columns), header=""))
            width += 1
        texts = [c.text for c in parsed if c.text and not c.is_number]
        marker = texts[0] if texts else ""
        short = any(c.is_number for c in parsed) and len(cells_txt) - 1 < width
        parsed += [Cell(text="") for _ in range(width - len(parsed))]
        rows.append(Row(label=label, cells=parsed, line=line, short=short, marker=marker))
    title = strip_markup(hcells[0]) if hcells else ""
    unit = table_unit([*hcells, *[r.label for r in rows[:1]]])
    t = Table(index=index, columns=columns, rows=rows, header_line=header, unit=unit, title=title)
    t.line_item = _line_item(title)
    _assign_sections(t)
    return t


def _line_item(title: str) -> str:
    low = title.lower()
    for word in ("netto", "intäkter", "kostnader"):
        if word in low:
            return word
    return ""


# ------------------------------------------------------------------------ spaces layout

_PROSE_END = re.compile(r"[.!?]\s*$")


def _is_prose(text: str) -> bool:
    words = text.split()
    return len(words) > 9 or len(text) > 70 or (len(words) > 3 and bool(_PROSE_END.search(text)))


def _header_columns(fragments: list[str], n: int) -> list[str] | None:
    text = ""
    for frag in fragments:
        f = frag.strip()
        if not f:
            continue
        if text and re.fullmatch(r"[a-zåäö]{1,2}", f):
            text += f  # "Årsbudge" + "t"
        else:
            text += (" " if text else "") + f
    pattern = re.compile(
        r"ack\.?\s+utfall|ack\.?\s+budget|avvikelse\s+helår|avvikelse\s+(?:19|20)\d\d|"
        r"avvikelse|årsbudget(?:\s+(?:19|20)\d\d)?|årsprognos(?:\s+(?:19|20)\d\d)?|"
        r"prognos\s+helår(?:\s+(?:19|20)\d\d)?|(?:utfall|budget|prognos|bokslut|mål)"
        r"(?:\s+period)?(?:\s+(?:19|20)\d\d)?|(?:19|20)\d\d(?:\s*\([a-zåäö]+\))?",
        re.IGNORECASE,
    )
    names = [m.group(0) for m in pattern.finditer(text)]
    if len(names) == n:
        return names
    return None


def _space_tables(doc: Document, start_index: int, used: set[int]) -> list[Table]:
    tables: list[Table] = []
    lines = doc.lines
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.number in used or line.cells is not None or line.heading:
            i += 1
            continue
        _label, tail = split_tail(line.text)
        nums = read_numbers(tail)
        if not nums or len(nums) < 2 or all(is_year_token(x) for x in nums):
            i += 1
            continue
        # Collect the run.
        run: list[Line] = []
        j = i
        blanks = 0
        while j < len(lines):
            ln = lines[j]
            if ln.cells is not None or ln.heading or ln.number in used:
                break
            if not ln.text.strip():
                blanks += 1
                if blanks > 2:
                    break
                j += 1
                continue
            blanks = 0
            lab, tl = split_tail(ln.text)
            if not tl and _is_prose(ln.text):
                break
            if tl and lab and _is_prose(lab):
                break
            run.append(ln)
            j += 1
        # Header fragments above the run.
        frags: list[str] = []
        k = i - 1
        while k >= 0 and len(frags) < 14:
            t = lines[k].text.strip()
            if lines[k].cells is not None or lines[k].heading:
                break
            if t:
                if _is_prose(t):
                    break
                lab, tl = split_tail(t)
                if tl and not all(is_year_token(x[0]) for x in tl if x[0][0].isdigit()):
                    break
                frags.insert(0, t)
            k -= 1
        table = _build_space_table(start_index + len(tables), run, frags, lines)
        if table is not None and sum(1 for r in table.rows if r.has_values) >= 2:
            tables.append(table)
            for ln in run:
                used.add(ln.number)
        i = max(j, i + 1)
    return tables


def _build_space_table(index: int, run: list[Line], frags: list[str], all_lines) -> Table | None:
    parsed: list[tuple[Line, str, list[str] | None, list]] = []
    counts: Counter[int] = Counter()
    for ln in run:
        label, tail = split_tail(ln.text)
        nums = read_numbers(tail) if tail else []
        if nums:
            # Leading years belong to the label ("Summa kostnader 2021 1 429 600").
            while len(nums) > 1 and is_year_token(nums[0]) and label:
                label = f"{label} {nums.pop(0)}"
        parsed.append((ln, label, nums, tail))
        if nums and len(nums) >= 2:
            counts[len(nums)] += 1
    if not counts:
        return None
    n = counts.most_common(1)[0][0]
    header_names = _header_columns(frags, n)
    columns = [
        classify_column(c, header_names[c]) if header_names else Column(index=c, header="")
        for c in range(n)
    ]
    _finish_columns(columns)
    rows: list[Row] = []
    pending_label: list[str] = []
    for ln, label, nums, tail in parsed:
        if not nums:
            pending_label.append(label)
            continue
        if pending_label:
            # Label-only lines before a row: sections, or the row's label split over lines.
            if label:
                for lab in pending_label:
                    rows.append(Row(label=lab, cells=[Cell("")] * n, line=ln))
            else:
                label = " ".join(pending_label)
            pending_label = []
        if len(nums) != n:
            again = read_numbers(tail, n)
            if again is not None and len(again) == n:
                nums = again
        cells = [parse_cell(x) for x in nums]
        if len(cells) == n:
            rows.append(Row(label=label, cells=cells, line=ln))
        elif len(cells) < n:
            rows.append(
                Row(
                    label=label,
                    cells=[Cell("") for _ in range(n)],
                    line=ln,
                    short=True,
                    raw_values=cells,
                )
            )
        # rows with more numbers than the table has columns are left out: structure unclear
    # Section rows were created with the line of the following row; fix their line.
    by_text = {ln.number: ln for ln, *_ in parsed}
    for r in rows:
        if not r.has_values:
            for ln, label, nums, _ in parsed:
                if not nums and label == r.label and ln.number <= r.line.number:
                    r.line = by_text[ln.number]
    unit = table_unit(frags + [r.label for r in rows[:1]])
    t = Table(
        index=index,
        columns=columns,
        rows=rows,
        header_line=None,
        unit=unit,
        title=" ".join(frags)[:80],
        layout="spaces",
    )
    t.line_item = _line_item(t.title)
    _assign_sections(t)
    return t


# ------------------------------------------------------------------------------ driver


def _norm_header(cells: list[str]) -> tuple[str, ...]:
    return tuple(re.sub(r"\s+", " ", strip_markup(c)).lower() for c in cells)


def find_tables(doc: Document) -> list[Table]:
    tables: list[Table] = []
    lines = doc.lines
    used: set[int] = set()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.cells is None:
            i += 1
            continue
        # A run of cell lines.
        j = i
        while j < len(lines) and lines[j].cells is not None:
            j += 1
        block = lines[i:j]
        header = block[0]
        body = block[1:]
        if not _is_header_cells(header.cells or []):
            # No recognisable header: the block's first row is data; keep the cells anyway.
            header = Line(number=block[0].number, text="", cells=[""] * len(block[0].cells or []))
            body = block
        prev = tables[-1] if tables else None
        if (
            prev is not None
            and prev.header_line is not None
            and prev.header_line.cells
            and _norm_header(prev.header_line.cells) == _norm_header(header.cells or [])
            and header.number - prev.last_line <= 6
            and all(not ln.text.strip() for ln in lines[prev.last_line : header.number - 1])
        ):
            # A header repeated after a page break: the same table goes on.
            more = _cells_table(prev.index, prev.header_line, body)
            prev.rows.extend(more.rows)
            _assign_sections(prev)
        elif body:
            tables.append(_cells_table(len(tables) + 1, header, body))
        for ln in block:
            used.add(ln.number)
        i = j
    tables.extend(_space_tables(doc, len(tables) + 1, used))
    tables.sort(key=lambda t: t.first_line)
    for n, t in enumerate(tables, start=1):
        t.index = n
    doc.tables = tables
    return tables
