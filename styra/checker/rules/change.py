"""A change stated in one sentence with both ends: "Nettokostnaden ökade från 412,5 mnkr
till 431,0 mnkr, en ökning med 18,5 mnkr eller 4,5 procent." The sentence carries its own
proof: the amount of the change must be the difference of the two figures, the percentage
the difference over the first figure, and "ökning" / "minskning" must match the direction.
Every figure stands for the interval of values that round to it; a statement is reported
only when no values inside those intervals satisfy it. Nothing outside the sentence is
needed, so nothing is guessed about which table row the text is about."""

from __future__ import annotations

import re
from decimal import Decimal

from ..diagnose import swaps
from ..findings import Figure, Finding, fmt, loc_cell, loc_line
from ..numparse import decimals_of, is_year_token, to_decimal
from ..tolerance import half_unit
from . import Context, rule
from .prose import _join, _line_at, paragraphs

NUM = r"[-−–]?\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?|[-−–]?\d+(?:,\d+)?"
UNIT = r"mnkr|mkr|miljoner kronor|miljarder kronor|miljoner|tkr|tusen kronor|kronor|kr"
FROM_TO = re.compile(
    rf"\bfrån\s+(?P<a>{NUM})\s?(?P<ua>{UNIT}|%|procent)?\s+(?:år\s+\d{{4}}\s+|\d{{4}}\s+)?"
    rf"till\s+(?P<b>{NUM})\s?(?P<ub>{UNIT}|%|procent)?(?!\d|,\d)",
    re.IGNORECASE,
)
DIRECTION = re.compile(
    r"\b(?P<dir>ökning|ökade|ökat|ökar|höjning|minskning|minskade|minskat|minskar|sänkning)\w*",
    re.IGNORECASE,
)
AMOUNT = re.compile(
    rf"\b(?:med|på|om)\s+(?P<c>{NUM})\s?(?P<uc>{UNIT}|procentenheter)(?![\w])", re.IGNORECASE
)
PERCENT = re.compile(rf"(?<![\d,])(?P<p>{NUM})\s?(?:%|procent\b)(?!\s*enhet)", re.IGNORECASE)
UP = ("ökning", "ökade", "ökat", "ökar", "höjning")
SCALE = {
    "mnkr": Decimal(10**6),
    "mkr": Decimal(10**6),
    "miljoner kronor": Decimal(10**6),
    "miljoner": Decimal(10**6),
    "miljarder kronor": Decimal(10**9),
    "tkr": Decimal(1000),
    "tusen kronor": Decimal(1000),
    "kronor": Decimal(1),
    "kr": Decimal(1),
}


def _sentences(text: str):
    start = 0
    for m in re.finditer(r"[.!?](?:\s+(?=[A-ZÅÄÖ])|$)", text):
        yield start, text[start : m.end()]
        start = m.end()
    if start < len(text):
        yield start, text[start:]


def _interval(value: Decimal, decimals: int) -> tuple[Decimal, Decimal]:
    h = half_unit(decimals)
    return value - h, value + h


def _unit_of(u: str | None) -> str:
    u = (u or "").lower()
    return "%" if u in ("%", "procent") else u


