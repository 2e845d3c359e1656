"""Web pages of meetings: the secretary's work, the justerare's approval, the public part
(no login, /offentligt/) and the OParl API (/oparl/). Views are thin: authorise, parse,
call one service or selector."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from styra.org import access as org_access
from styra.org.models import OrgNode, Person
from styra.web import access

from . import calc, oparl, selectors, services
from .models import (
    AttendanceKind,
    Case,
    DecisionKind,
    DelegationCode,
    Dispatch,
    Document,
    ItemKind,
    Meeting,
    Paragraph,
    Publicity,
)


def _committee(m) -> OrgNode:
    return m.committee


def _doc_committee(d: Document) -> OrgNode:
    return (d.case or d.meeting).committee


def _flash_findings(request, findings) -> None:
    for f in findings:
        messages.warning(request, f"Varning: {f}")


def _run(request, func, **kwargs):
    """Call a service; a broken rule or invalid data becomes a message, not a traceback."""
    try:
        return True, func(**kwargs)
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
    kind = forms.ChoiceField(choices=ItemKind.choices, label="Typ")
    title = forms.CharField(label="Rubrik", max_length=300)
    case = forms.ModelChoiceField(
        queryset=Case.objects.none(), required=False, label="Ärende (diarienummer)"
    )
    confidential = forms.BooleanField(required=False, label="Sekretessdelen")


class CaseForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = ["title", "classification", "publicity", *services.CASE_PAPER_TEXTS]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in services.CASE_PAPER_TEXTS}


class NewCaseForm(forms.Form):
    committee = forms.ModelChoiceField(queryset=OrgNode.objects.none(), label="Nämnd")
    title = forms.CharField(label="Rubrik", max_length=300)
    classification = forms.CharField(label="Klassificering", max_length=40, required=False)


class ParagraphForm(forms.Form):
    decision_kind = forms.ChoiceField(choices=DecisionKind.choices, label="Beslut")
    decision = forms.CharField(label="Beslutstext", widget=forms.Textarea(attrs={"rows": 3}))
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
    delegate_role = forms.CharField(label="Delegat (roll)", max_length=100)
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
    if request.method == "POST" and form.is_valid():
        committee = form.cleaned_data["committee"]
        org_access.require(request.user, org_access.MEETINGS, committee)
        start = dt.datetime.combine(form.cleaned_data["date"], form.cleaned_data["time"])
        ok, meeting = _run(
            request,
            services.meeting_create,
            committee=committee,
            start=timezone.make_aware(start),
            place=form.cleaned_data["place"],
            is_public=form.cleaned_data["is_public"],
        )
        if ok:
            messages.success(request, f"Sammanträdet {meeting.date.isoformat()} är skapat.")
            return redirect("meetings_detail", meeting_id=meeting.pk)
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
            "events": meeting.reporting_events.all(),
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
    if form.is_valid():
        ok, item = _run(request, services.agenda_item_add, meeting=meeting, **form.cleaned_data)
        if ok:
            messages.success(request, f"Punkt {item.order} {item.title} är tillagd.")
    else:
        messages.error(request, "Fyll i typ och rubrik.")
    return redirect("meetings_detail", meeting_id=meeting.pk)


@access.obj(access.MEETINGS, Meeting, "meeting_id", node=_committee)
@require_POST
def meeting_notice(request, meeting: Meeting):
    ok, findings = _run(
        request, services.notice_produce, meeting=meeting, text=request.POST.get("text", "")
    )
    if ok:
        messages.success(request, "Kallelsen är skapad som PDF och Word.")
        _flash_findings(request, findings)
    return redirect("meetings_detail", meeting_id=meeting.pk)


@access.obj(access.MEETINGS, Meeting, "meeting_id", node=_committee)
def meeting_protocol(request, meeting: Meeting):
    if request.method == "POST" and request.POST.get("action") == "open":
        ok, _ = _run(request, services.protocol_open, meeting=meeting)
        if ok:
            messages.success(request, "Protokollet är upprättat med en paragraf per punkt.")
        return redirect("meetings_protocol", meeting_id=meeting.pk)
    paragraphs = []
    for p in meeting.paragraphs.select_related("item").order_by("number"):
        paragraphs.append(
            (
                p,
                ParagraphForm(
                    initial={
                        "decision_kind": p.decision_kind,
                        "decision": p.decision,
                        "reservations": p.reservations,
                        "distribution": p.distribution,
                        "immediate": p.immediate,
                    },
                    prefix=f"p{p.pk}",
                ),
            )
        )
    return render(
        request,
        "meetings/protocol.html",
        {
            "meeting": meeting,
            "paragraphs": paragraphs,
            "persons": _persons(meeting.committee),
            "attendance": meeting.attendance.select_related("person", "replaces"),
            "attendance_kinds": AttendanceKind.choices,
            "adjusters": meeting.adjusters.select_related("person"),
            "dates": meeting.dates(),
            "warnings": selectors.meeting_warnings(meeting),
            "dispatches": Dispatch.objects.filter(paragraph__meeting=meeting).select_related(
                "paragraph"
            ),
            "documents": meeting.documents.order_by("kind", "filename"),
        },
    )


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
            services.protocol_render(meeting=meeting)
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
        ok, _ = _run(request, services.dispatch_mark_sent, dispatch=dispatch, user=request.user)
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
        ok, findings = _run(request, services.protocol_approve, meeting=meeting, user=request.user)
        if ok:
            meeting.refresh_from_db()
            if meeting.is_justerat:
                messages.success(request, "Du har justerat protokollet. Det är nu justerat.")
            else:
                messages.success(request, "Du har justerat protokollet. Övriga justerare återstår.")
            _flash_findings(request, findings)
        return redirect("meetings_approve", meeting_id=meeting.pk)
    from . import papers

    paper = papers.protocol(meeting, public=False) if meeting.paragraphs.exists() else None
    return render(
        request,
        "meetings/approve.html",
        {"meeting": meeting, "adjuster": adjuster, "paper": paper, "dates": meeting.dates()},
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
        org_access.require(request.user, org_access.MEETINGS, _doc_committee(document))
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.filename)


# --- cases -----------------------------------------------------------------------------


@access.login
def case_list(request):
    committees = selectors.committees_for(request.user)
    form = NewCaseForm(request.POST or None)
    form.fields["committee"].queryset = OrgNode.objects.filter(pk__in=[c.pk for c in committees])
    if request.method == "POST" and form.is_valid():
        committee = form.cleaned_data["committee"]
        org_access.require(request.user, org_access.MEETINGS, committee)
        ok, case = _run(
            request,
            services.case_create,
            committee=committee,
            title=form.cleaned_data["title"],
            classification=form.cleaned_data["classification"],
        )
        if ok:
            messages.success(request, f"Ärendet {case.dnr} är registrerat.")
            return redirect("meetings_case", case_id=case.pk)
    cases = Case.objects.filter(committee__in=committees).select_related("committee")
    return render(
        request,
        "meetings/case_list.html",
        {"cases": cases, "form": form if committees else None},
    )


@access.obj(access.MEETINGS, Case, "case_id", node=_committee)
def case_detail(request, case: Case):
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST":
        if request.POST.get("action") == "papers":
            ok, _docs = _run(request, services.case_papers_generate, case=case)
            if ok:
                messages.success(request, "Tjänsteskrivelse och ordförandeförslag är skapade.")
            return redirect("meetings_case", case_id=case.pk)
        if form.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items()}
            ok, _ = _run(request, services.case_update, case=case, **fields)
            if ok:
                messages.success(request, "Ärendet är sparat.")
                return redirect("meetings_case", case_id=case.pk)
    return render(
        request,
        "meetings/case_detail.html",
        {"case": case, "form": form, "documents": case.documents.order_by("kind", "filename")},
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
    form.fields["code"].queryset = DelegationCode.objects.filter(committee_id__in=committees)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = data.pop("unit")
        if unit.pk not in {u.pk for u in units}:
            raise PermissionDenied("Du kan inte registrera beslut för den enheten.")
        ok, row = _run(
            request, services.delegation_decision_register, unit=unit, user=request.user, **data
        )
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
            "codes": DelegationCode.objects.filter(committee_id__in=committees),
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
