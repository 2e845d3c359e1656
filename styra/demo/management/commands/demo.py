"""styra demo: build the demo municipality and serve it (with a background worker)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

from django.core.management import call_command
from rich.console import Console
from rich.progress import Progress

from styra.command import Fel, StyraCommand
from styra.demo.builder import DEMO_PASSWORD, DEMO_TODAY, DEMO_USERS, build_demo, parts


class Command(StyraCommand):
    help = (
        "Bygger demokommunen Botkyrka (demo) med Arbetsmarknads- och "
        "vuxenutbildningsnämnden (AVUN) och startar webbservern. Kan köras om: "
        "inget dubbleras."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help="bygg bara demon, starta ingen webbserver"
        )
        parser.add_argument(
            "--addr", default="127.0.0.1:8000", help="adress och port (standard 127.0.0.1:8000)"
        )
        parser.add_argument(
            "--scale",
            metavar="NAMN",
            help="bygg i stället en skalkommun (stockholm: 30 nämnder, 3 000 enheter, "
            "5 miljoner huvudboksrader per år); använd en egen databas (DATABASE_URL)",
        )
        parser.add_argument(
            "--bakgrund",
            action="store_true",
            help="med --scale: bygg som bakgrundsarbete (styra worker kör det; förloppet "
            "syns här och på /arbeten/); Ctrl+C slutar följa det, arbetet fortsätter",
        )

    def handle(
        self,
        *args,
        no_serve: bool,
        addr: str,
        scale: str | None = None,
        bakgrund: bool = False,
        **options,
    ):
        console = Console(stderr=True)
        call_command("migrate", interactive=False, verbosity=0)
        if bakgrund and not scale:
            self.usage("--bakgrund gäller bara med --scale")
        if scale and bakgrund:
            from styra.demo.scale import SPECS

            if scale not in SPECS:
                self.usage(f"okänd skala {scale!r} (finns: {', '.join(SPECS)})")
            return _scale_in_background(console, scale, self.actor)
        if scale:
            from styra.demo.scale import RichProgress, build_scale

            try:
                with RichProgress(console) as progress:
                    summary = build_scale(scale, progress=progress)
            except ValueError as exc:
                raise Fel(str(exc), returncode=2) from exc
            console.print(summary.text())
            return
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Bygger demokommunen", total=len(parts()))

            def step_done(name: str, summary: str) -> None:
                progress.advance(task)
                console.print(f"[green]✓[/green] {name}: {summary}")

            build_demo(progress=step_done)
        console.print("\nDemoinloggningar (lösenord för alla: [bold]" + DEMO_PASSWORD + "[/bold]):")
        for username, role in DEMO_USERS.items():
            console.print(f"  {username:<12} {role}")
        if no_serve:
            return
        from django.conf import settings

        # The demo's own "today" (its reporting event D2 2020 is open, the meeting is next).
        settings.STYRA_TODAY = settings.STYRA_TODAY or DEMO_TODAY
        console.print(f"Demodatum: {settings.STYRA_TODAY}")
        console.print(f"\nStyra körs på http://{addr}/  (avsluta med Ctrl+C)\n")
        with background_worker(console, settings.STYRA_TODAY):
            call_command("runserver", addr, "--insecure", "--noreload", use_threading=True)


@contextmanager
def background_worker(console, today: str):
    """A `styra worker` process beside the demo's web server, stopped with it (Ctrl+C in
    the terminal reaches both; otherwise it is asked to stop, then made to)."""
    env = {**os.environ, "STYRA_TODAY": today}
    worker = subprocess.Popen(
        [sys.executable, "-m", "styra.cli", "worker"], env=env, preexec_fn=_die_with_parent
    )
    console.print(f"Bakgrundsprocessen för rapportfiler med mera körs (process {worker.pid}).")
    # SIGTERM to the demo (not only Ctrl+C) stops the worker too.
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        yield worker
    finally:
        signal.signal(signal.SIGTERM, previous)
        _stop(worker)


def _die_with_parent() -> None:
    """Linux: the worker gets SIGTERM if the demo process dies without cleaning up."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _stop(proc: subprocess.Popen) -> None:
    for sig, wait in ((None, 3), (signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        if proc.poll() is not None:
            return
        if sig is not None:
            proc.send_signal(sig)
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue


def _scale_in_background(console, name: str, actor) -> None:
    """Queue the scale build and follow its progress until it ends (or Ctrl+C)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from styra.org.access import ADMIN
    from styra.tasks import progress as live
    from styra.tasks.models import TaskRun, TaskStatus
    from styra.tasks.services import task_start

    run = task_start(
        actor=actor,
        kind="demo.scale",
        node=None,
        capability=ADMIN,
        title=f"Skaldata: {name}",
        params={"name": name},
    )
    console.print(
        f"Skaldatat byggs som bakgrundsarbete {run.pk} (/arbeten/{run.pk}/). "
        "Det körs av `styra worker`; Ctrl+C här slutar bara följa det."
    )
    started = time.monotonic()
    hinted = False
    try:
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as bar:
            task = bar.add_task("Väntar på en bakgrundsprocess", total=1.0)
            while True:
                run = TaskRun.objects.get(pk=run.pk)
                now = live.read(run)
                label = now.message or run.get_status_display()
                bar.update(task, completed=now.progress, description=label)
                if run.finished:
                    break
                waiting = time.monotonic() - started > 10
                if run.status == TaskStatus.QUEUED and waiting and not hinted:
                    console.print("Inget har startat än: kör `styra worker` (i en annan terminal).")
                    hinted = True
                time.sleep(1)
    except KeyboardInterrupt:
        console.print(f"Slutar följa arbetet; det fortsätter i bakgrunden (/arbeten/{run.pk}/).")
        return
    if run.status == TaskStatus.DONE:
        console.print((run.result or {}).get("summary", "Klart."))
        return
    raise Fel(run.error or "Bakgrundsarbetet misslyckades.", returncode=1)
