"""Writes: report texts and their klarmarkering, templates, finalising a report."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from styra.finance.models import ReportingEvent
from styra.lib.yamlfile import FileError, YamlReadError, load_yaml
from styra.org import access
from styra.org.models import OrgNode

from . import definitions as defs
from .builders import build_report
from .checks import check_report
from .models import NarrativeText, ReportFile, ReportSnapshot, ReportTemplate
from .renderers import file_name, render

FINAL_FORMATS = ("html", "pdf", "docx", "json")


def _part_def(report_type: str, committee: OrgNode, part: str, unit: OrgNode | None):
    from .builders import definition_for

    definition = definition_for(committee, report_type)
    for key, heading, per_unit in definition.narrative_parts():
        if key == part and per_unit == (unit is not None):
            return heading
    raise ValidationError(f"Rapporten har ingen textdel {part!r}" + (" per enhet" if unit else ""))


def _require_part_access(user, committee: OrgNode, unit: OrgNode | None) -> None:
    """A unit's text: the unit's editors (and the controller); a section text: the
    controller (finance capability on the committee)."""
    if unit is not None:
        access.require(user, access.EDIT, unit)
    else:
        access.require(user, access.FINANCE, committee)


@transaction.atomic
def narrative_save(
    *,
    user,
    event: ReportingEvent,
    report_type: str,
    part: str,
    unit: OrgNode | None = None,
    text: str,
    ready: bool = False,
) -> NarrativeText:
    committee = event.committee
    if user is not None:
        _require_part_access(user, committee, unit)
    _part_def(report_type, committee, part, unit)
    event.ensure_open()
    row = NarrativeText.objects.filter(
        event=event, report_type=report_type, part=part, unit=unit
    ).first() or NarrativeText(event=event, report_type=report_type, part=part, unit=unit)
    row.text = text.strip()
    row.updated_by = user
    if ready and not row.ready:
        row.ready, row.ready_at, row.ready_by = True, timezone.now(), user
    elif not ready:
        row.ready, row.ready_at, row.ready_by = False, None, None
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def template_update(*, user, committee: OrgNode, report_type: str, overrides: dict):
    access.require(user, access.FINANCE, committee)
    definition = defs.load(report_type)
    keys = {s.key for s in definition.sections}
    sections = {}
    for key, o in (overrides.get("sections") or {}).items():
        if key not in keys:
            raise ValidationError(f"Okänd del {key!r} i rapporttypen")
        heading = str(o.get("heading", "")).strip()
        if len(heading) > 200:
            raise ValidationError("En rubrik får vara högst 200 tecken")
        sections[key] = {"heading": heading, "enabled": bool(o.get("enabled", True))}
    sign = overrides.get("sign_convention") or definition.sign_convention
    if sign not in defs.SIGN_CONVENTIONS:
        raise ValidationError(f"Okänd teckenkonvention {sign!r}")
    clean = {
        "title": str(overrides.get("title", "")).strip()[:200],
        "sign_convention": sign,
        "sections": sections,
    }
    row, _ = ReportTemplate.objects.get_or_create(
        municipality=committee.municipality, report_type=report_type
    )
    row.overrides = clean
    row.full_clean()
    row.save()
    return row


class ReportNotReady(ValidationError):
    """The report cannot be finalised yet (texts contradict the data)."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@transaction.atomic
