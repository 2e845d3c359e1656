"""Changing the organisation tree: add, rename, move and close a node with validity
dates. The administrator does it; a closed unit keeps its history; a year an approved
event shows keeps its tree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from styra.calendar.services import event_approve, event_ensure
from styra.lib.errors import UsageError
from styra.org.models import OrgNode
from styra.org.services import node_close, node_create, node_move, node_update
from tests.actors import SYSTEM

pytestmark = pytest.mark.django_db


def test_administrator_adds_renames_and_closes_a_unit(cast, node):
    admin = cast["admin"]
    with pytest.raises(PermissionDenied):
        node_create(
            actor=cast["controller"],
            parent=node("JC"),
            code="JCX",
            name="Ny enhet",
            kind="unit",
            valid_from=dt.date(2021, 1, 1),
        )
    unit = node_create(
        actor=admin,
        parent=node("JC"),
        code="JCX",
        name="Ny enhet",
        kind="unit",
        valid_from=dt.date(2021, 1, 1),
        is_result_unit=True,
    )
    assert unit.committee() == node("AVUN") and unit.is_result_unit
    assert not unit.valid_in_year(2020) and unit.valid_in_year(2021)
    with pytest.raises(UsageError, match="finns redan"):
        node_create(
            actor=admin,
            parent=node("JC"),
            code="JCX",
            name="Igen",
            kind="unit",
            valid_from=dt.date(2021, 1, 1),
        )
    with pytest.raises(UsageError, match="resultatenhet"):
        node_update(actor=admin, node=unit, name="Ny enhet", is_intraprenad=True)
    node_update(actor=admin, node=unit, name="Jobbtorget", is_result_unit=True)
    latest = unit.history.first()
    assert latest.diff_against(latest.prev_record).changed_fields == ["name"]
    assert unit.history.last().name == "Ny enhet"  # the old name stays in the history
    with pytest.raises(ValidationError, match="gäller från"):
        node_close(actor=admin, node=unit, valid_to=dt.date(2020, 6, 30))
    node_close(actor=admin, node=unit, valid_to=dt.date(2022, 6, 30))
    unit.refresh_from_db()
    assert unit.valid_in_year(2022) and not unit.valid_in_year(2023)
    assert OrgNode.objects.filter(code="JCX").exists()  # closed, never deleted


def test_close_waits_for_children_and_mapped_codes(cast, node):
    admin = cast["admin"]
    with pytest.raises(ValidationError, match="Arbetsmarknadsprogram"):
        node_close(actor=admin, node=node("JC"), valid_to=dt.date(2021, 12, 31))
    with pytest.raises(ValidationError, match="koppla om"):
        node_close(actor=admin, node=node("AMP"), valid_to=dt.date(2019, 12, 31))


def test_a_year_an_approved_event_shows_keeps_its_tree(cast, node):
    admin = cast["admin"]
    d1 = event_ensure(actor=SYSTEM, committee=node("AVUN"), code="2021-D1")
    event_approve(actor=SYSTEM, event=d1)
    new = node_create(
        actor=admin,
        parent=node("JC"),
        code="JCY",
        name="Projekt",
        kind="unit",
        valid_from=dt.date(2021, 3, 1),
    )
    with pytest.raises(ValidationError, match="Delårsrapport 1 2021"):
        node_close(actor=admin, node=node("AMP"), valid_to=dt.date(2020, 12, 31))
    with pytest.raises(ValidationError, match="Delårsrapport 1 2021"):
        node_move(actor=admin, node=new, parent=node("UFV"))
    later = node_create(
        actor=admin,
        parent=node("JC"),
        code="JCZ",
        name="Nästa år",
        kind="unit",
        valid_from=dt.date(2022, 1, 1),
        predecessor=new,
    )
    node_move(actor=admin, node=later, parent=node("UFV"))
    later.refresh_from_db()
    assert later.parent == node("UFV") and later.predecessor == new
    node_close(actor=admin, node=new, valid_to=dt.date(2021, 12, 31))


def test_move_stays_in_the_committee_and_not_under_itself(cast, node):
    admin = cast["admin"]
    with pytest.raises(ValidationError, match="under sig själv"):
        node_move(actor=admin, node=node("JC"), parent=node("AMP"))
    with pytest.raises(ValidationError, match="inom sin nämnd"):
        node_move(actor=SYSTEM, node=node("AMP"), parent=node("SOF"))
    with pytest.raises(PermissionDenied):
        node_move(actor=cast["controller"], node=node("AMP"), parent=node("UFV"))
