"""The read API (django-ninja, OpenAPI 3 at /api/v1/openapi.json).

Every call needs a token (`Authorization: Bearer <key>`, made on the page "API-nycklar") and
sees what its person may see in the web: the same rights (styra.org.access), the same read
scope for unit roles, and the same figures engine as the pages. Amounts are exact kronor as
decimal strings ("-26179123.40"); nothing is rounded. An object the person may not see answers
404, as one that does not exist.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError

from styra.calendar.models import ReportingEvent
from styra.lib.eventcodes import parse_event_code
from styra.org import access
from styra.org.models import Municipality, NodeKind, OrgNode

from .auth import TokenAuth

api = NinjaAPI(
    title="Styra läs-API",
    version="1",
    description=__doc__,
    urls_namespace="api",
    docs_url=None,  # the interactive docs load scripts from a CDN; the schema is enough
    auth=TokenAuth(),
)


class Message(Schema):
    detail: str


class MunicipalityOut(Schema):
    id: int
    name: str
    code: str
    org_number: str


class NodeRef(Schema):
    id: int
    code: str
    name: str
    kind: str


class NodeOut(NodeRef):
    municipality_id: int
    parent_id: int | None
    valid_from: dt.date
    valid_to: dt.date | None
    is_result_unit: bool
    is_intraprenad: bool
    children: list[NodeRef]


class EventOut(Schema):
    code: str
    name: str
    year: int
    cutoff_period: int | None
    status: str
    deadline: dt.date | None


class FigureOut(Schema):
    outcome: str
    budget: str
    original_budget: str
    budget_to_date: str
    forecast: str
    forecast_missing: bool
    deviation: str
    previous_year: str
    previous_forecast: str | None


class UnitFiguresOut(Schema):
    unit: NodeRef | None  # None: the total of what the caller may read
    rows: dict[str, FigureOut]
    net: FigureOut


class RowOut(Schema):
    key: str
    label: str


class FiguresOut(Schema):
    committee: NodeRef
    event: EventOut
    scope: NodeRef  # the committee, or the unit subtree a unit role reads
    rows: list[RowOut]
    units: list[UnitFiguresOut]
    total: UnitFiguresOut


class ValueOut(Schema):
    year: int
    gender: str
    value: str | None


class TargetOut(Schema):
    year: int
    gender: str
    kind: str
    value: str | None
    low: str | None
    high: str | None


class MeasureOut(Schema):
    code: str
    name: str
    unit: str
    polarity: str
    outcomes: list[ValueOut]
    targets: list[TargetOut]


class GoalOut(Schema):
    code: str
    name: str
    measures: list[MeasureOut]


class ControlOut(Schema):
    name: str
    method: str


class RiskOut(Schema):
    area: str
    name: str
    likelihood: int
    consequence: int
    value: int
    controls: list[ControlOut]


class ControlPlanOut(Schema):
    year: int
    version: int
    risks: list[RiskOut]


class ResultUnitOut(Schema):
    unit: NodeRef
    gross_budget: str
    fund_in: str
    own_result: str
    transfer: str
    fund_out: str


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _ref(node: OrgNode) -> dict:
    return {"id": node.pk, "code": node.code, "name": node.name, "kind": node.kind}


def _viewable(request, node_id: int) -> OrgNode:
    node = OrgNode.objects.select_related("municipality").filter(pk=node_id).first()
    if node is None or not access.can(request.auth, access.VIEW, node):
        raise Http404("finns inte")
    return node


def _committee(request, committee_id: int) -> tuple[OrgNode, access.ReadScope]:
    """The committee and the part of it the caller may read (404 when nothing)."""
    node = OrgNode.objects.select_related("municipality").filter(pk=committee_id).first()
    if node is None or node.kind != NodeKind.COMMITTEE:
        raise Http404("finns inte")
    if access.can(request.auth, access.VIEW, node):
        return node, access.ReadScope(node, node, None)
    readable = [
        n
        for n in access.nodes_for(request.auth, access.VIEW)
        if n.municipality_id == node.municipality_id
    ]
    inside = access.subtree_ids(node)
    roots = [n for n in readable if n.pk in inside]
    if not roots:
        raise Http404("finns inte")
    root = roots[0]
    return node, access.ReadScope(node, root, access.subtree_ids(root))


def _committee_whole(request, committee_id: int) -> OrgNode:
    """Registers and goals are the committee's: a unit role does not read them here."""
    node, scope = _committee(request, committee_id)
    if scope.unit_ids is not None:
        raise Http404("finns inte")
    return node


@api.exception_handler(PermissionDenied)
def _denied(request, exc):
    return api.create_response(request, {"detail": "finns inte"}, status=404)


@api.get("/kommuner", response=list[MunicipalityOut], summary="Kommunerna den som frågar ser")
def municipalities(request):
    ids = {n.municipality_id for n in access.nodes_for(request.auth, access.VIEW)}
    return [
        {"id": m.pk, "name": m.name, "code": m.code or "", "org_number": m.org_number}
        for m in Municipality.objects.filter(pk__in=ids).order_by("name")
    ]


@api.get(
    "/namnder", response=list[NodeRef], summary="Nämnderna den som frågar läser (helt eller del)"
)
def committees(request):
    seen = {}
    for n in access.nodes_for(request.auth, access.VIEW):
        c = n.committee()
        if c is not None:
            seen[c.pk] = c
    return [_ref(c) for c in sorted(seen.values(), key=lambda c: (c.municipality_id, c.code))]


