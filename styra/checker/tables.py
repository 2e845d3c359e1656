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
    r"\b(\w*utfall|\w*budget|\w*prognos|\w*avvik\w*|avv|bokslut|mål|ack\.?|årsbudget|årsprognos|förbrukat|"
    r"innevarande|föregående|helår|period|plan|vp|tertial|delår|"
    r"(19|20)\d\d|jan\w*|aug\w*|dec\w*|mån 13|belopp|kostnad|intäkt|antal)\b",
    re.IGNORECASE,
)
_TOTAL = re.compile(r"^(summa|s:a|total|totalt|totalsumma|netto)\b|^[\wåäö]+ totalt$", re.I)
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
    if re.search(r"%|procent|\bandel|förändring", low):
        pass  # a ratio ("Avvikelse %", "Utfall i % av budget") or a change: no amount of a kind
    elif re.search(r"avvik|\bavv\b\.?|differens|\bdiff\b", low):
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
    if re.search(r"%|\bprocent\b", joined):
        return "%"
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


def _header_tail(cells: list[str]) -> bool:
    """The rest of a header split over two lines where only some columns go on ("Utfall"
    over "period"): no label, no figure, a few short words."""
    rest = [c.strip() for c in cells[1:] if c.strip()]
    return (
        not cells[0].strip()
        and bool(rest)
        and all(len(c) <= 20 and (is_year_token(c) or not parse_cell(c).is_number) for c in rest)
    )


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


def _aligned_header(text: str) -> list[str] | None:
    """A header line of space-aligned columns ("Verksamhet (tkr)   Budget   Utfall jan-aug"):
    its fields separated by runs of two or more spaces, when at least two of them name
    a column and none is a figure."""
    fields = [f for f in re.split(r"\s{2,}|\t", text.strip()) if f]
    if len(fields) < 3:
        return None
    if any(parse_cell(f).is_number and not is_year_token(f) for f in fields):
        return None
    named = sum(1 for f in fields[1:] if _HEADER_WORDS.search(f) or "%" in f)
    return fields if named >= 2 else None


def _header_columns(fragments: list[str], n: int) -> list[str] | None:
    for frag in reversed(fragments):
        fields = _aligned_header(frag)
        if fields:
            return fields[-n:] if len(fields) in (n, n + 1) else None
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
            if run and _aligned_header(ln.text):
                break  # the column header of the next table
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
                if _aligned_header(t):
                    frags.insert(0, t)
                    break  # the header of space-aligned columns: the table starts here
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


def _section_label_within(lines: list[Line], j: int, start: int) -> bool:
    """A label line without cells between two rows of a cell table ("VUXENUTBILDNING",
    "Intäkter"): a section row of the table, not the table's end."""
    line = lines[j]
    t = line.text.strip()
    if j == start or not t or line.heading or line.cells is not None:
        return False
    if len(t) > 60 or len(t.split()) > 6 or _PROSE_END.search(t) or re.search(r"\d\s*%?$", t):
        return False
    return j + 1 < len(lines) and lines[j + 1].cells is not None


