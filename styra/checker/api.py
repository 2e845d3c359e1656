"""check_file(path) -> CheckResult: read any supported file, find tables, run every rule.
Never raises for a bad file: an unreadable file gives a result with `error` set (exit 2).

`name` is what messages call the file (the web passes the uploaded file's own name, so no
server path is ever shown); `limits` bound what is read (styra.checker.limits)."""

from __future__ import annotations

import stat
from pathlib import Path

from .findings import CheckResult
from .limits import DEFAULT, Limits, size_text
from .model import Document, ReadError
from .reader_docx import read_docx
from .reader_pdf import read_pdf
from .reader_text import read_text
from .rules import Context, run_rules
from .tables import find_tables


def read_document(path: str | Path, limits: Limits = DEFAULT, name: str | None = None) -> Document:
    p = Path(path)
    shown = name or str(p)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise ReadError(f"{shown}: filen finns inte") from None
    except OSError as exc:
        raise ReadError(f"{shown}: kan inte läsa filen ({exc.strerror or 'okänt fel'})") from None
    if stat.S_ISDIR(st.st_mode):
        raise ReadError(f"{shown}: är en mapp, inte en fil")
    if not stat.S_ISREG(st.st_mode):
        raise ReadError(f"{shown}: är ingen vanlig fil (en enhet, en rörledning eller liknande)")
    if st.st_size > limits.max_bytes:
        raise ReadError(
            f"{shown}: filen är {size_text(st.st_size)}, större än gränsen "
            f"{size_text(limits.max_bytes)}"
        )
    try:
        with open(p, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ReadError(f"{shown}: kan inte läsa filen ({exc.strerror or 'okänt fel'})") from None
    suffix = p.suffix.lower()
    if head.startswith(b"%PDF") or suffix == ".pdf":
        return read_pdf(p, limits, shown)
    if head.startswith(b"PK") or suffix == ".docx":
        return read_docx(p, limits, shown)
    return read_text(p, limits, shown)


def check_document(doc: Document, *, rules: list[str] | None = None) -> CheckResult:
    find_tables(doc)
    ctx = Context(doc)
    findings, ran = run_rules(ctx, rules)
    findings.sort(key=lambda f: (f.location.line or 0, f.rule))
    for n, f in enumerate(findings, start=1):
        f.id = f"F{n}"
    return CheckResult(
        path=doc.path,
        kind=doc.kind,
        pages=doc.pages,
        tables=len(doc.tables),
        findings=findings,
        rounding=ctx.tally.count,
        lines=doc.lines,
        rules_run=ran,
    )


def check_file(
    path: str | Path,
    *,
    rules: list[str] | None = None,
    limits: Limits = DEFAULT,
    name: str | None = None,
) -> CheckResult:
    shown = name or str(path)
    try:
        doc = read_document(path, limits, shown)
    except ReadError as exc:
        return CheckResult(path=shown, kind="", pages=0, tables=0, findings=[], error=str(exc))
    except MemoryError:
        return CheckResult(
            path=shown,
            kind="",
            pages=0,
            tables=0,
            findings=[],
            error=f"{shown}: filen är för stor för att kontrolleras med minnet som finns",
        )
    try:
        return check_document(doc, rules=rules)
    except RecursionError:
        return CheckResult(
            path=shown,
            kind=doc.kind,
            pages=doc.pages,
            tables=0,
            findings=[],
            error=f"{shown}: dokumentet är för komplext att kontrollera",
        )
