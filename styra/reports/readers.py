"""The report texts file (styra/demo/data/reports/*.yaml): the texts of a report's parts.

    committee: AVUN
    event: 2020-D2
    report_type: delarsrapport        # optional: the event's default type
    parts:
      - {part: summary, ready: true, text: "…"}
      - {part: unit_analysis, unit: JC, text: "…"}

`read_narratives_file` returns the file's content or every issue with its line; it never
touches the database (styra.reports.services.narratives_import stores it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from styra.lib.errors import InputError, Issue, IssueCollector, Read
from styra.lib.yamlfile import LineDict, load_yaml


@dataclass(frozen=True)
class NarrativePart:
    part: str
    unit: str  # unit code, "" for a part of the whole report
    ready: bool
    text: str
    line: int


@dataclass
class NarrativesFile:
    committee: str
    committee_line: int
    event: str
    event_line: int
    report_type: str
    parts: list[NarrativePart] = field(default_factory=list)


def read_narratives_file(path: Path | str) -> Read[NarrativesFile]:
    file = str(path)
    try:
        doc = load_yaml(path)
    except InputError as exc:
        return Read(None, exc.issues)
    if not isinstance(doc, LineDict):
        return Read(None, [Issue(file, 1, "filen ska ha committee, event och parts")])
    issues = IssueCollector(file)
    for key in ("committee", "event"):
        if not doc.get(key):
            issues.add(doc.line, f"filen saknar {key}")
    out = NarrativesFile(
        committee=str(doc.get("committee") or ""),
        committee_line=doc.line_of("committee"),
        event=str(doc.get("event") or ""),
        event_line=doc.line_of("event"),
        report_type=str(doc.get("report_type") or ""),
    )
    parts = doc.get("parts") or []
    if not isinstance(parts, list):
        issues.add(doc.line_of("parts"), "parts ska vara en lista")
        parts = []
    for item in parts:
        if not isinstance(item, LineDict) or not item.get("part"):
            issues.add(getattr(item, "line", doc.line_of("parts")), "en del saknar part")
            continue
        out.parts.append(
            NarrativePart(
                part=str(item["part"]),
                unit=str(item.get("unit") or ""),
                ready=bool(item.get("ready", False)),
                text=str(item.get("text") or ""),
                line=item.line_of("part"),
            )
        )
    return Read(None if issues.errors else out, issues.all)
