"""Web pages of meetings: the secretary's work, the justerare's approval, the public part
(no login, /offentligt/) and the OParl API (/oparl/). Views are thin: authorise, parse,
call one service or selector."""

from __future__ import annotations

import datetime as dt
import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from styra.calendar import clock
from styra.calendar.models import ReportingEvent
from styra.org import access as org_access
from styra.org.models import NodeKind, OrgNode, Person
from styra.reports import selectors as report_selectors
from styra.web import access
from styra.web.submit import once

from . import calc, oparl, selectors, services
from .models import (
    AgendaItem,
    AttendanceKind,
    Case,
    DecisionKind,
    DelegationCode,
    Dispatch,
    Document,
    DocumentKind,
    ItemKind,
    LegislativeTerm,
    Meeting,
    Membership,
    Organization,
    OrganizationKind,
    Paragraph,
    Post,
    Publicity,
    Vote,
    VoteChoice,
)


def _committee(m) -> OrgNode:
    return m.committee


def _doc_committee(d: Document) -> OrgNode:
    return (d.case or d.meeting).committee


def _flash_findings(request, findings) -> None:
    for f in findings:
        messages.warning(request, f"Varning: {f}")


def _run(request, func, **kwargs):
    """Call a service as the signed-in user; a broken rule or invalid data becomes a
    message, not a traceback (PermissionDenied stays a 403)."""
    try:
        return True, func(actor=request.user, **kwargs)
    except calc.RuleViolation as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    except ValueError as exc:
        messages.error(request, str(exc))
    return False, None


# --- forms -----------------------------------------------------------------------------


class MeetingForm(forms.Form):
    committee = forms.ModelChoiceField(queryset=OrgNode.objects.none(), label="Nämnd")
    date = forms.DateField(label="Datum", widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label="Tid", widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label="Plats", max_length=200)
    is_public = forms.BooleanField(label="Offentligt sammanträde", required=False)


class ItemForm(forms.Form):
    kind = forms.ChoiceField(choices=ItemKind.choices, label="Typ", initial=ItemKind.DECISION)
    case = forms.ModelChoiceField(
        queryset=Case.objects.none(), required=False, label="Ärende (diarienummer)"
    )
    title = forms.CharField(label="Rubrik (tomt: ärendets rubrik)", max_length=300, required=False)
    presenter = forms.CharField(label="Föredragande", max_length=200, required=False)
    confidential = forms.BooleanField(required=False, label="Sekretessdelen")


class UploadForm(forms.Form):
    file = forms.FileField(label="Fil")
    title = forms.CharField(label="Titel (tomt: filens namn)", max_length=300, required=False)
    publicity = forms.ChoiceField(label="Offentlighet", choices=Publicity.choices)


class CaseForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = [
            "title",
            "handler",
            "classification",
            "publicity",
            *services.CASE_REPLY_FIELDS,
            *services.CASE_PAPER_TEXTS,
        ]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in services.CASE_PAPER_TEXTS} | {
            f: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for f in ("reply_due", "replied_on")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the handläggare is a person of the case's own municipality
        self.fields["handler"].queryset = _persons(self.instance.committee)


class NewCaseForm(forms.Form):
    committee = forms.ModelChoiceField(queryset=OrgNode.objects.none(), label="Nämnd")
    title = forms.CharField(label="Rubrik", max_length=300)
    classification = forms.CharField(label="Klassificering", max_length=40, required=False)


class ParagraphForm(forms.Form):
    decision_kind = forms.ChoiceField(choices=DecisionKind.choices, label="Beslut")
    decision = forms.CharField(
        label="Beslutstext",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="krävs innan protokollet kan justeras",
    )
    reservations = forms.CharField(
        label="Reservationer", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    distribution = forms.CharField(
        label="Expedieras till", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    immediate = forms.BooleanField(label="Justeras omedelbart", required=False)


class DelegationForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=OrgNode.objects.none(), label="Enhet")
    code = forms.ModelChoiceField(queryset=DelegationCode.objects.none(), label="Punkt")
    date_from = forms.DateField(
        label="Beslutsdatum", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="T.o.m. (för månadslista)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    decision = forms.CharField(label="Beslut (kort)", max_length=500)
    dnr = forms.CharField(label="Diarienummer", max_length=40, required=False)
    delegate_role = forms.ChoiceField(label="Delegat (roll enligt delegationsordningen)")
    delegate_name = forms.CharField(label="Delegat (namn)", max_length=200, required=False)
    personal_details = forms.CharField(
        label="Uppgifter om enskild (publiceras aldrig)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _persons(committee: OrgNode):
    return Person.objects.filter(municipality=committee.municipality).order_by("name")


# --- secretary: meetings ---------------------------------------------------------------


@access.login
def meeting_list(request):
    committees = selectors.committees_for(request.user)
    form = MeetingForm(request.POST or None)
    form.fields["committee"].queryset = OrgNode.objects.filter(pk__in=[c.pk for c in committees])

    def create():
        committee = form.cleaned_data["committee"]
        start = dt.datetime.combine(form.cleaned_data["date"], form.cleaned_data["time"])
        ok, meeting = _run(
            request,
            services.meeting_create,
            committee=committee,
            start=timezone.make_aware(start),
            place=form.cleaned_data["place"],
            is_public=form.cleaned_data["is_public"],
        )
        if not ok:
            return meeting_list_page(request, committees, form)
        messages.success(request, f"Sammanträdet {meeting.date.isoformat()} är skapat.")
        return redirect("meetings_detail", meeting_id=meeting.pk)

    if request.method == "POST" and form.is_valid():
        return once(request, create)  # a double submit makes one meeting
    return meeting_list_page(request, committees, form)


def meeting_list_page(request, committees, form):
    meetings = selectors.meetings_for(request.user).order_by("-start")
    years: dict[int, list] = {}
    for m in meetings:
        years.setdefault(m.date.year, []).append(m)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "years": sorted(years.items(), reverse=True),
            "form": form if committees else None,
            "to_approve": selectors.meetings_to_approve(request.user),
        },
    )


@access.obj(access.MEETINGS, Meeting, "meeting_id", node=_committee)
def meeting_detail(request, meeting: Meeting):
    item_form = ItemForm()
    item_form.fields["case"].queryset = Case.objects.filter(committee=meeting.committee)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "items": meeting.items.select_related("case").order_by("confidential", "order"),
            "item_form": item_form,
            "warnings": selectors.meeting_warnings(meeting),
            "documents": meeting.documents.filter(paragraph__isnull=True).order_by("kind"),
            "upload_form": UploadForm(prefix="upload"),
            "upload_limit": settings.STYRA_UPLOAD_MAX_DOCUMENT_MB,
            "events": meeting.reporting_events.all(),
            "notice_ready": meeting.documents.filter(kind=DocumentKind.NOTICE).exists(),
            "deliveries": meeting.deliveries.filter(kind="notice").order_by("-created"),
            "delegation": selectors.public_delegation_decisions(meeting)
            if meeting.protocol_published
            else None,
        },
    )


