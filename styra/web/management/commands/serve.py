"""styra serve: Styra in production, on gunicorn, static files served by the app."""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management import call_command

from styra.command import StyraCommand, database_problem


def gunicorn_argv(*, bind: str, workers: int, threads: int, timeout: int) -> list[str]:
    """The gunicorn command line (GUNICORN_CMD_ARGS in the environment adds to it)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "styra.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        str(timeout),
        # Long-running processes let memory creep: each is replaced after a while.
        "--max-requests",
        "2000",
        "--max-requests-jitter",
        "200",
        "--keep-alive",
        "5",
        "--log-level",
        "warning",
        "--error-logfile",
        "-",
    ]


class Command(StyraCommand):
    help = (
        "Startar Styra med produktionsservern gunicorn. De statiska filerna samlas först i "
        "STATIC_ROOT och serveras av appen själv (WhiteNoise, komprimerade). Alla "
        "inställningar kommer från miljön (docs/install.md): STYRA_BIND, WEB_CONCURRENCY, "
        "STYRA_WEB_THREADS, STYRA_WEB_TIMEOUT, och GUNICORN_CMD_ARGS för fler gunicorn-flaggor. "
        "Bakgrundsarbetena kör `styra worker` i en egen process. Ställ en omvänd proxy med "
        "TLS (t.ex. nginx) framför servern."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=settings.STYRA_BIND,
            help="adress och port (standard: STYRA_BIND, annars 127.0.0.1:8000)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.STYRA_WEB_WORKERS,
            help="antal processer (standard: WEB_CONCURRENCY, annars 2 × kärnor + 1, högst 9)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.STYRA_WEB_THREADS,
            help="trådar per process (standard: STYRA_WEB_THREADS, annars 4)",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=settings.STYRA_WEB_TIMEOUT,
            help="sekunder innan ett hängt anrop avbryts (standard: STYRA_WEB_TIMEOUT, annars 60)",
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="samla inte de statiska filerna först (redan gjort vid installationen)",
        )

    def handle(self, *args, bind, workers, threads, timeout, no_collectstatic, **options):
        if workers < 1 or threads < 1 or timeout < 1:
            self.usage("--workers, --threads och --timeout måste vara minst 1")
        if settings.DEBUG:
            self.stderr.write("Varning: DEBUG är på. Använd aldrig DEBUG i produktion.")
        problem = database_problem()
        if problem is not None:
            # The login page and the static files work without tables, and on several
            # hosts the migration may be running elsewhere: say so, and start anyway.
            self.stderr.write(
                f"Varning: {problem} Tills dess svarar sidorna som behöver databasen med fel."
            )
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        argv = gunicorn_argv(bind=bind, workers=workers, threads=threads, timeout=timeout)
        self.stderr.write(
            f"Styra körs på http://{bind}/ ({workers} processer × {threads} trådar); "
            "avsluta med Ctrl+C."
        )
        sys.stderr.flush()
        sys.stdout.flush()
        # gunicorn takes over this process: signals from systemd or Ctrl+C reach it directly.
        os.execv(sys.executable, argv)
