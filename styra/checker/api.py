"""check_file(path) -> CheckResult: read any supported file, find tables, run every rule.
Never raises for a bad file: an unreadable file gives a result with `error` set (exit 2)."""

from __future__ import annotations

from pathlib import Path

from .findings import CheckResult
from .model import Document, ReadError
from .reader_docx import read_docx
from .reader_pdf import read_pdf
from .reader_text import read_text
from .rules import Context, run_rules
from .tables import find_tables


def read_document(path: str | Path) -> Document:
    p = Path(path)
    if not p.exists():
        raise ReadError(f"{p}: filen finns inte")
    if p.is_dir():
        raise ReadError(f"{p}: är en mapp, inte en fil")
    try:
        head = p.read_bytes()[:8]
    except OSError as exc:
        raise ReadError(f"{p}: kan inte läsa filen ({exc.strerror or exc})") from exc
    suffix = p.suffix.lower()
    if head.startswith(b"%PDF") or suffix == ".pdf":
        return read_pdf(p)
    if head.startswith(b"PK") or suffix == ".docx":
        return read_docx(p)
    return read_text(p)


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


def check_file(path: str | Path, *, rules: list[str] | None = None) -> CheckResult:
    try:
        doc = read_document(path)
    except ReadError as exc:
        return CheckResult(path=str(path), kind="", pages=0, tables=0, findings=[], error=str(exc))
    try:
        return check_document(doc, rules=rules)
    except RecursionError:
        return CheckResult(
            path=str(path),
            kind=doc.kind,
            pages=doc.pages,
            tables=0,
            findings=[],
            error=f"{path}: dokumentet är för komplext att kontrollera",
        )
