"""Internal control pages: the plan with its risk matrix, result entry, action follow-up.
Thin: the decorator says who may open the page; the services check again."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from styra.calendar import clock
from styra.org import access as org_access
from styra.org.models import OrgNode
from styra.web import access
from styra.web.params import id_or_none
from styra.web.submit import once

from . import calc, selectors, services
from .forms import (
    ActionFollowUpForm,
    ActionForm,
    ActionPlanForm,
    AnswerForm,
    AuditForm,
    ControlForm,
    DecisionForm,
    FinishForm,
    ItemStatusForm,
    PlanCreateForm,
    PlanItemForm,
    QuarterForm,
    ResultForm,
    RiskForm,
    SamCheckForm,
    VersionForm,
    YttrandeForm,
)
from .models import Action, AuditReport, Control, ControlPlan

ACTION_ROWS = 2


@access.login
def home(request):
    from styra.org.models import NodeKind

    committees = [
        n
        for n in org_access.nodes_for(request.user, org_access.VIEW)
        if n.kind == NodeKind.COMMITTEE
    ]
    planners = [c for c in committees if org_access.can(request.user, org_access.FINANCE, c)]
    form = PlanCreateForm(
        request.POST if request.method == "POST" else None,
        committees=OrgNode.objects.filter(pk__in=[c.pk for c in planners]),
    )
    if request.method == "POST" and form.is_valid():
        plan = services.plan_ensure(actor=request.user, **form.cleaned_data)
        return redirect("control_plan", node_id=plan.committee_id, year=plan.year)
    return render(
        request,
        "control/home.html",
        {
            "plans": selectors.plans_for(request.user),
            "committees": committees,
            "form": form if planners else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@access.committee(access.VIEW)
def plan_detail(request, node, year: int):
    committee = node.committee()
    plan = ControlPlan.objects.filter(committee=committee, year=year).first()
    if plan is None:
        raise Http404(f"{committee.name} har ingen internkontrollplan för {year}.")
    may_plan = org_access.can(request.user, org_access.FINANCE, committee)
    post = request.POST if request.method == "POST" else None
    people = selectors.committee_people(committee)
    forms_ = {
        "risk": RiskForm(post if post and "risk" in post else None, prefix="risk"),
        "control": ControlForm(
            post if post and "control" in post else None,
            prefix="kontroll",
            risks=plan.risks.all(),
            people=people,
        ),
        "version": VersionForm(post if post and "version" in post else None, prefix="v"),
    }
    error = ""
    if post is not None:
        if not may_plan:
            raise PermissionDenied("Det är nämndens controller som ändrar planen.")
        kind = next((k for k in forms_ if k in post), None)
        form = forms_.get(kind)
        if form is None or not form.is_valid():
            error = "Formuläret har fel; se fälten. Inget sparades."
        else:
            try:
                if kind == "risk":
                    services.risk_save(actor=request.user, plan=plan, **form.cleaned_data)
                    messages.success(request, "Risken är sparad.")
                elif kind == "control":
                    services.control_save(actor=request.user, **form.cleaned_data)
                    messages.success(request, "Kontrollen är sparad.")
                else:
                    v = services.plan_revise(actor=request.user, plan=plan, **form.cleaned_data)
                    messages.success(request, f"Version {v.number} är sparad.")
                return redirect("control_plan", node_id=committee.pk, year=plan.year)
            except ValidationError as exc:
                error = " ".join(exc.messages) + " Inget sparades."
    risks = selectors.plan_risks(plan)
    matrix = selectors.risk_matrix(risks, title=f"Riskmatris {plan.year}, {committee.name}")
    today = clock.today()
    open_actions = [
        a
        for r in risks
        for c in r.controls.all()
        for res in c.results.all()
        for a in res.actions.all()
        if a.done_on is None
    ]
    return render(
        request,
        "control/plan.html",
        {
            "plan": plan,
            "committee": committee,
            "risks": risks,
            "matrix": matrix,
            "versions": plan.versions.all(),
            "open_actions": [(a, calc.deadline_text(a.due_on, today)) for a in open_actions],
            "may_plan": may_plan,
            "forms": forms_,
            "error": error,
            "filing": selectors.filing(
                request.user, committee, "internkontrollplan", str(plan.year)
            ),
        },
        status=400 if error else 200,
    )


def _committee_of_control(control: Control):
    return control.risk.plan.committee


@access.obj(
    access.VIEW,
    Control.objects.select_related("risk__plan__committee"),
    "control_id",
    node=_committee_of_control,
)
def result_entry(request, control: Control):
    committee = _committee_of_control(control)
    people = selectors.committee_people(committee)
    post = request.POST if request.method == "POST" else None
    form = ResultForm(post, prefix="r")
    action_forms = [ActionForm(post, prefix=f"a{i}", people=people) for i in range(ACTION_ROWS)]
    error = ""

    def page(status=200):
        return render(
            request,
            "control/result.html",
            {
                "control": control,
                "committee": committee,
                "plan": control.risk.plan,
                "form": form,
                "action_forms": action_forms,
                "error": error,
                "results": control.results.prefetch_related("actions"),
                "can_enter": services.may_enter_result(request.user, control),
            },
            status=status,
        )

    if post is None:
        return page()
    if not (form.is_valid() and all(f.is_valid() for f in action_forms)):
        error = "Formuläret har fel; se fälten nedan. Inget sparades."
        return page(400)

    def save():
        nonlocal error
        d = form.cleaned_data
        actions = [
            services.ActionInput(
                description=f.cleaned_data["description"],
                due_on=f.cleaned_data["due_on"],
                responsible=f.cleaned_data["responsible"],
                responsible_role=f.cleaned_data["responsible_role"],
            )
            for f in action_forms
            if f.filled
        ]
        try:
            services.result_register(
                actor=request.user,
                control=control,
                performed_on=d["performed_on"],
                checked=d["checked"],
                population=d["population"],
                sample_size=d["sample_size"],
                findings=d["findings"],
                assessment=d["assessment"],
                actions=actions,
            )
        except PermissionDenied:
            raise
        except ValidationError as exc:
            error = " ".join(exc.messages) + " Inget sparades."
            return page(400)
        messages.success(
            request,
            f"Resultatet för ”{control.name}” är registrerat"
            + (
                f" med {len(actions)} åtgärd{'er' if len(actions) > 1 else ''}." if actions else "."
            ),
        )
        return redirect("control_plan", node_id=committee.pk, year=control.risk.plan.year)

    return once(request, save)


@access.obj(
    access.VIEW,
    Action.objects.select_related("committee", "responsible"),
    "action_id",
    node=lambda a: a.committee,
)
def action_detail(request, action: Action):
    post = request.POST if request.method == "POST" else None
    initial = {"follow_up": action.follow_up, "done_on": action.done_on}
    form = ActionFollowUpForm(post, initial=initial)
    error = ""
    if post is not None and form.is_valid():
        try:
            services.action_update(
                actor=request.user,
                action=action,
                done_on=form.cleaned_data["done_on"],
                follow_up=form.cleaned_data["follow_up"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, "Uppföljningen är sparad.")
            return redirect("control_action", action_id=action.pk)
    origin = action.result.control if action.result_id else None
    return render(
        request,
        "control/action.html",
        {
            "action": action,
            "origin": origin,
            "form": form,
            "error": error,
            "state": calc.deadline_text(action.due_on, clock.today(), done=bool(action.done_on)),
        },
        status=400 if error or (post is not None and not form.is_valid()) else 200,
    )


# ------------------------------------------------------------------ ej verkställda beslut


@access.committee(access.VIEW)
def unexecuted(request, node):
    """The register: public counts per quarter for everyone who reads the committee; the
    decisions with the persons, the forms and the IVO version only with CONFIDENTIAL."""
    committee = node.committee()
    confidential = org_access.can(request.user, org_access.CONFIDENTIAL, committee)
    post = request.POST if request.method == "POST" else None
    forms_ = {
        "register": DecisionForm(post if post and "register" in post else None, prefix="d"),
        "compile": QuarterForm(post if post and "compile" in post else None, prefix="q"),
    }
    error = ""
    if post is not None:
        if not confidential:
            raise PermissionDenied("Du saknar behörighet att läsa sekretessbelagda uppgifter.")
        done = _unexecuted_post(request, committee, post, forms_)
        if isinstance(done, str):
            error = done
        else:
            return done
    quarters = selectors.quarter_counts(committee)
    # Any quarter with a reporting event can be finalised and filed (default: the latest).
    with_event = [q["code"] for q in quarters if q["has_event"]]
    chosen = request.GET.get("kvartal", "")
    if chosen not in with_event:
        chosen = with_event[0] if with_event else None
    finalised = selectors.finalised_events(committee, "ej-verkstallda")
    for q in quarters:
        q["finalised"] = q["code"] in finalised
    return render(
        request,
        "control/unexecuted.html",
        {
            "committee": committee,
            "quarters": quarters,
            "filing_quarters": [q for q in quarters if q["has_event"]],
            "filing": selectors.filing(request.user, committee, "ej-verkstallda", chosen)
            if chosen
            else None,
            "confidential": confidential,
            "decisions": selectors.decisions(request.user, committee) if confidential else [],
            "forms": forms_,
            "error": error,
        },
        status=400 if error else 200,
    )


def _unexecuted_post(request, committee, post, forms_):
    """Run the posted form; a redirect when done, else the error text."""
    try:
        if "register" in post:
            form = forms_["register"]
            if not form.is_valid():
                return "Formuläret har fel; se fälten. Inget sparades."

            def make():
                services.decision_register(
                    actor=request.user, committee=committee, **form.cleaned_data
                )
                messages.success(request, "Beslutet är registrerat.")
                return redirect("control_unexecuted", node_id=committee.pk)

            return once(request, make)
        if "compile" in post:
            form = forms_["compile"]
            if not form.is_valid():
                return "Skriv kvartalet som ÅÅÅÅ-KN, t.ex. 2023-K2."
            year, q = form.cleaned_data["quarter"].upper().split("-K")
            rows = services.quarter_compile(
                actor=request.user, committee=committee, year=int(year), quarter=int(q)
            )
            messages.success(request, f"Kvartal {q} {year} är sammanställt: {len(rows)} beslut.")
            return redirect("control_unexecuted", node_id=committee.pk)
        if "finish" in post:
            from .models import UnexecutedDecision

            decision = UnexecutedDecision.objects.filter(
                committee=committee, pk=id_or_none(post.get("decision"))
            ).first()
            if decision is None:
                return "Beslutet finns inte."
            form = FinishForm(post, prefix=f"f{decision.pk}")
            if not form.is_valid():
                return "Datumen kunde inte läsas."
            services.decision_finish(actor=request.user, decision=decision, **form.cleaned_data)
            messages.success(request, "Beslutet är uppdaterat.")
            return redirect("control_unexecuted", node_id=committee.pk)
    except ValidationError as exc:
        return " ".join(exc.messages) + " Inget sparades."
    return "Okänd åtgärd."


@access.committee(access.VIEW)
def unexecuted_public(request, node, event_code: str, fmt: str):
    """The public version (counts, no personal data) for everyone who reads the committee."""
    return _unexecuted_file(request, node, event_code, fmt, identifiable=False)


@access.committee(org_access.CONFIDENTIAL)
def unexecuted_ivo(request, node, event_code: str, fmt: str):
    """The IVO version (identifiable) as a file; never cached, never stored."""
    return _unexecuted_file(request, node, event_code, fmt, identifiable=True)


def _unexecuted_file(request, node, event_code: str, fmt: str, *, identifiable: bool):
    from django.http import HttpResponse

    from styra.calendar.selectors import event_get
    from styra.lib.errors import UsageError
    from styra.reports.builders import build_report
    from styra.reports.renderers import RENDERERS, file_name, render

    committee = node.committee()
    if fmt not in ("pdf", "docx", "html", "json"):
        raise Http404("Okänt format.")
    try:
        event = event_get(committee=committee, code=event_code)
    except UsageError as exc:
        raise Http404(str(exc)) from exc
    report = build_report(
        committee, event, "ej-verkstallda", identifiable=identifiable, actor=request.user
    )
    response = HttpResponse(render(report, fmt), content_type=RENDERERS[fmt].content_type)
    if fmt != "html":
        response["Content-Disposition"] = f'attachment; filename="{file_name(report, fmt)}"'
    if identifiable:
        response["Cache-Control"] = "no-store"
    return response


@access.committee(access.MEETINGS)
@require_POST
def file_on_case(request, node, report_type: str, event_code: str):
    """Attach the latest finalised plan or quarterly report to the chosen case of the
    committee (one action), then back to the page the form was on."""
    from styra.meetings.models import Case

    committee = node.committee()
    if report_type not in services.FILED_REPORTS:
        raise Http404("Rapporttypen bifogas inte härifrån.")
    if report_type == "internkontrollplan" and event_code.isdigit():
        back = redirect("control_plan", node_id=committee.pk, year=int(event_code))
    else:
        back = redirect(
            reverse("control_unexecuted", kwargs={"node_id": committee.pk})
            + "?"
            + urlencode({"kvartal": event_code})
            + "#bifoga-ej-verkstallda"
        )
    case = Case.objects.filter(committee=committee, pk=_int(request.POST.get("case"))).first()
    if case is None:
        messages.error(request, "Välj ett ärende i nämnden.")
        return back
    try:
        doc = services.report_file_on_case(
            actor=request.user, case=case, report_type=report_type, event_code=event_code
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return back
    messages.success(
        request,
        f"Bilaga {doc.attachment_number}: {doc.title} är bifogad till ärendet {case.dnr}.",
    )
    return back


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


# ------------------------------------------------------------------ audit answers


@access.committee(access.VIEW)
def audits(request, node):
    from styra.meetings.models import Case

    committee = node.committee()
    may_register = org_access.can(request.user, org_access.MEETINGS, committee)
    cases = Case.objects.filter(committee=committee).order_by("-year", "-number")
    form = AuditForm(request.POST if request.method == "POST" else None, cases=cases, prefix="a")
    error = ""
    if request.method == "POST":
        if not may_register:
            raise PermissionDenied("Det är nämndsekreteraren som registrerar revisionsrapporter.")
        if form.is_valid():

            def make():
                nonlocal error
                d = form.cleaned_data
                try:
                    report = services.audit_register(
                        actor=request.user,
                        case=d["case"],
                        title=d["title"],
                        auditor=d["auditor"],
                        letter_date=d["letter_date"],
                        deadline=d["deadline"],
                        extended_to=d["extended_to"],
                        conclusion=d["conclusion"],
                        questions=[services.QuestionInput(t, a) for t, a in d["questions"]],
                        recommendations=d["recommendations"],
                    )
                except ValidationError as exc:
                    error = " ".join(exc.messages) + " Inget sparades."
                    return page(400)
                messages.success(request, "Revisionsrapporten är registrerad.")
                return redirect("control_audit", audit_id=report.pk)

            def page(status=200):
                return _audits_page(request, committee, form, may_register, error, status)

            return once(request, make)
        error = "Formuläret har fel; se fälten. Inget sparades."
    return _audits_page(request, committee, form, may_register, error, 400 if error else 200)


def _audits_page(request, committee, form, may_register, error, status):
    today = clock.today()
    rows = [
        (
            a,
            a.effective_deadline,
            calc.deadline_text(a.effective_deadline, today, done=bool(a.answered_on)),
        )
        for a in committee.audit_reports.select_related("case")
    ]
    return render(
        request,
        "control/audits.html",
        {
            "committee": committee,
            "rows": rows,
            "form": form if may_register else None,
            "error": error,
        },
        status=status,
    )


@access.obj(
    access.VIEW,
    AuditReport.objects.select_related("committee", "case"),
    "audit_id",
    node=lambda a: a.committee,
)
def audit_detail(request, audit: AuditReport):
    committee = audit.committee
    may_answer = org_access.can(request.user, org_access.MEETINGS, committee) or org_access.can(
        request.user, org_access.FINANCE, committee
    )
    may_file = org_access.can(request.user, org_access.MEETINGS, committee)
    people = selectors.committee_people(committee)
    recs = list(audit.recommendations.prefetch_related("actions__responsible"))
    post = request.POST if request.method == "POST" else None
    error = ""
    answer_forms = {
        r.pk: AnswerForm(
            post if post and post.get("recommendation") == str(r.pk) else None,
            prefix=f"r{r.pk}",
            people=people,
            initial={"answer": r.answer},
        )
        for r in recs
    }
    yform = YttrandeForm(
        post if post and "yttrande" in post else None,
        initial={
            "introduction": audit.introduction,
            "extended_to": audit.extended_to,
            "answered_on": audit.answered_on,
        },
    )
    if post is not None:
        if not may_answer:
            raise PermissionDenied("Du saknar behörighet att svara revisorerna.")
        try:
            if "recommendation" in post:
                rec = next((r for r in recs if str(r.pk) == post["recommendation"]), None)
                if rec is None:
                    raise Http404("Rekommendationen finns inte.")
                form = answer_forms[rec.pk]
                if form.is_valid():
                    d = form.cleaned_data
                    actions = (
                        [
                            services.ActionInput(
                                d["description"],
                                d["due_on"],
                                d["responsible"],
                                d["responsible_role"],
                            )
                        ]
                        if form.filled
                        else []
                    )
                    services.recommendation_answer(
                        actor=request.user, recommendation=rec, answer=d["answer"], actions=actions
                    )
                    messages.success(request, "Svaret är sparat.")
                    return redirect("control_audit", audit_id=audit.pk)
                error = "Svaret har fel; se fälten. Inget sparades."
            elif "yttrande" in post:
                if yform.is_valid():
                    d = yform.cleaned_data
                    services.audit_update(actor=request.user, report=audit, **d)
                    messages.success(request, "Uppgifterna är sparade.")
                    return redirect("control_audit", audit_id=audit.pk)
                error = "Datumen kunde inte läsas."
            elif "produce" in post:
                docs = services.yttrande_produce(actor=request.user, report=audit)
                messages.success(
                    request,
                    f"Yttrandet är skapat och bifogat ärendet {audit.case.dnr} "
                    f"({len(docs)} filer).",
                )
                return redirect("control_audit", audit_id=audit.pk)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    from styra.meetings.models import DocumentKind

    docs = audit.case.documents.filter(
        kind=DocumentKind.ATTACHMENT, filename__startswith=f"yttrande-{audit.pk}."
    )
    today = clock.today()
    return render(
        request,
        "control/audit.html",
        {
            "audit": audit,
            "committee": committee,
            "recs": [(r, answer_forms[r.pk]) for r in recs],
            "yform": yform,
            "may_answer": may_answer,
            "may_file": may_file,
            "docs": docs,
            "deadline": audit.effective_deadline,
            "deadline_state": calc.deadline_text(
                audit.effective_deadline, today, done=bool(audit.answered_on)
            ),
            "error": error,
        },
        status=400 if error else 200,
    )


# ------------------------------------------------------------------ handlingsplaner and SAM


@access.node(access.VIEW)
def action_plans(request, node):
    """The node's (and, for a committee, its units') handlingsplaner and SAM checklists;
    the forms for those who edit the node."""
    from styra.calendar.models import ReportingEvent

    from .models import ActionPlan, ActionPlanItem, SamCheck

    committee = node.committee()
    if committee is None:
        raise Http404("Noden hör inte till någon nämnd.")
    may_edit = org_access.can(request.user, org_access.EDIT, node)
    ids = org_access.subtree_ids(node)
    events = ReportingEvent.objects.filter(committee=committee).order_by("-year", "-cutoff_period")
    post = request.POST if request.method == "POST" else None
    plan_form = ActionPlanForm(post if post and "plan" in post else None, prefix="p")
    sam_form = SamCheckForm(post if post and "sam" in post else None, prefix="s")
    item_forms, status_forms = {}, {}
    plans = list(
        ActionPlan.objects.filter(node_id__in=ids)
        .select_related("node")
        .prefetch_related("items__statuses__event")
    )
    for plan in plans:
        item_forms[plan.pk] = PlanItemForm(
            post if post and post.get("item") == str(plan.pk) else None, prefix=f"i{plan.pk}"
        )
        for item in plan.items.all():
            status_forms[item.pk] = ItemStatusForm(
                post if post and post.get("status") == str(item.pk) else None,
                prefix=f"st{item.pk}",
                events=events.filter(year__in=(plan.year, plan.year + 1)),
            )
    error = ""
    if post is not None:
        if not may_edit:
            raise PermissionDenied(
                f"Du saknar behörighet att ändra handlingsplaner för {node.name}."
            )
        try:
            done = _action_plans_post(
                request, node, plans, post, plan_form, sam_form, item_forms, status_forms
            )
        except ValidationError as exc:
            done = " ".join(exc.messages) + " Inget sparades."
        if not isinstance(done, str):
            return done
        error = done
    checks = SamCheck.objects.filter(node_id__in=ids).select_related("node")
    rows = [
        (
            plan,
            item_forms[plan.pk],
            [
                (
                    item,
                    status_forms[item.pk],
                    sorted(item.statuses.all(), key=lambda s: s.event.code),
                )
                for item in plan.items.all()
            ],
        )
        for plan in plans
    ]
    return render(
        request,
        "control/action_plans.html",
        {
            "node": node,
            "rows": rows,
            "checks": checks,
            "may_edit": may_edit,
            "plan_form": plan_form,
            "sam_form": sam_form,
            "error": error,
            "item_count": ActionPlanItem.objects.filter(plan__in=plans).count(),
        },
        status=400 if error else 200,
    )


def _action_plans_post(request, node, plans, post, plan_form, sam_form, item_forms, status_forms):
    back = redirect("control_action_plans", node_id=node.pk)
    if "plan" in post:
        if not plan_form.is_valid():
            return "Ange slag och år."
        services.action_plan_ensure(actor=request.user, node=node, **plan_form.cleaned_data)
        messages.success(request, "Handlingsplanen finns.")
        return back
    if "sam" in post:
        if not sam_form.is_valid():
            return "Ange år, steg och om det är genomfört."
        services.sam_check_set(actor=request.user, node=node, **sam_form.cleaned_data)
        messages.success(request, "Uppföljningen är sparad.")
        return back
    if "item" in post:
        plan = next((p for p in plans if str(p.pk) == post["item"]), None)
        if plan is None:
            return "Planen finns inte."
        form = item_forms[plan.pk]
        if not form.is_valid():
            return "Åtgärden har fel; se fälten."
        services.action_plan_item_save(actor=request.user, plan=plan, **form.cleaned_data)
        messages.success(request, "Åtgärden är sparad.")
        return back
    if "status" in post:
        form = status_forms.get(int(post["status"])) if post["status"].isdigit() else None
        item = next((i for p in plans for i in p.items.all() if str(i.pk) == post["status"]), None)
        if form is None or item is None:
            return "Åtgärden finns inte."
        if not form.is_valid():
            return "Välj rapporttillfälle och status."
        services.action_plan_status_set(actor=request.user, item=item, **form.cleaned_data)
        messages.success(request, "Statusen är sparad.")
        return back
    return "Okänd åtgärd."