@access.obj(access.MEETINGS, Meeting, "meeting_id", node=_committee)
@require_POST
def meeting_item_add(request, meeting: Meeting):
    form = ItemForm(request.POST)
    form.fields["case"].queryset = Case.objects.filter(committee=meeting.committee)
    if request.POST.get("action") == "standard":
        ok, new = _run(request, services.agenda_standard_items, meeting=meeting)
        if ok:
            messages.success(request, f"{len(new)} inledande punkter är tillagda först.")
    elif form.is_valid():
        ok, item = _run(request, services.agenda_item_add, meeting=meeting, **form.cleaned_data)
        if ok:
            messages.success(request, f"Punkt {item.order} {item.title} är tillagd.")
    else:
        messages.error(request, "Välj typ, och ett ärende eller en rubrik.")
    return redirect("meetings_detail", meeting_id=meeting.pk)


def _item_committee(item: AgendaItem) -> OrgNode:
    return item.meeting.committee


@access.obj(access.MEETINGS, AgendaItem, "item_id", node=_item_committee)
def agenda_item(request, item: AgendaItem):
    """One agenda item: edit it (GET shows the form), move it up or down, remove it."""
    meeting = item.meeting
    back = redirect(f"{reverse('meetings_detail', args=[meeting.pk])}#punkt-{item.pk}")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action in ("up", "down"):
        ok, moved = _run(request, services.agenda_item_move, item=item, up=action == "up")
        if ok:
            messages.success(request, f"{moved.title} är nu punkt {moved.order}.")
        return back
    if action == "remove":
        ok, _ = _run(request, services.agenda_item_remove, item=item)
        if ok:
            messages.success(request, f"{item.title} är borttagen från ärendelistan.")
        return redirect("meetings_detail", meeting_id=meeting.pk)
    form = ItemForm(
        request.POST if action == "save" else None,
        initial={
            "kind": item.kind,
            "case": item.case_id,
            "title": item.title,
            "presenter": item.presenter,
            "confidential": item.confidential,
        },
    )
    form.fields["case"].queryset = Case.objects.filter(committee=meeting.committee)
    if action == "save" and form.is_valid():
        ok, _ = _run(request, services.agenda_item_update, item=item, **form.cleaned_data)
        if ok:
            messages.success(request, f"Punkt {item.order} är sparad.")
            return back
    return render(request, "meetings/item_edit.html", {"item": item, "form": form})


def _upload(request, **owner) -> None:
    form = UploadForm(request.POST, request.FILES, prefix="upload")
    if not form.is_valid():
        messages.error(request, "Välj en fil och dess offentlighet.")
        return
    ok, doc = _run(
        request,
        services.document_upload,
        upload=form.cleaned_data["file"],
        title=form.cleaned_data["title"],
        publicity=form.cleaned_data["publicity"],
        **owner,
    )
    if ok:
        number = f"Bilaga {doc.attachment_number}: " if doc.attachment_number else ""
        messages.success(request, f"{number}{doc.title} är uppladdad ({doc.filename}).")


@access.obj(access.MEETINGS, Meeting, "meeting_id", node=_committee)
@require_POST
def meeting_upload(request, meeting: Meeting):
    _upload(request, meeting=meeting, kind=DocumentKind.OTHER)
    return redirect("meetings_detail", meeting_id=meeting.pk)


@access.obj(access.MEETINGS, Document, "document_id", node=_doc_committee)
@require_POST
def document_delete(request, document: Document):
    ok, _ = _run(request, services.document_remove, document=document)
    if ok:
        messages.success(request, f"{document.title} är borttagen.")
    if document.case_id:
        return redirect("meetings_case", case_id=document.case_id)
    return redirect("meetings_detail", meeting_id=document.meeting_id)


@access.obj(access.MEETINGS, Meeting, "meeting_id", node=_committee)
@require_POST
def meeting_notice(request, meeting: Meeting):
    if request.POST.get("action") == "send":
        ok, rows = _run(request, services.notice_send, meeting=meeting)
        if ok:
            _flash_deliveries(request, rows, "Kallelsen")
        return redirect("meetings_detail", meeting_id=meeting.pk)
    ok, findings = _run(
        request, services.notice_produce, meeting=meeting, text=request.POST.get("text", "")
    )
    if ok:
        messages.success(request, "Kallelsen är skapad som PDF och Word.")
        _flash_findings(request, findings)
    return redirect("meetings_detail", meeting_id=meeting.pk)


