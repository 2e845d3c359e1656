"""Ids typed into forms and addresses: a request value is text until it is checked here."""

from __future__ import annotations


def id_or_none(value) -> int | None:
    """The positive whole number a request value names, or None (empty, text, a sign, a
    number too large for a primary key): the caller answers "finns inte", never a 500."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        return None
    return int(text)
