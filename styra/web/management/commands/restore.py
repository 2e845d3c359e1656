"""styra restore FIL: a backup into an empty database and file folder."""

from __future__ import annotations

from django.core.management import call_command

from styra.command import StyraCommand
from styra.web.backup import backup_restore


class Command(StyraCommand):
    help = (
        "Återställ en säkerhetskopia från `styra backup` till en tom databas (SQLite eller "
        "PostgreSQL enligt DATABASE_URL) och en tom filkatalog. Alla kontrollsummor "
        "kontrolleras innan något skrivs; databasen läses in i en enda transaktion. "
        "Databasens tabeller skapas först (`styra migrate`)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FIL", help="säkerhetskopian (ZIP)")

    def handle(self, *args, file, **options):
        call_command("migrate", verbosity=0, interactive=False)
        result = backup_restore(actor=self.actor, path=file)
        self.stdout.write(f"Återställt: {result.rows} rader, {result.files} filer.")
