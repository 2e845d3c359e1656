"""Committees are found by code within a municipality (committee_get), and commands find a
code across municipalities and ask which one when two have it (committee_find)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from styra.lib.errors import UsageError
from styra.org.models import Municipality, NodeKind, OrgNode
from styra.org.selectors import committee_find, committee_get, municipality_get


@pytest.fixture
def two_municipalities(demo_org):
    other = Municipality.objects.create(name="Stockholm (demo)", org_number="212000-0142")
    for muni in (demo_org, other):
        OrgNode.objects.create(
            municipality=muni, kind=NodeKind.COMMITTEE, code="AMN", name=f"AMN {muni.name}"
        )
    # a committee whose short name differs from its code is found by its code
    OrgNode.objects.create(
        municipality=other, kind=NodeKind.COMMITTEE, code="KFN", short_name="Kultur", name="KFN"
    )
    return demo_org, other


@pytest.mark.django_db
def test_committee_get_by_code_in_one_municipality(two_municipalities):
    botkyrka, stockholm = two_municipalities
    assert committee_get(botkyrka, "avun").code == "AVUN"
    assert committee_get(stockholm, "AMN").municipality == stockholm
    assert committee_get(stockholm, "KFN").short_name == "Kultur"
    with pytest.raises(UsageError, match=r"Nämnden 'Kultur' finns inte i Stockholm \(demo\)"):
        committee_get(stockholm, "Kultur")
    with pytest.raises(UsageError, match="nämndkoder: AMN, AVUN, SN"):
        committee_get(botkyrka, "XYZ")


@pytest.mark.django_db
def test_committee_find_across_municipalities(two_municipalities):
    botkyrka, stockholm = two_municipalities
    assert committee_find("AVUN").municipality == botkyrka
    assert committee_find("KFN").municipality == stockholm
    with pytest.raises(UsageError, match=r"finns i flera kommuner .*--kommun"):
        committee_find("AMN")
    assert committee_find("AMN", municipality="Stockholm (demo)").municipality == stockholm
    assert committee_find("AMN", municipality="0127").municipality == botkyrka
    assert committee_find("AMN", municipality=botkyrka).municipality == botkyrka
    with pytest.raises(UsageError, match="Kommunen 'Malmö' finns inte"):
        committee_find("AMN", municipality="Malmö")


@pytest.mark.django_db
def test_municipality_get_needs_a_reference_when_there_are_several(two_municipalities):
    with pytest.raises(UsageError, match="Ange kommunen med --kommun"):
        municipality_get()
    assert municipality_get("212000-0142").name == "Stockholm (demo)"


@pytest.mark.django_db
def test_commands_exit_2_with_a_swedish_message_for_an_unknown_or_ambiguous_committee(
    two_municipalities,
):
    with pytest.raises(CommandError) as exc:
        call_command("goals", "summary", "--committee", "XYZ", "--event", "2020-D2")
    assert exc.value.returncode == 2
    assert "Nämnden 'XYZ' finns inte" in str(exc.value)
    with pytest.raises(CommandError) as exc:
        call_command("finance", "grid", "--committee", "AMN", "--event", "2020-D2")
    assert exc.value.returncode == 2
    assert "ange vilken med --kommun" in str(exc.value)
    with pytest.raises(CommandError) as exc:
        call_command(
            "finance", "grid", "--committee", "AMN", "--kommun", "0127", "--event", "2020-D2"
        )
    assert exc.value.returncode == 2
    assert "har inget rapporttillfälle 2020-D2" in str(exc.value)
