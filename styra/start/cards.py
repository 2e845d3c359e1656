"""The start page: for each role the user holds, what to do next.

controller: the open reporting event, who has not marked a forecast ready, the deviation,
  a chart of budget against forecast per unit, and the state grants' deadlines;
editor (unit manager): the forecast form of each open event for the unit, goals to report;
secretary: the next meeting and protocols waiting for justering or anslag;
reader: the committee's follow-up and goals.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from styra.calendar import clock
from styra.calendar.models import EventStatus, ReportingEvent
from styra.finance import figures as finance
from styra.lib.eventcodes import EventKind
from styra.lib.numbers import format_mnkr
from styra.lib.svgchart import Series, hbar_chart
from styra.org import access
from styra.org.models import NodeKind, Role
from styra.planning import selectors as planning


def _open_event(committee):
    """The first open follow-up event; a year event (the yttrande's budget year, a
    yearly document) has no forecasts to chase."""
    events = ReportingEvent.objects.filter(committee=committee, status=EventStatus.OPEN)
    for event in events.order_by("year", "cutoff_period"):
        try:
            kind = event.parsed_code.kind
        except ValueError:
            kind = None
        if kind is not EventKind.YEAR:
            return event
    return None


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
    status_url = reverse("status_view", kwargs={"node_id": committee.pk})
    card["links"].insert(0, (status_url, "Läget per enhet"))
    card["links"].append(
        (reverse("admin_home", kwargs={"node_id": committee.pk}), "Administration")
    )
    _grant_lines(committee, card)
    if event is None:
        card["lines"].append("Inget rapporttillfälle är öppet.")
        card["next"] = {
            "text": "Lägg upp nästa rapporttillfälle.",
            "url": reverse("admin_events", kwargs={"node_id": committee.pk}),
            "label": "Rapporttillfällen",
            "late": False,
        }
        return card
    fu = finance.follow_up(committee, event)
    late = event.deadline is not None and clock.today() > event.deadline
    deadline = (
        f" (sista dag {event.deadline:%Y-%m-%d}{', passerad' if late else ''})"
        if event.deadline
        else ""
    )
    if fu.missing:
        card["next"] = {
            "text": f"{event.name}{deadline}: prognos saknas från",
            "units": [
                (
                    u.name,
                    reverse("forecast_form", kwargs={"node_id": u.pk, "event_code": event.code}),
                )
                for u in fu.missing
            ],
            "url": f"{status_url}?handelse={event.code}",
            "label": "Se läget och skicka påminnelse",
            "late": late,
        }
    else:
        card["next"] = {
            "text": f"{event.name}: alla prognoser är klarmarkerade; sätt ihop rapporten.",
            "url": reverse("reports_home"),
            "label": "Rapporter",
            "late": False,
        }
    net = fu.total.net
    word = "överskott" if net.deviation >= 0 else "underskott"
    card["lines"].append(
        f"Nämnden prognostiserar ett {word} på {format_mnkr(abs(net.deviation))} mkr "
        f"(prognos {format_mnkr(net.forecast)} mot budget {format_mnkr(net.budget)} mkr)."
    )
    labels = [uf.unit.name for uf in fu.units if uf.net.budget or uf.net.forecast]
    units = [uf for uf in fu.units if uf.net.budget or uf.net.forecast]
    card["chart"] = hbar_chart(
        f"Budget och prognos per verksamhet, {event.name}",
        "Liggande stapeldiagram med helårsbudget och helårsprognos netto per verksamhet i "
        "tkr; samma siffror står i tabellen bredvid.",
        labels,
        [
            Series("Budget", [uf.net.budget for uf in units]),
            Series("Prognos", [uf.net.forecast for uf in units]),
        ],
        width=560,
    )
    card["table"] = [
        (uf.unit.name, uf.net.budget, uf.net.forecast, uf.net.deviation) for uf in units
    ]
    return card


def _grant_lines(committee, card) -> None:
    """State grant deadlines within 60 days either side of today (styra.planning)."""
    deadlines = planning.committee_grant_deadlines(committee, clock.today())
    for d in deadlines:
        when = {"passed": " – passerat", "soon": " – inom 30 dagar"}.get(d.state, "")
        card["lines"].append(f"Statsbidrag {d.grant.name}: {d.label} {d.date:%Y-%m-%d}{when}.")
    card["links"].append(
        (reverse("planning_grants", kwargs={"node_id": committee.pk}), "Statsbidrag")
    )


def _editor_cards(user, nodes) -> list[dict]:
    cards = []
    for unit in nodes:
        committee = unit.committee()
        if committee is None:
            continue
        card = {"kind": "editor", "title": f"Enhetschef – {unit.name}", "links": [], "lines": []}
        events = ReportingEvent.objects.filter(
            committee=committee, status=EventStatus.OPEN
        ).order_by("year", "cutoff_period")
        for event in events:
            ready = event.ready.filter(unit=unit).exists()
            url = reverse("forecast_form", kwargs={"node_id": unit.pk, "event_code": event.code})
            if ready:
                card["lines"].append(f"{event.name}: din prognos är klarmarkerad.")
            else:
                deadline = f" senast {event.deadline:%Y-%m-%d}" if event.deadline else ""
                late = event.deadline is not None and clock.today() > event.deadline
                if "next" not in card:
                    card["next"] = {
                        "text": f"{event.name}: lämna och klarmarkera prognosen{deadline}"
                        + (" – sista dagen har passerat." if late else "."),
                        "url": url,
                        "label": f"Öppna prognosen för {unit.name}",
                        "late": late,
                    }
                else:
                    card["lines"].append(
                        f"{event.name}: lämna och klarmarkera prognosen{deadline}."
                    )
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
    _reply_items(committee, card)
    card["links"].append((reverse("meetings_list"), "Alla sammanträden"))
    card["links"].append((reverse("meetings_cases"), "Ärenden"))
    return card


def _reply_items(committee, card) -> None:
    """Remisser and revisionsfrågor past their svarsdatum or due within two weeks."""
    from styra.meetings import calc as meetings_calc
    from styra.meetings import selectors as meetings

    today = clock.today()
    rows = meetings.cases_awaiting_reply(committee, today)
    if not rows:
        return
    card["due_heading"] = "Remisser och revisionsfrågor att besvara"
    card["due"] = [
        {
            "url": reverse("meetings_case", kwargs={"case_id": case.pk}),
            "text": f"{case.get_reply_kind_display()} {case.dnr}: {case.title}",
            "when": f"svarsdatum {case.reply_due:%Y-%m-%d} "
            f"({meetings_calc.reply_when(case.reply_due, today)})",
            "late": state == "overdue",
        }
        for case, state in rows
    ]


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
    from styra.control.selectors import start_card as control_card

    card = control_card(user, clock.today())
    if card is not None:
        cards.insert(0, card)  # what this person must do comes first
    return cards
