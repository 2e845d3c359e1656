"""Read a committee's meeting file (YAML; docs/meetings.md) through the services.

The whole file is checked first; errors name file and line and nothing is stored when
there is one. Loading again updates in place and duplicates nothing; steps already taken
(kallelse sent, protocol justerat) are not repeated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from styra.lib.yamlfile import FileError, LineDict, YamlReadError, load_yaml
from styra.org.models import OrgNode, Person

from . import calc, services
from .models import (
    AttendanceKind,
    Case,
    DelegationCode,
    ItemKind,
    LegislativeTerm,
    Meeting,
    OrganizationKind,
    Post,
)


class MeetingFileError(Exception):
    def __init__(self, errors: list[FileError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class LoadResult:
    committee: OrgNode
    members: int
    meetings: int
    cases: int
    delegation_decisions: int
    warnings: tuple[str, ...]


SECTIONS = {
    "committee",
    "terms",
    "parties",
    "members",
    "delegation",
    "calendars",
    "cases",
    "delegation_decisions",
    "meetings",
}


def _check(path: Path, data) -> list[FileError]:
    """Structure and values; the services check the rules again when storing."""
    errors: list[FileError] = []
    file = str(path)

    def err(line: int, msg: str) -> None:
        errors.append(FileError(file, line, msg))

    if not isinstance(data, LineDict):
        return [FileError(file, 1, "filen ska vara en YAML-mappning med nyckeln committee")]
    for key in data:
        if key not in SECTIONS:
            err(data.line_of(key), f"okänd nyckel '{key}'")
    if "committee" not in data:
        err(1, "nyckeln committee (nämndens kod) saknas")

    def rows(key: str):
        value = data.get(key) or []
        if not isinstance(value, list):
            err(data.line_of(key), f"{key} ska vara en lista")
            return []
        return [r for r in value if isinstance(r, LineDict)]

    def date(row: LineDict, key: str, required: bool = True):
        value = row.get(key)
        if value is None:
            if required:
                err(row.line, f"'{key}' saknas")
            return None
        if isinstance(value, dt.datetime):
            return value
        if not isinstance(value, dt.date):
            err(row.line_of(key), f"'{key}': {value!r} är inget datum (ÅÅÅÅ-MM-DD)")
            return None
        return value

    for row in rows("members"):
        if row.get("post") not in Post.values:
            err(row.line_of("post"), f"post ska vara en av {', '.join(Post.values)}")
        if not row.get("name"):
            err(row.line, "name saknas")
    known_cases = set()
    for row in rows("cases"):
        try:
            known_cases.add(str(calc.DiaryNumber.parse(str(row.get("dnr", "")))))
        except ValueError as exc:
            err(row.line_of("dnr"), str(exc))
        if not row.get("title"):
            err(row.line, "title saknas")
    for row in rows("delegation_decisions"):
        date(row, "date")
        date(row, "date_to", required=False)
        for key in ("unit", "code", "decision", "role"):
            if not row.get(key):
                err(row.line, f"'{key}' saknas")
    for row in rows("calendars"):
        for day in row.get("dates") or []:
            if not isinstance(day, dt.date):
                err(row.line_of("dates"), f"{day!r} är inget datum")
    for row in rows("meetings"):
        date(row, "date")
        for item in row.get("items") or []:
            if isinstance(item, LineDict) and item.get("kind") not in ItemKind.values:
                err(item.line, f"kind ska vara en av {', '.join(ItemKind.values)}")
            if isinstance(item, LineDict) and item.get("case"):
                try:
                    number = str(calc.DiaryNumber.parse(str(item["case"])))
                except ValueError as exc:
                    err(item.line_of("case"), str(exc))
                    continue
                if number not in known_cases:
                    err(item.line_of("case"), f"ärendet {number} finns inte under cases")
        for a in row.get("attendance") or []:
            if isinstance(a, LineDict) and a.get("kind") not in AttendanceKind.values:
                err(a.line, f"kind ska vara en av {', '.join(AttendanceKind.values)}")
    return errors


def _time(value, default: str = "18:00") -> dt.time:
    if isinstance(value, int):  # YAML 1.1 reads 18:00 as sexagesimal 1080
        return dt.time(value // 60, value % 60)
    return dt.time.fromisoformat(str(value or default))


def _aware(day: dt.date, at: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at))


def meetings_load(*, path: Path | str) -> LoadResult:
    path = Path(path)
    try:
        data = load_yaml(path)
    except YamlReadError as exc:
        raise MeetingFileError([exc.error]) from exc
    errors = _check(path, data)
    committee = None
    if not errors:
        committee = OrgNode.objects.filter(code=data["committee"], kind="committee").first()
        if committee is None:
            errors.append(
                FileError(
                    str(path), data.line_of("committee"), f"nämnden {data['committee']} finns inte"
                )
            )
    if errors:
        raise MeetingFileError(errors)
    try:
        return _apply(path, data, committee)
    except calc.RuleViolation as exc:
        raise MeetingFileError([FileError(str(path), 1, str(exc))]) from exc


@transaction.atomic
def _apply(path: Path, data: LineDict, committee: OrgNode) -> LoadResult:
    muni = committee.municipality
    warnings: list[str] = []
    committee_org = services.organization_upsert(
        committee=committee,
        kind=OrganizationKind.COMMITTEE,
        name=committee.name,
        short_name=committee.short_name,
    )
    terms = []
    for row in data.get("terms") or []:
        term, _ = LegislativeTerm.objects.update_or_create(
            municipality=muni,
            name=row["name"],
            defaults={"start_date": row["start"], "end_date": row["end"]},
        )
        terms.append(term)
    parties = {
        row["short"]: services.organization_upsert(
            committee=committee,
            kind=OrganizationKind.PARTY,
            name=row["name"],
            short_name=row["short"],
        )
        for row in data.get("parties") or []
    }
    members = 0
    for row in data.get("members") or []:
        person = services.person_ensure(
            committee=committee,
            name=row["name"],
            title=row.get("title", ""),
            username=row.get("username", ""),
        )
        term = terms[0] if terms else None
        services.membership_add(
            organization=committee_org,
            person=person,
            post=row["post"],
            party=parties.get(row.get("party")),
            term=term,
            start_date=row.get("start") or (term.start_date if term else committee.valid_from),
            end_date=row.get("end") or (term.end_date if term else None),
        )
        members += 1
    codes = {
        row["code"]: services.delegation_code_upsert(
            committee=committee,
            code=row["code"],
            decision_type=row["type"],
            delegates=row["delegates"],
        )
        for row in data.get("delegation") or []
    }
    cases: dict[str, Case] = {}
    for row in data.get("cases") or []:
        number = calc.DiaryNumber.parse(str(row["dnr"]))
        fields = {
            key: str(row.get(key, "") or "").strip()
            for key in ("classification", *services.CASE_PAPER_TEXTS)
        }
        fields["recurring"] = bool(row.get("recurring", False))
        existing = Case.objects.filter(
            prefix=number.prefix, year=number.year, number=number.number
        ).first()
        if existing:
            changed = {k: v for k, v in fields.items() if getattr(existing, k) != v}
            if existing.title != row["title"]:
                changed["title"] = row["title"]
            case = services.case_update(case=existing, **changed) if changed else existing
        else:
            case = services.case_create(
                committee=committee, title=row["title"], dnr=str(number), **fields
            )
        cases[str(number)] = case
    decisions = 0
    for row in data.get("delegation_decisions") or []:
        unit = OrgNode.objects.get(municipality=muni, code=row["unit"])
        code = codes.get(row["code"]) or DelegationCode.objects.get(
            committee=committee, code=row["code"]
        )
        try:
            services.delegation_decision_register(
                unit=unit,
                code=code,
                date_from=row["date"],
                date_to=row.get("date_to"),
                decision=row["decision"],
                dnr=row.get("dnr", ""),
                delegate_role=row["role"],
                delegate_name=row.get("name", ""),
                personal_details=row.get("personal", ""),
                # registered on time: the file records decisions already reported
                now=_aware(row["date"], dt.time(9, 0)),
            )
        except calc.RuleViolation as exc:
            raise MeetingFileError([FileError(str(path), row.line, str(exc))]) from exc
        decisions += 1
    meetings = 0
    for row in data.get("meetings") or []:
        _meeting(path, row, committee, cases, warnings)
        meetings += 1
    for row in data.get("calendars") or []:
        decided = None
        if row.get("decided_at"):
            decided = Meeting.objects.filter(
                committee=committee, start__date=row["decided_at"]
            ).first()
        at = _time(row.get("time"))
        services.calendar_set(
            committee=committee,
            year=row["year"],
            starts=[_aware(d, at) for d in row["dates"]],
            place=row.get("place", ""),
            decided_at=decided,
        )
        meetings += len(row["dates"])
    return LoadResult(committee, members, meetings, len(cases), decisions, tuple(warnings))


def _person(committee: OrgNode, name: str) -> Person:
    return Person.objects.get(municipality=committee.municipality, name=name)


def _meeting(path, row: LineDict, committee: OrgNode, cases, warnings: list[str]) -> Meeting:
    from styra.finance.models import ReportingEvent

    start = _aware(row["date"], _time(row.get("time")))
    end = _aware(row["date"], _time(row["end"])) if row.get("end") else None
    meeting = services.meeting_create(
        committee=committee,
        start=start,
        end=end,
        place=row.get("place", ""),
        is_public=bool(row.get("public", False)),
    )
    codes = row.get("reporting_events") or []
    events = ReportingEvent.objects.filter(committee=committee, code__in=codes)
    meeting.reporting_events.add(*events)
    if meeting.is_justerat:
        return meeting  # nothing of a justerat meeting changes
    for item in row.get("items") or []:
        services.agenda_item_add(
            meeting=meeting,
            kind=item["kind"],
            title=item["title"],
            case=cases[str(calc.DiaryNumber.parse(str(item["case"])))]
            if item.get("case")
            else None,
            confidential=bool(item.get("confidential", False)),
        )
    if row.get("notice_sent") and meeting.notice_sent_on is None:
        for f in services.notice_produce(
            meeting=meeting, sent_on=row["notice_sent"], text=str(row.get("notice_text", ""))
        ):
            warnings.append(str(f))
    if row.get("first_paragraph"):
        services._claim_number(
            f"§{committee.code}", meeting.date.year, int(row["first_paragraph"]) - 1
        )
    if not row.get("items"):
        return meeting
    paragraphs = {p.item.order: p for p in services.protocol_open(meeting=meeting)}
    for order, decision in (row.get("decisions") or {}).items():
        p = paragraphs.get(int(order))
        if p is None:
            raise MeetingFileError(
                [FileError(str(path), row.line_of("decisions"), f"punkt {order} finns inte")]
            )
        if p.justerad_at is None:
            services.paragraph_update(
                paragraph=p,
                decision=decision.get("text"),
                reservations=decision.get("reservations"),
                immediate=bool(decision.get("immediate", False)),
            )
    for a in row.get("attendance") or []:
        services.attendance_set(
            meeting=meeting,
            person=_person(committee, a["name"]),
            kind=a["kind"],
            replaces=_person(committee, a["replaces"]) if a.get("replaces") else None,
            note=a.get("note", ""),
        )
    if row.get("adjusters"):
        services.adjusters_set(
            meeting=meeting,
            persons=[_person(committee, n) for n in row["adjusters"]],
            place=row.get("justering_place", ""),
        )
    if row.get("justerat"):
        when = row["justerat"]
        if isinstance(when, str):
            when = dt.datetime.fromisoformat(when)
        if isinstance(when, dt.datetime):
            when = timezone.make_aware(when) if timezone.is_naive(when) else when
        else:
            when = _aware(when, dt.time(10))
        user_model = get_user_model()
        for adjuster in meeting.adjusters.select_related("person__user"):
            user = adjuster.person.user or user_model.objects.filter(pk=adjuster.user_id).first()
            if user is None:
                raise MeetingFileError(
                    [
                        FileError(
                            str(path),
                            row.line_of("adjusters"),
                            f"{adjuster.person} saknar inloggning",
                        )
                    ]
                )
            warnings += [
                str(f) for f in services.protocol_approve(meeting=meeting, user=user, now=when)
            ]
        meeting.refresh_from_db()
    if row.get("anslag") and meeting.is_justerat:
        warnings += [str(f) for f in services.anslag_post(meeting=meeting, posted_on=row["anslag"])]
        services.protocol_render(meeting=meeting)
        services.dispatch_prepare(meeting=meeting)
    if row.get("publish") and meeting.is_justerat:
        services.protocol_publish(meeting=meeting)
    return meeting
