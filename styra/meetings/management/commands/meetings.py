"""styra meetings load FIL | list | dates DATUM."""

from __future__ import annotations

import datetime as dt

from styra.command import Fel, StyraCommand
from styra.meetings import calc
from styra.meetings.models import Meeting
from styra.meetings.services import meetings_load


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise Fel(f"{value!r} är inget datum (ÅÅÅÅ-MM-DD).", returncode=2) from exc


class Command(StyraCommand):
    help = (
        "Sammanträden: läs in ledamöter, kalender och ärenden, lista sammanträden "
        "och räkna ut kommunallagens datum."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
        load = sub.add_parser(
            "load",
            help="Läs in en sammanträdesfil (YAML, docs/meetings.md).",
            description=(
                "Läser in mandatperioder, partier, ledamöter och ersättare, delegationsordning, "
                "sammanträdesordning, ärenden, delegationsbeslut och sammanträden. En fil med "
                "fel läses inte in alls; felen visas med filnamn och radnummer."
            ),
        )
        load.add_argument("file", metavar="FIL")
        sub.add_parser("list", help="Lista sammanträden med status och justeringsdatum.")
        dates = sub.add_parser(
            "dates",
            help="Räkna ut kommunallagens datum för ett protokoll.",
            description=(
                "Sista dag för justering (14 dagar), sista dag för anslag (andra dagen efter "
                "justeringen), sista dag för överklagande och när anslaget får tas ner."
            ),
        )
        dates.add_argument("meeting", metavar="SAMMANTRÄDESDAG", help="ÅÅÅÅ-MM-DD")
        dates.add_argument("--justerat", metavar="DATUM", help="justeringsdag")
        dates.add_argument("--anslag", metavar="DATUM", help="dag då anslaget sattes upp")

    def handle(self, *args, action, **options):
        if action == "load":
            return self._load(options["file"])
        if action == "list":
            for m in Meeting.objects.select_related("committee").order_by("start"):
                d = m.dates()
                self.stdout.write(
                    f"{m.date.isoformat()}  {m.committee.short_name or m.committee.name}  "
                    f"{m.get_status_display()}  justeras senast {d.justering_deadline.isoformat()}"
                    + (f", justerat {d.justerat.isoformat()}" if d.justerat else "")
                )
            return None
        return self._dates(options)

    def _load(self, file: str) -> None:
        result = meetings_load(actor=self.actor, path=file)
        for warning in result.warnings:
            self.stdout.write(f"Varning: {warning}")
        self.stdout.write(
            f"{result.committee.name}: {result.members} uppdrag, {result.cases} ärenden, "
            f"{result.meetings} sammanträden, {result.delegation_decisions} delegationsbeslut."
        )

    def _dates(self, options) -> None:
        meeting = _date(options["meeting"])
        justerat = _date(options["justerat"]) if options.get("justerat") else None
        anslag = _date(options["anslag"]) if options.get("anslag") else None
        problems = []
        try:
            if justerat:
                problems += calc.check_justering(meeting, justerat)
            if justerat and anslag:
                problems += calc.check_anslag(justerat, anslag, accept_late=True)
        except calc.RuleViolation as exc:
            raise Fel(str(exc), returncode=1) from exc
        d = calc.protocol_dates(meeting, justerat=justerat, anslag_posted=anslag)
        self.stdout.write(f"Sammanträde:             {d.meeting.isoformat()}")
        self.stdout.write(f"Justeras senast:         {d.justering_deadline.isoformat()}")
        if d.anslag_deadline:
            self.stdout.write(f"Anslås senast:           {d.anslag_deadline.isoformat()}")
        if d.appeal_last_day:
            self.stdout.write(f"Överklagande senast:     {d.appeal_last_day.isoformat()}")
            self.stdout.write(f"Anslaget tas ner:        {d.take_down.isoformat()}")
        for p in problems:
            self.stdout.write(f"Varning: {p}")
        if problems:
            raise Fel("Datumen bryter mot kommunallagen.", returncode=1)
