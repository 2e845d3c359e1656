"""Swedish organisation numbers (organisationsnummer), checked with the Luhn algorithm."""

from __future__ import annotations

import re

_ORGNR = re.compile(r"^(\d{6})-?(\d{4})$")


def luhn_valid(digits: str) -> bool:
    """True if the digit string passes the Luhn (mod 10) check."""
    if not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_org_number(text: str) -> str:
    """Return NNNNNN-NNNN or raise ValueError with a Swedish message."""
    match = _ORGNR.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} är inget organisationsnummer (form NNNNNN-NNNN).")
    digits = match.group(1) + match.group(2)
    if not luhn_valid(digits):
        raise ValueError(f"Organisationsnumret {text} har fel kontrollsiffra.")
    return f"{match.group(1)}-{match.group(2)}"
