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
NAMNDLEVEL = re.compile(
    r"\b(?:\w*nämnden|\w*förvaltningen|prognosen|sammantaget|totalt för)\b", re.IGNORECASE
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
        for r in t.rows:
            if r.short or r.kind not in ("data", "total"):
                continue
            cell = r.cells[col]
            if cell.value is None or cell.text == "":
                continue
            lab = norm_label(r.label)
            sec = norm_label(r.section) if r.section else ""
            if r.kind == "total" and (not sec or _TOTAL_SECTION.match(sec)):
                if lab.startswith("netto") or lab in ("total", "totalt", "totalsumma", "summa"):
                    targets.setdefault("<total>", []).append((t, r, col))
                continue
            if sec and lab.startswith("netto") and not _TOTAL_SECTION.match(sec):
                targets.setdefault(sec, []).append((t, r, col))
            elif not sec and r.kind == "data" and t.line_item == "netto":
                targets.setdefault(lab, []).append((t, r, col))
    return targets


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
        for m in STATEMENT.finditer(text):
            val = to_decimal(m.group("num").replace(" ", " "))
            if val is None:
                continue
            unit = m.group("unit").lower()
            line = _line_at(offsets, m.start())
            sentence_start = max(text.rfind(". ", 0, m.start()), 0)
            end = text.find(". ", m.end())
            sentence = text[sentence_start : end if end >= 0 else len(text)]
            entity = _find_entity(sentence[: m.start("kw") - sentence_start], targets)
            if entity is None and NAMNDLEVEL.search(sentence) and not SUBUNIT.search(sentence):
                entity = "<total>"
            if entity is None:
                above = [h for h in headings if h.number < line.number][-2:]
                for h in reversed(above):
                    entity = _find_entity(h.text, targets)
                    if entity:
                        break
                    if line.number - h.number > 40:
                        break
            if entity is None:
                if NAMNDLEVEL.search(sentence) and not SUBUNIT.search(sentence):
                    entity = "<total>"
                else:
                    continue
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
                tv = abs(cell.value) * _scale(t)
                tol = half_unit(dec) * SCALE[unit] + half_unit(cell.decimals) * _scale(t)
                if ca:
                    tol = max(tol, prose_tkr / 10)
                if abs(tv - prose_tkr) <= tol:
                    ok = True
                    break
                dist = abs(r.line.number - line.number)
                if nearest is None or dist < nearest[0]:
                    nearest = (dist, t, r, col)
            if ok or nearest is None:
                continue
            _, t, r, col = nearest
            cell = r.cells[col]
            shown = cell.value * _scale(t) / SCALE[unit]
            who = "nämnden" if entity == "<total>" else f"”{r.section or r.label}”"
            out.append(
                Finding(
                    rule="text_mot_tabell",
                    severity="fel",
                    message=(
                        f"Texten anger {m.group('kw').lower()} {('ca ' if ca else '')}"
                        f"{fmt(abs(val), dec)} {unit} för {who}, men tabell {t.index} visar "
                        f"avvikelsen {fmt(cell.value, cell.decimals, t.unit)} "
                        f"(≈ {fmt(shown, max(dec, 1))} {unit})."
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
