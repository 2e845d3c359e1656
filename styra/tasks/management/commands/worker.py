"""styra worker: run the background jobs waiting in the queue."""

from __future__ import annotations

import logging
import os
import socket
import sys

from styra.command import StyraCommand


def default_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"[:64]


class Command(StyraCommand):
    help = (
        "Kör bakgrundsarbeten ur kön: rapportfiler, fastställande av rapporter, importer, "
        "skaldata. Starta en eller flera processer, på en eller flera servrar: de delar kön "
        "i databasen (DATABASE_URL) och behöver samma MEDIA_ROOT (filerna). Avsluta med "
        "Ctrl+C: ett påbörjat arbete får köras klart (Ctrl+C en gång till avbryter det). "
        "`make demo` och `styra demo` startar en själva."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="sekunder mellan titta-i-kön när den är tom (standard 1)",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="kör det som väntar i kön och avsluta sedan (för skript och test)",
        )
        parser.add_argument(
            "--max-tasks",
            type=int,
            metavar="N",
            help="avsluta efter N arbeten (t.ex. för att starta om processen regelbundet)",
        )
        parser.add_argument(
            "--queue",
            default="default",
            help="vilka köer processen tar arbeten ur, kommaseparerade ('*' = alla)",
        )
        parser.add_argument(
            "--worker-id",
            default="",
            help="processens namn i kön (standard: värdnamn-pid; unikt bland alla processer)",
        )
        parser.add_argument(
            "--quiet", action="store_true", help="skriv bara fel, inte varje arbete som körs"
        )

    def handle(self, *args, interval, batch, max_tasks, queue, worker_id, quiet, **options):
        from django_tasks_db.management.commands.db_worker import Worker

        from styra.tasks.services import task_prune, task_sweep_stale

        if interval < 0:
            self.usage("--interval måste vara 0 eller mer")
        if max_tasks is not None and max_tasks <= 0:
            self.usage("--max-tasks måste vara större än 0")
        worker_id = worker_id or default_worker_id()
        if len(worker_id) > 64:
            self.usage("--worker-id får vara högst 64 tecken")
        _configure_logging(quiet)
        swept = task_sweep_stale()
        pruned = task_prune()
        log = logging.getLogger("styra.tasks")
        if swept:
            log.warning("%s avbrutna arbeten markerade som misslyckade", swept)
        if pruned:
            log.info("%s gamla arbeten borttagna", pruned)
        log.info("bakgrundsprocessen %s väntar på arbeten (kö: %s)", worker_id, queue)
        worker = _swedish_worker(Worker)(
            queue_names=queue.split(","),
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        if not batch:
            worker.configure_signals()
        worker.run()


def _swedish_worker(base):
    class StyraWorker(base):
        def shutdown(self, signum, frame):
            log = logging.getLogger("styra.tasks")
            if not self.running:
                log.warning("avbryter det pågående arbetet")
            elif self.running_task:
                log.warning(
                    "avslutar när det pågående arbetet är klart (Ctrl+C en gång till avbryter det)"
                )
            super().shutdown(signum, frame)

    return StyraWorker


def _configure_logging(quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    for name in ("styra.tasks",):
        logger = logging.getLogger(name)
        logger.setLevel(logging.WARNING if quiet else logging.INFO)
        logger.addHandler(handler)
        logger.propagate = False
    # The queue library's own lines are English and technical: only its errors.
    for name in ("django_tasks", "django_tasks_db"):
        logging.getLogger(name).setLevel(logging.ERROR)
