"""styra backup FIL: the database and the stored files in one ZIP with checksums."""

from __future__ import annotations

from styra.command import StyraCommand
from styra.web.backup import backup_verify, backup_write


class Command(StyraCommand):
    help = (
        "Säkerhetskopiera hela installationen till en ZIP-fil: databasens alla rader och "
        "alla lagrade filer (handlingar, rapportversioner), med SHA-256 för varje del. "
        "Fungerar med SQLite och PostgreSQL; kopian kan återställas i vilken av dem som "
        "helst med `styra restore`. Med --verify kontrolleras en befintlig kopia."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FIL", help="ny fil att skriva, t.ex. styra.zip")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="skriv inget: kontrollera en befintlig säkerhetskopias kontrollsummor",
        )

    def handle(self, *args, file, verify, **options):
        if verify:
            manifest = backup_verify(file)
            self.stdout.write(
                f"{file}: hel. {manifest['rows']} rader, {manifest['files']} filer, "
                f"gjord {manifest['created']} från {manifest['database']}."
            )
            return
        result = backup_write(actor=self.actor, path=file)
        self.stdout.write(
            f"Säkerhetskopia skriven: {result.path} ({result.rows} rader, {result.files} filer, "
            f"{result.size / 1_000_000:.1f} MB)."
        )
