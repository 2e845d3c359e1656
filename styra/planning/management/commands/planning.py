"""styra planning remind: e-mail reminders of the state grants' deadlines."""

from __future__ import annotations

from styra.command import StyraCommand


class Command(StyraCommand):
    help = "Planeringen: påminnelser per e-post om statsbidragens tidsgränser."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
        sub.add_parser(
            "remind",
            help="E-posta controllerna om statsbidragens tidsgränser som infaller snart.",
            description=(
                "Skickar till varje nämnds controllrar (med e-postadress) de tidsgränser för "
                "statsbidrag (rekvirera, använda, återrapportera, återbetala) som infaller "
                "inom STYRA_GRANT_REMINDER_DAYS dagar (standard 14) från Styras idag. Varje "
                "tidsgräns påminns en gång per mottagare; en påminnelse som e-postservern "
                "inte tog emot försöks igen nästa gång. Kör gärna dagligen (cron). Slutkod 1 "
                "om något utskick misslyckades."
            ),
        )

    def handle(self, *args, action, **options):
        from styra.calendar import clock
        from styra.planning.services import grant_reminders_send

        run = grant_reminders_send(actor=self.actor, today=clock.today())
        for r in run.sent:
            self.stdout.write(
                f"Skickad: {r.grant.name}, {r.get_deadline_display()} {r.due_on:%Y-%m-%d} "
                f"till {r.recipient}."
            )
        for name in run.no_recipient:
            self.stderr.write(f"Ingen controller med e-postadress att påminna om {name}.")
        for r in run.failed:
            self.stderr.write(
                f"Misslyckades: {r.grant.name}, {r.get_deadline_display()} till {r.recipient}: "
                f"{r.error}"
            )
        self.stdout.write(
            f"{len(run.sent)} påminnelser skickade, {run.already} redan skickade tidigare, "
            f"{len(run.failed)} misslyckade."
        )
        if run.failed:
            self.fail(
                f"{len(run.failed)} påminnelser kunde inte skickas; de försöks igen nästa gång."
            )
