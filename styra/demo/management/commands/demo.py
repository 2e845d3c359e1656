"""styra demo: build the demo municipality and serve it."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import CommandError
from rich.console import Console
from rich.progress import Progress

from styra.command import StyraCommand
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

    def handle(self, *args, no_serve: bool, addr: str, scale: str | None = None, **options):
        console = Console(stderr=True)
        call_command("migrate", interactive=False, verbosity=0)
        if scale:
            from styra.demo.scale import RichProgress, build_scale

            try:
                with RichProgress(console) as progress:
                    summary = build_scale(scale, progress=progress)
            except ValueError as exc:
                raise CommandError(str(exc), returncode=2) from exc
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
        call_command("runserver", addr, "--insecure", "--noreload", use_threading=True)