@access.obj(access.MEETINGS, Meeting, "meeting_id", node=_committee)
def meeting_protocol(request, meeting: Meeting):
    """The whole protocol in one editor with one save; the draft for the justerare; the
    justering, anslag, publication and expediering once justerat."""
    action = request.POST.get("action", "") if request.method == "POST" else ""
    back = redirect("meetings_protocol", meeting_id=meeting.pk)
    if action == "open":
        ok, _ = _run(request, services.protocol_open, meeting=meeting)
        if ok:
            messages.success(request, "Protokollet är upprättat med en paragraf per punkt.")
        return back
    if action == "draft":
        ok, _docs = _run(request, services.protocol_draft, meeting=meeting)
        if ok:
            messages.success(request, "Utkastet är skapat som PDF och Word.")
        return back
    if action == "send_draft":
        ok, rows = _run(request, services.draft_send, meeting=meeting)
        if ok:
            _flash_deliveries(request, rows, "Utkastet")
        return back
    if action == "answered":
        meeting.change_requests.filter(
            pk=_int_or_none(request.POST.get("request", "")) or -1
        ).update(answered=True)
        return back
    paragraphs = list(meeting.paragraphs.select_related("item").order_by("number"))
    forms_ = []
    changes = {}
    valid = True
    for p in paragraphs:
        form = ParagraphForm(
            request.POST if action == "save" else None,
            initial={k: getattr(p, k) for k in services.PARAGRAPH_FIELDS},
            prefix=f"p{p.pk}",
        )
        if p.justerad_at is None and action == "save":
            if form.is_valid():
                changes[p.pk] = form.cleaned_data
            else:
                valid = False
        forms_.append((p, form))
    if action == "save":
        if valid:
            ok, saved = _run(
                request,
                services.protocol_save,
                meeting=meeting,
                changes=changes,
                seen=request.POST.get("seen", ""),
            )
            if ok:
                numbers = calc.paragraph_range([p.number for p in saved])
                messages.success(
                    request,
                    f"Protokollet är sparat ({numbers or 'inga ändringar'}).",
                )
                return back
        else:
            messages.error(request, "Protokollet sparades inte; se paragraferna nedan.")
    votes = {v.paragraph_id: v for v in Vote.objects.filter(paragraph__meeting=meeting)}
    return render(
        request,
        "meetings/protocol.html",
        {
            "meeting": meeting,
            "paragraphs": [(p, f, votes.get(p.pk)) for p, f in forms_],
            "seen": request.POST.get("seen")
            if action == "save"
            else services.protocol_state(meeting),
            "attendance": meeting.attendance.select_related("person", "replaces"),
            "adjusters": meeting.adjusters.select_related("person"),
            "dates": meeting.dates(),
            "warnings": selectors.meeting_warnings(meeting),
            "dispatches": Dispatch.objects.filter(paragraph__meeting=meeting).select_related(
                "paragraph"
            ),
            "documents": meeting.documents.order_by("kind", "filename"),
            "requests": meeting.change_requests.select_related("person"),
            "deliveries": meeting.deliveries.order_by("-created", "recipient"),
            "missing": services._missing_decisions(meeting),
        },
    )


def _flash_deliveries(request, rows, what: str) -> None:
    sent = [d for d in rows if d.sent_at]
    failed = [d for d in rows if not d.sent_at]
    if sent:
        messages.success(request, f"{what} är skickat till {', '.join(d.recipient for d in sent)}.")
    for d in failed:
        messages.warning(request, f"{what} kunde inte skickas till {d.recipient}: {d.error}")


@access.obj(access.MEETINGS, Paragraph, "paragraph_id", node=_committee)
@require_POST
def paragraph_edit(request, paragraph: Paragraph):
    form = ParagraphForm(request.POST, prefix=f"p{paragraph.pk}")
    if form.is_valid():
        data = form.cleaned_data
        ok, _ = _run(
            request,
            services.paragraph_update,
            paragraph=paragraph,
            decision_kind=data["decision_kind"],
            decision=data["decision"],
            reservations=data["reservations"],
            distribution=data["distribution"],
            immediate=data["immediate"],
        )
        if ok:
            messages.success(request, f"§ {paragraph.number} är sparad.")
    else:
        messages.error(request, f"§ {paragraph.number}: skriv beslutstexten.")
    return redirect("meetings_protocol", meeting_id=paragraph.meeting_id)


def _int_or_none(value: str) -> int | None:
    return int(value) if value and value.isdigit() else None


@access.obj(access.MEETINGS, Meeting, "meeting_id", node=_committee)
@require_POST
def meeting_attendance(request, meeting: Meeting):
    persons = _persons(meeting.committee)
    person = persons.filter(pk=_int_or_none(request.POST.get("person", ""))).first()
    kind = request.POST.get("kind", "")
    if person is None or kind not in AttendanceKind.values:
        messages.error(request, "Välj person och typ av närvaro.")
    else:
        replaces = persons.filter(pk=_int_or_none(request.POST.get("replaces", ""))).first()
        ok, _ = _run(
            request,
            services.attendance_set,
            meeting=meeting,
            person=person,
            kind=kind,
            replaces=replaces,
            from_paragraph=_int_or_none(request.POST.get("from_paragraph", "")),
            to_paragraph=_int_or_none(request.POST.get("to_paragraph", "")),
            note=request.POST.get("note", "")[:200],
        )
        if ok:
            messages.success(request, f"{person.name} är antecknad.")
    return redirect("meetings_protocol", meeting_id=meeting.pk)


@access.obj(access.MEETINGS, Meeting, "meeting_id", node=_committee)
@require_POST
def meeting_adjusters(request, meeting: Meeting):
    ids = [int(v) for v in request.POST.getlist("persons") if v.isdigit()]
    persons = list(_persons(meeting.committee).filter(pk__in=ids))
    if not persons:
        messages.error(request, "Välj minst en justerare.")
    else:
        ok, _ = _run(
            request,
            services.adjusters_set,
            meeting=meeting,
            persons=persons,
            place=request.POST.get("place", "")[:200],
        )
        if ok:
            messages.success(request, "Justerare: " + ", ".join(p.name for p in persons) + ".")
    return redirect("meetings_protocol", meeting_id=meeting.pk)


@access.obj(access.MEETINGS, Meeting, "meeting_id", node=_committee)
@require_POST
def meeting_anslag(request, meeting: Meeting):
    action = request.POST.get("action", "post")
    try:
        day = dt.date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        messages.error(request, "Skriv datumet som ÅÅÅÅ-MM-DD.")
        return redirect("meetings_protocol", meeting_id=meeting.pk)
    if action == "down":
        ok, _ = _run(request, services.anslag_take_down, meeting=meeting, on=day)
        if ok:
            messages.success(request, f"Anslaget togs ner {day.isoformat()}.")
    else:
        ok, findings = _run(
            request,
            services.anslag_post,
            meeting=meeting,
            posted_on=day,
            accept_late=bool(request.POST.get("accept_late")),
        )
        if ok:
            services.protocol_render(actor=request.user, meeting=meeting)
            messages.success(request, f"Justeringen är anslagen {day.isoformat()}.")
            _flash_findings(request, findings)
    return redirect("meetings_protocol", meeting_id=meeting.pk)


