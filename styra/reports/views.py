"""Report pages: overview, preview and download, the controller's status page with
finalising, the text form for each part, finalised reports, and the template settings.
Thin: authorise, call a selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from styra.calendar.models import ReportingEvent
from styra.documents.html import body as html_body
from styra.documents.html import inline
from styra.org import access as org_access
from styra.org.models import NodeKind, OrgNode
from styra.tasks.selectors import latest_run
from styra.tasks.services import task_start
from styra.web import access
from styra.web.csp import as_document
from styra.web.submit import once

from . import definitions as defs
from . import selectors, services
from .blocks import split_blocks
from .builders import build_report, definition_for
from .checks import check_report
from .models import ReportSnapshot
from .renderers import RENDERERS
from .tasks import DRAFT_FORMATS


def _committee(node: OrgNode) -> OrgNode:
    committee = node.committee()
    if committee is None:
        raise Http404("Noden hör inte till någon nämnd.")
    return committee


def _event(committee: OrgNode, code: str) -> ReportingEvent:
    return get_object_or_404(ReportingEvent, committee=committee, code=code)


def _report_type(code: str) -> str:
    if code not in defs.keys():
        raise Http404("Okänd rapporttyp.")
    return code


def _context(node, event_code, report_type):
    committee = _committee(node)
    return committee, _event(committee, event_code), _report_type(report_type)


@access.login
def reports_home(request):
    committees = [
        n
        for n in org_access.nodes_for(request.user, org_access.VIEW)
        if n.kind == NodeKind.COMMITTEE
    ]
    rows = []
    for c in committees:
        events = ReportingEvent.objects.filter(committee=c).order_by("-year", "-cutoff_period")
        rows.append(
            {
                "committee": c,
                "can_edit": org_access.can(request.user, org_access.EDIT, c),
                "can_finance": org_access.can(request.user, org_access.FINANCE, c),
                "events": [(e, defs.for_event(e.code)) for e in events if _parses(e.code)],
                "snapshots": selectors.snapshots_for(c)[:20],
            }
        )
    return render(request, "reports/home.html", {"rows": rows, "my_parts": _my_parts(request.user)})


def _my_parts(user) -> list[tuple[str, str]]:
    """Links to the unit texts the user writes, for the committees' open events."""
    from styra.calendar.models import EventStatus
    from styra.org.selectors import report_units

    out = []
    units = [n for n in org_access.nodes_for(user, org_access.EDIT) if n.kind != NodeKind.COMMITTEE]
    for unit in units:
        committee = unit.committee()
        if committee is None:
            continue
        events = ReportingEvent.objects.filter(committee=committee, status=EventStatus.OPEN)
        for event in events:
            if not _parses(event.code) or unit not in report_units(committee, event.year):
                continue
            rtype = defs.for_event(event.code)
            for key, heading, per_unit in definition_for(committee, rtype).narrative_parts():
                if per_unit:
                    url = reverse("narrative_edit", args=[unit.pk, event.code, rtype, key])
                    out.append((url, f"{event.name}: {heading}, {unit.name}"))
    return out


def _parses(code: str) -> bool:
    try:
        defs.for_event(code)
        return True
    except ValueError:
        return False


def _job_params(committee, event, report_type) -> dict:
    return {"committee_id": committee.pk, "event_id": event.pk, "report_type": report_type}


@access.committee(access.EDIT)
def report_preview(request, node, event_code, report_type):
    committee, event, report_type = _context(node, event_code, report_type)
    report = build_report(committee, event, report_type)
    return render(
        request,
        "reports/preview.html",
        {
            "node": node,
            "committee": committee,
            "event": event,
            "report_type": report_type,
            "report": report,
            "body": html_body(report.document()),
            "formats": [RENDERERS[f].label for f in DRAFT_FORMATS],
            "files_run": latest_run(
                "reports.build_files", committee, _job_params(committee, event, report_type)
            ),
            "can_finance": org_access.can(request.user, org_access.FINANCE, committee),
        },
    )


