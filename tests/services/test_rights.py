"""Every service refuses an actor without the right, and refuses a missing actor (issue 21:
authorisation in the service, on the object, never skipped on None).

The table below calls each service the way a person without the right would: a unit
manager of another unit, a controller of another committee, a member without the
secretary's role. `test_every_service_is_in_the_table` fails when a service is added
without a line here; `test_every_service_requires_an_actor` when one has no actor or a
default for it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils import timezone

from styra.api.services import token_create
from styra.calendar.models import ReportingEvent
from styra.demo.builder import DATA_DIR
from styra.meetings.calc import RuleViolation
from tests.actors import SYSTEM
from tests.control import rights as control_rights
from tests.forms import rights as forms_rights
from tests.planning import rights as planning_rights
from tests.reports import dataset

SERVICE_MODULES = [
    "styra.calendar.services",
    "styra.org.services",
    "styra.ledger.services",
    "styra.finance.services",
    "styra.goals.services",
    "styra.reports.services",
    "styra.meetings.services",
    "styra.control.services",
    "styra.start.services",
    "styra.forms.services",
    "styra.planning.services",
    "styra.web.backup",
    "styra.api.services",
]
# Public functions of the service modules that are not services (pure helpers).
NOT_SERVICES = {
    "styra.ledger.services": {
        "committees_of",
        "count_lines",
        "detect_format",
        "file_sha256",
        "locked_events_for",
        "same_organisation",
    },
    "styra.finance.services": {"project_number_problem"},
    "styra.org.services": {"register_tree_check", "password_link"},
    "styra.meetings.services": {
        "default_notice_days",
        "delegation_deadline",
        "diary_next",
        "document_store",
        "files_guarded",
        "protocol_state",
        "location_get",
        "upload_limit",
    },
    "styra.reports.services": {"snapshot_verify"},
    "styra.web.backup": {"backup_verify"},
    "styra.api.services": {"key_hash"},
    "styra.control.services": {"plan_content", "may_enter_result"},
}


def _services():
    out = {}
    for name in SERVICE_MODULES:
        module = importlib.import_module(name)
        for attr, fn in vars(module).items():
            if (
                inspect.isfunction(fn)
                and fn.__module__ == name
                and not attr.startswith("_")
                and attr not in NOT_SERVICES.get(name, set())
            ):
                out[f"{name.rsplit('.', 2)[1]}.{attr}"] = fn
    return out


def test_every_service_requires_an_actor():
    missing = []
    for name, fn in _services().items():
        param = inspect.signature(fn).parameters.get("actor")
        if (
            param is None
            or param.kind is not inspect.Parameter.KEYWORD_ONLY
            or param.default is not inspect.Parameter.empty
        ):
            missing.append(name)
    assert missing == []


@pytest.fixture
def world(demo_org, cast, node, tmp_path, settings):
    """The small report data set, a meeting with a case, and the people."""
    from styra.meetings import services as meetings

    settings.MEDIA_ROOT = str(tmp_path / "media")
    dataset.build(demo_org, tmp_path)
    users = {u.username: u for u in get_user_model().objects.all()}
    avun = node("AVUN")
    event = ReportingEvent.objects.get(committee=avun, code="2020-D2")
    meeting = meetings.meeting_create(
        actor=SYSTEM,
        committee=avun,
        start=timezone.make_aware(dt.datetime(2020, 9, 10, 18)),
        place="Kommunhuset",
    )
    case = meetings.case_create(actor=SYSTEM, committee=avun, title="Delår 2", year=2020)
    from styra.meetings.models import ItemKind

    item = meetings.agenda_item_add(
        actor=SYSTEM, meeting=meeting, kind=ItemKind.DECISION, title="Delår 2", case=case
    )
    (paragraph,) = [p for p in meetings.protocol_open(actor=SYSTEM, meeting=meeting)]
    code = meetings.delegation_code_upsert(
        actor=SYSTEM, committee=avun, code="G1", decision_type="Antagning", delegates="enhetschef"
    )
    from styra.goals.models import Assignment, Goal, Measure

    jc_measure = Measure.objects.filter(owner_unit__code="JC").first()
    ufv_goal = Goal.objects.filter(responsible_unit__code="UFV").first() or Goal.objects.first()
    person = meetings.person_ensure(actor=SYSTEM, committee=avun, name="Per Prov")
    org = meetings.organization_upsert(
        actor=SYSTEM, committee=avun, kind="committee", name=avun.name, short_name="AVUN"
    )
    membership = meetings.membership_add(
        actor=SYSTEM,
        organization=org,
        person=person,
        post="member",
        start_date=dt.date(2019, 1, 1),
    )
    document = meetings.document_upload(
        actor=SYSTEM,
        upload=ContentFile(b"%PDF-1.7 x", name="bilaga.pdf"),
        title="Bilaga",
        publicity="public",
        case=case,
    )
    from styra.finance import services as finance

    project = finance.investment_project_save(
        actor=SYSTEM,
        committee=avun,
        number="39991",
        name="Provprojekt",
        kind="annual",
        category="inventarier",
    )
    volume = finance.volume_type_save(
        actor=SYSTEM, committee=avun, code="PROVV", unit=node("JC"), name="Platser", measure="antal"
    )
    assumption = finance.assumption_save(actor=SYSTEM, event=event, text="Provantagande")
    return {
        "users": users,
        "node": node,
        "avun": avun,
        "project": project,
        "volume": volume,
        "assumption": assumption,
        "membership": membership,
        "document": document,
        "sn": node("SN"),
        "event": event,
        "meeting": meeting,
        "case": case,
        "item": item,
        "paragraph": paragraph,
        "code": code,
        "jc_measure": jc_measure,
        "goal": ufv_goal,
        "assignment": Assignment.objects.exclude(responsible_unit__code="UFV").first(),
        "person": person,
        "organization": org,
        "folder": tmp_path,
        **control_rights.world(node),
        **forms_rights.world(node),
    }


def _calls(w):
    """service name → (actor username without the right, keyword arguments)."""
    from styra.goals.calc import parse_target
    from styra.goals.kolada import KoladaValue
    from styra.meetings.models import Dispatch

    n, e, m = w["node"], w["event"], w["meeting"]
    fin = DATA_DIR / "finance"
    dispatch = Dispatch(paragraph=w["paragraph"], recipient="Akten")
    return {
        "calendar.event_ensure": ("enhetschef", dict(committee=w["avun"], code="2021-D1")),
        "calendar.event_submit": ("enhetschef", dict(event=e)),
        "calendar.event_approve": ("enhetschef", dict(event=e)),
        "calendar.event_send": ("enhetschef", dict(event=e)),
        "calendar.event_reopen": ("enhetschef", dict(event=e, reason="rättelse")),
        "calendar.event_status_set": ("sn-controller", dict(event=e, status="approved")),
        "org.org_load": ("controller", dict(path=DATA_DIR / "org.yaml")),
        "org.node_create": (
            "sn-controller",
            dict(parent=n("JC"), code="NY", name="Ny", kind="unit", valid_from=dt.date(2020, 1, 1)),
        ),
        "org.node_update": ("sn-controller", dict(node=n("JC"), name="Nytt namn")),
        "org.node_move": ("sn-controller", dict(node=n("JC"), parent=w["avun"])),
        "org.node_close": ("sn-controller", dict(node=n("JC"), valid_to=dt.date(2020, 12, 31))),
        "finance.assumption_save": ("sn-controller", dict(event=e, text="Nytt antagande")),
        "finance.assumption_remove": ("sn-controller", dict(assumption=w["assumption"])),
        "finance.investment_project_save": (
            "sn-controller",
            dict(
                committee=w["avun"], number="39992", name="X", kind="annual", category="inventarier"
            ),
        ),
        "finance.investment_plan_set": (
            "sn-controller",
            dict(project=w["project"], year=2020, amount=Decimal("1000")),
        ),
        "finance.investment_forecasts_set": (
            "sn-controller",
            dict(event=e, amounts={w["project"]: Decimal("-1000")}),
        ),
        "finance.investment_go_live_revise": (
            "sn-controller",
            dict(project=w["project"], go_live=dt.date(2021, 1, 1), changed_on=dt.date(2020, 9, 1)),
        ),
        "finance.volume_type_save": (
            "sn-controller",
            dict(committee=w["avun"], code="PROVW", unit=n("JC"), name="X", measure="antal"),
        ),
        "finance.volume_value_set": (
            "sn-controller",
            dict(volume=w["volume"], kind="outcome", year=2020, value=Decimal("3"), period=8),
        ),
        "finance.staff_set": (
            "sn-controller",
            dict(unit=n("JC"), kind="outcome", year=2020, fte=Decimal("1"), employees=1, period=8),
        ),
        "org.org_apply": ("controller", dict(plan=None)),
        "web.backup_write": ("admin", dict(path=w["folder"] / "kopia.zip")),
        "web.backup_restore": ("admin", dict(path=w["folder"] / "kopia.zip")),
        "ledger.ledger_import": (
            "enhetschef",
            dict(path=DATA_DIR / "ledger" / "avun-2020.se", municipality=w["avun"].municipality),
        ),
        "ledger.ledger_import_undo": (
            "enhetschef",
            dict(import_id=1, municipality=w["avun"].municipality),
        ),
        "finance.budget_import": (
            "sn-controller",
            dict(path=fin / "budget-2020.csv", municipality=w["avun"].municipality),
        ),
        "finance.budget_import_sie": (
            "sn-controller",
            dict(path=_pbudget_file(w), municipality=w["avun"].municipality),
        ),
        "finance.budget_changes_import": (
            "sn-controller",
            dict(path=_changes_file(w), municipality=w["avun"].municipality),
        ),
        "finance.events_import": (
            "sn-controller",
            dict(path=fin / "events.yaml", municipality=w["avun"].municipality),
        ),
        "finance.forecasts_import": (
            "enhetschef2",
            dict(path=fin / "forecast-2020-D2.csv", municipality=w["avun"].municipality),
        ),
        "finance.investments_import": (
            "sn-controller",
            dict(path=fin / "investments.yaml", municipality=w["avun"].municipality),
        ),
        "finance.volumes_import": (
            "sn-controller",
            dict(path=fin / "volumes.yaml", municipality=w["avun"].municipality),
        ),
        "finance.staff_import": (
            "sn-controller",
            dict(path=_staff_file(w), municipality=w["avun"].municipality),
        ),
        "finance.budget_set": (
            "enhetschef",
            dict(unit=n("JC"), year=2020, row_code="personal", amount=Decimal(1)),
        ),
        "finance.budget_change_add": (
            "sn-controller",
            dict(
                unit=n("JC"),
                row_code="personal",
                amount=Decimal(1),
                date=dt.date(2020, 6, 1),
                kind="ramjustering",
                decision="KS/2020:1",
            ),
        ),
        "start.reminder_send": (
            "sn-controller",
            dict(event=e, unit=n("JC"), site_url="http://styra.example"),
        ),
        "ledger.dimension_map": (
            "sn-controller",
            dict(node=n("JC"), year=2020, dimension="ansvar", code="9999"),
        ),
        "api.token_create": ("sn-controller", dict(user=w["users"]["controller"], name="x")),
        "api.token_revoke": (
            "sn-controller",
            dict(token=token_create(actor=SYSTEM, user=w["users"]["controller"], name="x")[0]),
        ),
        "org.role_grant": (
            "enhetschef",
            dict(node=n("JC"), user=w["users"]["ledamot"], role="editor"),
        ),
        "org.role_revoke": (
            "sn-controller",
            dict(grant=w["users"]["enhetschef"].role_grants.first()),
        ),
        "org.login_invite": (
            "enhetschef",
            dict(node=n("JC"), user=w["users"]["ledamot"], site_url="http://styra.example"),
        ),
        "org.user_create": (
            "sn-controller",
            dict(
                node=n("JC"),
                role="editor",
                username="ny",
                first_name="Ny",
                last_name="Person",
                email="",
                password="Ett-langt-losen-42",
            ),
        ),
        "finance.forecast_save": (
            "enhetschef2",
            dict(event=e, unit=n("JC"), row_code="personal", amount=Decimal(1)),
        ),
        "finance.forecast_mark_ready": ("enhetschef2", dict(event=e, unit=n("JC"))),
        "finance.forecast_reopen": (
            "enhetschef",
            dict(event=e, unit=n("JC"), reason="rättelse"),
        ),
        "goals.goals_load": ("enhetschef", dict(path=DATA_DIR / "goals" / "avun-2020-d2.yaml")),
        "goals.outcome_set": (
            "enhetschef2",
            dict(measure=w["jc_measure"], year=2020, value=Decimal(1)),
        ),
        "goals.target_set": (
            "enhetschef",
            dict(measure=w["jc_measure"], year=2020, target=parse_target("5")),
        ),
        "goals.measure_comment_set": (
            "enhetschef2",
            dict(measure=w["jc_measure"], event=e, text="x"),
        ),
        "goals.goal_analysis_set": ("sn-controller", dict(goal=w["goal"], event=e, text="x")),
        "goals.goal_assess": ("enhetschef", dict(goal=w["goal"], event=e, level="god")),
        "goals.assignment_status_set": (
            "enhetschef2",
            dict(assignment=w["assignment"], event=e, comment="x", done=False),
        ),
        "goals.kolada_store": (
            "enhetschef2",
            dict(
                values=[
                    KoladaValue(
                        w["jc_measure"].kolada_kpi or "N00005", "0127", 2020, "T", Decimal(1)
                    )
                ]
                if w["jc_measure"].kolada_kpi
                else [],
                committee=None,
            ),
        ),
        "reports.narrative_save": (
            "enhetschef2",
            dict(event=e, report_type="delarsrapport", part="x", unit=n("JC"), text="x"),
        ),
        "reports.narratives_import": (
            "enhetschef",
            dict(path=DATA_DIR / "reports" / "avun-2020-d2.yaml"),
        ),
        "reports.template_update": (
            "sn-controller",
            dict(committee=w["avun"], report_type="delarsrapport", overrides={}),
        ),
        "reports.report_finalise": (
            "enhetschef",
            dict(committee=w["avun"], event=e, report_type="delarsrapport"),
        ),
        "meetings.meetings_load": ("controller", dict(path=DATA_DIR / "meetings" / "avun.yaml")),
        "meetings.case_create": ("controller", dict(committee=w["avun"], title="x")),
        "meetings.case_update": ("controller", dict(case=w["case"], title="y")),
        "meetings.case_attach_report": (
            "controller",
            dict(case=w["case"], title="x", file_bytes=b"x", filename="x.pdf", summary_text=""),
        ),
        "meetings.case_papers_generate": ("controller", dict(case=w["case"])),
        "meetings.organization_upsert": (
            "controller",
            dict(committee=w["avun"], kind="party", name="P"),
        ),
        "meetings.person_ensure": ("controller", dict(committee=w["avun"], name="x")),
        "meetings.membership_add": (
            "controller",
            dict(
                organization=w["organization"],
                person=w["person"],
                post="member",
                start_date=dt.date(2020, 1, 1),
            ),
        ),
        "meetings.meeting_create": (
            "controller",
            dict(committee=w["avun"], start=m.start, place="x"),
        ),
        "meetings.calendar_set": (
            "controller",
            dict(committee=w["avun"], year=2021, starts=[m.start], place="x"),
        ),
        "meetings.agenda_item_add": ("controller", dict(meeting=m, kind="information", title="x")),
        "meetings.notice_produce": ("controller", dict(meeting=m)),
        "meetings.protocol_open": ("controller", dict(meeting=m)),
        "meetings.paragraph_update": ("controller", dict(paragraph=w["paragraph"], decision="x")),
        "meetings.attendance_set": (
            "controller",
            dict(meeting=m, person=w["person"], kind="present"),
        ),
        "meetings.adjusters_set": ("controller", dict(meeting=m, persons=[w["person"]])),
        "meetings.protocol_approve": ("ledamot", dict(meeting=m)),
        "meetings.protocol_render": ("controller", dict(meeting=m)),
        "meetings.anslag_post": ("controller", dict(meeting=m, posted_on=dt.date(2020, 9, 20))),
        "meetings.anslag_take_down": ("controller", dict(meeting=m, on=dt.date(2020, 10, 20))),
        "meetings.protocol_publish": ("controller", dict(meeting=m)),
        "meetings.extract_produce": ("controller", dict(paragraph=w["paragraph"])),
        "meetings.dispatch_prepare": ("controller", dict(meeting=m)),
        "meetings.dispatch_mark_sent": ("controller", dict(dispatch=dispatch)),
        "meetings.delegation_code_upsert": (
            "controller",
            dict(committee=w["avun"], code="G2", decision_type="x", delegates="x"),
        ),
        "meetings.delegation_decision_register": (
            "sn-controller",
            dict(
                unit=n("UFV"),
                code=w["code"],
                date_from=dt.date(2020, 9, 1),
                decision="x",
                delegate_role="enhetschef",
            ),
        ),
        "meetings.delegation_report_collect": ("controller", dict(meeting=m)),
        "meetings.delegation_code_end": (
            "controller",
            dict(code=w["code"], valid_to=dt.date(2020, 12, 31)),
        ),
        "meetings.term_upsert": (
            "ledamot",
            dict(
                committee=w["avun"],
                name="2019–2022",
                start_date=dt.date(2019, 1, 1),
                end_date=dt.date(2022, 12, 31),
            ),
        ),
        "meetings.roster_member_add": (
            "controller",
            dict(committee=w["avun"], name="x", post="member", start_date=dt.date(2020, 1, 1)),
        ),
        "meetings.membership_end": (
            "controller",
            dict(membership=w["membership"], end_date=dt.date(2020, 12, 31)),
        ),
        "meetings.reporting_event_place": ("ledamot", dict(event=e, meeting=m)),
        "meetings.agenda_item_update": (
            "controller",
            dict(item=w["item"], kind="information", title="x"),
        ),
        "meetings.agenda_item_remove": ("ledamot", dict(item=w["item"])),
        "meetings.agenda_item_move": ("controller", dict(item=w["item"], up=True)),
        "meetings.agenda_standard_items": ("ledamot", dict(meeting=m)),
        "meetings.document_upload": (
            "controller",
            dict(
                upload=ContentFile(b"%PDF-1.7 x", name="bilaga.pdf"),
                title="Bilaga",
                publicity="public",
                case=w["case"],
            ),
        ),
        "meetings.document_remove": ("ledamot", dict(document=w["document"])),
        "meetings.case_attach_snapshot": ("controller", dict(case=w["case"], snapshot=None)),
        "meetings.roll_call_set": ("ledamot", dict(meeting=m, rows=[])),
        "meetings.vote_record": (
            "controller",
            dict(paragraph=w["paragraph"], yes_proposal="a", no_proposal="b", ballots={}),
        ),
        "meetings.vote_remove": ("ledamot", dict(paragraph=w["paragraph"])),
        "meetings.protocol_draft": ("controller", dict(meeting=m)),
        "meetings.protocol_save": ("controller", dict(meeting=m, changes={})),
        "meetings.notice_send": ("ledamot", dict(meeting=m)),
        "meetings.draft_send": ("controller", dict(meeting=m)),
        "meetings.change_request": ("controller", dict(meeting=m, text="x")),
        **control_rights.calls(w),
        **forms_rights.calls(w),
        **planning_rights.calls(w),
    }


def _changes_file(w):
    path = w["folder"] / "changes.yaml"
    path.write_text(
        "changes:\n  - {date: 2020-03-01, unit: JC, row: personal, amount: 1000,"
        " kind: tillaggsbudget, decision: KS/2020:1}\n",
        encoding="utf-8",
    )
    return path


def _pbudget_file(w):
    from tests.finance.test_budget_sources import sie_file

    return sie_file(w["folder"], '#PBUDGET 0 202001 5010 {1 "4000"} 1000.00\n')


def _staff_file(w):
    path = w["folder"] / "staff.yaml"
    path.write_text("staff:\n  - {unit: JC, period: 2020-08, arsarbetare: 10}\n", encoding="utf-8")
    return path


def test_every_service_is_in_the_table(world):
    assert set(_services()) == set(_calls(world))


# Meetings rules that refuse as "RuleViolation" (a justerare not appointed) count too.
REFUSED = (PermissionDenied, RuleViolation)


@pytest.mark.parametrize("name", sorted(_services()))
def test_service_refuses_an_actor_without_the_right(world, name):
    username, kwargs = _calls(world)[name]
    if name == "goals.kolada_store" and not kwargs["values"]:
        pytest.skip("the demo's Jobbcenter measures have no Kolada source")
    with pytest.raises(REFUSED):
        _services()[name](actor=world["users"][username], **kwargs)


@pytest.mark.parametrize("name", sorted(_services()))
def test_service_refuses_a_missing_actor(world, name):
    _username, kwargs = _calls(world)[name]
    with pytest.raises((TypeError, *REFUSED)):
        _services()[name](actor=None, **kwargs)
