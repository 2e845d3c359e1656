"""Reading numbers out of table cells and out of space-separated PDF text.

Single numbers are parsed by `styra.lib.numbers.parse_quantity` (every Swedish variant of
DOMAIN §14). This module adds what a report checker needs on top of it: the number of
decimals shown (for the rounding tolerance), cells holding several numbers ("85 % 41 % 44 %")
and splitting a run of space-separated numbers ("- 306 578 - 151 000  841   153") into cells.
"""

from __future__ import annotations

import re
from decimal import Decimal

from styra.lib.numbers import NumberFormatError, parse_quantity

from .model import Cell

_MINUS = "-\u2212\u2013\u2014"
_BOLD = re.compile(r"</?b>|\*\*", re.IGNORECASE)
_MULTI_PCT = re.compile(r"^(?:[-\u2212]?\d+(?:[.,]\d+)?\s*%\s*){2,}$")
_PCT_ITEM = re.compile(r"([-\u2212]?\d+(?:[.,]\d+)?)\s*%")
_YEAR = re.compile(r"^(19|20)\d\d$")


def strip_markup(text: str) -> str:
    return _BOLD.sub("", text).strip()


def decimals_of(text: str) -> int:
    """Digits shown after the decimal separator ("13,5" -> 1, "51 570" -> 0)."""
    core = re.sub(r"[^\d,.]", "", text)
    if "," in core:
        return len(core.rsplit(",", 1)[1])
    if core.count(".") == 1 and not re.fullmatch(r"\d{1,3}\.\d{3}", core):
        return len(core.rsplit(".", 1)[1])
    if re.fullmatch(r"\d{1,3}\.\d{3}", core):
        # "13.687": DOMAIN §14 reads this as a decimal point typed by mistake.
        return 3
    return 0


def parse_cell(text: str, *, dash: str = "zero") -> Cell:
    """A table cell: a number (with unit), several percentages, or text."""
    raw = strip_markup(text).replace("\u00a0", " ")
    if not raw:
        return Cell(text="")
    if _MULTI_PCT.match(raw):
        vals = []
        decs = 0
        for m in _PCT_ITEM.finditer(raw):
            try:
                v = parse_quantity(m.group(1)).value
            except NumberFormatError:
                return Cell(text=raw)
            if v is None:
                return Cell(text=raw)
            vals.append(v)
            decs = max(decs, decimals_of(m.group(1)))
        return Cell(text=raw, value=vals[0], unit="%", decimals=decs, values=tuple(vals))
    try:
        q = parse_quantity(raw, dash=dash)
    except NumberFormatError:
        return Cell(text=raw)
    if q.value is None:
        return Cell(text=raw)
    return Cell(text=raw, value=q.value, unit=q.unit, decimals=decimals_of(raw))


# ------------------------------------------------------------------ space-separated runs

_PIECE = re.compile(
    r"^(?:[" + _MINUS + r"+]|\+-|[" + _MINUS + r"+]?\d+(?:[.,]\d+)?%?|%|tkr|mnkr|mkr|kr)$",
    re.IGNORECASE,
)


def _tokens(line: str) -> list[tuple[str, int]]:
    """Tokens with the width of the whitespace before each."""
    out = []
    pos = 0
    for m in re.finditer(r"\S+", line):
        out.append((m.group(0), m.start() - pos))
        pos = m.end()
    return out


# A negative figure in parentheses standing in a column of its own (two spaces or more
# before it): "(21 506)" is read as "-21 506 " (same width, so the gaps are kept).
_PAREN = re.compile(r"(?<=\s\s)\((\d{1,3}(?:[ \u00a0]\d{3})*(?:[,.]\d+)?)\)(?=\s|$)")


def split_tail(line: str) -> tuple[str, list[tuple[str, int]]]:
    """Split a line into its label and the run of numeric tokens at its end."""
    line = _PAREN.sub(lambda m: "-" + m.group(1) + " ", line)
    toks = _tokens(line.replace("\u00a0", " "))
    i = len(toks)
    while i > 0 and _PIECE.match(toks[i - 1][0]):
        i -= 1
    label = " ".join(t for t, _ in toks[:i])
    return label, toks[i:]