@access.obj(access.MEETINGS, Meeting, "meeting_id", node=_committee)
@require_POST
def meeting_publish(request, meeting: Meeting):
    ok, _ = _run(request, services.protocol_publish, meeting=meeting)
    if ok:
        messages.success(request, "Protokollet är publicerat i den öppna delen.")
    return redirect("meetings_protocol", meeting_id=meeting.pk)


@access.obj(access.MEETINGS, Meeting, "meeting_id", node=_committee)
@require_POST
def meeting_dispatch(request, meeting: Meeting):
    dispatch_id = _int_or_none(request.POST.get("dispatch", ""))
    if dispatch_id is None:
        ok, rows = _run(request, services.dispatch_prepare, meeting=meeting)
        if ok:
            messages.success(request, f"Expedieringslistan har {len(rows)} rader.")
    else:
        dispatch = get_object_or_404(Dispatch, pk=dispatch_id, paragraph__meeting=meeting)
        email = request.POST.get("email", "").strip()
        try:
            forms.EmailField(required=False).clean(email)
        except ValidationError:
            messages.error(request, f"{email} är ingen e-postadress.")
            return redirect("meetings_protocol", meeting_id=meeting.pk)
        ok, _ = _run(request, services.dispatch_mark_sent, dispatch=dispatch, email=email)
        if ok:
            messages.success(
                request, f"§ {dispatch.paragraph.number} expedierad till {dispatch.recipient}."
            )
    return redirect("meetings_protocol", meeting_id=meeting.pk)


# --- justerare -------------------------------------------------------------------------


@access.obj(access.VIEW, Meeting, "meeting_id", node=_committee)
def meeting_approve(request, meeting: Meeting):
    adjuster = meeting.adjusters.filter(person__user=request.user).first()
    if request.method == "POST":
        if meeting.is_justerat:
            messages.info(
                request,
                f"Protokollet är redan justerat {meeting.justerat_on.isoformat()}; inget ändrades.",
            )
            return redirect("meetings_approve", meeting_id=meeting.pk)
        if request.POST.get("action") == "change":
            ok, _ = _run(
                request,
                services.change_request,
                meeting=meeting,
                text=request.POST.get("text", ""),
            )
            if ok:
                messages.success(request, "Din begäran om ändring är skickad till sekreteraren.")
            return redirect("meetings_approve", meeting_id=meeting.pk)
        if not request.POST.get("confirm"):
            messages.error(request, "Bekräfta att du har läst protokollet innan du justerar.")
            return redirect("meetings_approve", meeting_id=meeting.pk)
        ok, findings = _run(request, services.protocol_approve, meeting=meeting)
        if ok:
            meeting.refresh_from_db()
            if meeting.is_justerat:
                messages.success(request, "Du har justerat protokollet. Det är nu justerat.")
            else:
                messages.success(request, "Du har justerat protokollet. Övriga justerare återstår.")
            _flash_findings(request, findings)
        return redirect("meetings_approve", meeting_id=meeting.pk)
    from . import papers

    # The sekretessdel only for those entitled to it (and the meeting's justerare): the
    # others read the protocol's public twin.
    confidential = selectors.can_see_confidential(request.user, meeting)
    paper = (
        papers.protocol(meeting, public=not confidential) if meeting.paragraphs.exists() else None
    )
    return render(
        request,
        "meetings/approve.html",
        {
            "meeting": meeting,
            "adjuster": adjuster,
            "adjusters": meeting.adjusters.select_related("person"),
            "paper": paper,
            "dates": meeting.dates(),
            "public_twin": not confidential,
            "my_requests": meeting.change_requests.filter(person=adjuster.person)
            if adjuster
            else [],
        },
    )


@access.login
def approvals(request):
    return render(
        request,
        "meetings/approvals.html",
        {"meetings": selectors.meetings_to_approve(request.user)},
    )


@access.obj(access.VIEW, Document, "document_id", node=_doc_committee)
def document_download(request, document: Document):
    if document.publicity == Publicity.SECRET:
        meeting = document.meeting or (document.paragraph.meeting if document.paragraph else None)
        if meeting is None or not selectors.can_see_confidential(request.user, meeting):
            org_access.require(request.user, org_access.CONFIDENTIAL, _doc_committee(document))
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.filename)


# --- cases -----------------------------------------------------------------------------


@access.login
def case_list(request):
    committees = selectors.committees_for(request.user)
    form = NewCaseForm(request.POST or None)
    form.fields["committee"].queryset = OrgNode.objects.filter(pk__in=[c.pk for c in committees])

    def page():
        cases = Case.objects.filter(committee__in=committees).select_related("committee")
        return render(
            request,
            "meetings/case_list.html",
            {"cases": cases, "form": form if committees else None},
        )

    def create():
        committee = form.cleaned_data["committee"]
        ok, case = _run(
            request,
            services.case_create,
            committee=committee,
            title=form.cleaned_data["title"],
            classification=form.cleaned_data["classification"],
        )
        if not ok:
            return page()
        messages.success(request, f"Ärendet {case.dnr} är registrerat.")
        return redirect("meetings_case", case_id=case.pk)

    if request.method == "POST" and form.is_valid():
        return once(request, create)  # a double submit registers one case
    return page()


@access.obj(access.MEETINGS, Case, "case_id", node=_committee)
def case_detail(request, case: Case):
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST":
        if request.POST.get("action") == "upload":
            _upload(request, case=case)
            return redirect("meetings_case", case_id=case.pk)
        if request.POST.get("action") == "snapshot":
            snapshot = (
                report_selectors.snapshots_for(case.committee)
                .filter(pk=_int_or_none(request.POST.get("snapshot", "")) or -1)
                .first()
            )
            if snapshot is None:
                messages.error(request, "Välj en fastställd rapport för nämnden.")
            else:
                ok, doc = _run(request, services.case_attach_snapshot, case=case, snapshot=snapshot)
                if ok:
                    messages.success(
                        request,
                        f"Bilaga {doc.attachment_number}: {doc.title} är bifogad; dess "
                        "sammanfattning är ärendets sammanfattning.",
                    )
            return redirect("meetings_case", case_id=case.pk)
        if request.POST.get("action") == "papers":
            ok, _docs = _run(request, services.case_papers_generate, case=case)
            if ok:
                messages.success(request, "Tjänsteskrivelse och ordförandeförslag är skapade.")
            return redirect("meetings_case", case_id=case.pk)
        if form.is_valid():
            # only what the user changed
            fields = {k: form.cleaned_data[k] for k in form.changed_data}
            ok, _ = _run(request, services.case_update, case=case, **fields)
            if ok:
                messages.success(request, "Ärendet är sparat.")
                return redirect("meetings_case", case_id=case.pk)
    return render(
        request,
        "meetings/case_detail.html",
        {
            "case": case,
            "form": form,
            "documents": case.documents.order_by("kind", "attachment_number", "filename"),
            "upload_form": UploadForm(prefix="upload"),
            "upload_limit": settings.STYRA_UPLOAD_MAX_DOCUMENT_MB,
            "snapshots": report_selectors.snapshots_for(case.committee).order_by("-created_at"),
        },
    )