@access.committee(access.EDIT)
@require_POST
def report_build_files(request, node, event_code, report_type):
    """Start making the draft's files (HTML, PDF, Word, JSON) in the background; the run's
    page shows the progress and then the files. Returns at once. The job is authorised on
    the committee, as the report shows the whole committee."""
    committee, event, report_type = _context(node, event_code, report_type)
    run = task_start(
        actor=request.user,
        kind="reports.build_files",
        node=committee,
        capability=org_access.EDIT,
        title=f"Rapportfiler: {event.name}, {committee.name}",
        params=_job_params(committee, event, report_type),
        return_url=reverse("report_preview", args=[node.pk, event.code, report_type]),
        return_label="Tillbaka till rapporten",
    )
    return redirect(run)


@access.committee(access.FINANCE)
def report_status(request, node, event_code, report_type):
    committee, event, report_type = _context(node, event_code, report_type)
    report = build_report(committee, event, report_type)
    parts = selectors.report_parts(committee, event, report_type)
    return render(
        request,
        "reports/status.html",
        {
            "node": node,
            "committee": committee,
            "event": event,
            "report_type": report_type,
            "report": report,
            "parts": parts,
            "ready_count": sum(1 for p in parts if p.ready),
            "findings": check_report(report),
            "snapshots": selectors.snapshots_for(committee).filter(
                event=event, report_type=report_type
            ),
            "finalise_run": latest_run(
                "reports.finalise", committee, _job_params(committee, event, report_type)
            ),
        },
    )


@access.committee(access.FINANCE)
@require_POST
def report_finalise(request, node, event_code, report_type):
    """Start finalising in the background (building and storing every format takes a
    while); the run's page ends with a link to the finalised report, or says why not."""
    committee, event, report_type = _context(node, event_code, report_type)

    def start():
        return redirect(
            task_start(
                actor=request.user,
                kind="reports.finalise",
                node=committee,
                capability=org_access.FINANCE,
                title=f"Fastställ {event.name}, {committee.name}",
                params=_job_params(committee, event, report_type),
                return_url=reverse("report_status", args=[node.pk, event.code, report_type]),
                return_label="Tillbaka till status och fastställande",
            )
        )

    # A double submit starts one job (and the job, like the service, makes no new version
    # when nothing changed since the latest).
    return once(request, start)


def _part_heading(committee, report_type, part, per_unit):
    for key, heading, unit_part in definition_for(committee, report_type).narrative_parts():
        if key == part and unit_part == per_unit:
            return heading
    raise Http404("Rapporten har ingen sådan textdel.")


def _narrative_context(request, node, event_code, report_type, part):
    committee, event, report_type = _context(node, event_code, report_type)
    per_unit = node.pk != committee.pk
    if not per_unit:
        org_access.require(request.user, org_access.FINANCE, committee)
    heading = _part_heading(committee, report_type, part, per_unit)
    return committee, event, report_type, heading, node if per_unit else None


def _text_findings(committee, event, report_type, part, unit, text):
    if not text.strip():
        return []
    return selectors.text_findings(committee, event, report_type, text=text, part=part, unit=unit)


@access.node(access.EDIT)
@require_POST
def narrative_check(request, node, event_code, report_type, part):
    """The live check while a text is written (htmx, on typing): the numbers of the text
    as typed against the report's figures. Reads only; the result replaces the warnings
    beside the text."""
    committee, event, report_type, _heading, unit = _narrative_context(
        request, node, event_code, report_type, part
    )
    text = request.POST.get("text", "")
    return render(
        request,
        "reports/_text_check.html",
        {"findings": _text_findings(committee, event, report_type, part, unit, text),
         "has_text": bool(text.strip()), "checked": True},
    )  # fmt: skip


