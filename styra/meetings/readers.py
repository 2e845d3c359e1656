"""The meeting file of a committee (YAML; docs/meetings.md): structure and values.

`read_meetings_file` returns the parsed document or every error with its line; the
service (styra.meetings.services.meetings_load) stores it through the other services,
which check the rules again.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from styra.lib.errors import InputError, Issue, Read
from styra.lib.yamlfile import LineDict, load_yaml

from . import calc
from .models import AttendanceKind, ItemKind, Post, ReplyKind

SECTIONS = {
    "committee",
    "terms",
    "parties",
    "members",
    "delegation",
    "calendars",
    "cases",
    "delegation_decisions",
    "meetings",
}


def _check(path: Path, data) -> list[Issue]:
    """Structure and values; the services check the rules again when storing."""
    errors: list[Issue] = []
    file = str(path)

    def err(line: int, msg: str) -> None:
        errors.append(Issue(file, line, msg))

    if not isinstance(data, LineDict):
        return [Issue(file, 1, "filen ska vara en YAML-mappning med nyckeln committee")]
    for key in data:
        if key not in SECTIONS:
            err(data.line_of(key), f"okänd nyckel '{key}'")
    if "committee" not in data:
        err(1, "nyckeln committee (nämndens kod) saknas")

    def rows(key: str):
        value = data.get(key) or []
        if not isinstance(value, list):
            err(data.line_of(key), f"{key} ska vara en lista")
            return []
        return [r for r in value if isinstance(r, LineDict)]

    def date(row: LineDict, key: str, required: bool = True):
        value = row.get(key)
        if value is None:
            if required:
                err(row.line, f"'{key}' saknas")
            return None
        if isinstance(value, dt.datetime):
            return value
        if not isinstance(value, dt.date):
            err(row.line_of(key), f"'{key}': {value!r} är inget datum (ÅÅÅÅ-MM-DD)")
            return None
        return value

    for row in rows("members"):
        if row.get("post") not in Post.values:
            err(row.line_of("post"), f"post ska vara en av {', '.join(Post.values)}")
        if not row.get("name"):
            err(row.line, "name saknas")
    known_cases = set()
    for row in rows("cases"):
        try:
            known_cases.add(str(calc.DiaryNumber.parse(str(row.get("dnr", "")))))
        except ValueError as exc:
            err(row.line_of("dnr"), str(exc))
        if not row.get("title"):
            err(row.line, "title saknas")
        if row.get("reply_kind") not in (None, "", *ReplyKind.values):
            err(
                row.line_of("reply_kind"),
                f"reply_kind ska vara en av {', '.join(ReplyKind.values)}",
            )
        date(row, "reply_due", required=bool(row.get("reply_kind")))
        date(row, "replied_on", required=False)
        if row.get("reply_due") is not None and not row.get("reply_kind"):
            err(
                row.line_of("reply_due"),
                "reply_due kräver reply_kind (referral eller audit_question)",
            )
    for row in rows("delegation_decisions"):
        date(row, "date")
        date(row, "date_to", required=False)
        for key in ("unit", "code", "decision", "role"):
            if not row.get(key):
                err(row.line, f"'{key}' saknas")
    for row in rows("calendars"):
        for day in row.get("dates") or []:
            if not isinstance(day, dt.date):
                err(row.line_of("dates"), f"{day!r} är inget datum")
    for row in rows("meetings"):
        date(row, "date")
        for item in row.get("items") or []:
            if isinstance(item, LineDict) and item.get("kind") not in ItemKind.values:
                err(item.line, f"kind ska vara en av {', '.join(ItemKind.values)}")
            if isinstance(item, LineDict) and item.get("case"):
                try:
                    number = str(calc.DiaryNumber.parse(str(item["case"])))
                except ValueError as exc:
                    err(item.line_of("case"), str(exc))
                    continue
                if number not in known_cases:
                    err(item.line_of("case"), f"ärendet {number} finns inte under cases")
        for a in row.get("attendance") or []:
            if isinstance(a, LineDict) and a.get("kind") not in AttendanceKind.values:
                err(a.line, f"kind ska vara en av {', '.join(AttendanceKind.values)}")
    return errors


def read_meetings_file(path: Path | str) -> Read[LineDict]:
    """The file's document when its structure and values are right; every issue."""
    path = Path(path)
    try:
        data = load_yaml(path)
    except InputError as exc:
        return Read(None, exc.issues)
    issues = _check(path, data)
    return Read(None if any(i.is_error for i in issues) else data, issues)
