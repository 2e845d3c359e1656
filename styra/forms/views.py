"""Pages of the city's forms: an overview per committee and year, and one page per record.
Thin: the decorator says who may open the page; the services check again."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from styra.calendar import clock
from styra.org import access as org_access
from styra.org.models import NodeKind, OrgNode
from styra.web import access
from styra.web.submit import once

from . import calc, selectors, services
from .forms import (
    ExternalProjectForm,
    GrantApplicationForm,
    GrantLineForm,
    IopAgreementForm,
    IopYearForm,
    PremisesForm,
    ResultUnitForm,
    StrategicProjectForm,
)
from .models import (
    ExternalProject,
    GrantApplication,
    IopAgreement,
    PremisesApplication,
    ResultUnitYear,
    StrategicProject,
)

COST_ROWS, FINANCING_ROWS = 8, 4


def _committee(node: OrgNode) -> OrgNode:
    return node if node.kind == NodeKind.COMMITTEE else node.committee()


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages) + " Inget sparades."


INVALID = "Formuläret har fel; se fälten nedan. Inget sparades."


def _edit(request, *, page, valid, save, ready=None, ready_refused=""):
    """The one flow of every edit page here. A GET shows `page(error, status)`; a POST with
    "ready" marks the record ready (`ready()`); an invalid form (`valid()` false) or a save the
    service refuses shows the page again with the error and status 400, nothing saved; a valid
    POST saves once (`styra.web.submit.once`). `save()` and `ready()` call the service and
    return (message, url): the success message and where to go."""
    if request.method != "POST":
        return page("", 200)
    if ready is not None and "ready" in request.POST:
        try:
            message, url = ready()
        except ValidationError as exc:
            return page(ready_refused + " ".join(exc.messages), 400)
        messages.success(request, message)
        return redirect(url)
    if not valid():
        return page(INVALID, 400)

    def do():
        try:
            message, url = save()
        except ValidationError as exc:
            return page(_errors(exc), 400)
        messages.success(request, message)
        return redirect(url)

    return once(request, do)


@access.login
def home(request):
    """The committees whose forms the user may keep, with the years that hold data."""
    year = clock.today().year
    rows = []
    for committee in org_access.nodes_for(request.user, org_access.VIEW):
        if committee.kind != NodeKind.COMMITTEE:
            continue
        years = set(
            ResultUnitYear.objects.filter(committee=committee).values_list("year", flat=True)
        )
        years |= set(
            StrategicProject.objects.filter(committee=committee).values_list("year", flat=True)
        )
        years.add(year)
        rows.append((committee, sorted(years, reverse=True)))
    return render(request, "forms/home.html", {"rows": rows})


@access.committee(access.VIEW)
def overview(request, node, year: int):
    committee = _committee(node)
    may_edit = org_access.can(request.user, org_access.FINANCE, committee)
    lines = selectors.result_units_of(committee, year)
    units = [
        (line, may_edit or org_access.can(request.user, org_access.EDIT, line.unit))
        for line in lines
    ]
    grants = [
        (g, g.amounts_check().problems)
        for g in GrantApplication.objects.filter(committee=committee).prefetch_related("lines")
    ]
    iop = list(IopAgreement.objects.filter(committee=committee).prefetch_related("years"))
    return render(
        request,
        "forms/overview.html",
        {
            "committee": committee,
            "year": year,
            "may_edit": may_edit,
            "units": units,
            "units_event": lines[0].event if lines else None,
            "projects": StrategicProject.objects.filter(committee=committee, year=year),
            "premises": PremisesApplication.objects.filter(committee=committee, year=year),
            "external": ExternalProject.objects.filter(committee=committee),
            "grants": grants,
            "iop": iop,
        },
    )


def _back(committee: OrgNode, year: int) -> str:
    return reverse("forms_overview", kwargs={"node_id": committee.pk, "year": year})


# --- Result units --------------------------------------------------------------------------


@access.node(access.EDIT)
def result_unit(request, node, year: int):
    committee = _committee(node)
    controller = org_access.can(request.user, org_access.FINANCE, committee)
    record = ResultUnitYear.objects.filter(unit=node, year=year).first()
    initial = {}
    if record is not None:
        initial = {f: getattr(record, f) for f in ("fund_in", "own_result", "explanation")}
    post = request.POST if request.method == "POST" else None
    form = ResultUnitForm(post, initial=initial, controller=controller)

    def line():
        """The unit's year with its figures (None: the unit is no result unit that year)."""
        lines = selectors.result_units_of(committee, year)
        return next((x for x in lines if x.unit.pk == node.pk), None)

    def page(error, status):
        current = line()
        return render(
            request,
            "forms/result_unit.html",
            {
                "unit": node,
                "committee": committee,
                "year": year,
                "form": form,
                "error": error,
                "record": current.record if current else None,
                "line": current,
                "carry": current.carry if current else None,
                "back": _back(committee, year),
            },
            status=status,
        )

    def save():
        fields = {k: v for k, v in form.cleaned_data.items() if v is not None}
        services.result_unit_save(actor=request.user, unit=node, year=year, **fields)
        current = line()
        capped = current is not None and current.carry is not None and current.carry.transfer_capped
        note = " Överföringen är begränsad till 5 % av bruttobudgeten." if capped else ""
        url = reverse("forms_result_unit", kwargs={"node_id": node.pk, "year": year})
        return f"{node.name} {year} är sparad.{note}", url

    return _edit(request, page=page, valid=form.is_valid, save=save)


