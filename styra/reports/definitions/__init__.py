"""Report definitions (report types): sections, their order and blocks, sign convention and
units. Pure Python, no Django.

The defaults are the YAML files next to this module. A committee adjusts them without
code: its overrides (stored in the database, page "Rapportmallar") rename headings, leave
parts out, and choose the sign convention and title; `apply_overrides` merges them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from styra.lib.eventcodes import EventCode, EventKind

HERE = Path(__file__).resolve().parent
SIGN_CONVENTIONS = {
    "revenue_positive": "Intäkter (+), kostnader (-)",
    "cost_positive": "Kostnader (+), intäkter (-)",
}
# Blocks whose text is written by people (a narrative part per section or per unit).
NARRATIVE_BLOCKS = {"narrative", "unit_analysis"}


@dataclass(frozen=True)
class SectionDef:
    key: str
    heading: str
    level: int
    blocks: tuple[str, ...]
    enabled: bool = True
    optional: bool = False  # left out of the report when its blocks produce nothing


@dataclass(frozen=True)
class ReportDefinition:
    key: str
    name: str
    event_kinds: tuple[str, ...]
    sign_convention: str
    summary_unit: str
    table_unit: str
    sections: tuple[SectionDef, ...]
    title: str = ""  # "" = the event's Swedish name ("Delårsrapport 2 2020")
    identifiable: bool = False  # has a version with identifiable personal data (IVO)

    @property
    def enabled_sections(self) -> tuple[SectionDef, ...]:
        return tuple(s for s in self.sections if s.enabled)

    def narrative_parts(self) -> list[tuple[str, str, bool]]:
        """(section key, heading, per_unit) of the parts people write."""
        out = []
        for s in self.enabled_sections:
            if "narrative" in s.blocks:
                out.append((s.key, s.heading, False))
            if "unit_analysis" in s.blocks:
                out.append((s.key, s.heading, True))
        return out


# Folders holding definitions: this one, and those other apps register (their
# AppConfig.ready() calls register_folder with a folder of their own YAML files).
FOLDERS: list[Path] = [HERE]


def register_folder(folder: Path) -> None:
    """Add an app's folder of report definitions (one YAML file per report type)."""
    folder = Path(folder).resolve()
    if folder not in FOLDERS:
        FOLDERS.append(folder)


def _path(key: str) -> Path | None:
    for folder in FOLDERS:
        path = folder / f"{key}.yaml"
        if path.exists():
            return path
    return None


def load(key: str) -> ReportDefinition:
    path = _path(key) if key and "/" not in key and "." not in key else None
    if path is None:
        raise KeyError(f"rapporttypen {key!r} finns inte; välj en av {', '.join(keys())}")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return ReportDefinition(
        key=raw["key"],
        name=raw["name"],
        event_kinds=tuple(raw["event_kinds"]),
        sign_convention=raw["sign_convention"],
        summary_unit=raw["summary_unit"],
        table_unit=raw["table_unit"],
        sections=tuple(
            SectionDef(
                s["key"],
                s["heading"],
                int(s["level"]),
                tuple(s.get("blocks", [])),
                optional=bool(s.get("optional", False)),
            )
            for s in raw["sections"]
        ),
        identifiable=bool(raw.get("identifiable", False)),
    )


def keys() -> list[str]:
    return sorted({p.stem for folder in FOLDERS for p in folder.glob("*.yaml")})


def for_event(code: str) -> str:
    """The default report type for an event code: 2019-06 → manadsrapport, 2020-D2 →
    delarsrapport, 2020-VB → verksamhetsberattelse, 2020 (a budget year) → yttrande (the
    committee's yttrande to Mål och budget, built by styra.planning)."""
    kind = EventCode.parse(code).kind
    if kind is EventKind.MONTH:
        return "manadsrapport"
    if kind is EventKind.VB:
        return "verksamhetsberattelse"
    if kind is EventKind.YEAR:
        return "yttrande"
    return "delarsrapport"


def apply_overrides(definition: ReportDefinition, overrides: dict | None) -> ReportDefinition:
    """Merge a committee's overrides (styra.reports.models.ReportTemplate):
    {"title": str, "sign_convention": str, "sections": {key: {"heading": str, "enabled": bool}}}.
    Unknown section keys and bad values are ignored (the page validates what it stores)."""
    if not overrides:
        return definition
    sections = []
    by_key = overrides.get("sections") or {}
    for s in definition.sections:
        o = by_key.get(s.key) or {}
        heading = str(o.get("heading") or s.heading).strip() or s.heading
        enabled = bool(o.get("enabled", s.enabled))
        sections.append(replace(s, heading=heading, enabled=enabled))
    sign = overrides.get("sign_convention") or definition.sign_convention
    if sign not in SIGN_CONVENTIONS:
        sign = definition.sign_convention
    return replace(
        definition,
        sections=tuple(sections),
        sign_convention=sign,
        title=str(overrides.get("title") or definition.title),
    )