def check_sentence(sentence: str):
    """Inconsistencies of one sentence: (kind, expected, found, figures) tuples, where kind is
    "belopp", "procent" or "riktning". Pure: used by the rule and by tests."""
    out = []
    found_all = list(FROM_TO.finditer(sentence))
    ups = {w.lower().startswith(UP) for w in DIRECTION.findall(sentence)}
    if len(found_all) != 1 or len(ups) > 1:
        return out  # several changes in one sentence: which figure goes with which is unclear
    ft = found_all[0]
    a_txt, b_txt = ft.group("a"), ft.group("b")
    ua, ub = _unit_of(ft.group("ua")), _unit_of(ft.group("ub"))
    unit = ub or ua
    if ua and ub and ua != ub:
        return out  # two units: a conversion this rule does not guess
    if not unit and (is_year_token(a_txt) or is_year_token(b_txt)):
        return out  # "från 2023 till 2024"
    a, b = to_decimal(a_txt), to_decimal(b_txt)
    if a is None or b is None:
        return out
    da, db = decimals_of(a_txt), decimals_of(b_txt)
    alo, ahi = _interval(a, da)
    blo, bhi = _interval(b, db)
    rest = sentence[: ft.start()] + " " * (ft.end() - ft.start()) + sentence[ft.end() :]
    direction = DIRECTION.search(sentence)
    # the amount of the change, in the unit of the figures
    if unit and unit != "%":
        amounts = list(AMOUNT.finditer(rest))
        for m in amounts if len(amounts) == 1 else []:
            uc = _unit_of(m.group("uc"))
            if uc == "procentenheter" or uc not in SCALE or unit not in SCALE:
                continue
            c = to_decimal(m.group("c"))
            if c is None:
                continue
            dc = decimals_of(m.group("c"))
            factor = SCALE[uc] / SCALE[unit]
            clo, chi = (abs(c) - half_unit(dc)) * factor, (abs(c) + half_unit(dc)) * factor
            lo = min(abs(bhi - alo), abs(blo - ahi)) if not (blo <= ahi and alo <= bhi) else 0
            hi = max(abs(bhi - alo), abs(blo - ahi))
            if chi < lo or clo > hi:
                want = abs(b - a) / factor
                out.append(("belopp", fmt(want, dc), fmt(abs(c), dc), m.group(0).strip()))
            break
    # the change in percent of the first figure
    if unit != "%" and alo > 0 and blo >= 0:
        percents = list(PERCENT.finditer(rest))
        for m in percents if len(percents) == 1 else []:
            p = to_decimal(m.group("p"))
            if p is None:
                continue
            dp = decimals_of(m.group("p"))
            plo, phi = _interval(abs(p), dp)
            corners = [abs(y - x) / x * 100 for x in (alo, ahi) for y in (blo, bhi)]
            crosses = blo <= ahi and alo <= bhi
            lo = Decimal(0) if crosses else min(corners)
            hi = max(corners)
            if phi < lo or plo > hi:
                want = abs(b - a) / a * 100
                out.append(("procent", fmt(want, max(dp, 1)), fmt(abs(p), dp), m.group(0)))
            break
    # the direction word against the figures (both positive, clearly apart)
    if direction and a > 0 and b > 0 and not (blo <= ahi and alo <= bhi):
        up = direction.group("dir").lower().startswith(UP)
        if up != (b > a):
            word = direction.group("dir").lower()
            out.append(("riktning", "ökning" if b > a else "minskning", word, word))
    return out


