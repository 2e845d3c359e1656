"""OParl 1.1: the demo's export validates against the official schemas; stable URLs,
paging, and (self-contained) the required fields of every object type.

Schemas: ../shared/external-data/oparl/. The draft-07 branch schemas are strict JSON
Schema; their $refs ("File.json") resolve against https://schema.oparl.org/1.1/, so they
are served from a local referencing.Registry (never downloaded). The 1.1.1 release
schemas are validated with Draft7Validator as they are; their custom keywords (schema,
references, cardinality) are ignored by JSON Schema, so nested objects are checked there
only through the draft-07 set.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse

from styra.meetings import oparl
from tests.conftest import shared_path

TYPES = {
    "system": "System",
    "body": "Body",
    "organization": "Organization",
    "person": "Person",
    "membership": "Membership",
    "meeting": "Meeting",
    "agendaitem": "AgendaItem",
    "paper": "Paper",
    "consultation": "Consultation",
    "file": "File",
    "legislativeterm": "LegislativeTerm",
    "location": "Location",
}

REQUIRED = {  # from the OParl 1.1 specification
    "System": {"id", "type", "oparlVersion", "body"},
    "Body": {"id", "type", "name", "organization", "person", "meeting", "paper", "legislativeTerm"},
    "AgendaItem": {"id", "type", "order"},
    "File": {"id", "type", "accessUrl"},
}


@pytest.fixture(scope="module")
def demo_export(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo's meetings exported once for the module: its tests only read the export and
    the rows behind it. Built inside a transaction that stays open while they run (each test's
    own transaction is a savepoint within it) and is rolled back after the last one."""
    from django.db import transaction
    from django.test import override_settings

    from styra.demo import meetings as demo_meetings
    from styra.demo.builder import DATA_DIR
    from styra.org.access import system_actor
    from styra.org.services import org_load

    media = tmp_path_factory.mktemp("oparl-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media)),
        transaction.atomic(),
    ):
        org_load(actor=system_actor("test"), path=DATA_DIR / "org.yaml")
        demo_meetings.build()
        out = tmp_path_factory.mktemp("oparl") / "oparl"
        counts = oparl.export(out, "https://styra.example.se")
        try:
            yield out, counts
        finally:
            transaction.set_rollback(True)


def objects_in(out: Path):
    """(schema name, object) for every object file and every object inside list pages."""
    yield "System", json.loads((out / "system.json").read_text())
    for path in sorted(out.rglob("*.json")):
        data = json.loads(path.read_text())
        if "data" in data:
            for obj in data["data"]:
                yield obj["type"].rsplit("/", 1)[1], obj
        elif path.name != "system.json":
            yield data["type"].rsplit("/", 1)[1], data


def draft07_validators():
    from jsonschema import Draft7Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    folder = shared_path("external-data", "oparl", "schema-draft07-branch")
    schemas = {p.stem: json.loads(p.read_text()) for p in folder.glob("*.json")}
    resources = []
    for name, schema in schemas.items():
        resource = Resource.from_contents(schema, default_specification=DRAFT7)
        resources += [
            (f"https://schema.oparl.org/1.1/{name}", resource),
            (f"https://schema.oparl.org/1.1/{name}.json", resource),
        ]
    registry = Registry().with_resources(resources)
    return {n: Draft7Validator(s, registry=registry) for n, s in schemas.items()}


def released_validators():
    from jsonschema import Draft7Validator

    folder = shared_path("external-data", "oparl", "schema-v1.1.1")
    return {p.stem: Draft7Validator(json.loads(p.read_text())) for p in folder.glob("*.json")}


@pytest.mark.django_db
def test_demo_export_validates_against_the_draft07_and_111_schemas(demo_export):
    validators = draft07_validators()
    out, counts = demo_export
    checked = set()
    for name, obj in objects_in(out):
        errors = [f"{e.json_path}: {e.message}" for e in validators[name].iter_errors(obj)]
        assert not errors, f"{obj['id']}: {errors}"
        checked.add(name)
    assert checked == set(TYPES.values())
    assert counts["meeting"] == 11 and counts["agendaitem"] == 5
    released = released_validators()  # the 1.1.1 release schemas, as far as they go
    for name, obj in objects_in(out):
        errors = [e.message for e in released[name].iter_errors(obj)]
        assert not errors, f"{obj['id']}: {errors}"


def test_the_schema_registry_really_checks_nested_objects():
    """Without this a validator could pass everything: a meeting whose embedded agenda
    item lacks `order` must fail."""
    validators = draft07_validators()
    bad = {
        "id": "https://x/oparl/meeting/1/",
        "type": "https://schema.oparl.org/1.1/Meeting",
        "agendaItem": [
            {
                "id": "https://x/oparl/agendaitem/1/",
                "type": "https://schema.oparl.org/1.1/AgendaItem",
            }
        ],
    }
    assert any("order" in e.message for e in validators["Meeting"].iter_errors(bad))


@pytest.mark.django_db
def test_every_object_type_has_its_required_fields_and_stable_urls(demo_export):
    out, _ = demo_export
    seen = set()
    for name, obj in objects_in(out):
        seen.add(name)
        assert obj["type"] == f"https://schema.oparl.org/1.1/{name}"
        assert {"id", "type"} <= set(obj)
        assert REQUIRED.get(name, set()) <= set(obj), name
        assert obj["id"].startswith("https://styra.example.se/oparl/")
        if name not in ("System",):
            kind = obj["id"].rstrip("/").split("/")[-2]
            assert TYPES[kind] == name
        for nested in obj.get("agendaItem", []) if isinstance(obj.get("agendaItem"), list) else []:
            assert "order" in nested
    assert seen == set(TYPES.values())
    from styra.meetings.models import Meeting

    pk = Meeting.objects.get(start__date="2020-09-10").pk
    meeting = json.loads((out / "meeting" / f"{pk}.json").read_text())
    assert "resultsProtocol" in meeting and "invitation" in meeting
    assert [i["name"].split(" (")[0] for i in meeting["agendaItem"]] == [
        "Information om samhällsorientering",
        "Delår 2",
        "Sammanträdesordning avun 2021",
        "Delegationsbeslut",
        "Återrapportering av uppdraget pröva samarbete med civilsamhällets aktörer som utförare",
    ]


@pytest.mark.django_db
def test_lists_are_paged_and_ids_resolve_in_the_api(client, demo_export, settings):
    settings.STYRA_OPARL_PAGE_SIZE = 4
    out, _counts = demo_export
    body_id = (
        json.loads((out / "body" / "page-1.json").read_text())["data"][0]["id"]
        .rstrip("/")
        .split("/")[-1]
    )
    url = reverse("oparl_list", args=[body_id, "meeting"])
    first = client.get(url).json()
    assert first["pagination"] == {
        "totalElements": 11,
        "elementsPerPage": 4,
        "currentPage": 1,
        "totalPages": 3,
    }
    assert first["links"]["next"].endswith("/meeting/?page=2")
    third = client.get(url + "?page=3").json()
    assert len(third["data"]) == 3 and "next" not in third["links"]
    ids = {m["id"] for p in (1, 2, 3) for m in client.get(f"{url}?page={p}").json()["data"]}
    assert len(ids) == 11
    one = first["data"][0]
    path = one["id"].split("://", 1)[1].split("/", 1)[1]
    again = client.get("/" + path).json()
    assert again["id"] == one["id"] and again["name"] == one["name"]