def _page_furniture(line: Line) -> bool:
    """What may stand between a table and its continuation on the next page: blank lines,
    page numbers, a running title ("Fortsättning", "Sida 4 av 12")."""
    t = line.text.strip()
    return not t or (line.cells is None and len(t) <= 60 and len(t.split()) <= 8)


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
        while j < len(lines) and (lines[j].cells is not None or _section_label_within(lines, j, i)):
            j += 1
        block = lines[i:j]
        header = block[0]
        body = block[1:]
        if not _is_header_cells(header.cells or []):
            # No recognisable header: the block's first row is data; keep the cells anyway.
            header = Line(number=block[0].number, text="", cells=[""] * len(block[0].cells or []))
            body = block
        else:
            # A header split over two or three lines ("Budget" over "2024"): one header.
            while (
                body
                and body[0].cells is not None
                and (
                    (
                        len(body[0].cells) == len(header.cells or [])
                        and _is_header_cells(body[0].cells)
                    )
                    or (
                        len(body[0].cells) <= len(header.cells or [])
                        and _header_tail(body[0].cells)
                    )
                )
                and not _norm_header(body[0].cells) == _norm_header(header.cells or [])
                and body[0].number - header.number <= 2
            ):
                # trailing empty cells of the second line may have been cut off
                tail = body[0].cells + [""] * (len(header.cells) - len(body[0].cells))
                joined = [f"{a} {b}".strip() for a, b in zip(header.cells, tail, strict=True)]
                header = Line(
                    number=header.number,
                    text="\t".join(joined),
                    page=header.page,
                    page_line=header.page_line,
                    cells=joined,
                )
                body = body[1:]
        prev = tables[-1] if tables else None
        headless = not _is_header_cells(block[0].cells or []) and header.text == ""
        if (
            headless
            and prev is not None
            and prev.header_line is not None
            and prev.header_line.cells
            and len(block[0].cells or []) == len(prev.header_line.cells)
            and (block[0].page or 0) > (prev.rows[-1].line.page or 0 if prev.rows else 0)
            and block[0].number - prev.last_line <= 12
            and all(
                _page_furniture(ln) and not ln.heading and len(_HEADER_WORDS.findall(ln.text)) < 2
                for ln in lines[prev.last_line : block[0].number - 1]
            )
        ):
            # The table goes on at the top of the next page without its header (nothing in
            # between reads as a heading or as the header of another table).
            more = _cells_table(prev.index, prev.header_line, block)
            prev.rows.extend(more.rows)
            _assign_sections(prev)
        elif (
            prev is not None
            and prev.header_line is not None
            and prev.header_line.cells
            and _norm_header(prev.header_line.cells) == _norm_header(header.cells or [])
            and header.number - prev.last_line <= 12
            and all(_page_furniture(ln) for ln in lines[prev.last_line : header.number - 1])
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
    tables.extend(_vertical_tables(doc, len(tables) + 1, used))
    tables.extend(_space_tables(doc, len(tables) + 1, used))
    tables.extend(_inline_tables(doc, len(tables) + 1, used))
    tables.sort(key=lambda t: t.first_line)
    for n, t in enumerate(tables, start=1):
        t.index = n
    doc.tables = tables
    return tables


# ------------------------------------------------------------------------ inline lists

# "Kommunstyrelsen 0,8 Ks övrig verksamhet -0,6 … Summa budgetavvikelse 16,1": a table
# whose cells were run together into one line of prose when a web page was saved as text.
_INLINE_PAIR = re.compile(
    r"(?P<label>(?:[A-ZÅÄÖ][\wåäöÅÄÖ.\-]*|[a-zåäö][\wåäö\-]*|och|&)(?:\s+(?:[\wåäöÅÄÖ.\-]+|&))"
    r"{0,4}?)\s+(?P<num>[-−–]?\d{1,3}(?:[ \u00a0]\d{3})*(?:,\d+)?)(?=\s|$)"
)
_INLINE_MIN = 5  # pairs in a row, one of them a total


def _inline_rows(text: str) -> list[list[tuple[str, str, int, int]]]:
    """Runs of (label, number, start, end) pairs that follow each other directly."""
    runs: list[list[tuple[str, str, int, int]]] = []
    cur: list[tuple[str, str, int, int]] = []
    pos = 0
    for m in _INLINE_PAIR.finditer(text):
        label = m.group("label").strip()
        contiguous = cur and m.start() - pos <= 1
        if not contiguous:
            if len(cur) >= _INLINE_MIN:
                runs.append(cur)
            cur = []
        cur.append((label, m.group("num"), m.start(), m.end()))
        pos = m.end()
    if len(cur) >= _INLINE_MIN:
        runs.append(cur)
    return runs


def _inline_tables(doc: Document, start_index: int, used: set[int]) -> list[Table]:
    tables: list[Table] = []
    for line in doc.lines:
        if line.number in used or line.cells is not None or len(line.text) < 80:
            continue
        for run in _inline_rows(line.text):
            labels = [lab for lab, *_ in run]
            first_label = labels[0].split()
            if len(first_label) > 2:  # the caption runs into the first row's name
                labels[0] = first_label[-1]
            # Every label starts with a capital (a table's row names), and one is a total.
            if not all(lab[:1].isupper() for lab in labels):
                continue
            if not any(_TOTAL.match(norm_label(lab)) for lab in labels):
                continue
            decs = {decimals_of_text(num) for _lab, num, *_ in run if num.strip("-−–") != "0"}
            if len(decs) > 1:
                continue
            caption_end = run[0][2] + len(run[0][0]) - len(labels[0])
            caption = line.text[max(0, caption_end - 120) : caption_end].strip()
            caption = " ".join(re.split(r"[.!?]\s", caption)[-1].split()[-7:])
            col = classify_column(0, caption)
            rows = [
                Row(label=lab, cells=[parse_cell(num)], line=line)
                for lab, (_l, num, *_r) in zip(labels, run, strict=True)
            ]
            t = Table(
                index=start_index + len(tables),
                columns=[col],
                rows=rows,
                header_line=None,
                unit=table_unit([caption]),
                title=caption[:80],
                layout="inline",
            )
            _assign_sections(t)
            tables.append(t)
    return tables


def decimals_of_text(num: str) -> int:
    return len(num.rsplit(",", 1)[1]) if "," in num else 0


# ------------------------------------------------------------------ one cell per line

_DASH_CELL = re.compile(r"^[-–−]$")


def _single_value(line: Line) -> Cell | None:
    """The line's one number ("-415,9", "1 074,0", "12 %"), a dash for an empty cell, or
    None when the line is not a lone figure."""
    t = line.text.strip()
    if not t or line.cells is not None or line.heading:
        return None
    if _DASH_CELL.match(t):
        return Cell(text="")
    if is_year_token(t) or len(t) > 24:
        return None
    cell = parse_cell(t)
    if not cell.is_number or cell.values:
        return None
    return cell


def _short_label(line: Line) -> bool:
    t = line.text.strip()
    return (
        bool(t)
        and line.cells is None
        and not line.heading
        and len(t) <= 70
        and not (_PROSE_END.search(t) and len(t.split()) > 1)  # "Avv." is a label
        and _single_value(line) is None
    )


def _is_column_name(text: str) -> bool:
    t = text.strip()
    return bool(_HEADER_WORDS.search(t)) and len(t.split()) <= 6 and not _TOTAL.match(t.lower())


def _vertical_tables(doc: Document, start_index: int, used: set[int]) -> list[Table]:
    """Tables whose cells each stand on a line of their own (web pages saved as text): a
    label line, then its figures one per line, blank lines in between ignored.

    Column headers one per line ("Budget 2024", "Utfall jan-aug") start a table; the same
    headers again (after a page break) continue it, other headers start a new table. Label
    lines without figures between rows are section rows ("VUXENUTBILDNING"). Without
    headers the number of figures most rows have is the column count. Rows with another
    count are kept out of the arithmetic (placement unknown)."""
    items: list[tuple[str, Line, Cell | None]] = []
    for ln in doc.lines:
        if ln.number in used or not ln.text.strip():
            continue
        v = _single_value(ln)
        if v is not None:
            items.append(("value", ln, v))
        elif _short_label(ln):
            items.append(("label", ln, None))
        else:
            items.append(("other", ln, None))
    # Groups: a label and the figures under it; runs end at prose.
    runs: list[list[tuple[Line, list[Cell]]]] = [[]]
    k = 0
    while k < len(items):
        kind, line, _ = items[k]
        if kind != "label":
            if kind == "other" and runs[-1]:
                runs.append([])
            k += 1
            continue
        vals: list[Cell] = []
        k += 1
        while k < len(items) and items[k][0] == "value":
            vals.append(items[k][2])
            k += 1
        runs[-1].append((line, vals))
    tables: list[Table] = []
    for run in runs:
        for segment in _vertical_segments(run):
            t = _vertical_table(start_index + len(tables), *segment)
            if t is not None:
                tables.append(t)
                for r in t.rows:
                    used.add(r.line.number)
    return tables


def _vertical_segments(run):
    """Split a run of groups at column headers: (title lines, names or None, groups)."""
    segments = []
    title: list[Line] = []
    names: list[str] | None = None
    body: list[tuple[Line, list[Cell]]] = []
    g = 0
    while g < len(run):
        # a block of header-like labels without figures
        h = g
        while h < len(run) and not run[h][1] and _is_column_name(run[h][0].text):
            h += 1
        if h - g >= 2:
            block = [ln.text.strip() for ln, _v in run[g:h]]
            nxt = next((len(v) for _l, v in run[h:] if v), 0)
            new = block[-nxt:] if 2 <= nxt <= len(block) else None
            if new is not None:
                if names is not None and [x.lower() for x in new] == [x.lower() for x in names]:
                    g = h  # the same header again: the table goes on after a page break
                    continue
                if body:
                    segments.append((title, names, body))
                    title = [body[-1][0]] if not body[-1][1] else []
                    body = []
                names = new
                title = title + [ln for ln, _v in run[g:h]][: len(block) - len(new)]
                g = h
                continue
        line, vals = run[g]
        if not body and not vals and names is None:
            title.append(line)
        else:
            body.append((line, vals))
        g += 1
    if body:
        segments.append((title, names, body))
    return segments


def _vertical_table(index: int, title_lines: list[Line], names, body) -> Table | None:
    counts = Counter(len(v) for _l, v in body if len(v) >= 2)
    if not counts:
        return None
    n = len(names) if names else counts.most_common(1)[0][0]
    if counts.get(n, 0) < (1 if names else 3):
        return None
    if not names:
        # a header glued into one line ("Intäkter 2019Intäkter 2020…") among the title
        names = _header_columns([ln.text for ln in title_lines[-3:]], n)
    columns = [
        classify_column(c, names[c]) if names else Column(index=c, header="") for c in range(n)
    ]
    _finish_columns(columns)
    rows: list[Row] = []
    for label_line, vals in body:
        label = strip_markup(label_line.text)
        if not any(c.text for c in vals):  # no figures, or only dashes: a section label
            rows.append(Row(label=label, cells=[Cell("") for _ in range(n)], line=label_line))
        elif len(vals) == n:
            rows.append(Row(label=label, cells=list(vals), line=label_line))
        else:
            rows.append(
                Row(
                    label=label,
                    cells=[Cell("") for _ in range(n)],
                    line=label_line,
                    short=True,
                    raw_values=list(vals),
                )
            )
    while rows and not rows[-1].has_values:
        rows.pop()  # a heading after the table
    title = " ".join(ln.text.strip() for ln in title_lines[-2:])
    unit = table_unit([title, *(names or [])])
    t = Table(
        index=index,
        columns=columns,
        rows=rows,
        header_line=None,
        unit=unit,
        title=title[:80],
        layout="vertical",
    )
    t.line_item = _line_item(t.title)
    _assign_sections(t)
    return t