# --- Strategic projects --------------------------------------------------------------------


def _project_edit(request, committee, year, project):
    initial = {}
    if project is not None:
        initial = {f: getattr(project, f) for f in StrategicProjectForm.base_fields}
    post = request.POST if request.method == "POST" else None
    form = StrategicProjectForm(post, initial=initial)

    def page(error, status):
        deviations = project.deviations() if project else []
        return render(
            request,
            "forms/project.html",
            {
                "committee": committee,
                "year": year,
                "project": project,
                "form": form,
                "error": error,
                "deviations": deviations,
                "back": _back(committee, year),
            },
            status=status,
        )

    def ready():
        services.strategic_project_mark_ready(actor=request.user, project=project)
        return f"{project.name} är klarmarkerat för {year}.", _project_url(project)

    def save():
        saved = services.strategic_project_save(
            actor=request.user, committee=committee, year=year, project=project,
            **form.cleaned_data,
        )  # fmt: skip
        return f"{saved.name} är sparat.", _project_url(saved)

    return _edit(
        request, page=page, valid=form.is_valid, save=save,
        ready=ready if project is not None else None,
    )  # fmt: skip


def _project_url(project) -> str:
    return reverse("forms_project", kwargs={"project_id": project.pk})


@access.committee(access.FINANCE)
def project_new(request, node, year: int):
    return _project_edit(request, _committee(node), year, None)


@access.obj(
    access.FINANCE, StrategicProject.objects.select_related("committee"), "project_id",
    node=lambda p: p.committee,
)  # fmt: skip
def project_edit(request, project):
    return _project_edit(request, project.committee, project.year, project)


# --- Premises and external projects (plain records) ----------------------------------------


def _record_edit(request, *, committee, year, form, save, title):
    def page(error, status):
        return render(
            request,
            "forms/record.html",
            {
                "committee": committee,
                "year": year,
                "form": form,
                "error": error,
                "title": title,
                "back": _back(committee, year),
            },
            status=status,
        )

    def do():
        save(form.cleaned_data)
        return f"{title} är sparad.", _back(committee, year)

    return _edit(request, page=page, valid=form.is_valid, save=do)


def _premises(request, committee, year, application):
    form = PremisesForm(request.POST or None, instance=application)

    def save(data):
        services.premises_save(
            actor=request.user,
            committee=committee,
            year=year,
            application=application,
            **{k: data[k] for k in PremisesForm.Meta.fields},
        )

    return _record_edit(
        request, committee=committee, year=year, form=form, save=save,
        title="Ansökan om medel för avveckling av lokal",
    )  # fmt: skip


@access.committee(access.FINANCE)
def premises_new(request, node, year: int):
    return _premises(request, _committee(node), year, None)


@access.obj(
    access.FINANCE, PremisesApplication.objects.select_related("committee"), "premises_id",
    node=lambda a: a.committee,
)  # fmt: skip
def premises_edit(request, application):
    return _premises(request, application.committee, application.year, application)


def _external(request, committee, project):
    form = ExternalProjectForm(request.POST or None, instance=project)
    year = project.starts.year if project else clock.today().year

    def save(data):
        services.external_project_save(
            actor=request.user,
            committee=committee,
            project=project,
            **{k: data[k] for k in ExternalProjectForm.Meta.fields},
        )

    return _record_edit(
        request, committee=committee, year=year, form=form, save=save,
        title="Externt finansierat projekt",
    )  # fmt: skip


@access.committee(access.FINANCE)
def external_new(request, node):
    return _external(request, _committee(node), None)


@access.obj(
    access.FINANCE, ExternalProject.objects.select_related("committee"), "external_id",
    node=lambda p: p.committee,
)  # fmt: skip
def external_edit(request, project):
    return _external(request, project.committee, project)


# --- Grant applications --------------------------------------------------------------------


