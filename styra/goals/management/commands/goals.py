"""styra goals load FILE | styra goals summary --committee AVUN --event 2020-D2."""

from __future__ import annotations

from styra.calendar.selectors import event_get
from styra.command import StyraCommand, add_committee_arguments
from styra.goals import selectors
from styra.goals.services import goals_load


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
        add_committee_arguments(summary)
        summary.add_argument("--event", required=True, help="rapporttillfälle, t.ex. 2020-D2")

    def handle(self, *args, action, **options):
        if action == "load":
            return self._load(options["file"])
        return self._summary(self.committee(options), options["event"])

    def _load(self, file: str) -> None:
        result = goals_load(actor=self.actor, path=file)
        self.stdout.write(
            f"{result.committee.name}: {result.goals} nämndmål, {result.measures} mått, "
            f"{result.values} värden, {result.assignments} uppdrag."
        )
        if result.event is not None:
            self.stdout.write(selectors.assessment_sentence(result.committee, result.event))

    def _summary(self, committee, event_code: str) -> None:
        event = event_get(committee=committee, code=event_code)
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
