"""Background jobs of the ledger: checking an uploaded file (a dry run that makes the
preview) and saving it. Started from the ledger page; run by `styra worker`. The request
that uploads a file only stores it and queues the check, so a million-row file never
holds a web request."""

from __future__ import annotations

from django.urls import reverse

from styra.lib.money import format_ore
from styra.org.models import NodeKind, OrgNode
from styra.tasks.registry import background
from styra.tasks.runner import TaskFailed

from . import uploads
from .services import ImportRefused, ledger_import, ledger_import_undo

MAX_SHOWN = 200

# What to do about an issue, in the words of the web pages (the command line has its own).
WEB_HINTS = {
    "format": "välj en SIE-fil, eller en CSV- eller Excel-fil med kolumnbeskrivning",
    "mapping": "välj rätt kolumnbeskrivning i fältet Kolumnbeskrivning",
    "year": "filen eller kolumnbeskrivningen måste ange året",
    "orgnr": "kryssa i att filen ska läsas in fast den tillhör en annan organisation",
    "mostly_unmapped": "kryssa i att filen ska läsas in fast det mesta inte hör till någon enhet",
}


def issue_text(issue) -> str:
    where = f"rad {issue.line}: " if issue.line else ""
    hint = WEB_HINTS.get(issue.code) if issue.is_error else None
    return f"{where}{issue.message}" + (f" ({hint})" if hint else "")


def _committee(committee_id: int) -> OrgNode:
    committee = OrgNode.objects.filter(pk=committee_id, kind=NodeKind.COMMITTEE).first()
    if committee is None:
        raise TaskFailed("Nämnden finns inte längre.")
    return committee


def _preview(job, committee, token):
    try:
        return uploads.open_token(token, user=job.actor, municipality=committee.municipality)
    except uploads.PreviewGone as exc:
        raise TaskFailed(str(exc)) from exc


def _progress(job, verb):
    def report(done: int, total: int) -> None:
        if total:
            job.progress(min(done / total, 1.0) * 0.95, f"{verb} rad {done} av {total}")

    return report


def preview_data(result) -> dict:
    """What the preview page shows, as JSON (stored as the check's result)."""
    org_issue = next((i for i in result.issues if i.code == "orgnr"), None)
    return {
        "file_name": result.file_name,
        "format": result.file_format,
        "company": result.company,
        "org_number": result.org_number,
        "other_org": org_issue.message if org_issue else "",
        "year": result.year,
        "first_period": result.first_period,
        "last_period": result.last_period,
        "vouchers": result.vouchers,
        "rows": result.rows,
        "periods": [
            [p, t.rows, format_ore(t.debit_ore), format_ore(-t.result_ore)]
            for p, t in sorted(result.periods.items())
        ],
        "mapped": format_ore(result.mapped_result_ore),
        "unmapped": [[code, format_ore(v)] for code, v in result.unmapped_report.items()],
        "unmapped_total": format_ore(result.unmapped_result_ore),
        "mostly_unmapped": result.mostly_unmapped,
        "replaced": list(result.replaced),
        "errors": [issue_text(i) for i in result.errors[:MAX_SHOWN]],
        "error_count": len(result.errors),
        "warnings": [
            issue_text(i) for i in result.warnings[:MAX_SHOWN] if i.code not in ("orgnr",)
        ],
        "warning_count": len(result.warnings),
    }


@background("ledger.check", label="Kontroll av huvudboksfil", priority=20)
def check(job, *, committee_id: int, token: str) -> dict:
    """Read the uploaded file through the whole import without storing anything."""
    committee = _committee(committee_id)
    preview = _preview(job, committee, token)
    job.progress(0.01, "Läser filen")
    try:
        result = ledger_import(
            actor=job.actor,
            path=preview.path,
            municipality=committee.municipality,
            file_name=preview.file_name,
            mapping=preview.mapping,
            dry_run=True,
            accept_other_org=True,  # the page asks; the save refuses without the answer
            progress=_progress(job, "Kontrollerar"),
        )
    except ImportRefused as exc:
        result = exc.result
    data = preview_data(result)
    if data["errors"]:
        summary = f"{preview.file_name} har {data['error_count']} fel och kan inte läsas in."
    else:
        summary = f"{preview.file_name} är kontrollerad och kan sparas."
    return {
        "summary": summary,
        "link": {
            "url": reverse("ledger_preview", args=[committee.pk, job.run.pk]),
            "label": "Visa kontrollen",
        },
        "preview": data,
    }


@background("ledger.save", label="Inläsning av huvudboksfil", priority=20)
def save(
    job,
    *,
    committee_id: int,
    token: str,
    accept_other_org: bool = False,
    accept_mostly_unmapped: bool = False,
) -> dict:
    """Import the checked file for real (all or nothing), then remove the stored copy."""
    committee = _committee(committee_id)
    preview = _preview(job, committee, token)
    job.progress(0.01, "Läser filen")
    try:
        result = ledger_import(
            actor=job.actor,
            path=preview.path,
            municipality=committee.municipality,
            file_name=preview.file_name,
            mapping=preview.mapping,
            accept_other_org=accept_other_org,
            accept_mostly_unmapped=accept_mostly_unmapped,
            progress=_progress(job, "Läser in"),
        )
    except ImportRefused as exc:
        errors = exc.result.errors
        lines = [issue_text(i) for i in errors[:20]]
        more = f"\n… och {len(errors) - 20} fel till." if len(errors) > 20 else ""
        raise TaskFailed(
            f"{preview.file_name}: {len(errors)} fel. Inget sparades.\n" + "\n".join(lines) + more
        ) from exc
    finally:
        uploads.remove(preview)
    replaced = "".join(f"\nErsätter {old}." for old in result.replaced)
    return {
        "summary": f"{preview.file_name} är inläst: {result.rows} rader, period "
        f"{result.first_period}–{result.last_period} {result.year}.{replaced}",
        "link": {
            "url": reverse("ledger_home", args=[committee.pk]),
            "label": "Till huvudboken",
        },
    }


@background("ledger.undo", label="Ångra inläsning av huvudboksfil", priority=20)
def undo(job, *, committee_id: int, import_id: int) -> dict:
    """Undo an import (its rows go, what it replaced counts again): a million rows to
    delete and balances to rebuild are work for the queue, not for a request."""
    committee = _committee(committee_id)
    job.progress(0.05, "Tar bort inläsningens rader")
    undone = ledger_import_undo(
        actor=job.actor, import_id=import_id, municipality=committee.municipality
    )
    restored = "".join(
        f"\nGäller igen: {r.file_name} (period {r.first_period}–{r.last_period})."
        for r in undone.restored
    )
    return {
        "summary": f"Inläsningen av {undone.file_name} ({undone.year}, period "
        f"{undone.first_period}–{undone.last_period}) är ångrad.{restored}",
        "link": {
            "url": reverse("ledger_home", args=[committee.pk]),
            "label": "Till huvudboken",
        },
    }