def _grant(request, committee, application):
    post = request.POST if request.method == "POST" else None
    initial = {}
    lines = list(application.lines.all()) if application else []
    if application is not None:
        initial = {f: getattr(application, f) for f in GrantApplicationForm.base_fields}
    form = GrantApplicationForm(post, initial=initial, prefix="g")

    def line_forms(side, count):
        existing = [x for x in lines if x.side == side]
        return [
            GrantLineForm(
                post,
                side=side,
                row=i + 1,
                prefix=f"{side}{i}",
                initial=(
                    {
                        "kind": existing[i].kind,
                        "text": existing[i].text,
                        "amount": existing[i].amount,
                    }
                    if i < len(existing)
                    else {}
                ),
            )
            for i in range(max(count, len(existing) + 2))
        ]

    costs, financing = line_forms("cost", COST_ROWS), line_forms("financing", FINANCING_ROWS)
    year = application.starts.year if application else clock.today().year

    def page(error, status):
        return render(
            request,
            "forms/grant.html",
            {
                "committee": committee,
                "application": application,
                "form": form,
                "costs": costs,
                "financing": financing,
                "error": error,
                "problems": application.amounts_check().problems if application else [],
                "check": application.amounts_check() if application else None,
                "back": _back(committee, year),
            },
            status=status,
        )

    def ready():
        services.grant_application_mark_ready(actor=request.user, application=application)
        return f"Ansökan {application.name} är klar.", _grant_url(application)

    def save():
        saved = services.grant_application_save(
            actor=request.user,
            committee=committee,
            application=application,
            lines=[f.line for f in costs + financing if f.line],
            **form.cleaned_data,
        )
        return f"Ansökan {saved.name} är sparad som utkast.", _grant_url(saved)

    return _edit(
        request, page=page, save=save,
        valid=lambda: form.is_valid() and all(f.is_valid() for f in costs + financing),
        ready=ready if application is not None else None,
        ready_refused="Ansökan kan inte markeras klar: ",
    )  # fmt: skip


def _grant_url(application) -> str:
    return reverse("forms_grant", kwargs={"application_id": application.pk})


@access.committee(access.FINANCE)
def grant_new(request, node):
    return _grant(request, _committee(node), None)


@access.obj(
    access.FINANCE, GrantApplication.objects.select_related("committee"), "application_id",
    node=lambda g: g.committee,
)  # fmt: skip
def grant_edit(request, application):
    return _grant(request, application.committee, application)


# --- IOP agreements ------------------------------------------------------------------------


def _iop(request, committee, agreement):
    post = request.POST if request.method == "POST" else None
    form = IopAgreementForm(post, instance=agreement, prefix="a")
    existing = {y.year: y for y in agreement.years.all()} if agreement else {}
    years = list(range(agreement.starts.year, agreement.ends.year + 1)) if agreement else []
    year_forms = [
        (
            y,
            IopYearForm(
                post,
                prefix=f"y{y}",
                initial=(
                    {
                        "amount": existing[y].amount,
                        "partner_contribution": existing[y].partner_contribution,
                        "follow_up": existing[y].follow_up,
                    }
                    if y in existing
                    else {}
                ),
            ),
        )
        for y in years
    ]

    def page(error, status):
        warning = ""
        if agreement is not None:
            warning = calc.iop_period_warning(agreement.starts, agreement.ends)
        return render(
            request,
            "forms/iop.html",
            {
                "committee": committee,
                "agreement": agreement,
                "form": form,
                "year_forms": year_forms,
                "error": error,
                "warning": warning,
                "back": _back(committee, clock.today().year),
            },
            status=status,
        )

    def save():
        data = {
            y: {k: v for k, v in f.cleaned_data.items() if v is not None}
            for y, f in year_forms
            if any(v not in (None, "") for v in f.cleaned_data.values())
        }
        saved = services.iop_agreement_save(
            actor=request.user,
            committee=committee,
            agreement=agreement,
            years=data,
            **{k: form.cleaned_data[k] for k in IopAgreementForm.Meta.fields},
        )
        return f"IOP-avtalet {saved.name} är sparat.", reverse(
            "forms_iop", kwargs={"iop_id": saved.pk}
        )

    return _edit(
        request, page=page, save=save,
        valid=lambda: form.is_valid() and all(f.is_valid() for _, f in year_forms),
    )  # fmt: skip


@access.committee(access.FINANCE)
def iop_new(request, node):
    return _iop(request, _committee(node), None)


@access.obj(
    access.FINANCE, IopAgreement.objects.select_related("committee"), "iop_id",
    node=lambda a: a.committee,
)  # fmt: skip
def iop_edit(request, agreement):
    return _iop(request, agreement.committee, agreement)