@api.get(
    "/noder/{node_id}",
    response={200: NodeOut, 404: Message},
    summary="En nod i organisationen med sina underordnade",
)
def node(request, node_id: int):
    n = _viewable(request, node_id)
    return {
        **_ref(n),
        "municipality_id": n.municipality_id,
        "parent_id": n.parent_id,
        "valid_from": n.valid_from,
        "valid_to": n.valid_to,
        "is_result_unit": n.is_result_unit,
        "is_intraprenad": n.is_intraprenad,
        "children": [_ref(c) for c in n.children.order_by("sort_order", "name")],
    }


def _event_out(e: ReportingEvent) -> dict:
    return {
        "code": e.code,
        "name": e.name,
        "year": e.year,
        "cutoff_period": e.cutoff_period,
        "status": e.status,
        "deadline": e.deadline,
    }


@api.get(
    "/namnder/{committee_id}/rapporttillfallen",
    response={200: list[EventOut], 404: Message},
    summary="Nämndens rapporttillfällen",
)
def events(request, committee_id: int):
    committee, _ = _committee(request, committee_id)
    return [
        _event_out(e)
        for e in ReportingEvent.objects.filter(committee=committee).order_by("year", "code")
    ]


def _figure(f) -> dict:
    return {
        "outcome": str(f.outcome),
        "budget": str(f.budget),
        "original_budget": str(f.original_budget),
        "budget_to_date": str(f.budget_to_date),
        "forecast": str(f.forecast),
        "forecast_missing": bool(f.forecast_missing),
        "deviation": str(f.deviation),
        "previous_year": str(f.previous_year),
        "previous_forecast": _s(f.previous_forecast),
    }


def _unit_figures(u) -> dict:
    return {
        "unit": _ref(u.unit) if u.unit is not None else None,
        "rows": {k: _figure(f) for k, f in u.by_row.items()},
        "net": _figure(u.net),
    }


@api.get(
    "/namnder/{committee_id}/rapporttillfallen/{code}/siffror",
    response={200: FiguresOut, 404: Message},
    summary="Uppföljningens siffror per enhet och rad (samma motor som sidorna)",
)
def figures(request, committee_id: int, code: str, niva: str = "report"):
    from styra.finance.figures import follow_up

    committee, scope = _committee(request, committee_id)
    if niva not in ("report", "detail"):
        raise HttpError(404, "nivån finns inte (report eller detail)")
    try:
        code = str(parse_event_code(code))
    except ValueError:
        raise Http404("finns inte") from None
    event = ReportingEvent.objects.filter(committee=committee, code=code).first()
    if event is None:
        raise Http404("finns inte")
    within = None if scope.unit_ids is None else scope.root
    data = follow_up(committee, event, level=niva, grouping="coarse3", within=within)
    return {
        "committee": _ref(committee),
        "event": _event_out(event),
        "scope": _ref(scope.root),
        "rows": [{"key": k, "label": label} for k, label in data.row_keys],
        "units": [_unit_figures(u) for u in data.units],
        "total": _unit_figures(data.total),
    }


@api.get(
    "/namnder/{committee_id}/mal/{year}",
    response={200: list[GoalOut], 404: Message},
    summary="Nämndens mål och mått med utfall och målvärden",
)
def goals(request, committee_id: int, year: int):
    from styra.goals.models import Goal

    committee = _committee_whole(request, committee_id)
    out = []
    goals_ = Goal.objects.filter(committee=committee).prefetch_related(
        "measures__outcomes", "measures__targets"
    )
    for g in (g for g in goals_ if g.valid_in(year)):
        out.append(
            {
                "code": g.code,
                "name": g.name,
                "measures": [
                    {
                        "code": m.code,
                        "name": m.name,
                        "unit": m.unit,
                        "polarity": m.polarity,
                        "outcomes": [
                            {"year": o.year, "gender": o.gender, "value": _s(o.value)}
                            for o in m.outcomes.all()
                        ],
                        "targets": [
                            {
                                "year": t.year,
                                "gender": t.gender,
                                "kind": t.kind,
                                "value": _s(t.value),
                                "low": _s(t.low),
                                "high": _s(t.high),
                            }
                            for t in m.targets.all()
                        ],
                    }
                    for m in g.measures.all()
                ],
            }
        )
    return out


@api.get(
    "/namnder/{committee_id}/internkontroll/{year}",
    response={200: ControlPlanOut, 404: Message},
    summary="Internkontrollplanen: risker med riskvärde och kontroller",
)
def control_plan(request, committee_id: int, year: int):
    from styra.control.models import ControlPlan

    committee = _committee_whole(request, committee_id)
    plan = ControlPlan.objects.filter(committee=committee, year=year).first()
    if plan is None:
        raise Http404("finns inte")
    return {
        "year": plan.year,
        "version": plan.version,
        "risks": [
            {
                "area": r.area,
                "name": r.name,
                "likelihood": r.likelihood,
                "consequence": r.consequence,
                "value": r.value,
                "controls": [{"name": c.name, "method": c.method} for c in r.controls.all()],
            }
            for r in plan.risks.prefetch_related("controls")
        ],
    }


@api.get(
    "/namnder/{committee_id}/resultatenheter/{year}",
    response={200: list[ResultUnitOut], 404: Message},
    summary="Resultatenheternas överföring och resultatfond",
)
def result_units(request, committee_id: int, year: int):
    from styra.forms.selectors import result_units_of

    committee = _committee_whole(request, committee_id)
    out = []
    for line in result_units_of(committee, year):
        if line.record is None:
            continue
        c = line.carry
        out.append(
            {
                "unit": _ref(line.unit),
                "gross_budget": str(c.gross_budget),
                "fund_in": str(c.fund_in),
                "own_result": str(c.own_result),
                "transfer": str(c.transfer),
                "fund_out": str(c.fund_out),
            }
        )
    return out
