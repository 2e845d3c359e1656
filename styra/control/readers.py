"""The internkontrollplan file (YAML; docs/control.md): structure and values.

`read_plan_file` returns the parsed document, or every problem with its line; the service
(styra.control.services.plan_load) stores it through the plan's services, which check the
rules again, and names the line of anything it refuses (a person who does not exist).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from styra.lib.errors import InputError, Issue, Read
from styra.lib.yamlfile import LineDict, load_yaml

from . import calc

KEYS = {"kommun", "committee", "year", "introduction", "adopted_on", "revisions", "area", "risks"}
RISK_KEYS = {
    "name",
    "area",
    "owner",
    "likelihood",
    "consequence",
    "s",
    "k",
    "motivation",
    "controls",
}
CONTROL_KEYS = {"name", "description", "method", "sample", "months", "role", "responsible"}
REVISION_KEYS = {"decided_on", "note"}


def _check(path: Path, data) -> list[Issue]:
    errors: list[Issue] = []
    file = str(path)

    def err(line: int, msg: str) -> None:
        errors.append(Issue(file, line, msg))

    def unknown(row: LineDict, known: set[str], what: str) -> None:
        for key in row:
            if key not in known:
                err(row.line_of(key), f"okänd nyckel '{key}' i {what}")

    def text(row: LineDict, key: str, required: bool = False) -> None:
        value = row.get(key)
        if value is None or value == "":
            if required:
                err(row.line, f"'{key}' saknas")
            return
        if not isinstance(value, str | int):
            err(row.line_of(key), f"'{key}' ska vara en text")

    def date(row: LineDict, key: str, required: bool) -> None:
        value = row.get(key)
        if value is None:
            if required:
                err(row.line, f"'{key}' saknas")
            return
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            err(row.line_of(key), f"'{key}': {value!r} är inget datum (ÅÅÅÅ-MM-DD)")

    def rows(row: LineDict, key: str, what: str) -> list[LineDict]:
        value = row.get(key) or []
        if not isinstance(value, list):
            err(row.line_of(key), f"'{key}' ska vara en lista")
            return []
        out = []
        for item in value:
            if isinstance(item, LineDict):
                out.append(item)
            else:
                err(row.line_of(key), f"varje post i '{key}' ska vara en {what} med nycklar")
        return out

    if not isinstance(data, LineDict):
        return [Issue(file, 1, "filen ska vara en YAML-mappning med committee, year och risks")]
    unknown(data, KEYS, "planen")
    text(data, "committee", required=True)
    year = data.get("year")
    if year is None:
        err(1, "'year' (planens år) saknas")
    elif isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        err(data.line_of("year"), f"'year': {year!r} är inget år")
    text(data, "introduction")
    text(data, "area")
    date(data, "adopted_on", required=False)
    revisions = rows(data, "revisions", "revidering")
    if revisions and data.get("adopted_on") is None:
        err(data.line_of("revisions"), "en revidering kräver adopted_on (när planen antogs)")
    for rev in revisions:
        unknown(rev, REVISION_KEYS, "revideringen")
        date(rev, "decided_on", required=True)
        text(rev, "note")
    risks = rows(data, "risks", "risk")
    if "risks" not in data:
        err(1, "'risks' (planens risker) saknas")
    seen: dict[str, int] = {}
    for risk in risks:
        unknown(risk, RISK_KEYS, "risken")
        text(risk, "name", required=True)
        name = str(risk.get("name") or "").strip()
        if name in seen:
            err(risk.line_of("name"), f"risken finns redan på rad {seen[name]}")
        seen.setdefault(name, risk.line)
        if not (risk.get("area") or data.get("area")):
            err(risk.line, "'area' saknas (på risken eller för hela planen)")
        for long, short, what in (
            ("likelihood", "s", "sannolikhet"),
            ("consequence", "k", "konsekvens"),
        ):
            if long in risk and short in risk:
                err(risk.line_of(short), f"ange {what} en gång ('{long}' eller '{short}')")
            key = long if long in risk else short
            if key not in risk:
                err(risk.line, f"'{long}' ({what} 1–4) saknas")
                continue
            try:
                calc.check_grade(risk[key], what)
            except ValueError as exc:
                err(risk.line_of(key), str(exc))
        controls_seen: dict[str, int] = {}
        for control in rows(risk, "controls", "kontroll"):
            unknown(control, CONTROL_KEYS, "kontrollen")
            text(control, "name", required=True)
            cname = str(control.get("name") or "").strip()
            if cname in controls_seen:
                err(
                    control.line_of("name"), f"kontrollen finns redan på rad {controls_seen[cname]}"
                )
            controls_seen.setdefault(cname, control.line)
            months = control.get("months")
            if months is None:
                err(control.line, "'months' (när kontrollen görs) saknas")
            else:
                try:
                    calc.parse_months(months_text(months))
                except ValueError as exc:
                    err(control.line_of("months"), f"'months': {exc}")
            for key in ("description", "method", "sample", "role", "responsible"):
                text(control, key)
    return errors


def months_text(value) -> str:
    """`months` as written: a text ("mars och september"), a number or a list of them."""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def read_plan_file(path: Path | str) -> Read[LineDict]:
    """The file's document when its structure and values are right; every issue."""
    path = Path(path)
    try:
        data = load_yaml(path)
    except InputError as exc:
        return Read(None, exc.issues)
    issues = _check(path, data)
    return Read(None if any(i.is_error for i in issues) else data, issues)