def report_finalise(
    *, user, committee: OrgNode, event: ReportingEvent, report_type: str, force: bool = False
) -> ReportSnapshot:
    """Store the report as an immutable snapshot: its data (JSON) and files (HTML, PDF,
    DOCX, JSON) with a sha256 each and a content hash over all. Refused while a number
    in the prose contradicts the tables (unless `force`, which the web page never sets)."""
    if user is not None:
        access.require(user, access.FINANCE, committee)
    report = build_report(committee, event, report_type)
    findings = check_report(report)
    if findings and not force:
        raise ReportNotReady(
            [f"{f.where}: {f.message}" for f in findings]
            + ["Rätta texten (eller siffrorna) innan rapporten fastställs."]
        )
    files = {fmt: render(report, fmt) for fmt in FINAL_FORMATS}
    data = report.to_json()
    digest = hashlib.sha256()
    digest.update(data.encode("utf-8"))
    for fmt in FINAL_FORMATS:
        digest.update(f"\n{fmt}:{_sha256(files[fmt])}".encode())
    version = (
        ReportSnapshot.objects.filter(event=event, report_type=report_type).aggregate(
            v=Max("version")
        )["v"]
        or 0
    ) + 1
    snapshot = ReportSnapshot(
        committee=committee,
        event=event,
        report_type=report_type,
        version=version,
        title=f"{report.title} – {report.committee}",
        data=data,
        summary_text=report.summary_text,
        content_hash=digest.hexdigest(),
        created_by=user,
    )
    snapshot.full_clean()
    snapshot.save()
    for fmt, content in files.items():
        f = ReportFile(snapshot=snapshot, fmt=fmt, sha256=_sha256(content), size=len(content))
        f.file.save(file_name(report, fmt), ContentFile(content), save=False)
        f.save()
    return snapshot


def snapshot_verify(snapshot: ReportSnapshot) -> list[str]:
    """Problems with a stored snapshot (a file changed on disk): [] when intact."""
    problems = []
    digest = hashlib.sha256(snapshot.data.encode("utf-8"))
    by_fmt = {f.fmt: f for f in snapshot.files.all()}
    for fmt in FINAL_FORMATS:
        f = by_fmt.get(fmt)
        if f is None:
            problems.append(f"filen {fmt} saknas")
            continue
        with f.file.open("rb") as fh:
            actual = _sha256(fh.read())
        if actual != f.sha256:
            problems.append(f"filen {fmt} har ändrats efter fastställandet")
        digest.update(f"\n{fmt}:{f.sha256}".encode())
    if digest.hexdigest() != snapshot.content_hash:
        problems.append("innehållets kontrollsumma stämmer inte")
    return problems


# ------------------------------------------------------------------ demo texts


@dataclass
class NarrativesResult:
    event: ReportingEvent
    saved: int


def narratives_import(*, path: Path | str) -> NarrativesResult:
    """Read report texts from YAML: committee, event, report_type, parts: list of
    {part, unit (code, optional), ready (bool), text}. All or nothing; errors name the
    file and line (FileError)."""
    doc = load_yaml(Path(path))
    file = str(path)
    committee = OrgNode.objects.filter(code=doc.get("committee"), kind="committee").first()
    if committee is None:
        _fail(file, doc.line_of("committee"), "okänd nämnd")
    event = ReportingEvent.objects.filter(committee=committee, code=doc.get("event")).first()
    if event is None:
        _fail(file, doc.line_of("event"), f"okänt rapporttillfälle {doc.get('event')!r}")
    report_type = doc.get("report_type") or defs.for_event(event.code)
    units = {n.code: n for n in OrgNode.objects.filter(municipality=committee.municipality)}
    saved = 0
    with transaction.atomic():
        for item in doc.get("parts") or []:
            line = item.line_of("part") if hasattr(item, "line_of") else 0
            code = item.get("unit")
            unit = units.get(code) if code else None
            if code and unit is None:
                _fail(file, line, f"okänd enhet {code!r}")
            try:
                narrative_save(
                    user=None,
                    event=event,
                    report_type=report_type,
                    part=item.get("part", ""),
                    unit=unit,
                    text=item.get("text", ""),
                    ready=bool(item.get("ready", False)),
                )
            except ValidationError as exc:
                _fail(file, line, "; ".join(exc.messages))
            saved += 1
    return NarrativesResult(event, saved)


def _fail(file: str, line: int, message: str):
    raise YamlReadError(FileError(file, line, message))