@access.node(access.EDIT)
def narrative_edit(request, node, event_code, report_type, part):
    """A part's text: per unit (the node is the unit) or per section (the node is the
    committee; the controller writes it)."""
    committee, event, report_type, heading, unit = _narrative_context(
        request, node, event_code, report_type, part
    )
    per_unit = unit is not None
    from .models import NarrativeText

    row = NarrativeText.objects.filter(
        event=event, report_type=report_type, part=part, unit=unit
    ).first()
    text = row.text if row else ""
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            services.narrative_save(
                actor=request.user,
                event=event,
                report_type=report_type,
                part=part,
                unit=unit,
                text=text,
                ready=request.POST.get("ready") == "on",
            )
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, "Texten är sparad.")
            return redirect(request.path)
    generated = []
    if per_unit:
        from .builders.data import ReportData
        from .calc import result_deviation_line, unit_result_sentence

        data = ReportData(committee, event, {})
        for uf in data.by_unit.units:
            if uf.unit.pk == node.pk:
                generated = [
                    unit_result_sentence(uf.unit.name, uf.net.deviation, final=data.final),
                    result_deviation_line(
                        uf.net.deviation, definition_for(committee, report_type).sign_convention
                    ),
                ]
    return render(
        request,
        "reports/narrative_form.html",
        {
            "node": node,
            "committee": committee,
            "event": event,
            "report_type": report_type,
            "heading": heading,
            "unit": unit,
            "text": text,
            "ready": bool(row and row.ready),
            "row": row,
            # Bold (**…**) shows in the preview as in the report, also inside list items.
            "preview": [
                (kind, [mark_safe(inline(i)) for i in items]) for kind, items in split_blocks(text)
            ],
            "generated": generated,
            # The same check as before finalising, on the text shown (saved or as typed).
            "findings": _text_findings(committee, event, report_type, part, unit, text),
            "has_text": bool(text.strip()),
            "check_url": reverse("narrative_check", args=[node.pk, event.code, report_type, part]),
            "locked": event.is_locked,
            "can_finance": org_access.can(request.user, org_access.FINANCE, committee),
        },
    )


@access.obj(access.VIEW, ReportSnapshot, "snapshot_id", node=lambda s: s.committee)
def snapshot_detail(request, snapshot):
    return render(
        request,
        "reports/snapshot.html",
        {
            "snapshot": snapshot,
            "files": list(snapshot.files.all()),
            "summary": [p for p in snapshot.summary_text.split("\n\n") if p.strip()],
            "problems": services.snapshot_verify(snapshot),
        },
    )


@access.obj(access.VIEW, ReportSnapshot, "snapshot_id", node=lambda s: s.committee)
def snapshot_file(request, snapshot, fmt):
    if fmt == "json":
        content = snapshot.data.encode("utf-8")
    else:
        try:
            content = selectors.snapshot_file_bytes(snapshot, fmt)
        except FileNotFoundError as exc:
            raise Http404(str(exc)) from exc
    renderer = RENDERERS.get(fmt)
    if renderer is None:
        raise Http404("Okänt format.")
    response = HttpResponse(content, content_type=renderer.content_type)
    name = f"{snapshot.committee.code}-{snapshot.event.code}-v{snapshot.version}.{fmt}".lower()
    disposition = "inline" if fmt in ("html", "json", "pdf") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return as_document(response)


@access.committee(access.FINANCE)
def template_edit(request, node, report_type):
    committee = _committee(node)
    report_type = _report_type(report_type)
    base = defs.load(report_type)
    current = definition_for(committee, report_type)
    if request.method == "POST":
        overrides = {
            "title": request.POST.get("title", ""),
            "sign_convention": request.POST.get("sign_convention", ""),
            "sections": {
                s.key: {
                    "heading": request.POST.get(f"heading-{s.key}", ""),
                    "enabled": request.POST.get(f"enabled-{s.key}") == "on",
                }
                for s in base.sections
            },
        }
        try:
            services.template_update(
                actor=request.user,
                committee=committee,
                report_type=report_type,
                overrides=overrides,
            )
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, "Rapportmallen är sparad.")
            return redirect(reverse("report_template", args=[node.pk, report_type]))
    rows = [(b, c) for b, c in zip(base.sections, current.sections, strict=True)]
    return render(
        request,
        "reports/template_form.html",
        {
            "node": node,
            "committee": committee,
            "report_type": report_type,
            "definition": current,
            "rows": rows,
            "signs": defs.SIGN_CONVENTIONS.items(),
        },
    )
