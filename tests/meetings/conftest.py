"""Fixtures for meetings: files go to a temporary MEDIA_ROOT; a small committee with
members (two of them with logins, to approve protocols as justerare)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.actors import SYSTEM


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def committee(node):
    return node("AVUN")


@pytest.fixture
def members(committee, cast):
    """Chair (login 'ordforande'), Lena Ledamot (login 'ledamot'), one more member, one
    substitute and the secretary."""
    return make_members(committee)


def make_members(committee):
    """The members of the `members` fixture, for module-scoped fixtures that build their own
    organisation."""
    from django.contrib.auth import get_user_model

    from styra.demo.builder import DEMO_PASSWORD
    from styra.meetings import services
    from styra.meetings.models import OrganizationKind, Post

    org = services.organization_upsert(
        actor=SYSTEM,
        committee=committee,
        kind=OrganizationKind.COMMITTEE,
        name=committee.name,
        short_name="AVUN",
    )
    party = services.organization_upsert(
        actor=SYSTEM,
        committee=committee,
        kind=OrganizationKind.PARTY,
        name="Socialdemokraterna",
        short_name="S",
    )
    people = {}
    for name, post, username in [
        ("Ing-Marie Viklund", Post.CHAIR, "ordforande"),
        ("Lena Ledamot", Post.MEMBER, ""),
        ("Per Holmberg", Post.MEMBER, ""),
        ("Fatima Yilmaz", Post.SUBSTITUTE, ""),
        ("Annette Westerberg", Post.SECRETARY, ""),
    ]:
        person = services.person_ensure(
            actor=SYSTEM, committee=committee, name=name, username=username
        )
        services.membership_add(
            actor=SYSTEM,
            organization=org,
            person=person,
            post=post,
            party=party if post != Post.SECRETARY else None,
            start_date=dt.date(2019, 1, 1),
            end_date=dt.date(2030, 12, 31),
        )
        people[name] = person
    chair_user = get_user_model().objects.get(username="ordforande")
    chair_user.set_password(DEMO_PASSWORD)
    chair_user.save()
    return people


def aware(y, m, d, hh=18, mm=0):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


def write_decisions(meeting, text="Nämnden beslutar enligt förslaget."):
    """Every paragraph without a decision text gets one (needed before justering)."""
    from styra.meetings import services

    for p in meeting.paragraphs.filter(decision=""):
        services.paragraph_update(actor=SYSTEM, paragraph=p, decision=text)
