"""The goals file (docs/goals.md): goal areas, KF goals, the committee's goals, measures
with targets and outcomes, analyses, assessments and assignments.

`read_goals_file` never touches the database: units and users are returned as `Ref`s
(code and line) that the service (styra.goals.services.goals_load) resolves, adding an
issue on the same line when one does not exist. The plan is returned even when there are
errors, so that the service can report every problem of the file at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from django.utils import timezone

from styra.lib.errors import InputError, Issue, IssueCollector, Read
from styra.lib.eventcodes import parse_event_code
from styra.lib.numbers import NumberFormatError, parse_quantity
from styra.lib.yamlfile import LineDict, load_yaml

from . import calc
from .models import AssignmentOrigin, GenderMeaning, Polarity, Source, Unit


class Ref(NamedTuple):
    """A unit code or user name in the file, resolved by the service."""

    code: str
    line: int


@dataclass
class GoalsFile:
    committee: Ref
    year: int | None
    event: Ref | None  # the reporting event code (analyses, assessments, statuses)
    goals: list[dict] = field(default_factory=list)
    assignments: list[dict] = field(default_factory=list)


UNIT_ALIASES = {
    "%": Unit.PERCENT,
    "procent": Unit.PERCENT,
    "antal": Unit.COUNT,
    "st": Unit.COUNT,
    "kronor": Unit.KRONOR,
    "kr": Unit.KRONOR,
    "veckor": Unit.WEEKS,
    "dagar": Unit.DAYS,
    "index": Unit.INDEX,
    "kg": Unit.KG,
    "ja/nej": Unit.YES_NO,
}
POLARITY_ALIASES = {"higher": Polarity.HIGHER, "högre": Polarity.HIGHER,
                    "lower": Polarity.LOWER, "lägre": Polarity.LOWER}  # fmt: skip
GENDER_ALIASES = {"none": GenderMeaning.NONE, "nej": GenderMeaning.NONE,
                  "rate": GenderMeaning.RATE, "andel": GenderMeaning.RATE,
                  "composition": GenderMeaning.COMPOSITION,
                  "fördelning": GenderMeaning.COMPOSITION}  # fmt: skip
SOURCE_ALIASES = {"manual": Source.MANUAL, "survey": Source.SURVEY, "enkät": Source.SURVEY,
                  "ledger": Source.LEDGER, "huvudbok": Source.LEDGER}  # fmt: skip
LEVEL_ALIASES = {"god": "god", "godtagbar": "godtagbar", "ej godtagbar": "ej_godtagbar",
                 "ej_godtagbar": "ej_godtagbar", "kan inte bedömas": "kan_inte_bedomas",
                 "kan_inte_bedomas": "kan_inte_bedomas"}  # fmt: skip


class _Reader(IssueCollector):
    """Validates the whole file first, collecting every error with its line."""

    def error(self, line: int, message: str) -> None:
        self.add(line, message)

    def mapping(self, value, line: int, what: str) -> LineDict | None:
        if not isinstance(value, dict):
            self.error(line, f"{what} ska vara en mappning (nyckel: värde)")
            return None
        return value

    def items(self, parent: LineDict, key: str, what: str) -> list:
        value = parent.get(key) or []
        if not isinstance(value, list):
            self.error(parent.line_of(key), f"{key} ska vara en lista av {what}")
            return []
        out = []
        for i, item in enumerate(value):
            line = getattr(item, "line", getattr(value, "line", parent.line_of(key)))
            item = self.mapping(item, line, f"{what} nummer {i + 1}")
            if item is not None:
                out.append(item)
        return out

    def text(self, d: LineDict, key: str, *, required: bool = True, what: str = "") -> str:
        value = d.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(d.line, f"{what or 'posten'} saknar {key}")
            return ""
        return str(value).strip()

    def choice(self, d: LineDict, key: str, aliases: dict, default):
        value = d.get(key)
        if value is None:
            return default
        found = aliases.get(str(value).strip().lower())
        if found is None:
            self.error(
                d.line_of(key),
                f"{key}: {value!r} är inget giltigt värde (välj bland {', '.join(aliases)})",
            )
            return default
        return found

    def year(self, d: LineDict, key: str) -> int | None:
        value = d.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or not 1900 <= value <= 2100:
            self.error(d.line_of(key), f"{key}: {value!r} är inget årtal")
            return None
        return value

    def number(self, value, line: int, what: str) -> tuple[bool, Decimal | None]:
        if isinstance(value, bool) or (
            isinstance(value, str) and value.strip().lower() in ("ja", "nej")
        ):
            yes = value is True or (isinstance(value, str) and value.strip().lower() == "ja")
            return True, Decimal(1 if yes else 0)
        if isinstance(value, float):
            value = str(value).replace(".", ",")
        try:
            return True, parse_quantity(value).value
        except NumberFormatError as exc:
            self.error(line, f"{what}: {exc}")
            return False, None


def read_goals_file(path: str | Path) -> Read[GoalsFile]:
    """Read and check a goals file; the plan (even with errors) and every issue."""
    path_text = str(path)
    try:
        doc = load_yaml(path)
    except InputError as exc:
        return Read(None, exc.issues)
    if not isinstance(doc, dict):
        return Read(None, [Issue(path_text, 1, "filen ska börja med committee: och year:")])
    reader = _Reader(path_text)
    committee = Ref(reader.text(doc, "committee", what="filen"), doc.line_of("committee"))
    year = reader.year(doc, "year")
    if year is None and "year" not in doc:
        reader.error(doc.line, "filen saknar year (planens år)")
    event = None
    if doc.get("event") is not None:
        try:
            event = Ref(str(parse_event_code(str(doc["event"]))), doc.line_of("event"))
        except ValueError as exc:
            reader.error(doc.line_of("event"), str(exc))
    with_event = doc.get("event") is not None
    plan = GoalsFile(committee, year, event)
    plan.goals = _read_plan(reader, doc, with_event)
    plan.assignments = _read_assignments(reader, doc, with_event)
    return Read(plan, reader.all)


def _read_plan(reader: _Reader, doc: LineDict, with_event: bool) -> list[dict]:
    goals: list[dict] = []
    seen_goals: set[str] = set()
    for area in reader.items(doc, "areas", "målområden"):
        number = area.get("number")
        if not isinstance(number, int):
            reader.error(area.line_of("number"), "målområdet saknar nummer (heltal)")
            continue
        area_name = reader.text(area, "name", what=f"målområde {number}")
        council = {}
        for cg in reader.items(area, "council_goals", "utvecklingsmål"):
            code = reader.text(cg, "code", what="utvecklingsmålet")
            council[code] = reader.text(cg, "name", what=f"utvecklingsmål {code}")
        for order, g in enumerate(reader.items(area, "goals", "nämndmål"), start=1):
            code = reader.text(g, "code", what="nämndmålet")
            if code in seen_goals:
                reader.error(g.line_of("code"), f"nämndmålet {code!r} finns redan i filen")
            seen_goals.add(code)
            cg_code = str(g["council_goal"]) if g.get("council_goal") is not None else ""
            if cg_code and cg_code not in council:
                reader.error(
                    g.line_of("council_goal"),
                    f"utvecklingsmålet {cg_code!r} står inte under målområde {number}",
                )
            unit = Ref(reader.text(g, "responsible", what=f"nämndmål {code}"),
                       g.line_of("responsible"))  # fmt: skip
            plan = {
                "area": (number, area_name, {k: v for k, v in council.items()}),
                "council_goal": cg_code,
                "code": code,
                "name": reader.text(g, "name", what=f"nämndmål {code}"),
                "responsible": unit,
                "order": order,
                "valid_from": reader.year(g, "new"),
                "valid_to": reader.year(g, "last_year"),
                "predecessor": str(g.get("predecessor") or ""),
                "analysis": str(g.get("analysis") or "").strip(),
                "measures": [],
                "decision": None,
            }
            if g.get("assessment") is not None:
                level = reader.choice(g, "assessment", LEVEL_ALIASES, None)
                if not with_event:
                    reader.error(g.line_of("assessment"), "en bedömning kräver event: i filen")
                decided_by = None
                if g.get("decided_by"):
                    decided_by = Ref(str(g["decided_by"]), g.line_of("decided_by"))
                at = g.get("decided_at")
                if at is not None and not isinstance(at, dt.date):
                    reader.error(
                        g.line_of("decided_at"), "decided_at ska vara ett datum ÅÅÅÅ-MM-DD"
                    )
                    at = None
                if isinstance(at, dt.date) and not isinstance(at, dt.datetime):
                    at = timezone.make_aware(dt.datetime.combine(at, dt.time(12)))
                plan["decision"] = (level, str(g.get("motivation") or "").strip(), at, decided_by)
                plan["line"] = g.line_of("assessment")
            if plan["analysis"] and not with_event:
                reader.error(g.line_of("analysis"), "en analys kräver event: i filen")
            seen_measures: set[str] = set()
            for m_order, m in enumerate(reader.items(g, "measures", "mått"), start=1):
                plan["measures"].append(_read_measure(reader, m, m_order, seen_measures))
            goals.append(plan)
    return goals


def _read_measure(reader: _Reader, m: LineDict, order: int, seen: set) -> dict:
    code = reader.text(m, "code", what="måttet")
    if code in seen:
        reader.error(m.line_of("code"), f"måttet {code!r} finns redan under nämndmålet")
    seen.add(code)
    what = f"mått {code}"
    unit = reader.choice(m, "unit", UNIT_ALIASES, Unit.PERCENT)
    gender = reader.choice(m, "gender", GENDER_ALIASES, GenderMeaning.NONE)
    source_text = str(m.get("source") or "manual").strip()
    kpi = ""
    if source_text.lower().startswith("kolada"):
        source = Source.KOLADA
        kpi = source_text.partition(":")[2].strip().upper()
        if not kpi:
            reader.error(m.line_of("source"), "ange Kolada-nyckeltalet, t.ex. kolada:N00005")
    else:
        source = SOURCE_ALIASES.get(source_text.lower())
        if source is None:
            reader.error(m.line_of("source"), f"okänd källa {source_text!r}")
            source = Source.MANUAL
    targets = {}
    raw_targets = m.get("targets") or {}
    if not isinstance(raw_targets, dict):
        reader.error(m.line_of("targets"), "targets ska vara år: mål")
        raw_targets = {}
    for year, text in raw_targets.items():
        line = raw_targets.line_of(year) if isinstance(raw_targets, LineDict) else m.line
        if not isinstance(year, int):
            reader.error(line, f"{what}: {year!r} är inget årtal")
            continue
        try:
            targets[year] = calc.parse_target(
                str(text).replace(".", ",") if isinstance(text, float) else text
            )
        except calc.TargetError as exc:
            reader.error(line, f"{what}: {exc}")
    outcomes: dict[tuple[int, str], tuple[Decimal | None, str]] = {}
    raw = m.get("outcomes") or {}
    if not isinstance(raw, dict):
        reader.error(m.line_of("outcomes"), "outcomes ska vara år: värde")
        raw = {}
    for year, value in raw.items():
        line = raw.line_of(year) if isinstance(raw, LineDict) else m.line
        if not isinstance(year, int):
            reader.error(line, f"{what}: {year!r} är inget årtal")
            continue
        cells = value if isinstance(value, dict) else {"T": value}
        for key, cell in cells.items():
            key = str(key)
            if key == "missing":
                outcomes[(year, "T")] = (None, str(cell))
                continue
            if key not in ("T", "K", "M"):
                reader.error(line, f"{what} {year}: {key!r} ska vara T, K, M eller missing")
                continue
            if key != "T" and gender == GenderMeaning.NONE:
                reader.error(line, f"{what} {year}: måttet är inte uppdelat på kön (gender:)")
                continue
            ok, number = reader.number(cell, line, f"{what} {year} {key}")
            if ok and number is not None:
                outcomes[(year, key)] = (number, "")
    return {
        "code": code,
        "name": reader.text(m, "name", what=what),
        "unit": unit,
        "polarity": reader.choice(m, "polarity", POLARITY_ALIASES, Polarity.HIGHER),
        "gender": gender,
        "source": source,
        "kpi": kpi,
        "owner": Ref(reader.text(m, "owner", what=what), m.line_of("owner")),
        "footnote": str(m.get("footnote") or "").strip(),
        "order": order,
        "valid_from": reader.year(m, "new"),
        "valid_to": reader.year(m, "last_year"),
        "predecessor": str(m.get("predecessor") or ""),
        "targets": targets,
        "outcomes": outcomes,
        "comment": str(m.get("comment") or "").strip(),
    }


def _read_assignments(reader: _Reader, doc: LineDict, with_event: bool) -> list:
    out = []
    origins = {"kf": AssignmentOrigin.COUNCIL, "kommunfullmäktige": AssignmentOrigin.COUNCIL,
               "nämnd": AssignmentOrigin.COMMITTEE, "namnd": AssignmentOrigin.COMMITTEE,
               "nämnden": AssignmentOrigin.COMMITTEE}  # fmt: skip
    for a in reader.items(doc, "assignments", "uppdrag"):
        code = reader.text(a, "code", what="uppdraget")
        deadline = a.get("deadline")
        if deadline is not None and not isinstance(deadline, dt.date):
            reader.error(a.line_of("deadline"), "deadline ska vara ett datum ÅÅÅÅ-MM-DD")
            deadline = None
        status = a.get("status")
        if status is not None:
            if not with_event:
                reader.error(a.line_of("status"), "en statuskommentar kräver event: i filen")
            status = reader.mapping(status, a.line_of("status"), "status")
        out.append(
            {
                "code": code,
                "title": reader.text(a, "title", what=f"uppdrag {code}"),
                "description": str(a.get("description") or "").strip(),
                "origin": reader.choice(a, "origin", origins, AssignmentOrigin.COMMITTEE),
                "origin_reference": str(a.get("reference") or "").strip(),
                "year": reader.year(a, "year") or doc.get("year"),
                "deadline": deadline,
                "responsible": Ref(
                    reader.text(a, "responsible", what=f"uppdrag {code}"),
                    a.line_of("responsible"),
                ),
                "status": status,
            }
        )
    return out
