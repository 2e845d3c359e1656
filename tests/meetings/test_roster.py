"""The nämnd in the web (issue 15, point 1): members and ersättare with party, post and
term; the year's sammanträdesordning with reporting events placed on meetings; the
delegationsordning with versions. Services first, then the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from styra.calendar.models import ReportingEvent
from styra.demo.builder import DEMO_PASSWORD
from styra.meetings import calc, services
from styra.meetings.models import DelegationCode, Meeting, Membership, OrganizationKind, Post
from tests.actors import SYSTEM

from .conftest import aware


@pytest.fixture
def term(committee):
    return services.term_upsert(
        actor=SYSTEM,
        committee=committee,
        name="2019–2022",
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2022, 12, 31),
    )


@pytest.mark.django_db
def test_a_member_takes_the_terms_dates_and_gets_a_login(committee, term, cast):
    party = services.organization_upsert(
        actor=SYSTEM,
        committee=committee,
        kind=OrganizationKind.PARTY,
        name="Vänsterpartiet",
        short_name="V",
    )
    row = services.roster_member_add(
        actor=cast["sekreterare"],
        committee=committee,
        name="Ada Ersättare",
        post=Post.SUBSTITUTE,
        party=party,
        term=term,
        email="ada@kommun.example",
        username="ada",
    )
    assert (row.start_date, row.end_date) == (dt.date(2019, 1, 1), dt.date(2022, 12, 31))
    assert row.person.email == "ada@kommun.example"
    assert row.person.user.username == "ada"
    assert row.party.short_name == "V" and row.organization.node == committee
    # the login may read the committee's pages (kallelse, papers), nothing more
    from styra.org import access

    assert access.can(row.person.user, access.VIEW, committee)
    assert not access.can(row.person.user, access.MEETINGS, committee)


@pytest.mark.django_db
def test_the_secretary_cannot_hand_an_existing_login_to_a_member(committee, term, cast):
    from django.contrib.auth import get_user_model

    from styra.org.models import RoleGrant

    extern = get_user_model().objects.create_user("extern")
    for taken in ("controller", "admin", "extern"):
        before = set(RoleGrant.objects.filter(user__username=taken).values_list("node", "role"))
        with pytest.raises(ValueError, match="finns redan"):
            services.roster_member_add(
                actor=cast["sekreterare"],
                committee=committee,
                name=f"Maja {taken}",
                post=Post.MEMBER,
                term=term,
                username=taken,
            )
        after = set(RoleGrant.objects.filter(user__username=taken).values_list("node", "role"))
        assert after == before
        assert not Membership.objects.filter(person__name=f"Maja {taken}").exists()
    # the administrator may link an existing account on purpose, unless it is someone else's
    with pytest.raises(ValueError, match="hör redan till"):
        services.roster_member_add(
            actor=cast["admin"],
            committee=committee,
            name="Maja",
            post=Post.MEMBER,
            term=term,
            username="controller",
        )
    row = services.roster_member_add(
        actor=cast["admin"],
        committee=committee,
        name="Maja",
        post=Post.MEMBER,
        term=term,
        username="extern",
    )
    assert row.person.user == extern


@pytest.mark.django_db
def test_member_needs_a_start_and_a_known_post(committee):
    with pytest.raises(ValueError, match="från vilket datum"):
        services.roster_member_add(actor=SYSTEM, committee=committee, name="X", post=Post.MEMBER)
    with pytest.raises(ValueError, match="Okänt uppdrag"):
        services.roster_member_add(
            actor=SYSTEM, committee=committee, name="X", post="kung", start_date=dt.date(2020, 1, 1)
        )


@pytest.mark.django_db
def test_a_party_of_another_municipality_is_refused(committee):
    from styra.meetings.models import Organization
    from styra.org.models import Municipality

    other = Municipality.objects.create(name="Annan kommun", org_number="212000-0142")
    party = Organization.objects.create(
        municipality=other, kind=OrganizationKind.PARTY, name="Annat", short_name="A"
    )
    with pytest.raises(ValueError, match="kommunen"):
        services.roster_member_add(
            actor=SYSTEM,
            committee=committee,
            name="X",
            post=Post.MEMBER,
            start_date=dt.date(2020, 1, 1),
            party=party,
        )


@pytest.mark.django_db
def test_an_assignment_ends_and_stays_in_the_history(committee, term):
    row = services.roster_member_add(
        actor=SYSTEM, committee=committee, name="Bo", post=Post.MEMBER, term=term
    )
    services.membership_end(actor=SYSTEM, membership=row, end_date=dt.date(2020, 6, 30))
    row.refresh_from_db()
    assert row.end_date == dt.date(2020, 6, 30)
    assert not row.active_on(dt.date(2020, 7, 1))
    with pytest.raises(ValueError, match="började"):
        services.membership_end(actor=SYSTEM, membership=row, end_date=dt.date(2018, 1, 1))


@pytest.mark.django_db
def test_delegation_point_changes_become_versions(committee):
    first = services.delegation_code_upsert(
        actor=SYSTEM,
        committee=committee,
        code="B3",
        decision_type="Ledighet",
        delegates="Enhetschef",
        valid_from=dt.date(2020, 1, 1),
    )
    same = services.delegation_code_upsert(
        actor=SYSTEM,
        committee=committee,
        code="B3",
        decision_type="Ledighet",
        delegates="Enhetschef",
        valid_from=dt.date(2020, 6, 1),
    )
    assert same.pk == first.pk  # nothing changed: no new version
    second = services.delegation_code_upsert(
        actor=SYSTEM,
        committee=committee,
        code="B3",
        decision_type="Ledighet",
        delegates="Verksamhetschef",
        valid_from=dt.date(2020, 7, 1),
    )
    first.refresh_from_db()
    assert first.valid_to == dt.date(2020, 6, 30) and second.valid_to is None
    assert DelegationCode.objects.filter(committee=committee, code="B3").count() == 2
    with pytest.raises(ValueError, match="senare dag"):
        services.delegation_code_upsert(
            actor=SYSTEM,
            committee=committee,
            code="B3",
            decision_type="Ledighet",
            delegates="Chef",
            valid_from=dt.date(2020, 7, 1),
        )
    # a decision follows the version valid on its day
    unit = committee.children.first() if hasattr(committee, "children") else None
    from styra.org.models import OrgNode

    unit = OrgNode.objects.get(municipality=committee.municipality, code="JC")
    services.delegation_decision_register(
        actor=SYSTEM,
        unit=unit,
        code=first,
        date_from=dt.date(2020, 3, 2),
        decision="Ledighet beviljad",
        delegate_role="Enhetschef",
    )
    with pytest.raises(calc.RuleViolation, match="gällde inte"):
        services.delegation_decision_register(
            actor=SYSTEM,
            unit=unit,
            code=first,
            date_from=dt.date(2020, 8, 3),
            decision="Ledighet beviljad",
            delegate_role="Enhetschef",
        )
    with pytest.raises(calc.RuleViolation, match="får inte"):
        services.delegation_decision_register(
            actor=SYSTEM,
            unit=unit,
            code=second,
            date_from=dt.date(2020, 8, 3),
            decision="Ledighet beviljad",
            delegate_role="Enhetschef",
        )


@pytest.mark.django_db
def test_a_reporting_event_sits_on_one_meeting_of_its_committee(committee, node):
    a = services.meeting_create(
        actor=SYSTEM, committee=committee, start=aware(2020, 9, 10), place="K"
    )
    b = services.meeting_create(
        actor=SYSTEM, committee=committee, start=aware(2020, 10, 8), place="K"
    )
    event = ReportingEvent.objects.create(
        committee=committee, code="2020-D2", year=2020, cutoff_period=8
    )
    services.reporting_event_place(actor=SYSTEM, event=event, meeting=a)
    services.reporting_event_place(actor=SYSTEM, event=event, meeting=b)
    assert list(event.meetings.all()) == [b]
    services.reporting_event_place(actor=SYSTEM, event=event, meeting=None)
    assert not event.meetings.exists()
    sn_meeting = services.meeting_create(
        actor=SYSTEM, committee=node("SN"), start=aware(2020, 9, 10), place="K"
    )
    with pytest.raises(ValueError, match="annan nämnd"):
        services.reporting_event_place(actor=SYSTEM, event=event, meeting=sn_meeting)


@pytest.mark.django_db
def test_roster_pages_post_through_the_services(client, cast, committee, term):
    assert client.login(username="sekreterare", password=DEMO_PASSWORD)
    url = reverse("meetings_roster", args=[committee.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {"action": "member", "name": "Cecilia Ordförande", "post": "chair", "term": term.pk},
    )
    assert response.status_code == 302
    row = Membership.objects.get(person__name="Cecilia Ordförande")
    assert row.post == Post.CHAIR and row.end_date == dt.date(2022, 12, 31)
    # an unknown membership id of another committee is not found, never changed
    response = client.post(url, {"action": "end", "membership": 999999, "end_date": "2020-01-01"})
    assert response.status_code == 404
    # an incomplete form shows the errors and keeps the typed name
    response = client.post(url, {"action": "member", "name": "Utan uppdrag"})
    assert response.status_code == 200
    assert "Utan uppdrag" in response.content.decode()
    # the ledamot may not open it; the controller neither (no MEETINGS right)
    client.logout()
    assert client.login(username="ledamot", password=DEMO_PASSWORD)
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_calendar_page_makes_the_years_meetings(client, cast, committee):
    assert client.login(username="sekreterare", password=DEMO_PASSWORD)
    url = reverse("meetings_calendar", args=[committee.pk])
    response = client.post(
        url,
        {
            "action": "calendar",
            "year": 2021,
            "dates": "2021-02-11\n2021-03-18\n2021-02-11",
            "time": "18:00",
            "place": "Kommunhuset",
        },
    )
    assert response.status_code == 302
    days = [m.date for m in Meeting.objects.filter(committee=committee, start__year=2021)]
    assert days == [dt.date(2021, 2, 11), dt.date(2021, 3, 18)]
    bad = client.post(
        url,
        {"action": "calendar", "year": 2021, "dates": "2021-13-40", "time": "18:00", "place": "K"},
    )
    assert bad.status_code == 200 and "2021-13-40" in bad.content.decode()
    wrong_year = client.post(
        url,
        {"action": "calendar", "year": 2021, "dates": "2022-01-13", "time": "18:00", "place": "K"},
        follow=True,
    )
    assert "ligger inte i 2021" in wrong_year.content.decode()


def test_membership_end_refuses_another_committees_secretary(committee, node, cast, term, db):
    row = services.roster_member_add(
        actor=SYSTEM, committee=committee, name="Bo", post=Post.MEMBER, term=term
    )
    with pytest.raises(PermissionDenied):
        services.membership_end(
            actor=cast["controller"], membership=row, end_date=dt.date(2020, 6, 30)
        )
