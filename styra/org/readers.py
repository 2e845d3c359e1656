"""The declarative organisation file (docs/org-file.md): parsed and validated whole.

`read_org_file` returns a plan or every error with its line; nothing touches the database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from styra.lib.errors import InputError, Issue, IssueCollector, Read
from styra.lib.orgnr import normalise_org_number
from styra.lib.yamlfile import LineDict, load_yaml

KINDS = {"committee", "administration", "area", "unit"}
DIMENSIONS = {"ansvar", "verksamhet", "kostnadsstalle"}
ROLES = {"administrator", "controller", "editor", "secretary", "reader"}
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


@dataclass
class NodePlan:
    code: str
    kind: str
    name: str
    parent_code: str | None
    line: int
    short_name: str = ""
    diarium_prefix: str = ""
    valid_from: dt.date = dt.date(2000, 1, 1)
    valid_to: dt.date | None = None
    is_result_unit: bool = False
    is_intraprenad: bool = False
    predecessor_code: str | None = None
    sort_order: int = 0


@dataclass
class MappingPlan:
    year: int
    dimension: str
    code: str
    node_code: str
    line: int


@dataclass
class PersonPlan:
    name: str
    email: str
    title: str
    username: str | None
    roles: list[tuple[str, str]]  # (node code, role)
    line: int


@dataclass
class OrgPlan:
    name: str
    org_number: str
    municipality_code: str
    nodes: list[NodePlan] = field(default_factory=list)
    mappings: list[MappingPlan] = field(default_factory=list)
    people: list[PersonPlan] = field(default_factory=list)


def _keys(c: IssueCollector, data: LineDict, allowed: set[str], required: set[str], what: str):
    for key in data:
        if key not in allowed:
            c.add(data.line_of(key), f"okänt fält {key!r} i {what} (tillåtna: {sorted(allowed)})")
    for key in sorted(required - set(data)):
        c.add(data.line, f"{what} saknar fältet {key!r}")


def _date(c: IssueCollector, data: LineDict, key: str) -> dt.date | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    c.add(data.line_of(key), f"{key}: {value!r} är inget datum (skriv ÅÅÅÅ-MM-DD)")
    return None


def _years(c: IssueCollector, data: LineDict) -> list[int]:
    value = data.get("years")
    if isinstance(value, int) and 1900 < value < 2200:
        return [value]
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{4})\s*[-–]\s*(\d{4})\s*", value)
        if match and int(match.group(1)) <= int(match.group(2)):
            return list(range(int(match.group(1)), int(match.group(2)) + 1))
    c.add(
        data.line_of("years"),
        f"years: {value!r} ska vara ett år (2020) eller ett intervall (2019-2020)",
    )
    return []


def read_org_file(path: Path | str) -> Read[OrgPlan]:
    file = str(path)
    try:
        data = load_yaml(path)
    except InputError as exc:
        return Read(None, exc.issues)
    c = IssueCollector(file)
    if not isinstance(data, LineDict):
        return Read(
            None,
            [Issue(file, 1, "filen ska innehålla en mappning med 'municipality' och 'nodes'")],
        )
    _keys(c, data, {"municipality", "nodes", "people"}, {"municipality", "nodes"}, "filen")
    muni = data.get("municipality")
    plan = OrgPlan(name="", org_number="", municipality_code="")
    if isinstance(muni, LineDict):
        _keys(c, muni, {"name", "org_number", "code"}, {"name", "org_number"}, "municipality")
        plan.name = str(muni.get("name", "")).strip()
        plan.municipality_code = str(muni.get("code", "") or "")
        try:
            plan.org_number = normalise_org_number(str(muni.get("org_number", "")))
        except ValueError as exc:
            if "org_number" in muni:
                c.add(muni.line_of("org_number"), str(exc))
    elif muni is not None:
        c.add(data.line_of("municipality"), "municipality ska vara en mappning")

    seen: dict[str, int] = {}
    order = 0

    def walk(items, parent: NodePlan | None) -> None:
        nonlocal order
        if not isinstance(items, list):
            c.add(getattr(items, "line", data.line), "nodes/children ska vara en lista")
            return
        for item in items:
            if not isinstance(item, LineDict):
                c.add(getattr(items, "line", 1), "varje enhet ska vara en mappning")
                continue
            _keys(
                c,
                item,
                {
                    "code",
                    "kind",
                    "name",
                    "short_name",
                    "diarium_prefix",
                    "valid_from",
                    "valid_to",
                    "result_unit",
                    "intraprenad",
                    "predecessor",
                    "children",
                    "dimensions",
                },
                {"code", "kind", "name"},
                f"enheten på rad {item.line}",
            )
            code = str(item.get("code", "")).strip()
            kind = str(item.get("kind", "")).strip()
            if code and not _CODE.match(code):
                c.add(item.line_of("code"), f"koden {code!r} får bara innehålla A–Z, 0–9, - _ .")
            if code in seen:
                c.add(item.line_of("code"), f"koden {code!r} finns redan på rad {seen[code]}")
            elif code:
                seen[code] = item.line_of("code")
            if kind and kind not in KINDS:
                c.add(item.line_of("kind"), f"okänd typ {kind!r} (tillåtna: {sorted(KINDS)})")
            if parent is None and kind and kind != "committee":
                c.add(item.line_of("kind"), "översta nivån ska vara nämnder (kind: committee)")
            if parent is not None and kind == "committee":
                c.add(item.line_of("kind"), "en nämnd kan inte ligga under en annan enhet")
            order += 1
            node = NodePlan(
                code=code,
                kind=kind,
                name=str(item.get("name", "")).strip(),
                parent_code=parent.code if parent else None,
                line=item.line,
                short_name=str(item.get("short_name", "") or ""),
                diarium_prefix=str(item.get("diarium_prefix", "") or ""),
                valid_from=_date(c, item, "valid_from")
                or (parent.valid_from if parent else dt.date(2000, 1, 1)),
                valid_to=_date(c, item, "valid_to"),
                is_result_unit=bool(item.get("result_unit", False)),
                is_intraprenad=bool(item.get("intraprenad", False)),
                predecessor_code=item.get("predecessor"),
                sort_order=order,
            )
            if node.valid_to and node.valid_to < node.valid_from:
                c.add(item.line_of("valid_to"), "valid_to ligger före valid_from")
            if kind == "committee" and not node.short_name:
                c.add(item.line, f"nämnden {node.name!r} saknar short_name (t.ex. AVUN)")
            plan.nodes.append(node)
            for dim in item.get("dimensions", None) or []:
                if not isinstance(dim, LineDict):
                    c.add(item.line_of("dimensions"), "dimensions ska vara en lista av mappningar")
                    continue
                _keys(c, dim, {"years", *DIMENSIONS}, {"years"}, "dimensionskopplingen")
                years = _years(c, dim)
                for dimension in DIMENSIONS & set(dim):
                    codes = dim[dimension]
                    if not isinstance(codes, list):
                        codes = [codes]
                    for value in codes:
                        for year in years:
                            plan.mappings.append(
                                MappingPlan(
                                    year, dimension, str(value), code, dim.line_of(dimension)
                                )
                            )
            if "children" in item:
                walk(item["children"], node)

    walk(data.get("nodes", []), None)
    codes = {n.code for n in plan.nodes}
    for node in plan.nodes:
        if node.predecessor_code and node.predecessor_code not in codes:
            c.add(node.line, f"föregångaren {node.predecessor_code!r} finns inte i filen")
    claimed: dict[tuple[int, str, str], MappingPlan] = {}
    for m in plan.mappings:
        key = (m.year, m.dimension, m.code)
        if key in claimed and claimed[key].node_code != m.node_code:
            c.add(
                m.line,
                f"{m.dimension} {m.code} år {m.year} är redan kopplad till "
                f"{claimed[key].node_code} (rad {claimed[key].line})",
            )
        claimed[key] = m

    for item in data.get("people", None) or []:
        if not isinstance(item, LineDict):
            c.add(data.line_of("people"), "people ska vara en lista av mappningar")
            continue
        _keys(c, item, {"name", "email", "title", "username", "roles"}, {"name"}, "personen")
        roles = []
        for grant in item.get("roles", None) or []:
            if not isinstance(grant, LineDict) or set(grant) != {"node", "role"}:
                c.add(item.line_of("roles"), "varje roll skrivs {node: KOD, role: ROLL}")
                continue
            if grant["role"] not in ROLES:
                c.add(grant.line, f"okänd roll {grant['role']!r} (tillåtna: {sorted(ROLES)})")
            if str(grant["node"]) not in codes:
                c.add(grant.line, f"enheten {grant['node']!r} finns inte i filen")
            roles.append((str(grant["node"]), str(grant["role"])))
        if roles and not item.get("username"):
            c.add(item.line, "en person med roller behöver ett username")
        plan.people.append(
            PersonPlan(
                name=str(item.get("name", "")),
                email=str(item.get("email", "") or ""),
                title=str(item.get("title", "") or ""),
                username=item.get("username"),
                roles=roles,
                line=item.line,
            )
        )
    return Read(None if c.errors else plan, c.all)
