"""The start page: for each role the user holds, what to do next.

controller: the open reporting event, who has not marked a forecast ready, the deviation,
  a chart of budget against forecast per unit;
editor (unit manager): the forecast form of each open event for the unit, goals to report;
secretary: the next meeting and protocols waiting for justering or anslag;
reader: the committee's follow-up and goals.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from styra.finance import selectors as finance
from styra.finance.models import EventStatus, ReportingEvent
from styra.lib.numbers import format_mnkr
from styra.lib.svgchart import Series, bar_chart
from styra.org import access
from styra.org.models import NodeKind, Role

from . import clock


def _open_event(committee):
    return (
        ReportingEvent.objects.filter(committee=committee, status=EventStatus.OPEN)
        .order_by("year", "cutoff_period")
        .first()
    )


def _controller_card(committee) -> dict:
    event = _open_event(committee)
    card = {
        "kind": "controller",
        "title": f"Controller – {committee.name}",
        "links": [],
        "lines": [],
    }
    card["links"].append(
        (reverse("finance_grid", kwargs={"node_id": committee.pk}), "Uppföljningen")
    )
    card["links"].append(
        (reverse("event_list", kwargs={"node_id": committee.pk}), "Rapporttillfällen")
    )
    if event is None:
        card["lines"].append("Inget rapporttillfälle är öppet.")
        return card
    fu = finance.follow_up(committee, event)
    missing = [u.name for u in fu.missing]
    card["lines"].append(
        f"{event.name}: "
        + (
            f"prognos saknas från {', '.join(missing)}."
            if missing
            else "alla prognoser är klarmarkerade."
        )
    )
    net = fu.total.net
    word = "överskott" if net.deviation >= 0 else "underskott"
    card["lines"].append(
        f"Nämnden prognostiserar ett {word} på {format_mnkr(abs(net.deviation))} mkr "
        f"(prognos {format_mnkr(net.forecast)} mot budget {format_mnkr(net.budget)} mkr)."
    )
    labels = [uf.unit.name for uf in fu.units if uf.net.budget or uf.net.forecast]
    units = [uf for uf in fu.units if uf.net.budget or uf.net.forecast]
    card["chart"] = bar_chart(
        f"Budget och prognos per verksamhet, {event.name}",
        "Stapeldiagram med helårsbudget och helårsprognos netto per verksamhet i tkr; "
        "samma siffror finns i uppföljningen.",
        labels,
        [
            Series("Budget", [uf.net.budget for uf in units]),
            Series("Prognos", [uf.net.forecast for uf in units]),
        ],
        width=560,
        height=260,
    )
    card["table"] = [
        (uf.unit.name, uf.net.budget, uf.net.forecast, uf.net.deviation) for uf in units
    ]
    return card


def _editor_cards(user, nodes) -> list[dict]:
    cards = []
    for unit in nodes:
        committee = unit.committee()
        if committee is None:
            continue
        card = {"kind": "editor", "title": f"Enhetschef – {unit.name}", "links": [], "lines": []}
        for event in ReportingEvent.objects.filter(committee=committee, status=EventStatus.OPEN):
            ready = event.ready.filter(unit=unit).exists()
            url = reverse("forecast_form", kwargs={"node_id": unit.pk, "event_code": event.code})
            if ready:
                card["lines"].append(f"{event.name}: din prognos är klarmarkerad.")
            else:
                deadline = f" senast {event.deadline:%Y-%m-%d}" if event.deadline else ""
                card["lines"].append(f"{event.name}: lämna och klarmarkera prognosen{deadline}.")
            card["links"].append((url, f"Prognos {event.name}"))
        card["links"].append(
            (reverse("goals_overview", kwargs={"node_id": unit.pk}), "Mål och mått")
        )
        cards.append(card)
    return cards


def _secretary_card(committee) -> dict:
    from styra.meetings.models import Meeting

    card = {
        "kind": "secretary",
        "title": f"Nämndsekreterare – {committee.name}",
        "links": [],
        "lines": [],
    }
    now = clock.now()
    upcoming = Meeting.objects.filter(committee=committee, start__gte=now).order_by("start").first()
    if upcoming is not None:
        card["lines"].append(
            f"Nästa sammanträde: {timezone.localtime(upcoming.start):%Y-%m-%d kl. %H.%M}."
        )
        card["links"].append(
            (
                reverse("meetings_detail", kwargs={"meeting_id": upcoming.pk}),
                "Öppna nästa sammanträde",
            )
        )
    else:
        card["lines"].append("Inget kommande sammanträde är inlagt.")
    card["links"].append((reverse("meetings_list"), "Alla sammanträden"))
    card["links"].append((reverse("meetings_cases"), "Ärenden"))
    return card


def _reader_card(committee) -> dict:
    card = {"kind": "reader", "title": committee.name, "links": [], "lines": []}
    event = (
        ReportingEvent.objects.filter(committee=committee)
        .order_by("-year", "-cutoff_period")
        .first()
    )
    if event is not None:
        fu = finance.follow_up(committee, event)
        dev = fu.total.net.deviation
        card["lines"].append(
            f"{event.name}: prognos {format_mnkr(fu.total.net.forecast)} mkr, "
            f"avvikelse {format_mnkr(dev, plus=True)} mkr mot budget."
        )
    card["links"].append((reverse("finance_grid", kwargs={"node_id": committee.pk}), "Ekonomin"))
    card["links"].append(
        (reverse("goals_overview", kwargs={"node_id": committee.pk}), "Mål och mått")
    )
    return card


def start_cards(user) -> list[dict]:
    summary = access.roles_summary(user)
    cards: list[dict] = []
    seen: set[tuple[str, int]] = set()

    def add(kind, node, card):
        if (kind, node.pk) not in seen:
            seen.add((kind, node.pk))
            cards.append(card)

    for role in (Role.ADMINISTRATOR, Role.CONTROLLER):
        for node in summary.get(role, []):
            committee = node.committee()
            if committee is not None:
                add("controller", committee, _controller_card(committee))
    editor_nodes = [n for n in summary.get(Role.EDITOR, []) if n.kind != NodeKind.COMMITTEE]
    for card in _editor_cards(user, editor_nodes):
        cards.append(card)
    for role in (Role.ADMINISTRATOR, Role.SECRETARY):
        for node in summary.get(role, []):
            committee = node.committee()
            if committee is not None:
                add("secretary", committee, _secretary_card(committee))
    for node in summary.get(Role.READER, []):
        committee = node.committee()
        if committee is not None:
            add("reader", committee, _reader_card(committee))
    return cards
