"""Reads of internal control for pages, papers and the start page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from styra.lib.svgchart import MatrixCell, matrix_chart
from styra.org import access
from styra.org.models import NodeKind, OrgNode

from . import calc
from .models import Action, Control, ControlPlan, ControlResult, Risk


def plans_for(user) -> list[ControlPlan]:
    """The plans of every committee the user may read, newest year first."""
    committees = [n for n in access.nodes_for(user, access.VIEW) if n.kind == NodeKind.COMMITTEE]
    return list(
        ControlPlan.objects.filter(committee__in=committees)
        .select_related("committee")
        .order_by("committee__name", "-year")
    )


def plan_risks(plan: ControlPlan) -> list[Risk]:
    """The plan's risks with their controls, each control's results and their actions."""
    return list(
        plan.risks.prefetch_related(
            Prefetch(
                "controls",
                queryset=Control.objects.select_related("responsible").prefetch_related(
                    Prefetch(
                        "results",
                        queryset=ControlResult.objects.prefetch_related(
                            Prefetch(
                                "actions", queryset=Action.objects.select_related("responsible")
                            )
                        ),
                    )
                ),
            )
        )
    )


@dataclass(frozen=True)
class RiskMatrix:
    svg: str
    alt: str
    # (sannolikhet label, [(konsekvens grade, riskvärde, risk numbers)] per column), top row first
    rows: tuple[tuple[str, tuple[tuple[int, int, tuple[int, ...]], ...]], ...]


def risk_matrix(risks: list[Risk], *, title: str) -> RiskMatrix:
    """The 4×4 matrix: sannolikhet 4 at the top, konsekvens 1 at the left; each cell names
    the numbers of its risks (their order in the plan) and is shaded by riskvärde."""
    numbers: dict[tuple[int, int], list[int]] = {
        (s, k): [] for s in calc.GRADES for k in calc.GRADES
    }
    for n, r in enumerate(risks, start=1):
        numbers[(r.likelihood, r.consequence)].append(n)
    bands = ["låg", "medel", "hög", "mycket hög"]
    rows, svg_rows = [], []
    for s in reversed(calc.GRADES):
        cells, svg_cells = [], []
        for k in calc.GRADES:
            value = calc.risk_value(s, k)
            found = tuple(numbers[(s, k)])
            cells.append((k, value, found))
            svg_cells.append(
                MatrixCell(
                    str(value),
                    ", ".join(str(n) for n in found),
                    bands.index(calc.risk_level(value)),
                )
            )
        rows.append((f"{s} {calc.LIKELIHOOD_LABELS[s]}", tuple(cells)))
        svg_rows.append(svg_cells)
    placed = [
        f"risk {', '.join(str(n) for n in ns)} i sannolikhet {s} och konsekvens {k} "
        f"(riskvärde {calc.risk_value(s, k)})"
        for (s, k), ns in sorted(numbers.items(), key=lambda kv: (-kv[0][0], -kv[0][1]))
        if ns
    ]
    alt = (
        f"Riskmatris med sannolikhet 1–4 uppåt och konsekvens 1–4 åt höger. {len(risks)} risker: "
        + ("; ".join(placed) if placed else "inga")
        + ". Samma uppgifter finns i tabellen."
    )
    svg = matrix_chart(
        title,
        alt,
        [label for label, _ in rows],
        [f"{k} {calc.CONSEQUENCE_LABELS[k]}" for k in calc.GRADES],
        svg_rows,
        row_axis="Sannolikhet",
        column_axis="Konsekvens",
    )
    return RiskMatrix(svg, alt, tuple(rows))


def controls_due(controls, today: dt.date) -> list[Control]:
    """The controls planned for today's month (in a plan of today's year) that have no
    result yet this month."""
    out = []
    for c in controls:
        if c.risk.plan.year != today.year or today.month not in c.months:
            continue
        if not any(r.performed_on.month == today.month for r in c.results.all()):
            out.append(c)
    return out


def start_card(user, today: dt.date) -> dict | None:
    """The start page's card for a person responsible for controls or actions: the open
    actions with their due dates, and the controls due this month."""
    if not getattr(user, "is_authenticated", False) or access.is_system(user):
        return None
    actions = list(
        Action.objects.filter(responsible__user=user, done_on__isnull=True)
        .select_related("committee")
        .order_by("due_on", "pk")
    )
    controls = controls_due(
        Control.objects.filter(responsible__user=user)
        .select_related("risk__plan__committee")
        .prefetch_related("results"),
        today,
    )
    if not actions and not controls:
        return None
    from django.urls import reverse

    lines, links = [], []
    for c in controls:
        lines.append(f"Kontroll att göra i {calc.months_label((today.month,))}: {c.name}.")
        links.append(
            (reverse("control_result", kwargs={"control_id": c.pk}), f"Registrera: {c.name}")
        )
    for a in actions:
        late = calc.deadline_text(a.due_on, today)
        lines.append(f"Åtgärd: {a.description} – klar senast {a.due_on:%Y-%m-%d} ({late}).")
        links.append(
            (
                reverse("control_action", kwargs={"action_id": a.pk}),
                f"Följ upp: {a.description[:60]}",
            )
        )
    return {
        "kind": "control",
        "title": "Intern kontroll – att göra",
        "lines": lines,
        "links": links,
    }


def committee_people(committee: OrgNode):
    """People of the municipality who have a login and a role in the committee (who an
    action can be given to)."""
    from styra.org.models import Person, RoleGrant

    ids = access.subtree_ids(committee) | {committee.pk}
    users = RoleGrant.objects.filter(node_id__in=ids).values_list("user_id", flat=True)
    return Person.objects.filter(municipality=committee.municipality, user_id__in=users).order_by(
        "name"
    )


def quarter_counts(committee: OrgNode) -> list[dict]:
    """Per reported quarter, newest first: the counts per status (public figures)."""
    from django.db.models import Count

    from .models import QuarterReport

    rows = (
        QuarterReport.objects.filter(decision__committee=committee)
        .values("year", "quarter", "status")
        .annotate(n=Count("pk"))
    )
    out: dict[tuple[int, int], dict] = {}
    for r in rows:
        q = out.setdefault(
            (r["year"], r["quarter"]),
            {"year": r["year"], "quarter": r["quarter"], "code": f"{r['year']}-K{r['quarter']}"}
            | {s: 0 for s in calc.STATUSES},
        )
        q[r["status"]] = r["n"]
    from styra.calendar.models import ReportingEvent

    events = set(
        ReportingEvent.objects.filter(
            committee=committee, code__in=[q["code"] for q in out.values()]
        ).values_list("code", flat=True)
    )
    for q in out.values():
        q["total"] = sum(q[s] for s in calc.STATUSES)
        q["has_event"] = q["code"] in events
    return [out[k] for k in sorted(out, reverse=True)]


def decisions(actor, committee: OrgNode):
    """The register with the persons: only for CONFIDENTIAL (PermissionDenied otherwise)."""
    from .models import UnexecutedDecision

    access.require(actor, access.CONFIDENTIAL, committee)
    out = []
    for d in UnexecutedDecision.objects.filter(committee=committee).prefetch_related("quarters"):
        last = max(d.quarters.all(), key=lambda q: (q.year, q.quarter), default=None)
        out.append({"decision": d, "last": last, "final": bool(last and last.status in calc.FINAL)})
    return out


def finalised_events(committee: OrgNode, report_type: str) -> set[str]:
    """The codes of the committee's events with a finalised report of the type."""
    from styra.reports.models import ReportSnapshot

    return set(
        ReportSnapshot.objects.filter(committee=committee, report_type=report_type).values_list(
            "event__code", flat=True
        )
    )


