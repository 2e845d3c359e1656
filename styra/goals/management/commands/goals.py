"""styra goals load FILE | styra goals summary --committee AVUN --event 2020-D2."""

from __future__ import annotations

import sys

from django.core.management.base import CommandError

from styra.command import StyraCommand
from styra.finance.models import ReportingEvent
from styra.goals import selectors
from styra.goals.services import GoalsFileError, goals_load
from styra.org.models import OrgNode


class Command(StyraCommand):
    help = "Mål och mått: läs in en målfil eller visa måluppföljningen för ett rapporttillfälle."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
        load = sub.add_parser(
            "load",
            help="Läs in målområden, nämndmål, mått, värden, analyser, bedömningar och uppdrag.",
            description=(
                "Läser in en målfil (YAML, se docs/goals.md). En fil med fel läses inte in "
                "alls; varje fel visas med filnamn och radnummer. Kan köras om: inget dubbleras."
            ),
        )
        load.add_argument("file", metavar="FIL", help="målfilen (.yaml)")
        summary = sub.add_parser(
            "summary",
            help="Visa antal nämndmål per bedömning, meningen till rapporten och varningar.",
        )
        summary.add_argument("--committee", required=True, help="nämndens kod, t.ex. AVUN")
        summary.add_argument("--event", required=True, help="rapporttillfälle, t.ex. 2020-D2")

    def handle(self, *args, action, **options):
        if action == "load":
            return self._load(options["file"])
        return self._summary(options["committee"], options["event"])

    def _load(self, file: str) -> None:
        try:
            result = goals_load(path=file)
        except GoalsFileError as exc:
            for error in exc.errors:
                sys.stderr.write(f"{error}\n")
            sys.stderr.write(f"Målfilen lästes inte in: {len(exc.errors)} fel.\n")
            if any(e.line == 0 for e in exc.errors):
                raise CommandError("Filen kunde inte läsas.", returncode=2) from exc
            raise CommandError("Inget sparades.", returncode=1) from exc
        self.stdout.write(
            f"{result.committee.name}: {result.goals} nämndmål, {result.measures} mått, "
            f"{result.values} värden, {result.assignments} uppdrag."
        )
        if result.event is not None:
            self.stdout.write(selectors.assessment_sentence(result.committee, result.event))

    def _summary(self, committee_code: str, event_code: str) -> None:
        committee = OrgNode.objects.filter(code=committee_code, kind="committee").first()
        if committee is None:
            raise CommandError(f"Nämnden {committee_code!r} finns inte.", returncode=2)
        event = ReportingEvent.objects.filter(committee=committee, code=event_code).first()
        if event is None:
            raise CommandError(
                f"{committee.name} har inget rapporttillfälle {event_code!r}.", returncode=2
            )
        report = selectors.goal_report_data(committee, event)
        for area in report.areas:
            self.stdout.write(f"Målområde {area.number}: {area.name}")
            for goal in area.goals:
                decided = goal.decided.label if goal.decided else "ej bedömt"
                self.stdout.write(
                    f"  {goal.code} {goal.name}\n    förslag: {goal.suggested.label}; "
                    f"bedömning: {decided}"
                )
                for warning in goal.warnings:
                    self.stdout.write(f"    varning: {warning}")
        c = report.counts
        self.stdout.write(
            f"God {c.good}, godtagbar {c.acceptable}, ej godtagbar {c.not_acceptable}, "
            f"kan inte bedömas {c.not_assessable}."
        )
        self.stdout.write(report.sentence)