# --- delegation ------------------------------------------------------------------------


def _delegation_units(user) -> list[OrgNode]:
    units = {n.pk: n for n in org_access.nodes_for(user, org_access.EDIT)}
    units.update({n.pk: n for n in org_access.nodes_for(user, org_access.MEETINGS)})
    return [n for n in units.values() if n.committee() is not None]


@access.login
def delegation(request):
    units = _delegation_units(request.user)
    committees = {u.committee().pk for u in units}
    form = DelegationForm(request.POST or None)
    form.fields["unit"].queryset = OrgNode.objects.filter(pk__in=[u.pk for u in units])
    today = clock.today()
    codes = (
        DelegationCode.objects.filter(committee_id__in=committees)
        .exclude(valid_to__lt=today)
        .order_by("code", "valid_from")
    )
    form.fields["code"].queryset = codes
    roles = sorted({r for c in codes for r in c.delegate_roles()}, key=str.casefold)
    form.fields["delegate_role"].choices = [("", "– välj –"), *((r, r) for r in roles)]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = data.pop("unit")
        if unit.pk not in {u.pk for u in units}:
            raise PermissionDenied("Du kan inte registrera beslut för den enheten.")
        ok, row = _run(request, services.delegation_decision_register, unit=unit, **data)
        if ok:
            if row.late:
                deadline = services.delegation_deadline(row.date_to or row.date_from)
                messages.warning(
                    request,
                    "Beslutet är registrerat men efter sista dag för rapportering "
                    f"({deadline:%Y-%m-%d kl. %H.%M}).",
                )
            else:
                messages.success(request, "Delegationsbeslutet är registrerat.")
            return redirect("meetings_delegation")
    from .models import DelegationDecision

    decisions = DelegationDecision.objects.filter(unit__in=units).select_related(
        "unit", "code", "reported_at"
    )
    return render(
        request,
        "meetings/delegation.html",
        {
            "form": form if units else None,
            "codes": codes,
            "decisions": decisions,
        },
    )


# --- public part -----------------------------------------------------------------------


@access.public
def public_index(request):
    meetings = selectors.public_meetings()
    by_committee: dict[str, list] = {}
    for m in meetings:
        by_committee.setdefault(m.committee.name, []).append(m)
    return render(request, "meetings/public/index.html", {"committees": by_committee.items()})


@access.public
def public_meeting(request, meeting_id: int):
    meeting = get_object_or_404(selectors.public_meetings(), pk=meeting_id)
    documents = selectors.public_documents().filter(meeting=meeting)
    items = selectors.public_items(meeting)
    case_docs = {
        item.pk: list(selectors.public_documents().filter(case=item.case))
        for item in items
        if item.case
    }
    return render(
        request,
        "meetings/public/meeting.html",
        {
            "meeting": meeting,
            "items": [(i, case_docs.get(i.pk, [])) for i in items],
            "hidden_items": meeting.items.count() - len(items) if meeting.notice_sent_on else 0,
            "paragraphs": selectors.public_paragraphs(meeting),
            "hidden_paragraphs": meeting.paragraphs.count()
            - len(selectors.public_paragraphs(meeting))
            if meeting.protocol_published
            else 0,
            "delegation": selectors.public_delegation_decisions(meeting),
            "documents": documents,
            "dates": meeting.dates(),
        },
    )


@access.public
def public_document(request, document_id: int, filename: str):
    document = selectors.public_document_or_none(document_id)
    if document is None or document.filename != filename:
        raise Http404("Handlingen finns inte eller är inte offentlig.")
    return FileResponse(document.file.open("rb"), filename=document.filename)


# --- OParl -----------------------------------------------------------------------------


def _urls(request) -> oparl.Urls:
    return oparl.Urls(request.build_absolute_uri("/").rstrip("/"))


def _json(data: dict) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@access.public
def oparl_system(request):
    return _json(oparl.system(_urls(request)))


@access.public
def oparl_bodies(request):
    return _json(oparl.body_list(_urls(request)))


@access.public
def oparl_list(request, body_id: int, list_name: str):
    from styra.org.models import Municipality

    if list_name not in oparl.LISTS:
        raise Http404("Okänd lista.")
    muni = get_object_or_404(Municipality, pk=body_id)
    number = _int_or_none(request.GET.get("page", "1")) or 1
    return _json(oparl.page(_urls(request), muni, list_name, number))


@access.public
def oparl_object(request, object_type: str, object_id: int):
    if object_type not in oparl.OBJECT_TYPES:
        raise Http404("Okänd objekttyp.")
    obj, serialise = oparl.find(object_type, object_id)
    if obj is None:
        raise Http404("Objektet finns inte eller är inte offentligt.")
    return _json(serialise(_urls(request), obj))


# --- the nämnd: roster, sammanträdesordning, delegationsordning -------------------------


def _committee_of(node: OrgNode) -> OrgNode:
    committee = node if node.kind == NodeKind.COMMITTEE else node.committee()
    if committee is None:
        raise Http404("Noden hör inte till någon nämnd.")
    return committee


@access.login
def committees(request):
    return render(
        request,
        "meetings/committees.html",
        {"committees": selectors.committees_for(request.user)},
    )