@rule("forandring_i_text", "Förändring i text (”från A till B, en ökning med C eller D %”)")
def check_changes(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for para in paragraphs(ctx.doc):
        text, offsets = _join(para)
        for start, sentence in _sentences(text):
            for kind, want, found, _said in check_sentence(sentence):
                line = _line_at(offsets, start)
                ft = FROM_TO.search(sentence)
                span = ft.group(0) if ft else ""
                if kind == "belopp":
                    msg = (
                        f"Texten säger att förändringen {span} är {found}, men skillnaden "
                        f"mellan talen är {want}; ingen avrundning av de visade talen "
                        "förklarar det."
                    )
                elif kind == "procent":
                    msg = (
                        f"Texten anger förändringen {span} som {found} %, men den är {want} % "
                        "av utgångsvärdet; ingen avrundning av de visade talen förklarar det."
                    )
                    value = to_decimal(found)
                    if value is not None and any(
                        abs(v - to_decimal(want)) < 1 for v in swaps(found)
                    ):
                        msg += (
                            " Samma siffror i annan ordning: troligen två siffror som bytt plats."
                        )
                else:
                    msg = f"Texten kallar förändringen {span} en {found}, men det är en {want}."
                out.append(
                    Finding(
                        rule="forandring_i_text",
                        severity="fel",
                        message=msg,
                        location=loc_line(line, ctx.kind),
                        expected=want,
                        found=found,
                        figures=[Figure("text", sentence.strip()[:200], loc_line(line, ctx.kind))],
                    )
                )
    return out


# ------------------------------------------------------------- a change against the table

CHANGE_BY = re.compile(
    rf"\b(?P<dir>ökade|ökat|ökar|minskade|minskat|minskar|steg|sjönk)\s+(?:\w+\s+){{0,3}}?med\s+"
    rf"(?:cirka\s+|ca\.?\s+|drygt\s+|knappt\s+)?(?P<p>{NUM})\s?(?:%|procent\b)(?!\s*enhet)",
    re.IGNORECASE,
)
_MIN_LABEL = 10


def _year_pair(table, sentence: str) -> tuple[int, int] | None:
    """(previous, latest) columns of the same kind with one year each: the years the sentence
    names, else the two latest years of the table."""
    by_year: dict[int, list[int]] = {}
    for c in table.columns:
        if c.year and c.kind in ("", "utfall") and not re.search(r"%|procent", c.header):
            by_year.setdefault(c.year, []).append(c.index)
    if len(by_year) < 2 or any(len(v) != 1 for v in by_year.values()):
        return None
    named = sorted({int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", sentence)} & set(by_year))
    years = named[-2:] if len(named) >= 2 else sorted(by_year)[-2:]
    return by_year[years[0]][0], by_year[years[1]][0]


def check_change_against_row(sentence: str, label: str, prev, latest):
    """A "ökade med D procent" in a sentence naming a row, against the row's previous and
    latest figures (cells): (expected, found) or None when the text agrees or is unclear."""
    low = sentence.lower()
    at = low.find(label.lower())
    if at < 0:
        return None
    matches = [m for m in CHANGE_BY.finditer(sentence) if m.start() > at]
    if len(matches) != 1 or FROM_TO.search(sentence):
        return None  # "från … till" is checked within the sentence
    m = matches[0]
    p = to_decimal(m.group("p"))
    if p is None or prev.value is None or latest.value is None:
        return None
    alo, ahi = _interval(prev.value, prev.decimals)
    blo, bhi = _interval(latest.value, latest.decimals)
    if alo <= 0 or blo < 0:
        return None  # a change of a negative or zero figure in percent is unclear
    dp = decimals_of(m.group("p"))
    plo, phi = _interval(abs(p), dp)
    if re.search(r"\b(?:cirka|ca\.?|drygt|knappt)\s*$", sentence[: m.start("p")]):
        plo, phi = plo * Decimal("0.9"), phi * Decimal("1.1")
    corners = [abs(y - x) / x * 100 for x in (alo, ahi) for y in (blo, bhi)]
    lo = Decimal(0) if (blo <= ahi and alo <= bhi) else min(corners)
    hi = max(corners)
    up = m.group("dir").lower().startswith(("ök", "steg"))
    if up != (latest.value > prev.value) and not (blo <= ahi and alo <= bhi):
        return ("en " + ("ökning" if latest.value > prev.value else "minskning"), m.group(0))
    if phi < lo or plo > hi:
        want = abs(latest.value - prev.value) / prev.value * 100
        return (fmt(want, max(dp, 1)) + " %", fmt(abs(p), dp) + " %")
    return None


@rule("forandring_mot_tabell", "Förändring i procent i text mot tabellradens två senaste år")
def check_changes_against_tables(ctx: Context) -> list[Finding]:
    rows = []
    for t in ctx.doc.tables:
        for r in t.rows:
            lab = r.label.strip()
            if r.kind in ("data", "total") and not r.short and len(lab) >= _MIN_LABEL:
                rows.append((lab, r, t))
    labels = [lab.lower() for lab, *_ in rows]
    out: list[Finding] = []
    for para in paragraphs(ctx.doc):
        text, offsets = _join(para)
        for start, sentence in _sentences(text):
            low = sentence.lower()
            named = [(lab, r, t) for lab, r, t in rows if lab.lower() in low]
            if len(named) != 1 or labels.count(named[0][0].lower()) != 1:
                continue  # no row, or more than one row the sentence may mean
            lab, r, t = named[0]
            pair = _year_pair(t, sentence)
            if pair is None:
                continue
            prev, latest = r.cells[pair[0]], r.cells[pair[1]]
            if not prev.text or not latest.text:
                continue
            if "%" in (prev.unit, latest.unit, t.unit):
                continue  # a change of a percentage "med 6 procent" may mean points
            res = check_change_against_row(sentence, lab, prev, latest)
            if res is None:
                continue
            want, found = res
            line = _line_at(offsets, start)
            names = (t.column_name(pair[0]), t.column_name(pair[1]))
            out.append(
                Finding(
                    rule="forandring_mot_tabell",
                    severity="fel",
                    message=(
                        f"Texten anger förändringen för ”{lab}” som {found}, men tabell "
                        f"{t.index} visar {fmt(prev.value, prev.decimals)} ({names[0]}) och "
                        f"{fmt(latest.value, latest.decimals)} ({names[1]}), alltså {want}; "
                        "ingen avrundning av de visade talen förklarar skillnaden."
                    ),
                    location=loc_line(line, ctx.kind),
                    expected=want,
                    found=found,
                    figures=[
                        Figure("text", sentence.strip()[:200], loc_line(line, ctx.kind)),
                        Figure(names[0], fmt(prev.value, prev.decimals), loc_cell(t, r, pair[0])),
                        Figure(
                            names[1], fmt(latest.value, latest.decimals), loc_cell(t, r, pair[1])
                        ),
                    ],
                )
            )
    return out
