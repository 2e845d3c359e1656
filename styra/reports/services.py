"""Writes: report texts and their klarmarkering, templates, finalising a report."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from styra.calendar.locks import event_ensure_open
from styra.calendar.models import ReportingEvent
from styra.calendar.selectors import event_get
from styra.lib.errors import InputError, Issue, UsageError
from styra.org import access
from styra.org.models import OrgNode
from styra.org.selectors import committee_find

from . import definitions as defs
from .builders import build_report
from .checks import check_report
from .models import NarrativeText, ReportFile, ReportSnapshot, ReportTemplate
from .readers import read_narratives_file
from .renderers import file_name, render

FINAL_FORMATS = ("html", "pdf", "docx", "json")


def _part_def(report_type: str, committee: OrgNode, part: str, unit: OrgNode | None):
    from .builders import definition_for

    definition = definition_for(committee, report_type)
    for key, heading, per_unit in definition.narrative_parts():
        if key == part and per_unit == (unit is not None):
            return heading
    raise ValidationError(f"Rapporten har ingen textdel {part!r}" + (" per enhet" if unit else ""))


def _require_part_access(actor, committee: OrgNode, unit: OrgNode | None) -> None:
    """A unit's text: the unit's editors (and the controller); a section text: the
    controller (finance capability on the committee)."""
    if unit is not None:
        if unit.committee() != committee:
            raise PermissionDenied(f"{unit.name} hör inte till {committee.name}.")
        access.require(actor, access.EDIT, unit)
    else:
        access.require(actor, access.FINANCE, committee)


@transaction.atomic
def narrative_save(
    *,
    actor,
    event: ReportingEvent,
    report_type: str,
    part: str,
    unit: OrgNode | None = None,
    text: str,
    ready: bool = False,
) -> NarrativeText:
    committee = event.committee
    _require_part_access(actor, committee, unit)
    user = access.user_of(actor)
    _part_def(report_type, committee, part, unit)
    event_ensure_open(event)
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
def template_update(*, actor, committee: OrgNode, report_type: str, overrides: dict):
    """The committee's adjustments of a report type (its own, not its neighbours': the
    template is stored and authorised per committee)."""
    access.require(actor, access.FINANCE, committee)
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
    row, _ = ReportTemplate.objects.get_or_create(committee=committee, report_type=report_type)
    row.overrides = clean
    row.full_clean()
    row.save()
    return row


class ReportNotReady(ValidationError):
    """The report cannot be finalised yet (texts contradict the data)."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def report_finalise(
    *, actor, committee: OrgNode, event: ReportingEvent, report_type: str, force: bool = False
) -> ReportSnapshot:
    """Store the report as an immutable snapshot: its data (JSON) and files (HTML, PDF,
    DOCX, JSON) with a sha256 each and a content hash over all. Refused while a number
    in the prose contradicts the tables (unless `force`, which the web page never sets).

    The report is built and rendered before any lock is taken; the files are written
    before the transaction and removed again if it fails. The version number is taken
    while the event row is locked, so two finalisations never get the same number, and
    finalising data identical to the latest version (a double submit) returns that version
    instead of making a new one."""
    access.require(actor, access.FINANCE, committee)
    if event.committee_id != committee.pk:
        raise PermissionDenied(f"{event.name} hör inte till {committee.name}.")
    report = build_report(committee, event, report_type)
    findings = check_report(report)
    if findings and not force:
        raise ReportNotReady(
            [f"{f.where}: {f.message}" for f in findings]
            + ["Rätta texten (eller siffrorna) innan rapporten fastställs."]
        )
    data = report.to_json()
    latest = _latest_snapshot(event, report_type)
    if latest is not None and latest.data == data:
        return latest
    files = {fmt: render(report, fmt) for fmt in FINAL_FORMATS}
    digest = hashlib.sha256()
    digest.update(data.encode("utf-8"))
    for fmt in FINAL_FORMATS:
        digest.update(f"\n{fmt}:{_sha256(files[fmt])}".encode())
    stored = _store_files(committee, event, report, files)
    try:
        with transaction.atomic():
            ReportingEvent.objects.select_for_update().get(pk=event.pk)  # one at a time
            latest = _latest_snapshot(event, report_type)
            if latest is not None and latest.data == data:
                _remove_files(stored)
                return latest
            snapshot = ReportSnapshot(
                committee=committee,
                event=event,
                report_type=report_type,
                version=(latest.version if latest else 0) + 1,
                title=f"{report.title} – {report.committee}",
                data=data,
                summary_text=report.summary_text,
                content_hash=digest.hexdigest(),
                created_by=access.user_of(actor),
            )
            snapshot.full_clean()
            snapshot.save()
            for fmt, content in files.items():
                ReportFile(
                    snapshot=snapshot,
                    fmt=fmt,
                    file=stored[fmt],
                    sha256=_sha256(content),
                    size=len(content),
                ).save()
    except BaseException:
        _remove_files(stored)
        raise
    return snapshot


def _latest_snapshot(event: ReportingEvent, report_type: str) -> ReportSnapshot | None:
    return (
        ReportSnapshot.objects.filter(event=event, report_type=report_type)
        .order_by("-version")
        .first()
    )


def _store_files(committee, event, report, files: dict[str, bytes]) -> dict[str, str]:
    """Write the files to storage under a folder of their own (before the transaction);
    the names the storage chose, by format."""
    folder = f"rapporter/{committee.code}/{event.code}/{uuid.uuid4().hex}"
    stored: dict[str, str] = {}
    try:
        for fmt, content in files.items():
            stored[fmt] = default_storage.save(
                f"{folder}/{file_name(report, fmt)}", ContentFile(content)
            )
    except BaseException:
        _remove_files(stored)
        raise
    return stored


def _remove_files(stored: dict[str, str]) -> None:
    for name in stored.values():
        default_storage.delete(name)


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


def narratives_import(*, actor, path: Path | str) -> NarrativesResult:
    """Store the report texts of a file (styra.reports.readers); all or nothing, every
    problem an issue with the file and line (InputError)."""
    file = str(path)
    doc = read_narratives_file(path).raise_if_errors()
    try:
        committee = committee_find(doc.committee)
        event = event_get(committee=committee, code=doc.event)
    except UsageError as exc:
        raise InputError([Issue(file, doc.committee_line, str(exc))]) from exc
    report_type = doc.report_type or defs.for_event(event.code)
    units = {n.code: n for n in OrgNode.objects.filter(municipality=committee.municipality)}
    issues = [
        Issue(file, p.line, f"okänd enhet {p.unit!r}")
        for p in doc.parts
        if p.unit and p.unit not in units
    ]
    if issues:
        raise InputError(issues)
    saved = 0
    with transaction.atomic():
        for p in doc.parts:
            try:
                narrative_save(
                    actor=actor,
                    event=event,
                    report_type=report_type,
                    part=p.part,
                    unit=units.get(p.unit) if p.unit else None,
                    text=p.text,
                    ready=p.ready,
                )
            except ValidationError as exc:
                raise InputError([Issue(file, p.line, "; ".join(exc.messages))]) from exc
            saved += 1
    return NarrativesResult(event, saved)
