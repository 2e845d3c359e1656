"""Numbers in prose against the tables.

- Result statements: "överskott på 13,5 mkr", "underskott med ca 10 mkr", "Resultatavvikelse:
  +2,4 mkr", "positiv budgetavvikelse om 13,5 mkr". The subject is a unit named in the
  sentence, else in one of the two nearest headings above, else the nämnd when the sentence
  speaks of nämnden, förvaltningen or the forecast as a whole. The figure is compared with the
  full-year deviation of that unit's row (or of the total row) in the tables. Magnitudes are
  compared (sign conventions differ between templates); "ca" allows 10 %.
- "42 % (5 av 12)": a percentage against its count and base.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..findings import Figure, Finding, fmt, loc_cell, loc_line
from ..model import Document, Line, Row, Table
from ..numparse import decimals_of, to_decimal
from ..tables import _TOTAL_SECTION, norm_label
from ..tolerance import half_unit
from . import Context, rule

AMOUNT = r"(?P<num>(?:\+-|±|[+\-−–])?\s?\d{1,3}(?:[ \u00a0]\d{3})*(?:[,.]\d+)?|\d+(?:[,.]\d+)?)"
UNIT = r"\s?(?P<unit>mnkr|mkr|miljoner kronor|miljoner|tkr|tusen kronor)\b"
STATEMENT = re.compile(
    r"(?P<kw>överskott|underskott|budgetavvikelse|resultatavvikelse)\w*\s*"
    r"(?::|om|på|med|är på|är|uppgår till)?\s*(?P<ca>ca\.?|cirka|omkring|drygt|knappt|runt)?\s*"
    + AMOUNT
    + UNIT,
    re.IGNORECASE,
)
# "4,2 mnkr bättre än budget": the amount before the words that make it a deviation
BETTER = re.compile(
    r"(?<![\d,])(?P<ca>ca\.?|cirka|omkring|drygt|knappt|runt)?\s*"
    + AMOUNT
    + UNIT
    + r"\s+(?P<kw>bättre|sämre)\s+än\s+(?:budget|budgeterat)\b",
    re.IGNORECASE,
)
NAMNDLEVEL = re.compile(
    r"\b(?:\w*nämnden|\w*förvaltningen|prognosen|sammantaget|totalt för)\b", re.IGNORECASE
)
PART_OF = re.compile(r"\b(?:varav|därav|varav)\b", re.IGNORECASE)
# Words that make a sentence speak of the whole nämnd whatever its heading; the generic
# "förvaltningen" or "prognosen" do that only when no heading names a unit.
WHOLE = re.compile(
    r"\b(?:nämnden|nämndens|sammantaget|totalt för|hela förvaltningen|nämnden totalt)\b",
    re.IGNORECASE,
)
# Headings of the whole report rather than of a unit.
GENERAL_HEADING = re.compile(
    r"ekonomi|sammanfattning|prognos|resultat|uppföljning|inledning|analys|nämnd|"
    r"förvaltning|budget|delår|helår|årsredovisning|verksamhetsberättelse|rapport",
    re.IGNORECASE,
)
SUBUNIT = re.compile(r"för verksamheten|verksamheten\b|enheten\b|avdelningen\b", re.IGNORECASE)
PCT_COUNT = re.compile(
    r"(?P<pct>\d{1,3}(?:[,.]\d+)?)\s?(?:%|procent)\s?\((?P<a>\d+)\s+av\s+(?P<b>\d+)\)",
    re.IGNORECASE,
)
COUNT_PCT = re.compile(
    r"\b(?P<a>\d+)\s+av\s+(?P<b>\d+)\b[^.()]{0,30}?\((?P<pct>\d{1,3}(?:[,.]\d+)?)\s?(?:%|procent)\)",
    re.IGNORECASE,
)
SCALE = {
    "mnkr": Decimal(1000),
    "mkr": Decimal(1000),
    "miljoner kronor": Decimal(1000),
    "miljoner": Decimal(1000),
    "tkr": Decimal(1),
    "tusen kronor": Decimal(1),
}
TABLE_SCALE = {"tkr": Decimal(1), "mnkr": Decimal(1000), "kr": Decimal("0.001")}


def paragraphs(doc: Document):
    """Prose paragraphs: (text, lines) for runs of non-table, non-blank lines."""
    in_table = set()
    for t in doc.tables:
        if t.layout == "inline":
            continue  # a list run together inside prose: the prose around it still counts
        for r in t.rows:
            in_table.add(r.line.number)
        if t.header_line is not None:
            in_table.add(t.header_line.number)
    buf: list[Line] = []
    for line in doc.lines:
        if (
            not line.text.strip()
            or line.number in in_table
            or line.cells is not None
            or line.heading
        ):
            if buf:
                yield buf
            buf = []
            if line.heading and line.text.strip():
                yield [line]
            continue
        buf.append(line)
    if buf:
        yield buf


def _join(lines: list[Line]) -> tuple[str, list[tuple[int, Line]]]:
    text = ""
    offsets = []
    for ln in lines:
        t = ln.text.strip()
        if text.endswith("-") and t[:1].islower():
            text = text[:-1]
        elif text:
            text += " "
        offsets.append((len(text), ln))
        text += t
    return text, offsets


def _line_at(offsets, pos: int) -> Line:
    cur = offsets[0][1]
    for start, ln in offsets:
        if start <= pos:
            cur = ln
    return cur


def _deviation_targets(doc: Document):
    """entity -> list of (table, row, col) with a full-year deviation figure."""
    targets: dict[str, list[tuple[Table, Row, int]]] = {}
    for t in doc.tables:
        devs = [c.index for c in t.columns if c.kind == "avvikelse"]
        if not devs or _scale(t) is None:
            continue
        full = [c for c in devs if t.columns[c].scope == "full"]
        col = full[-1] if full else devs[-1]
        closed: set[str] = set()  # sections whose own subtotal has been seen
        for r in t.rows:
            if r.short or r.kind not in ("data", "total"):
                continue
            lab = norm_label(r.label)
            sec = norm_label(r.section) if r.section else ""
            top = not sec or bool(_TOTAL_SECTION.match(sec)) or sec in closed
            if r.kind == "total" and sec:
                closed.add(sec)
            cell = r.cells[col]
            if cell.value is None or cell.text == "":
                continue
            if r.kind == "total" and top:
                if lab.startswith("netto") or not LINE_ITEM.search(lab):
                    targets.setdefault("<total>", []).append((t, r, col))
                continue
            if sec and lab.startswith("netto") and not _TOTAL_SECTION.match(sec):
                targets.setdefault(sec, []).append((t, r, col))
            elif not sec and r.kind == "data" and t.line_item == "netto":
                targets.setdefault(lab, []).append((t, r, col))
            elif not sec and r.kind == "data" and len(t.columns) == 1:
                targets.setdefault(lab, []).append((t, r, col))  # a list of deviations
            elif r.kind == "data" and not LINE_ITEM.search(lab) and _is_unit_table(t):
                # a row of a table of units (no Intäkter/Kostnader rows): the unit's deviation
                targets.setdefault(lab, []).append((t, r, col))
    return targets


# Row labels that name a line item of a result statement rather than a unit.
LINE_ITEM = re.compile(
    r"intäkt|kostnad|personal|lokal|löner|avskrivning|bidrag|avgift|resultat|^varav"
)


def _is_unit_table(t: Table) -> bool:
    """A table whose rows are units: no row names a line item (Intäkter, Kostnader …);
    Varav rows under a unit ("varav personal") are its breakdown and do not count."""
    return not any(LINE_ITEM.search(norm_label(r.label)) for r in t.rows if r.kind == "data")


def _scale(t: Table) -> Decimal | None:
    """The table's unit in tkr; a financial table without a stated unit whose figures are
    whole numbers in the thousands is taken to be in tkr (the usual unit of such tables)."""
    if t.unit in TABLE_SCALE:
        return TABLE_SCALE[t.unit]
    if t.unit:
        return None
    vals = [c for r in t.rows for c in r.cells if c.value is not None and c.text]
    if vals and all(c.decimals == 0 for c in vals) and max(abs(c.value) for c in vals) >= 1000:
        return Decimal(1)
    return None


def _scales(t: Table) -> list[Decimal]:
    """The table's unit in tkr, or every usual unit when the table states none (its
    figures are then compared in kr, tkr and mnkr, and only a figure no unit explains is
    reported)."""
    if t.unit in TABLE_SCALE:
        return [TABLE_SCALE[t.unit]]
    return list(TABLE_SCALE.values())


def _names(entity: str) -> list[str]:
    """Ways the prose may name a table entity: the label, and its leading code ("73")."""
    out = [entity]
    m = re.match(r"^(\d{2,4})\s+(.+)$", entity)
    if m:
        out.append(f"({m.group(1)})")
        out.append(m.group(2))
    return out


def _find_entity(text: str, targets) -> str | None:
    low = text.lower()
    best = None
    for ent in targets:
        if ent == "<total>":
            continue
        for name in _names(ent):
            if len(name) < 4 and not name.startswith("("):
                continue
            hits = [
                h.start()
                for h in re.finditer(r"(?<![\wåäö])" + re.escape(name) + r"(?![\wåäö])", low)
            ]
            if hits and (best is None or hits[-1] > best[0]):
                best = (hits[-1], ent)
    return best[1] if best else None


@rule(
    "text_mot_tabell", "Belopp i löptext (överskott, underskott, resultatavvikelse) mot tabellerna"
)
def check_prose_amounts(ctx: Context) -> list[Finding]:
    doc = ctx.doc
    targets = _deviation_targets(doc)
    if not targets:
        return []
    headings: list[Line] = [ln for ln in doc.lines if ln.heading and ln.text.strip()]
    headings += _plain_headings(doc)
    spans = [(t.first_line, t.last_line) for t in doc.tables]
    headings = [h for h in headings if not any(a <= h.number <= b for a, b in spans)]
    headings.sort(key=lambda ln: ln.number)
    out: list[Finding] = []
    for para in paragraphs(doc):
        text, offsets = _join(para)
        statements = sorted(
            [*STATEMENT.finditer(text), *BETTER.finditer(text)], key=lambda m: m.start()
        )
        for m in statements:
            val = to_decimal(m.group("num").replace(" ", " "))
            if val is None:
                continue
            unit = m.group("unit").lower()
            line = _line_at(offsets, m.start())
            sentence_start = max(text.rfind(". ", 0, m.start()), 0)
            end = text.find(". ", m.end())
            sentence = text[sentence_start : end if end >= 0 else len(text)]
            before = sentence[: min(m.start("kw"), m.start("num")) - sentence_start]
            if PART_OF.search(before):
                continue  # "X … varav Y:s underskott": the amount is a part's, not X's
            entity = _find_entity(before, targets)
            if entity is None and WHOLE.search(sentence) and not SUBUNIT.search(sentence):
                entity = "<total>"  # "nämnden", "sammantaget": the sentence says the whole
            if entity is None:
                above = [h for h in headings if h.number < line.number][-2:]
                for h in reversed(above):
                    entity = _find_entity(h.text, targets)
                    if entity:
                        break
                    if line.number - h.number > 40 or not GENERAL_HEADING.search(h.text):
                        break  # the paragraph is about what this heading names
            if entity is None:
                near = [h for h in headings if 0 < line.number - h.number <= 40][-1:]
                about_whole = not near or GENERAL_HEADING.search(near[0].text)
                if about_whole and NAMNDLEVEL.search(sentence) and not SUBUNIT.search(sentence):
                    entity = "<total>"
                else:
                    continue  # the paragraph is about something no table row names
            cands = targets.get(entity, [])
            if not cands:
                continue
            dec = decimals_of(m.group("num"))
            prose_tkr = abs(val) * SCALE[unit]
            ca = bool(m.group("ca"))
            ok = False
            nearest = None
            for t, r, col in cands:
                cell = r.cells[col]
                for scale in _scales(t):
                    tv = abs(cell.value) * scale
                    tol = half_unit(dec) * SCALE[unit] + half_unit(cell.decimals) * scale
                    if ca:
                        tol = max(tol, prose_tkr / 10)
                    if abs(tv - prose_tkr) <= tol:
                        ok = True
                if ok:
                    break
                dist = abs(r.line.number - line.number)
                if nearest is None or dist < nearest[0]:
                    nearest = (dist, t, r, col)
            if ok or nearest is None:
                continue
            _, t, r, col = nearest
            cell = r.cells[col]
            shown = cell.value * _scale(t) / SCALE[unit]
            own = norm_label(r.label) == entity
            who = "nämnden" if entity == "<total>" else f"”{r.label if own else r.section}”"
            out.append(
                Finding(
                    rule="text_mot_tabell",
                    severity="fel",
                    message=(
                        f"Texten anger {_said(m.group('kw'))} {('ca ' if ca else '')}"
                        f"{fmt(abs(val), dec)} {unit} för {who}, men tabell {t.index} visar "
                        f"avvikelsen {fmt(cell.value, cell.decimals, t.unit)} "
                        f"(≈ {fmt(shown, max(dec, 1))} {unit})."
                        + _likely_cause(t, r, col, prose_tkr, half_unit(dec) * SCALE[unit])
                    ),
                    location=loc_line(line, ctx.kind),
                    expected=f"{fmt(abs(shown), max(dec, 1))} {unit}",
                    found=f"{fmt(abs(val), dec)} {unit}",
                    figures=[
                        Figure("text", m.group(0).strip(), loc_line(line, ctx.kind)),
                        Figure(
                            t.column_name(col),
                            fmt(cell.value, cell.decimals, t.unit),
                            loc_cell(t, r, col, ctx.kind),
                        ),
                    ],
                )
            )
    return out


def _said(keyword: str) -> str:
    """What the text calls the amount, as a noun ("överskott", "avvikelse mot budget")."""
    k = keyword.lower()
    return "avvikelse mot budget" if k in ("bättre", "sämre") else k


def _likely_cause(t: Table, row: Row, col: int, prose_tkr: Decimal, tol: Decimal) -> str:
    """Where the text's figure may have come from: another row or column of the same table
    (the figure of another unit, or the total), or the right figure with two digits swapped."""
    scale = _scale(t)
    for other in t.rows:
        for k, cell in enumerate(other.cells):
            if cell.value is None or (other is row and k == col) or not cell.text:
                continue
            value = abs(cell.value) * scale
            if abs(value - prose_tkr) <= tol + half_unit(cell.decimals) * scale:
                where = f"raden ”{other.label}”" if other is not row else "en annan kolumn"
                return (
                    f" Textens belopp är tabellens värde för {where}: troligen har siffran "
                    "hämtats från fel rad eller kolumn."
                )
    digits = [ch for ch in fmt(abs(row.cells[col].value), row.cells[col].decimals) if ch.isdigit()]
    said = [ch for ch in str(prose_tkr / scale).replace(".", "") if ch.isdigit()]
    if sorted(digits) == sorted(said[: len(digits)]) and digits != said[: len(digits)]:
        return " Samma siffror i annan ordning: troligen ett skrivfel där två siffror bytt plats."
    return ""


def _plain_headings(doc: Document) -> list[Line]:
    """Short stand-alone lines in text from PDFs that act as headings ("Barn och unga (73)")."""
    out = []
    lines = doc.lines
    for i, ln in enumerate(lines):
        t = ln.text.strip()
        if not t or ln.cells is not None or ln.heading:
            continue
        if len(t.split()) > 6 or t.endswith((".", ",", ":")) or len(t) > 50:
            continue
        prev_blank = i == 0 or not lines[i - 1].text.strip()
        next_blank = i + 1 >= len(lines) or not lines[i + 1].text.strip()
        if prev_blank and next_blank:
            out.append(ln)
    return out


@rule("procent_antal", "Procentsats mot sitt antal och sin bas (”42 % (5 av 12)”)")
def check_percent_counts(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for para in paragraphs(ctx.doc):
        text, offsets = _join(para)
        for pattern in (PCT_COUNT, COUNT_PCT):
            for m in pattern.finditer(text):
                a, b = Decimal(m.group("a")), Decimal(m.group("b"))
                pct = to_decimal(m.group("pct"))
                if pct is None or b == 0 or a > b:
                    continue
                dec = decimals_of(m.group("pct"))
                exact = a / b * 100
                if abs(exact - pct) <= half_unit(dec) + Decimal("0.0001"):
                    continue
                line = _line_at(offsets, m.start())
                out.append(
                    Finding(
                        rule="procent_antal",
                        severity="fel",
                        message=(
                            f"{fmt(a)} av {fmt(b)} är {fmt(exact, max(dec, 1))} %, inte "
                            f"{fmt(pct, dec)} % som texten anger."
                        ),
                        location=loc_line(line, ctx.kind),
                        expected=f"{fmt(exact, max(dec, 1))} %",
                        found=f"{fmt(pct, dec)} %",
                        figures=[Figure("text", m.group(0), loc_line(line, ctx.kind))],
                    )
                )
    return out


PERCENT = re.compile(r"(?<![\d,])(?P<num>\d{1,3}(?:,\d+)?)\s?(?:%|procent\b)(?!\s*enhet)", re.I)
OTHER_FIGURE = re.compile(
    r"\b(?:mål\w*|från|jämfört|föregående|förra|tidigare|med|ökning\w*|minskning\w*|"
    r"förändring\w*|skillnad\w*)\b",
    re.IGNORECASE,
)
_MIN_LABEL = 12  # a row label named in prose must be this long to be recognised


def _percent_rows(doc: Document):
    """(normalised label, row, table) of rows holding percentages."""
    for t in doc.tables:
        for r in t.rows:
            if r.kind not in ("data", "total") or r.short:
                continue
            cells = [c for c in r.cells if c.value is not None and c.text]
            if not cells or not (t.unit == "%" or all(c.unit == "%" for c in cells)):
                continue
            lab = norm_label(r.label)
            if len(lab) >= _MIN_LABEL:
                yield lab, r, t


def _year_columns(table: Table, sentence: str) -> list[int]:
    """The columns a sentence about a row speaks of: the year it names, else the latest year
    of the table (a report tells of its own year unless it says otherwise), else every
    column when the columns carry no years."""
    cols = range(len(table.columns))
    years = {c: table.columns[c].year for c in cols}
    if not all(years.values()) or len(set(years.values())) < 2:
        return list(cols)
    named = {int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", sentence)}
    if named:
        return [c for c in cols if years[c] in named] or list(cols)
    top = max(years.values())
    return [c for c in cols if years[c] == top]


@rule("procent_mot_tabell", "Procentsatser i löptext mot tabellraden som texten namnger")
def check_prose_percentages(ctx: Context) -> list[Finding]:
    """A sentence that names a table row of percentages by its whole label gives a
    percentage none of the row's figures can round to: the text and the table disagree."""
    rows = list(_percent_rows(ctx.doc))
    if not rows:
        return []
    out: list[Finding] = []
    for para in paragraphs(ctx.doc):
        text, offsets = _join(para)
        low = text.lower()
        for lab, row, table in rows:
            at = low.find(lab)
            if at < 0:
                continue
            start = max(low.rfind(". ", 0, at), 0)
            end = low.find(". ", at + len(lab))
            sentence = text[start : end if end >= 0 else len(text)]
            values = [row.cells[k] for k in _year_columns(table, sentence)]
            values = [c for c in values if c.value is not None and c.text]
            if not values:
                continue
            label_end = sentence.lower().find(lab) + len(lab)
            for m in PERCENT.finditer(sentence):
                # words of the row's own label ("nöjda med stödet") say nothing
                window_start = max(m.start() - 25, label_end if label_end <= m.start() else 0)
                if OTHER_FIGURE.search(sentence[window_start : m.start()]):
                    continue  # a goal, an earlier year or a change, not the row's figure
                said = to_decimal(m.group("num"))
                if said is None:
                    continue
                dec = decimals_of(m.group("num"))
                if any(
                    abs(abs(c.value) - said) <= half_unit(dec) + half_unit(c.decimals)
                    for c in values
                ):
                    continue
                line = _line_at(offsets, start + m.start())
                shown = ", ".join(
                    f"{table.column_name(k)} {fmt(c.value, c.decimals)} %"
                    for k, c in enumerate(row.cells)
                    if c.value is not None and c.text
                )
                out.append(
                    Finding(
                        rule="procent_mot_tabell",
                        severity="fel",
                        message=(
                            f"Texten anger {fmt(said, dec)} % för ”{row.label}”, men tabell "
                            f"{table.index} visar {shown}; ingen av dem avrundas till "
                            f"{fmt(said, dec)} %."
                        ),
                        location=loc_line(line, ctx.kind),
                        expected=", ".join(f"{fmt(c.value, c.decimals)} %" for c in values),
                        found=f"{fmt(said, dec)} %",
                        figures=[Figure("text", m.group(0), loc_line(line, ctx.kind))]
                        + [
                            Figure(
                                table.column_name(k),
                                fmt(c.value, c.decimals),
                                loc_cell(table, row, k, ctx.kind),
                            )
                            for k, c in enumerate(row.cells)
                            if c.value is not None and c.text
                        ],
                    )
                )
    return out
