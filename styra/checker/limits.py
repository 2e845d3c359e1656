"""How much input the checker accepts: file size, lines (paragraphs and table rows), line
length, PDF pages and uncompressed DOCX size, and for the web the time and memory a check
may take. Every limit has a setting (environment variable, docs/install.md); the checker
itself stays free of Django, so it reads the same variables as styra/settings.py does."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * MB  # the file as uploaded or named
    max_lines: int = 100_000  # text lines, DOCX paragraphs + table rows, PDF lines
    max_line_chars: int = 20_000  # one line of text
    max_pages: int = 2_000  # PDF pages
    max_unpacked: int = 100 * MB  # DOCX: the document's XML after unpacking
    seconds: int = 120  # the web check's time limit (the task queue kills it after)
    memory_mb: int = 2_048  # the web check's address-space limit


# The environment variable of each limit (documented in docs/install.md).
ENV = {
    "max_bytes": "STYRA_CHECK_MAX_BYTES",
    "max_lines": "STYRA_CHECK_MAX_LINES",
    "max_line_chars": "STYRA_CHECK_MAX_LINE_CHARS",
    "max_pages": "STYRA_CHECK_MAX_PAGES",
    "max_unpacked": "STYRA_CHECK_MAX_UNPACKED",
    "seconds": "STYRA_CHECK_SECONDS",
    "memory_mb": "STYRA_CHECK_MEMORY_MB",
}

DEFAULT = Limits()


def from_env(environ=None) -> Limits:
    """The limits set in the environment; a value that is not a positive whole number is
    ignored (the default holds)."""
    environ = os.environ if environ is None else environ
    values = {}
    for f in fields(Limits):
        raw = (environ.get(ENV[f.name]) or "").strip()
        if raw.isdigit() and int(raw) > 0:
            values[f.name] = int(raw)
    return Limits(**values)


def as_env(limits: Limits) -> dict[str, str]:
    return {ENV[f.name]: str(getattr(limits, f.name)) for f in fields(Limits)}


def size_text(n: int) -> str:
    if n >= MB:
        return f"{n / MB:.0f} MB".replace(".", ",")
    return f"{max(1, n // 1024)} kB"
