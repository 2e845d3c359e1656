"""Roll-call and votes (issue 15, point 3): attendance from the roster in one go, an
ersättare serving for a member from a paragraph, justerare among those present, and a
votering whose totals are counted from each member's vote."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from styra.meetings import calc, services
from styra.meetings.models import ItemKind
from styra.meetings.services import RollCallRow
from tests.actors import SYSTEM

from .conftest import aware

D, S, P, A = "deciding", "serving", "present", "absent"


@given(st.lists(st.sampled_from([calc.YES, calc.NO, calc.ABSTAIN]), max_size=60))
def test_totals_are_counted_from_the_votes(choices):
    totals = calc.vote_totals(choices)
    assert totals.voted == len(choices)
    assert (totals.yes, totals.no, totals.abstain) == (
        sum(c == calc.YES for c in choices),
        sum(c == calc.NO for c in choices),
        sum(c == calc.ABSTAIN for c in choices),
    )


def test_a_tie_is_decided_by_the_chair_and_otherwise_refused():
    assert calc.vote_outcome(calc.VoteTotals(3, 2, 0), calc.NO) == calc.YES
    assert calc.vote_outcome(calc.VoteTotals(2, 2, 1), calc.NO) == calc.NO
    with pytest.raises(calc.RuleViolation, match="Lika röstetal"):
        calc.vote_outcome(calc.VoteTotals(2, 2, 1), calc.ABSTAIN)


def test_serving_follows_the_paragraph_ranges():
    rows = [
        calc.Presence(1, D),
        calc.Presence(2, D, last=47),  # leaves after § 47
        calc.Presence(3, S, replaces=2, first=48),
        calc.Presence(4, P),
        calc.Presence(5, A),
    ]
    assert calc.serving_on(rows, 46) == {1, 2}
    assert calc.serving_on(rows, 48) == {1, 3}
    assert calc.check_roll_call(rows, {1, 2, 5}, {}) == []


def test_roll_call_problems_are_named():
    names = {1: "Ann", 2: "Bo", 3: "Cia", 4: "Dan"}
    problems = calc.check_roll_call(
        [
            calc.Presence(1, D),
            calc.Presence(3, S, replaces=1),  # Ann decides herself
            calc.Presence(4, S, replaces=None),
            calc.Presence(2, D, first=50, last=40),
        ],
        {1, 2},
        names,
    )
    text = " ".join(problems)
    assert "Cia ersätter Ann, som själv tjänstgör" in text
    assert "Dan tjänstgör men ersätter ingen" in text
    assert "Bo: till § 40 ligger före från § 50" in text


@pytest.fixture
def held(committee, members):
    meeting = services.meeting_create(
        actor=SYSTEM, committee=committee, start=aware(2020, 9, 10), place="Kommunhuset"
    )
    services.agenda_item_add(actor=SYSTEM, meeting=meeting, kind=ItemKind.DECISION, title="A")
    services.agenda_item_add(actor=SYSTEM, meeting=meeting, kind=ItemKind.DECISION, title="B")
    paragraphs = services.protocol_open(actor=SYSTEM, meeting=meeting)
    return meeting, paragraphs


@pytest.mark.django_db
def test_roll_call_with_a_serving_substitute_and_a_vote(held, members):
    meeting, (p1, p2) = held
    chair, lena, per = (members[n] for n in ("Ing-Marie Viklund", "Lena Ledamot", "Per Holmberg"))
    sub = members["Fatima Yilmaz"]
    services.roll_call_set(
        actor=SYSTEM,
        meeting=meeting,
        rows=[
            RollCallRow(chair, D),
            RollCallRow(lena, D),
            RollCallRow(per, A),
            RollCallRow(sub, S, replaces=per, first=p2.number),
        ],
    )
    assert calc.serving_on(services._presences(meeting), p2.number) == {
        chair.pk,
        lena.pk,
        sub.pk,
    }
    with pytest.raises(calc.RuleViolation, match="Röst saknas för Fatima Yilmaz"):
        services.vote_record(
            actor=SYSTEM,
            paragraph=p2,
            yes_proposal="Bifall",
            no_proposal="Avslag",
            ballots={chair: calc.YES, lena: calc.NO},
        )
    with pytest.raises(calc.RuleViolation, match="Fatima Yilmaz tjänstgör inte"):
        services.vote_record(
            actor=SYSTEM,
            paragraph=p1,
            yes_proposal="Bifall",
            no_proposal="Avslag",
            ballots={chair: calc.YES, lena: calc.NO, sub: calc.NO},
        )
    vote = services.vote_record(
        actor=SYSTEM,
        paragraph=p2,
        yes_proposal="Bifall",
        no_proposal="Avslag",
        ballots={chair: calc.YES, lena: calc.NO, sub: calc.NO},
    )
    assert (vote.totals().yes, vote.totals().no, vote.totals().abstain) == (1, 2, 0)
    assert vote.outcome == calc.NO and vote.winning_proposal == "Avslag"
    # a tie: the chair's vote decides
    tie = services.vote_record(
        actor=SYSTEM,
        paragraph=p1,
        yes_proposal="Bifall",
        no_proposal="Avslag",
        ballots={chair: calc.YES, lena: calc.NO},
    )
    assert tie.outcome == calc.YES
    # justerare among those present only
    with pytest.raises(calc.RuleViolation, match="Per Holmberg är inte närvarande"):
        services.adjusters_set(actor=SYSTEM, meeting=meeting, persons=[lena, per])
    services.adjusters_set(actor=SYSTEM, meeting=meeting, persons=[chair, lena])
    assert meeting.adjusters.count() == 2


@pytest.mark.django_db
def test_roll_call_refuses_a_substitute_as_deciding_member(held, members):
    meeting, _ = held
    with pytest.raises(calc.RuleViolation, match="Fatima Yilmaz är ersättare"):
        services.roll_call_set(
            actor=SYSTEM, meeting=meeting, rows=[RollCallRow(members["Fatima Yilmaz"], D)]
        )
    assert not meeting.attendance.exists()


@pytest.mark.django_db
def test_published_vote_is_an_oparl_extension_valid_against_both_schemas(held, members):
    """The agenda item with its vote validates against OParl's draft-07 AgendaItem schema
    and its `styra:vote` against Styra's own schema; a wrong total would not."""
    import json

    from jsonschema import Draft7Validator

    from styra.meetings import oparl

    from .test_oparl import draft07_validators

    meeting, (p1, _p2) = held
    chair, lena = members["Ing-Marie Viklund"], members["Lena Ledamot"]
    services.roll_call_set(
        actor=SYSTEM, meeting=meeting, rows=[RollCallRow(chair, D), RollCallRow(lena, D)]
    )
    services.vote_record(
        actor=SYSTEM,
        paragraph=p1,
        yes_proposal="Bifall",
        no_proposal="Avslag",
        ballots={chair: calc.YES, lena: calc.ABSTAIN},
    )
    meeting.protocol_published = True
    meeting.notice_sent_on = meeting.date
    meeting.save()
    data = oparl.agenda_item(oparl.Urls("https://styra.example"), p1.item)
    errors = list(draft07_validators()["AgendaItem"].iter_errors(data))
    assert errors == []
    extension = Draft7Validator(json.loads(oparl.VOTE_SCHEMA.read_text()))
    vote = data[oparl.VOTE_EXTENSION]
    assert list(extension.iter_errors(vote)) == []
    assert (vote[0]["yes"], vote[0]["no"], vote[0]["abstain"], vote[0]["result"]) == (
        1,
        0,
        1,
        "yes",
    )
    assert {v["name"]: v["vote"] for v in vote[0]["votes"]} == {
        "Ing-Marie Viklund": "yes",
        "Lena Ledamot": "abstain",
    }
    vote[0]["result"] = "maybe"
    assert list(extension.iter_errors(vote)) != []
