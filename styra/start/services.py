"""Writes of the start layer: reminders about a reporting event's open work, by e-mail
through Django's mail framework (settings in docs/install.md)."""

from __future__ import annotations

from django.core.mail import EmailMessage, get_connection

from styra.lib.errors import UsageError
from styra.org import access

from . import status


def reminder_send(*, actor, event, unit, site_url: str) -> list[str]:
    """E-mail the people who report for `unit` what is still open at `event`, with links
    (`site_url`: the address of this Styra, e.g. https://styra.kommun.se). Returns the
    addresses written to; UsageError when nothing is open or nobody has an address."""
    committee = event.committee
    access.require(actor, access.FINANCE, committee)
    rows = [r for r in status.event_status(committee, event, _today()) if r.unit.pk == unit.pk]
    if not rows or not rows[0].open_work:
        raise UsageError(f"{unit.name} har inget kvar att göra för {event.name}.")
    row = rows[0]
    if not row.responsible:
        raise UsageError(
            f"Ingen som rapporterar för {unit.name} har en e-postadress; lägg till den under "
            "Användare och behörigheter."
        )
    base = site_url.rstrip("/")
    lines = [
        "Hej!",
        "",
        f"{committee.name} sammanställer {event.name}."
        + (f" Sista dag för underlaget är {event.deadline:%Y-%m-%d}." if event.deadline else ""),
        f"Det här återstår för {unit.name}:",
        "",
    ]
    if row.forecast is not None and row.forecast.state != status.State.DONE:
        lines.append(f"- Prognos: {row.forecast.label.lower()}. {base}{row.forecast_url}")
    if row.texts is not None and row.texts.state != status.State.DONE:
        lines.append(f"- Texter: {row.texts.label.lower()}.")
        lines.extend(f"  {heading}: {base}{url}" for url, heading in row.text_links)
    if row.goals is not None and row.goals.state != status.State.DONE:
        lines.append(f"- Måttvärden: {row.goals.label.lower()}. {base}{row.goals_url}")
    if row.volumes is not None and row.volumes.state != status.State.DONE:
        lines.append(f"- Volymer: {row.volumes.label.lower()}. {base}{row.volumes_url}")
    if row.analyses is not None and row.analyses.state != status.State.DONE:
        lines.append(f"- Analyser av nämndmål: {row.analyses.label.lower()}. {base}{row.goals_url}")
    sender = getattr(actor, "get_full_name", lambda: "")() or str(actor)
    lines += ["", f"Hälsningar {sender}", "(skickat från Styra)"]
    subject = f"Påminnelse: {event.name}, {unit.name}"
    body = "\n".join(lines)
    connection = get_connection()
    # One message per person: no one sees the others' addresses.
    messages = [EmailMessage(subject, body, to=[address]) for address in row.responsible]
    connection.send_messages(messages)
    return list(row.responsible)


def _today():
    from styra.web import clock

    return clock.today()
