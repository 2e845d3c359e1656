"""styra report build | check | finalise --committee AVUN --event 2020-D2 ...

Exit codes: 0 ok; 1 the data has errors (a number in the text contradicts the tables,
or finalising was refused); 2 usage (unknown committee, event, format or report type).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.exceptions import ValidationError

from styra.calendar.selectors import event_get
from styra.command import Fel, StyraCommand, add_committee_arguments

FORMATS_HELP = "html, pdf, docx, json, txt"


def _swedish(parser) -> None:
    parser._optionals.title = "flaggor"
    for action in parser._actions:
        if action.dest == "help":
            action.help = "visa den här hjälpen och avsluta"


def _common(parser) -> None:
    _swedish(parser)
    add_committee_arguments(parser)
    parser.add_argument(
        "--event",
        required=True,
        metavar="TILLFÄLLE",
        help="rapporttillfälle: 2020-D2 (delår), 2021-T1 (tertial), 2019-06 (månad), 2020-VB",
    )
    parser.add_argument(
        "--type",
        dest="report_type",
        default=None,
        metavar="TYP",
        help="rapporttyp: delarsrapport, manadsrapport, verksamhetsberattelse, "
        "internkontrollplan eller ej-verkstallda (standard: efter tillfället)",
    )


class Command(StyraCommand):
    help = (
        "Rapporter: bygg månadsrapport, delårsrapport/tertialrapport eller "
        "verksamhetsberättelse som webbsida, tillgänglig PDF och Word."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
        build = sub.add_parser(
            "build",
            help="Bygg rapporten och skriv filerna i en mapp.",
            description=(
                "Bygger rapporten från ekonomi-, mål- och textdata och skriver den i de valda "
                "formaten. Siffror i texterna som motsäger tabellerna rapporteras (slutkod 1), "
                "men filerna skrivs ändå. Exempel: styra report build --committee AVUN "
                "--event 2020-D2 --format html,pdf,docx --out rapporter/"
            ),
        )
        _common(build)
        build.add_argument(
            "--format",
            default="html,pdf,docx",
            metavar="FORMAT",
            help=f"kommaseparerade format bland {FORMATS_HELP} (standard: html,pdf,docx)",
        )
        build.add_argument("--out", default=".", metavar="MAPP", help="mappen filerna skrivs i")
        build.add_argument(
            "--identifierbar",
            action="store_true",
            help="bygg versionen med identifierbara personuppgifter (IVO-versionen av ej "
            "verkställda beslut); bara för den som får läsa sekretessbelagda uppgifter",
        )
        build.add_argument(
            "--parallel",
            action="store_true",
            help="skriv PDF och Word samtidigt i två processer (snabbare på en ledig dator "
            "med flera kärnor)",
        )
        check = sub.add_parser(
            "check", help="Kontrollera att siffror i texterna stämmer med tabellerna."
        )
        _common(check)
        final = sub.add_parser(
            "finalise",
            help="Fastställ rapporten: spara en oföränderlig version med filer och kontrollsumma.",
        )
        _common(final)

    def _resolve(self, options):
        committee = self.committee(options)
        event = event_get(committee=committee, code=options["event"])
        from styra.reports import definitions

        report_type = options["report_type"] or definitions.for_event(event.code)
        if report_type not in definitions.keys():
            raise Fel(
                f"Okänd rapporttyp {report_type!r}; välj bland {', '.join(definitions.keys())}.",
                returncode=2,
            )
        return committee, event, report_type

    def handle(self, *args, action, **options):
        committee, event, report_type = self._resolve(options)
        if action == "build":
            return self._build(committee, event, report_type, options)
        if action == "check":
            return self._check(committee, event, report_type)
        return self._finalise(committee, event, report_type)

    def _print_findings(self, findings) -> None:
        for f in findings:
            sys.stderr.write(f"{f.where}: {f.message}\n")

    def _build(self, committee, event, report_type, options) -> None:
        from rich.progress import Progress

        from styra.reports.builders import build_report
        from styra.reports.checks import check_report
        from styra.reports.renderers import RENDERERS, file_name, render_many

        formats = [f.strip().lower() for f in options["format"].split(",") if f.strip()]
        unknown = [f for f in formats if f not in RENDERERS]
        if unknown or not formats:
            raise Fel(
                f"Okänt format {', '.join(unknown) or '(inget)'}; välj bland {FORMATS_HELP}.",
                returncode=2,
            )
        out = Path(options["out"])
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise Fel(f"{out}: kan inte skapa mappen ({exc.strerror}).", returncode=2) from exc
        written = []
        with Progress(transient=True, console=None) as progress:
            task = progress.add_task("Bygger rapportens data", total=len(formats) + 2)
            start = time.perf_counter()
            report = build_report(
                committee,
                event,
                report_type,
                identifiable=options["identifierbar"],
                actor=self.actor,
            )
            progress.advance(task)
            progress.update(task, description=f"Skriver {', '.join(f.upper() for f in formats)}")
            t0 = time.perf_counter()
            files = render_many(report, formats, parallel=options["parallel"])
            for fmt, data in files.items():
                path = out / file_name(report, fmt)
                path.write_bytes(data)
                written.append((path, len(data)))
                progress.advance(task)
            render_seconds = time.perf_counter() - t0
            progress.update(task, description="Kontrollerar texterna mot tabellerna")
            findings = check_report(report)
            progress.advance(task)
        for path, size in written:
            self.stdout.write(f"{path}  ({max(size // 1024, 1)} kB)")
        self.stdout.write(f"Formaten skrevs på {render_seconds:.2f} s.")
        self.stdout.write(
            f"{report.title}, {report.committee}: klar på {time.perf_counter() - start:.2f} s."
        )
        self.stdout.write(report.summary_text.split("\n\n")[0])
        for w in report.warnings:
            self.stdout.write(f"Observera: {w}")
        if findings:
            self._print_findings(findings)
            raise Fel(
                f"{len(findings)} siffror i texterna stämmer inte med tabellerna.", returncode=1
            )

    def _check(self, committee, event, report_type) -> None:
        from styra.reports.builders import build_report
        from styra.reports.checks import check_report

        findings = check_report(build_report(committee, event, report_type))
        if findings:
            self._print_findings(findings)
            raise Fel(
                f"{len(findings)} siffror i texterna stämmer inte med tabellerna.", returncode=1
            )
        self.stdout.write("Texternas siffror stämmer med tabellerna.")

    def _finalise(self, committee, event, report_type) -> None:
        from styra.reports.services import report_finalise

        try:
            snapshot = report_finalise(
                actor=self.actor, committee=committee, event=event, report_type=report_type
            )
        except ValidationError as exc:
            for m in exc.messages:
                sys.stderr.write(f"{m}\n")
            raise Fel("Rapporten fastställdes inte.", returncode=1) from exc
        self.stdout.write(
            f"Fastställd: {snapshot.title}, version {snapshot.version}, "
            f"sha256 {snapshot.content_hash}"
        )
