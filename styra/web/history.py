"""Who changed what and when, read from the models' history (django-simple-history), in
one shape for every administration page."""

from __future__ import annotations

from collections.abc import Callable, Iterable

ACTIONS = {"+": "lade till", "~": "ändrade", "-": "tog bort"}


def who(record) -> str:
    user = getattr(record, "history_user", None)
    if user is None:
        return "systemet (fil eller kommando)"
    full = f"{user.first_name} {user.last_name}".strip()
    return f"{full} ({user.username})" if full else user.username


def history_rows(records: Iterable, describe: Callable[[object], str], limit: int = 30):
    """[{when, who, action, what}] newest first, for the template web/_history.html."""
    out = []
    for record in records:
        out.append(
            {
                "when": record.history_date,
                "who": who(record),
                "action": ACTIONS.get(record.history_type, record.history_type),
                "what": describe(record),
            }
        )
        if len(out) >= limit:
            break
    return out