class MemberForm(forms.Form):
    name = forms.CharField(label="Namn", max_length=200)
    post = forms.ChoiceField(label="Uppdrag", choices=Post.choices)
    party = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label="Parti", required=False
    )
    term = forms.ModelChoiceField(
        queryset=LegislativeTerm.objects.none(), label="Mandatperiod", required=False
    )
    start_date = forms.DateField(
        label="Från (tomt: mandatperiodens början)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end_date = forms.DateField(
        label="Till (tomt: mandatperiodens slut)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    email = forms.EmailField(label="E-post (för kallelser)", required=False)
    username = forms.RegexField(
        label="Inloggning (användarnamn, för att läsa handlingar och justera)",
        regex=r"^[\w.@+-]+$",
        max_length=150,
        required=False,
    )


class PartyForm(forms.Form):
    party_name = forms.CharField(label="Partiets namn", max_length=200)
    party_short = forms.CharField(label="Förkortning", max_length=40)


class TermForm(forms.Form):
    term_name = forms.CharField(label="Mandatperiodens namn", max_length=100)
    term_start = forms.DateField(label="Börjar", widget=forms.DateInput(attrs={"type": "date"}))
    term_end = forms.DateField(label="Slutar", widget=forms.DateInput(attrs={"type": "date"}))


def _end_date(request) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.POST.get("end_date", ""))
    except ValueError:
        messages.error(request, "Skriv slutdatumet som ÅÅÅÅ-MM-DD.")
        return None


@access.node(access.MEETINGS)
def roster(request, node: OrgNode):
    committee = _committee_of(node)
    muni = committee.municipality
    action = request.POST.get("action", "") if request.method == "POST" else ""
    member_form = MemberForm(request.POST if action == "member" else None)
    member_form.fields["party"].queryset = Organization.objects.filter(
        municipality=muni, kind=OrganizationKind.PARTY
    )
    member_form.fields["term"].queryset = LegislativeTerm.objects.filter(municipality=muni)
    party_form = PartyForm(request.POST if action == "party" else None)
    term_form = TermForm(request.POST if action == "term" else None)
    back = redirect("meetings_roster", node_id=committee.pk)

    def page():
        today = clock.today()
        rows = (
            Membership.objects.filter(organization__node=committee)
            .select_related("person", "person__user", "party", "term")
            .order_by("end_date", "post", "person__name")
        )
        current = [m for m in rows if m.active_on(today) or m.start_date > today]
        post_order = {p: i for i, p in enumerate(Post.values)}
        current.sort(key=lambda m: (post_order[m.post], m.person.name))
        return render(
            request,
            "meetings/roster.html",
            {
                "committee": committee,
                "current": current,
                "former": [m for m in rows if m.end_date and m.end_date < today],
                "today": today,
                "member_form": member_form,
                "party_form": party_form,
                "term_form": term_form,
                "parties": member_form.fields["party"].queryset,
                "terms": member_form.fields["term"].queryset,
            },
        )

    if action == "member" and member_form.is_valid():
        data = member_form.cleaned_data

        def add():
            ok, row = _run(request, services.roster_member_add, committee=committee, **data)
            if not ok:
                return page()
            messages.success(request, f"{row.person.name} är {row.get_post_display()}.")
            user = row.person.user
            if user is not None and user.email and not user.has_usable_password():
                _invite(request, committee, user)
            return back

        return once(request, add)
    if action == "party" and party_form.is_valid():
        ok, party = _run(
            request,
            services.organization_upsert,
            committee=committee,
            kind=OrganizationKind.PARTY,
            name=party_form.cleaned_data["party_name"],
            short_name=party_form.cleaned_data["party_short"],
        )
        if ok:
            messages.success(request, f"Partiet {party.name} är sparat.")
        return back
    if action == "term" and term_form.is_valid():
        data = term_form.cleaned_data
        ok, term = _run(
            request,
            services.term_upsert,
            committee=committee,
            name=data["term_name"],
            start_date=data["term_start"],
            end_date=data["term_end"],
        )
        if ok:
            messages.success(request, f"Mandatperioden {term.name} är sparad.")
        return back
    if action == "invite":
        membership = get_object_or_404(
            Membership,
            pk=_int_or_none(request.POST.get("membership", "")),
            organization__node=committee,
            person__user__isnull=False,
        )
        _invite(request, committee, membership.person.user)
        return back
    if action == "end":
        membership = get_object_or_404(
            Membership,
            pk=_int_or_none(request.POST.get("membership", "")),
            organization__node=committee,
        )
        day = _end_date(request)
        if day is not None:
            ok, _ = _run(request, services.membership_end, membership=membership, end_date=day)
            if ok:
                messages.success(
                    request, f"{membership.person.name}s uppdrag slutar {day.isoformat()}."
                )
        return back
    if action:
        messages.error(request, "Formuläret är inte fullständigt ifyllt; se fälten nedan.")
    return page()


def _invite(request, committee: OrgNode, user) -> None:
    """E-mail the member's login an invitation to choose a password (org.services)."""
    from styra.lib.errors import UsageError
    from styra.org.services import login_invite

    try:
        address = login_invite(
            actor=request.user,
            node=committee,
            user=user,
            site_url=request.build_absolute_uri("/"),
        )
    except UsageError as exc:
        messages.error(request, str(exc))
    except OSError as exc:  # the mail server did not answer
        messages.error(
            request,
            f"Inbjudan till {user.username} kunde inte skickas ({exc.__class__.__name__}); "
            "inloggningen finns, skicka inbjudan igen när e-posten fungerar.",
        )
    else:
        messages.success(request, f"En inbjudan att välja lösenord är skickad till {address}.")


