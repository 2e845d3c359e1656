"""Writes to the organisation (HackSoft style: <thing>_<verb>, keyword-only, one transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from styra.lib.yamlfile import FileError

from .models import DimensionMapping, Municipality, OrgNode, Person, RoleGrant
from .orgfile import OrgPlan, parse_org_file


class OrgFileError(Exception):
    def __init__(self, errors: list[FileError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class OrgLoadResult:
    municipality: Municipality
    created: int
    updated: int
    mappings: int
    people: int


def org_load(*, path: Path | str) -> OrgLoadResult:
    """Load or update an organisation from a file; a bad file changes nothing."""
    plan, errors = parse_org_file(path)
    if errors or plan is None:
        raise OrgFileError(errors)
    return org_apply(plan=plan)


@transaction.atomic
def org_apply(*, plan: OrgPlan) -> OrgLoadResult:
    muni, _ = Municipality.objects.update_or_create(
        org_number=plan.org_number,
        defaults={"name": plan.name, "code": plan.municipality_code},
    )
    by_code: dict[str, OrgNode] = {}
    created = updated = 0
    for node in plan.nodes:
        fields = {
            "kind": node.kind,
            "name": node.name,
            "short_name": node.short_name,
            "diarium_prefix": node.diarium_prefix,
            "valid_from": node.valid_from,
            "valid_to": node.valid_to,
            "is_result_unit": node.is_result_unit,
            "is_intraprenad": node.is_intraprenad,
            "sort_order": node.sort_order,
            "parent": by_code[node.parent_code] if node.parent_code else None,
        }
        obj = OrgNode.objects.filter(municipality=muni, code=node.code).first()
        if obj is None:
            obj = OrgNode(municipality=muni, code=node.code, **fields)
            obj.full_clean()
            obj.save()
            created += 1
        else:
            changed = [k for k, v in fields.items() if getattr(obj, k) != v]
            if changed:
                for k in changed:
                    setattr(obj, k, fields[k])
                obj.full_clean()
                obj.save()
                updated += 1
        by_code[node.code] = obj
    for node in plan.nodes:
        if node.predecessor_code:
            obj = by_code[node.code]
            pred = by_code[node.predecessor_code]
            if obj.predecessor_id != pred.pk:
                obj.predecessor = pred
                obj.save(update_fields=["predecessor"])

    # The file is the truth for the years it maps: replace those years' mappings.
    years = {m.year for m in plan.mappings}
    DimensionMapping.objects.filter(municipality=muni, year__in=years).delete()
    DimensionMapping.objects.bulk_create(
        DimensionMapping(
            municipality=muni,
            year=m.year,
            dimension=m.dimension,
            code=m.code,
            node=by_code[m.node_code],
        )
        for m in plan.mappings
    )

    User = get_user_model()
    for p in plan.people:
        user = None
        if p.username:
            user, made = User.objects.get_or_create(
                username=p.username, defaults={"email": p.email, "first_name": p.name}
            )
            if made:
                user.set_unusable_password()
                user.save()
            RoleGrant.objects.filter(user=user, node__municipality=muni).delete()
            for node_code, role in p.roles:
                RoleGrant.objects.create(user=user, node=by_code[node_code], role=role)
        Person.objects.update_or_create(
            municipality=muni,
            name=p.name,
            defaults={"email": p.email, "title": p.title, "user": user},
        )
    return OrgLoadResult(muni, created, updated, len(plan.mappings), len(plan.people))