def _segmentations(pieces: list[tuple[str, int]], limit: int = 50) -> list[list[str]]:
    """Every way to read the pieces as numbers (sign tokens attach to the next number)."""
    # Normalise: merge sign-only tokens into the following token.
    merged: list[tuple[str, int, bool]] = []  # text, gap before, starts-with-sign
    pending_sign = ""
    pending_gap = 0
    for text, gap in pieces:
        low = text.lower()
        if low in ("tkr", "mnkr", "mkr", "kr", "%"):
            if merged:
                t, g, s = merged[-1]
                merged[-1] = (t + (" %" if low == "%" else ""), g, s)
            continue
        if text in ("+-",) or (len(text) == 1 and text in _MINUS + "+"):
            if pending_sign:  # "- -" : a lone dash cell followed by a signed number
                merged.append((pending_sign, pending_gap, True))
            pending_sign = text
            pending_gap = gap
            continue
        if pending_sign:
            merged.append((pending_sign + text, pending_gap, True))
            pending_sign = ""
        else:
            merged.append((text, gap, text[0] in _MINUS + "+"))
    if pending_sign:
        merged.append((pending_sign, pending_gap, True))

    results: list[list[str]] = []

    def can_continue(prev: str, tok: str, gap: int, signed: bool) -> bool:
        if signed or gap != 1:
            return False
        core = tok.rstrip("%").strip()
        if not re.fullmatch(r"\d{3}(?:[.,]\d+)?", core):
            return False
        prev_core = prev.rstrip("%").strip()
        if "%" in prev or "," in prev_core.split(" ")[-1] or "." in prev_core.split(" ")[-1]:
            return False
        last = prev_core.split(" ")[-1].lstrip(_MINUS + "+")
        head_ok = re.fullmatch(r"\d{1,3}", last) is not None
        return head_ok

    def rec(i: int, acc: list[str]) -> None:
        if len(results) >= limit:
            return
        if i == len(merged):
            results.append(list(acc))
            return
        text, gap, signed = merged[i]
        if acc and can_continue(acc[-1], text, gap, signed):
            acc[-1] = acc[-1] + " " + text
            rec(i + 1, acc)
            acc[-1] = acc[-1][: -(len(text) + 1)]
        acc.append(text)
        rec(i + 1, acc)
        acc.pop()

    rec(0, [])
    return results


def read_numbers(pieces: list[tuple[str, int]], expected: int | None = None) -> list[str] | None:
    """The numbers in a run of pieces.

    The natural reading starts a new number only at a sign or at a gap of two or more spaces
    (a single space followed by three digits is a thousands separator). It is used when it
    exists and has no more numbers than `expected`; otherwise the reading with exactly
    `expected` numbers if there is only one; otherwise None (unreadable).
    """
    if not pieces:
        return []
    segs = [s for s in _segmentations(pieces) if not any(_too_long(x) for x in s)]
    if not segs:
        return None
    best = min(len(s) for s in segs)
    fewest = [s for s in segs if len(s) == best]
    natural = fewest[0] if len(fewest) == 1 and _forced(pieces, fewest[0]) else None
    if expected is None:
        return natural if natural is not None else (fewest[0] if len(fewest) == 1 else None)
    if natural is not None and len(natural) <= expected:
        return natural
    cands = [s for s in segs if len(s) == expected]
    return cands[0] if len(cands) == 1 else None


def _too_long(number: str) -> bool:
    """Four or more thousands groups ("566 566 566 565"): almost surely several cells."""
    return len(number.strip().split(" ")) >= 4


def _forced(pieces: list[tuple[str, int]], reading: list[str]) -> bool:
    """Every boundary between the numbers of `reading` is at a sign or a wide gap."""
    units = ("tkr", "mnkr", "mkr", "kr", "%")
    i = 0
    for k, number in enumerate(reading):
        target = number.replace(" ", "")
        got = ""
        first = True
        while i < len(pieces) and len(got) < len(target):
            text, gap = pieces[i]
            if first and k > 0 and not (text[0] in _MINUS + "+" or gap >= 2):
                return False
            first = False
            if text.lower() not in units or "%" in target:
                got += text if text.lower() not in units else "%"
            i += 1
        if got.replace("%", "") != target.replace("%", ""):
            return False
    return True


def is_year_token(text: str) -> bool:
    return bool(_YEAR.match(text.strip().lstrip(_MINUS)))


def to_decimal(text: str) -> Decimal | None:
    try:
        return parse_quantity(text, dash="zero").value
    except NumberFormatError:
        return None