class CalendarForm(forms.Form):
    year = forms.IntegerField(label="År", min_value=2000, max_value=2100)
    dates = forms.CharField(
        label="Sammanträdesdagar (ett datum per rad, ÅÅÅÅ-MM-DD)",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    time = forms.TimeField(label="Tid", widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label="Plats", max_length=200)

    def clean_dates(self):
        out, bad = [], []
        for line in self.cleaned_data["dates"].split():
            try:
                out.append(dt.date.fromisoformat(line.strip().rstrip(",")))
            except ValueError:
                bad.append(line)
        if bad:
            raise ValidationError(f"Inga datum: {', '.join(bad)}. Skriv ÅÅÅÅ-MM-DD.")
        return sorted(set(out))


@access.node(access.MEETINGS)
def meeting_calendar(request, node: OrgNode):
    committee = _committee_of(node)
    year = _int_or_none(request.GET.get("ar", "")) or clock.today().year
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = CalendarForm(request.POST if action == "calendar" else None, initial={"year": year})
    if action == "calendar" and form.is_valid():
        data = form.cleaned_data
        at = data["time"]
        ok, _ = _run(
            request,
            services.calendar_set,
            committee=committee,
            year=data["year"],
            starts=[timezone.make_aware(dt.datetime.combine(d, at)) for d in data["dates"]],
            place=data["place"],
        )
        if ok:
            messages.success(
                request,
                f"Sammanträdesordningen {data['year']} har {len(data['dates'])} sammanträden.",
            )
            return redirect(f"{request.path}?ar={data['year']}")
    meetings = list(Meeting.objects.filter(committee=committee, start__year=year).order_by("start"))
    events = list(
        ReportingEvent.objects.filter(committee=committee, year=year).prefetch_related("meetings")
    )
    if action == "events":
        by_pk = {m.pk: m for m in meetings}
        changed = 0
        for event in events:
            chosen = request.POST.get(f"event-{event.pk}")
            if chosen is None:
                continue
            meeting = by_pk.get(_int_or_none(chosen) or -1)
            if chosen and meeting is None:
                raise PermissionDenied("Sammanträdet finns inte i årets sammanträdesordning.")
            current = next(iter(event.meetings.all()), None)
            if current != meeting:
                ok, _ = _run(request, services.reporting_event_place, event=event, meeting=meeting)
                changed += ok
        messages.success(request, f"{changed} rapporttillfällen har fått nytt sammanträde.")
        return redirect(f"{request.path}?ar={year}")
    if action and not form.is_valid():
        messages.error(request, "Sammanträdesordningen sparades inte; se fälten nedan.")
    placed = {e.pk: next(iter(e.meetings.all()), None) for e in events}
    return render(
        request,
        "meetings/calendar.html",
        {
            "committee": committee,
            "year": year,
            "years": [year - 1, year + 1],
            "form": form,
            "meetings": meetings,
            "events": [(e, placed[e.pk]) for e in events],
        },
    )


class DelegationCodeForm(forms.Form):
    code = forms.CharField(label="Punkt (kod)", max_length=20)
    decision_type = forms.CharField(label="Ärendetyp", max_length=300)
    delegates = forms.CharField(
        label="Delegat (roller, kommaseparerade)", max_length=300, help_text="t.ex. Enhetschef"
    )
    valid_from = forms.DateField(
        label="Gäller från", widget=forms.DateInput(attrs={"type": "date"})
    )


@access.node(access.MEETINGS)
def delegation_scheme(request, node: OrgNode):
    committee = _committee_of(node)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = DelegationCodeForm(
        request.POST if action == "code" else None, initial={"valid_from": clock.today()}
    )
    back = redirect("meetings_delegation_scheme", node_id=committee.pk)
    if action == "code" and form.is_valid():
        ok, row = _run(
            request, services.delegation_code_upsert, committee=committee, **form.cleaned_data
        )
        if ok:
            messages.success(request, f"Punkt {row.code} gäller från {row.valid_from.isoformat()}.")
            return back
    if action == "end":
        code = get_object_or_404(
            DelegationCode, pk=_int_or_none(request.POST.get("code", "")), committee=committee
        )
        day = _end_date(request)
        if day is not None:
            ok, _ = _run(request, services.delegation_code_end, code=code, valid_to=day)
            if ok:
                messages.success(request, f"Punkt {code.code} gäller till {day.isoformat()}.")
        return back
    rows = DelegationCode.objects.filter(committee=committee).order_by("code", "-valid_from")
    today = clock.today()
    return render(
        request,
        "meetings/delegation_scheme.html",
        {
            "committee": committee,
            "form": form,
            "current": [r for r in rows if r.valid_to is None or r.valid_to >= today],
            "former": [r for r in rows if r.valid_to is not None and r.valid_to < today],
        },
    )


# --- roll-call, justerare and votes ----------------------------------------------------

ROLL_CALL_CHOICES = {
    "voting": [
        (AttendanceKind.DECIDING, "Närvarande, beslutande"),
        (AttendanceKind.ABSENT, "Frånvarande"),
    ],
    "substitute": [
        ("", "Inte närvarande"),
        (AttendanceKind.PRESENT_SUBSTITUTE, "Närvarande, ej tjänstgörande"),
        (AttendanceKind.SERVING_SUBSTITUTE, "Tjänstgörande ersättare"),
    ],
    "other": [("", "Inte närvarande"), (AttendanceKind.OTHER, "Närvarande")],
}


def _roll_call_group(m: Membership) -> str:
    if m.voting:
        return "voting"
    return "substitute" if m.post == Post.SUBSTITUTE else "other"


@access.obj(access.MEETINGS, Meeting, "meeting_id", node=_committee)
def roll_call(request, meeting: Meeting):
    """Upprop: the whole roster in one form (present, absent, tjänstgörande ersättare for
    whom, from which paragraph), then the justerare among those present."""
    roster = sorted(
        services._roster_on(meeting),
        key=lambda m: (Post.values.index(m.post), m.person.name),
    )
    people = {m.person_id: m for m in roster}
    voting = [m for m in roster if m.voting]
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "roll_call":
        rows = []
        for m in roster:
            kind = request.POST.get(f"kind-{m.person_id}", "")
            allowed = {v for v, _ in ROLL_CALL_CHOICES[_roll_call_group(m)]}
            if kind not in allowed:
                messages.error(request, f"{m.person.name}: välj närvaro i listan.")
                return redirect("meetings_roll_call", meeting_id=meeting.pk)
            if not kind:
                continue
            replaces = None
            if kind == AttendanceKind.SERVING_SUBSTITUTE:
                pk = _int_or_none(request.POST.get(f"replaces-{m.person_id}", ""))
                replaces = people[pk].person if pk in people and people[pk].voting else None
            rows.append(
                services.RollCallRow(
                    person=m.person,
                    kind=kind,
                    replaces=replaces,
                    first=_int_or_none(request.POST.get(f"first-{m.person_id}", "")),
                    last=_int_or_none(request.POST.get(f"last-{m.person_id}", "")),
                )
            )
        ok, saved = _run(request, services.roll_call_set, meeting=meeting, rows=rows)
        if ok:
            present = sum(a.kind != AttendanceKind.ABSENT for a in saved)
            messages.success(request, f"Närvaron är sparad: {present} närvarande.")
        return redirect("meetings_roll_call", meeting_id=meeting.pk)
    attendance = {a.person_id: a for a in meeting.attendance.all()}
    present = [
        people[pk]
        for pk, a in attendance.items()
        if a.kind != AttendanceKind.ABSENT and pk in people
    ]
    if action == "adjusters":
        chosen = {int(v) for v in request.POST.getlist("adjusters") if v.isdigit()}
        persons = [m.person for m in present if m.person_id in chosen]
        if not persons or len(persons) != len(chosen):
            messages.error(request, "Välj justerare bland de närvarande.")
        else:
            ok, _ = _run(
                request,
                services.adjusters_set,
                meeting=meeting,
                persons=persons,
                place=request.POST.get("place", "")[:200],
            )
            if ok:
                messages.success(request, "Justerare: " + ", ".join(p.name for p in persons) + ".")
        return redirect("meetings_roll_call", meeting_id=meeting.pk)
    rows = []
    for m in roster:
        a = attendance.get(m.person_id)
        group = _roll_call_group(m)
        default = AttendanceKind.DECIDING if group == "voting" else ""
        rows.append(
            {
                "m": m,
                "choices": ROLL_CALL_CHOICES[group],
                "kind": a.kind if a else default,
                "replaces": a.replaces_id if a else None,
                "first": a.from_paragraph if a else None,
                "last": a.to_paragraph if a else None,
                "substitute": group == "substitute",
            }
        )
    return render(
        request,
        "meetings/roll_call.html",
        {
            "meeting": meeting,
            "rows": rows,
            "voting": voting,
            "present": present,
            "adjusters": set(meeting.adjusters.values_list("person_id", flat=True)),
            "recorded": bool(attendance),
            "locked": meeting.is_justerat,
        },
    )


@access.obj(access.MEETINGS, Paragraph, "paragraph_id", node=_committee)
def paragraph_vote(request, paragraph: Paragraph):
    """Votering on one paragraph: the propositions and each serving member's vote; the
    totals are counted by Styra."""
    meeting = paragraph.meeting
    serving = calc.serving_on(services._presences(meeting), paragraph.number)
    voters = list(Person.objects.filter(pk__in=serving).order_by("name"))
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "remove":
        ok, _ = _run(request, services.vote_remove, paragraph=paragraph)
        if ok:
            messages.success(request, f"Omröstningen i § {paragraph.number} är borttagen.")
        return redirect("meetings_vote", paragraph_id=paragraph.pk)
    if action == "vote":
        ballots = {}
        for person in voters:
            choice = request.POST.get(f"vote-{person.pk}", "")
            if choice in VoteChoice.values:
                ballots[person] = choice
        ok, vote = _run(
            request,
            services.vote_record,
            paragraph=paragraph,
            yes_proposal=request.POST.get("yes_proposal", ""),
            no_proposal=request.POST.get("no_proposal", ""),
            ballots=ballots,
        )
        if ok:
            t = vote.totals()
            messages.success(
                request,
                f"Omröstningen är sparad: {t.yes} ja, {t.no} nej, {t.abstain} avstår. "
                f"Beslut enligt {'ja' if vote.outcome == calc.YES else 'nej'}-propositionen.",
            )
            return redirect("meetings_vote", paragraph_id=paragraph.pk)
    vote = paragraph.votes.prefetch_related("ballots__person").first()
    given = {b.person_id: b.choice for b in vote.ballots.all()} if vote else {}
    for person in voters:
        posted = request.POST.get(f"vote-{person.pk}") if action == "vote" else None
        person.choice = posted or given.get(person.pk, "")
    return render(
        request,
        "meetings/vote.html",
        {
            "paragraph": paragraph,
            "meeting": meeting,
            "voters": voters,
            "choices": VoteChoice.choices,
            "vote": vote,
            "totals": vote.totals() if vote else None,
            "yes_proposal": request.POST.get("yes_proposal", "")
            if action == "vote"
            else (vote.yes_proposal if vote else ""),
            "no_proposal": request.POST.get("no_proposal", "")
            if action == "vote"
            else (vote.no_proposal if vote else ""),
            "locked": paragraph.justerad_at is not None,
        },
    )


# --- members: the kallelse and the papers of their own nämnd ---------------------------

log = logging.getLogger("styra.meetings.confidential")


def _member_committees(user) -> list[OrgNode]:
    return [n for n in org_access.nodes_for(user, org_access.VIEW) if n.kind == "committee"]


@access.login
def member_meetings(request):
    meetings = (
        Meeting.objects.filter(committee__in=_member_committees(request.user))
        .select_related("committee", "location")
        .order_by("-start")
    )
    return render(
        request,
        "meetings/member_meetings.html",
        {"meetings": meetings, "to_approve": selectors.meetings_to_approve(request.user)},
    )


@access.obj(access.VIEW, Meeting, "meeting_id", node=_committee)
def member_meeting(request, meeting: Meeting):
    """A member's view of one meeting: the kallelse, every agenda item with its papers and
    the protocol. The sekretessdel only for those entitled (its reading is logged)."""
    confidential = selectors.can_see_confidential(request.user, meeting)
    all_items = list(meeting.items.select_related("case").order_by("confidential", "order"))
    items = [i for i in all_items if confidential or i.is_public]
    if confidential and any(not i.is_public for i in all_items):
        log.info(
            "%s läste sekretessdelen av sammanträdet %s (id %s)",
            request.user.username,
            meeting,
            meeting.pk,
        )

    def readable(docs):
        return [d for d in docs if confidential or d.publicity != Publicity.SECRET]

    rows = [
        (
            item,
            readable(item.case.documents.order_by("kind", "attachment_number"))
            if item.case
            else [],
        )
        for item in items
    ]
    protocol = meeting.documents.filter(kind=DocumentKind.PROTOCOL).order_by("filename")
    return render(
        request,
        "meetings/member_meeting.html",
        {
            "meeting": meeting,
            "items": rows,
            "hidden": len(all_items) - len([i for i in all_items if i.is_public]),
            "confidential": confidential,
            "notice": meeting.documents.filter(kind=DocumentKind.NOTICE).order_by("filename"),
            "protocol": readable(protocol),
            "is_adjuster": meeting.adjusters.filter(person__user=request.user).exists(),
        },
    )