def filing(user, committee: OrgNode, report_type: str, event_code: str) -> dict | None:
    """What the page offers for filing a report on a case: the link to finalise it (the
    controller), its latest finalised version, and the committee's cases to attach it to
    (the secretary). None when the reporting event does not exist or the user may do
    neither."""
    from django.urls import reverse

    from styra.calendar.models import ReportingEvent
    from styra.meetings.models import Case, CaseStatus
    from styra.reports.models import ReportSnapshot

    if not ReportingEvent.objects.filter(committee=committee, code=event_code).exists():
        return None
    may_finalise = access.can(user, access.FINANCE, committee)
    may_file = access.can(user, access.MEETINGS, committee)
    if not (may_finalise or may_file):
        return None
    snapshot = (
        ReportSnapshot.objects.filter(
            committee=committee, event__code=event_code, report_type=report_type
        )
        .order_by("-version")
        .first()
    )
    cases = (
        Case.objects.filter(committee=committee).exclude(status=CaseStatus.CLOSED)
        if may_file
        else Case.objects.none()
    )
    return {
        "report_type": report_type,
        "event_code": event_code,
        "status_url": reverse("report_status", args=[committee.pk, event_code, report_type])
        if may_finalise
        else "",
        "snapshot": snapshot,
        "cases": list(cases.order_by("-year", "-number")[:200]),
        "may_file": may_file,
        "post_url": reverse("control_file_on_case", args=[committee.pk, report_type, event_code]),
    }
