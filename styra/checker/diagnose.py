"""The likely cause of a broken relation, as statcheck's diagnose step tells it: a sign
reversed, two digits swapped, a row doubled or left out. Pure functions on the shown figures;
each returns a Swedish sentence or "" when no single cause explains the difference."""

from __future__ import annotations

import itertools
from decimal import Decimal, InvalidOperation

from .model import Cell


def swaps(text: str) -> list[Decimal]:
    """Every value the figure would have with two neighbouring digits swapped."""
    out = []
    chars = list(text)
    digits = [i for i, ch in enumerate(chars) if ch.isdigit()]
    for a, b in itertools.pairwise(digits):
        if b != a + 1 or chars[a] == chars[b]:
            continue
        swapped = chars[:]
        swapped[a], swapped[b] = swapped[b], swapped[a]
        value = _value("".join(swapped))
        if value is not None:
            out.append(value)
    return out


def _value(text: str) -> Decimal | None:
    t = text.replace("\u00a0", "").replace(" ", "").replace("−", "-").replace("–", "-")
    t = t.replace(",", ".").rstrip("%")
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def sum_cause(
    total: Cell, parts: list[tuple[str, Cell, int]], tolerance: Decimal, doubled: str = ""
) -> str:
    """Why Σ sign·part differs from total. parts: (label, cell, sign)."""
    acc = sum((c.value * s for _l, c, s in parts), Decimal(0))
    diff = total.value - acc
    if doubled:
        return f" Raden ”{doubled}” står två gånger; troligen är den med en gång för mycket."
    for label, cell, sign in parts:
        if cell.value and abs(diff + 2 * cell.value * sign) <= tolerance:
            return f" Med omvänt tecken på ”{label}” stämmer summan: troligen fel tecken där."
    for v in swaps(total.text):
        if abs(v - acc) <= tolerance:
            return " Med två siffror i summan i omvänd ordning stämmer den: troligen ett skrivfel."
    for label, cell, sign in parts:
        for v in swaps(cell.text):
            if abs(total.value - (acc - cell.value * sign + v * sign)) <= tolerance:
                return (
                    f" Med två siffror i ”{label}” i omvänd ordning stämmer summan: troligen "
                    "ett skrivfel där."
                )
    return ""
